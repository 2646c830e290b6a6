// Transcript reading on invented transcripts: prompts, contexts, output,
// comments and the odd lines real tutorials contain.
import { describe, expect, it } from '@jest/globals';
import { parseShellExec, parseTranscript, shellWords } from './transcript.js';

const parse = (lines: string[]) => parseTranscript(lines, 'demo.adoc', 10);

describe('parseTranscript', () => {
  it('splits host commands, their output and comments; drops trailing blank output', () => {
    const { commands, skipped } = parse(['# list them', '$ kubectl get cm', 'NAME   DATA', 'demo   1', '', '$ kubectl delete cm demo']);
    expect(skipped).toEqual([]);
    expect(commands).toEqual([
      {
        text: 'kubectl get cm',
        prompt: '$ ',
        context: { where: 'host' },
        comments: ['list them'],
        output: ['NAME   DATA', 'demo   1'],
        source: { file: 'demo.adoc', line: 11 },
      },
      {
        text: 'kubectl delete cm demo',
        prompt: '$ ',
        context: { where: 'host' },
        comments: [],
        output: [],
        source: { file: 'demo.adoc', line: 15 },
      },
    ]);
  });

  it('ties in-pod prompts to the pod the preceding exec entered, with its container', () => {
    const { commands } = parse(['$ kubectl exec -it web -c app -- sh', '(web)# wget -qO- localhost', 'ok']);
    expect(commands[0]?.opensShell).toEqual({ pod: 'web', container: 'app', shell: 'sh' });
    expect(commands[1]).toMatchObject({
      prompt: '(web)# ',
      text: 'wget -qO- localhost',
      context: { where: 'pod', pod: 'web', enteredPod: 'web', container: 'app', enteredAt: { line: 10 } },
      output: ['ok'],
    });
  });

  it('reads root@pod:/# as in-pod and user@host:~$ as the host', () => {
    const { commands } = parse(['root@toolbox:/# cat /etc/hostname', 'toolbox', 'me@laptop:~$ kubectl version']);
    expect(commands.map((c) => c.context)).toEqual([{ where: 'pod', pod: 'toolbox' }, { where: 'host' }]);
  });

  it('forgets the pod shell once a host prompt appears again', () => {
    const { commands } = parse(['$ kubectl exec -it a -- bash', '$ kubectl get pods', '(b)# ls']);
    expect(commands[2]?.context).toEqual({ where: 'pod', pod: 'b' });
  });

  it('accepts a bare kubectl line after a comment or blank line, but not inside output', () => {
    const { commands } = parse(['# connect', 'kubectl exec -it web -- /bin/bash', '$ kubectl get pods', 'kubectl-looking output line']);
    expect(commands.map((c) => [c.prompt, c.text])).toEqual([
      ['', 'kubectl exec -it web -- /bin/bash'],
      ['$ ', 'kubectl get pods'],
    ]);
    expect(commands[1]?.output).toEqual(['kubectl-looking output line']);
  });

  it('skips a pasted empty shell prompt and text before the first command', () => {
    const { commands, skipped } = parse(['stray words', '$ kubectl get pods', 'a 1/1', 'mybox me ~/work $', '$ kubectl get svc']);
    expect(commands[0]?.output).toEqual(['a 1/1']);
    expect(skipped.map((s) => [s.line, s.reason])).toEqual([
      [10, 'text before any command'],
      [13, 'shell prompt with no command (pasted with the output)'],
    ]);
  });

  it('marks editor commands as hand edits', () => {
    expect(parse(['$ vi app.yaml']).commands[0]?.editsFile).toBe('app.yaml');
  });

  it('returns no commands for unprompted code', () => {
    expect(parse(['while true; do curl -s web; done']).commands).toEqual([]);
  });
});

describe('parseShellExec', () => {
  it.each([
    ['kubectl exec -it web -- bash', { pod: 'web', shell: 'bash' }],
    ['kubectl exec -ti pod/web --container=app -- /bin/sh', { pod: 'web', container: 'app', shell: '/bin/sh' }],
    ['kubectl -n lab exec --stdin --tty web -- zsh', { pod: 'web', shell: 'zsh' }],
    ['kubectl exec -it web bash', { pod: 'web', shell: 'bash' }],
  ])('%s opens a shell', (text, expected) => {
    expect(parseShellExec(text)).toEqual(expected);
  });

  it.each([
    'kubectl exec web -- ls /',
    'kubectl exec -it web rm /tmp/x',
    'kubectl exec web -- bash',
    'kubectl get pods',
  ])('%s does not', (text) => {
    expect(parseShellExec(text)).toBeUndefined();
  });
});

describe('shellWords', () => {
  it('keeps quoted arguments together', () => {
    expect(shellWords(`kubectl get pod -o 'custom-columns=NAME:.metadata.name' "a b"`)).toEqual([
      'kubectl',
      'get',
      'pod',
      '-o',
      'custom-columns=NAME:.metadata.name',
      'a b',
    ]);
  });
});
