// Reading a command transcript (a `....` literal block or a plain fence) the way
// a person does: prompts mark commands and say where they run, `# ` lines are
// remarks, everything else is the output the text shows for the command above.
import type { Command, CommandContext, SourceRef, TranscriptBlock } from './model.js';

type Transcript = Pick<TranscriptBlock, 'commands' | 'skipped'>;

/** `$ cmd`: a command on the reader's machine. */
const HOST_PROMPT = /^(\s*\$ )(.*)$/;
/** `(bastion)# cmd`: the tutorial's notation for a shell inside a pod. */
const POD_PAREN_PROMPT = /^(\(([a-z0-9][-a-z0-9.]*)\)# ?)(.*)$/;
/**
 * `root@bastion:/# cmd` is a root shell in a container (the hostname is the pod
 * name); `user@laptop:~$ cmd` is the reader's own machine.
 */
const USER_AT_HOST_PROMPT = /^(([a-z_][-a-z0-9_]*)@([a-z0-9][-a-z0-9.]*):[^#$\s]*([#$]) )(.*)$/;
/** A command shown without a prompt (the blog writes `kubectl exec ...` bare). */
const BARE_KUBECTL = /^kubectl\s+\S/;
/** `# remark`: a comment line in the transcript (never a heading, never a command). */
const COMMENT = /^#(?: (.*))?$/;

/** The remark of a transcript comment line, or undefined when the line is not one. */
export function commentText(line: string): string | undefined {
  const match = COMMENT.exec(line);
  return match === null ? undefined : (match[1] ?? '').trim();
}
/** A prompt with nothing typed after it (`host user ~/dir $` pasted with the output). */
const EMPTY_PROMPT = /^\S.*\s[$#]\s*$/;

const SHELLS = new Set(['bash', 'sh', 'ash', 'dash', 'zsh']);
const EDITORS = new Set(['vim', 'vi', 'nvim', 'nano', 'emacs']);

/** Splits a command line into words, honouring simple quotes (enough for kubectl lines). */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: '"' | "'" | undefined;
  let inWord = false;
  for (const char of text) {
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += char;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}

/**
 * A Kubernetes object name (DNS-1123 subdomain). The pod and container an exec enters
 * are unquoted here and later typed again by the suite; a "name" such as `x;touch y`
 * (quoted in the text) would become a command, so it is not taken as a pod shell.
 */
function isObjectName(word: string): boolean {
  return word.length <= 253 && /^[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?$/.test(word);
}

const EXEC_FLAGS_WITH_VALUE = new Set(['-c', '--container', '-n', '--namespace', '--context', '--kubeconfig', '--pod-running-timeout']);

/** `kubectl exec -it POD [-c C] [--] bash`: the pod (and container) an interactive shell enters. */
export function parseShellExec(text: string): Command['opensShell'] {
  const words = shellWords(text);
  if (words[0] !== 'kubectl') return undefined;
  const exec = words.indexOf('exec');
  if (exec < 0) return undefined;
  let pod: string | undefined;
  let container: string | undefined;
  let interactive = false;
  const command: string[] = [];
  for (let i = exec + 1; i < words.length; i += 1) {
    const word = words[i] ?? '';
    if (word === '--') {
      command.push(...words.slice(i + 1));
      break;
    }
    if (pod !== undefined && !word.startsWith('-')) {
      // Pre-1.18 form without `--`: everything after the pod is the command.
      command.push(...words.slice(i));
      break;
    }
    const [flag = '', inlineValue] = word.split('=', 2);
    if (EXEC_FLAGS_WITH_VALUE.has(flag)) {
      const value = inlineValue ?? words[(i += 1)];
      if (flag === '-c' || flag === '--container') container = value;
    } else if (/^-[a-zA-Z]+$/.test(word) && word.includes('i')) {
      interactive = true;
    } else if (word === '--stdin') {
      interactive = true;
    } else if (!word.startsWith('-')) {
      pod = word.replace(/^(?:pods?|po)\//, '');
    }
  }
  const shell = command[0];
  if (pod === undefined || !interactive || command.length !== 1 || shell === undefined) return undefined;
  if (!isObjectName(pod) || (container !== undefined && !isObjectName(container))) return undefined;
  if (!SHELLS.has(shell.split('/').pop() ?? '')) return undefined;
  return { pod, shell, ...(container === undefined ? {} : { container }) };
}

/** `vim nginx-deployment.yaml`: the reader edits a file by hand here. */
function editedFile(text: string): string | undefined {
  const [editor, file] = shellWords(text);
  return editor !== undefined && EDITORS.has(editor) && file !== undefined ? file : undefined;
}

interface ShellState {
  pod: string;
  container?: string;
  at: SourceRef;
}

/**
 * Parses transcript lines. `firstLine` is the tutorial line of lines[0]. Returns no
 * commands when nothing in the block is prompted (it is then plain code).
 */
export function parseTranscript(lines: readonly string[], file: string, firstLine: number): Transcript {
  const commands: Command[] = [];
  const skipped: Transcript['skipped'] = [];
  let comments: string[] = [];
  let current: Command | undefined;
  let shell: ShellState | undefined;
  let previousBlankOrComment = true;

  const close = (): void => {
    if (current === undefined) return;
    while (current.output.length > 0 && current.output[current.output.length - 1]?.trim() === '') current.output.pop();
    current = undefined;
  };
  const start = (prompt: string, text: string, context: CommandContext, line: number): void => {
    close();
    if (text.trim() === '') {
      skipped.push({ line, text: prompt, reason: 'shell prompt with no command' });
      return;
    }
    const source = { file, line };
    const opensShell = context.where === 'host' ? parseShellExec(text) : undefined;
    const editsFile = editedFile(text);
    current = {
      text: text.trim(),
      prompt,
      context,
      comments,
      output: [],
      source,
      ...(opensShell === undefined ? {} : { opensShell }),
      ...(editsFile === undefined ? {} : { editsFile }),
    };
    commands.push(current);
    comments = [];
    if (context.where === 'host') {
      // A new host prompt means the reader left any pod shell opened earlier.
      shell = opensShell === undefined ? undefined : { ...opensShell, at: source };
    }
  };
  const podContext = (pod: string): CommandContext => ({
    where: 'pod',
    pod,
    ...(shell === undefined ? {} : { enteredPod: shell.pod, enteredAt: shell.at }),
    ...(shell?.container === undefined ? {} : { container: shell.container }),
  });

  lines.forEach((text, i) => {
    const line = firstLine + i;
    let match: RegExpExecArray | null;
    if ((match = HOST_PROMPT.exec(text)) !== null) {
      start(match[1] ?? '$ ', match[2] ?? '', { where: 'host' }, line);
    } else if ((match = POD_PAREN_PROMPT.exec(text)) !== null) {
      start(match[1] ?? '', match[3] ?? '', podContext(match[2] ?? ''), line);
    } else if ((match = USER_AT_HOST_PROMPT.exec(text)) !== null) {
      const context = match[4] === '#' ? podContext(match[3] ?? '') : ({ where: 'host' } as const);
      start(match[1] ?? '', match[5] ?? '', context, line);
    } else if (previousBlankOrComment && BARE_KUBECTL.test(text)) {
      start('', text, { where: 'host' }, line);
    } else if ((match = COMMENT.exec(text)) !== null) {
      close();
      comments.push((match[1] ?? '').trim());
    } else if (EMPTY_PROMPT.test(text) && !/^\s/.test(text) && text.trim().split(/\s+/).length <= 6) {
      close();
      skipped.push({ line, text, reason: 'shell prompt with no command (pasted with the output)' });
    } else if (current !== undefined) {
      current.output.push(text);
    } else if (text.trim() !== '') {
      skipped.push({ line, text, reason: 'text before any command' });
    }
    previousBlankOrComment = text.trim() === '' || COMMENT.test(text) || current === undefined;
  });
  close();
  return { commands, skipped };
}
