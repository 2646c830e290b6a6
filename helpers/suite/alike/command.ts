// What kind of command a tutorial line is, as far as its output's shape goes:
// `kubectl get` (table, maybe --watch), `kubectl describe` (maybe `| grep X`),
// `kubectl logs`, `kubectl apply/create/delete...` (one message per object),
// `curl -i` (an HTTP answer), or anything else.
import { shellStages } from './text.js';

export interface CommandShape {
  tool: 'kubectl' | 'curl' | 'other';
  /** kubectl's verb (`get`, `describe`, ...), when the tool is kubectl. */
  verb?: string;
  /** kubectl's words after the verb. */
  args: string[];
  /** `-o` / `--output` value (`wide`, `custom-columns=...`). */
  output?: string;
  watch: boolean;
  /** Pattern of a `| grep X` after the command. */
  grep?: string;
  /** curl shows the answer's head (`-i`, `--include`, `-I`, `--head`, `-v`). */
  includesHead: boolean;
}

/** kubectl's global flags that take a separate value. */
const VALUE_FLAGS = new Set(['-n', '--namespace', '--context', '--kubeconfig', '--cluster', '--user', '-s', '--server', '--as', '--token', '--request-timeout']);

export function commandShape(text: string): CommandShape {
  const stages = shellStages(text);
  const first = stages[0] ?? [];
  let words = first;
  // `sudo kubectl`, `minikube kubectl --`, `watch kubectl`
  while (words.length > 0 && ['sudo', 'watch', 'time', 'env'].includes(words[0] ?? '')) words = words.slice(1);
  if (words[0] === 'minikube' && words[1] === 'kubectl') words = ['kubectl', ...words.slice(words[2] === '--' ? 3 : 2)];
  const grepStage = stages.slice(1).find((s) => s[0] === 'grep');
  const grep = grepStage?.slice(1).find((w) => !w.startsWith('-'));
  const tool = words[0] === 'kubectl' || words[0] === 'k' || words[0] === 'oc' ? 'kubectl' : words[0] === 'curl' ? 'curl' : 'other';
  const shape: CommandShape = { tool, args: [], watch: false, includesHead: false };
  if (grep !== undefined) shape.grep = grep;
  if (tool === 'curl') {
    shape.includesHead = words.slice(1).some((w) => w === '--include' || w === '--head' || w === '--verbose' || /^-[a-zA-Z]*[iIv]/.test(w));
    return shape;
  }
  if (tool !== 'kubectl') return shape;
  let i = 1;
  while (i < words.length) {
    const w = words[i] ?? '';
    if (!w.startsWith('-')) break;
    i += VALUE_FLAGS.has(w) ? 2 : 1;
  }
  const verb = words[i];
  if (verb !== undefined) shape.verb = verb;
  shape.args = words.slice(i + 1);
  const args = shape.args;
  for (let j = 0; j < args.length; j++) {
    const a = args[j] ?? '';
    if (a === '-o' || a === '--output') {
      const v = args[j + 1];
      if (v !== undefined) shape.output = v;
    } else if (a.startsWith('--output=')) shape.output = a.slice('--output='.length);
    else if (a.startsWith('-o=')) shape.output = a.slice(3);
    else if (/^-o\S/.test(a)) shape.output = a.slice(2);
    else if (a === '-w' || a === '--watch' || a === '--watch-only' || a === '--watch=true' || a === '--watch-only=true') shape.watch = true;
  }
  return shape;
}

/** Column names a `custom-columns=NAME:.path,...` output spec declares. */
export function customColumnNames(output: string | undefined): string[] | undefined {
  if (output?.startsWith('custom-columns=') !== true) return undefined;
  return output
    .slice('custom-columns='.length)
    .split(',')
    .map((c) => c.split(':')[0] ?? '')
    .filter((c) => c !== '');
}

/** Verbs whose output is one `kind/name verb` line per object. */
export const MESSAGE_VERBS = new Set([
  'apply', 'create', 'delete', 'replace', 'patch', 'scale', 'expose', 'label', 'annotate', 'set', 'rollout', 'autoscale', 'taint', 'cordon', 'uncordon', 'drain', 'edit', 'run',
]);
