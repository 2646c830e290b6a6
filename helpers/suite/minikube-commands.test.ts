import type { Command } from '../tutorial/index.js';
import { minikubeLine, minikubeNames, urlsIn, withoutTunnelTable } from './minikube-commands.js';

const cmd = (text: string, output: string[] = []): Command => ({
  text,
  prompt: '$ ',
  context: { where: 'host' },
  comments: [],
  output,
  source: { file: 'article.md', line: 534 },
});

describe("the walkthrough's minikube commands on the minikube provider", () => {
  test('minikube service names the namespace the Service is in, unless the text did', () => {
    const named = minikubeLine('minikube service my-first-service --url', 'ns-1');
    expect(named.line).toBe('minikube service my-first-service --url --namespace=ns-1');
    expect(named.note).toMatch(/--namespace=ns-1: the text's Service is in the suite's namespace/);
    expect(minikubeLine('minikube service web -n shop --url', 'ns-1')).toEqual({ line: 'minikube service web -n shop --url' });
    expect(minikubeLine('minikube status', 'ns-1')).toEqual({ line: 'minikube status' });
    expect(minikubeLine('minikube service list', 'ns-1').line).toBe('minikube service list --namespace=ns-1');
  });

  test("the tunnel table of macOS's docker driver is left out of the comparison, and the note says why", () => {
    const shown = [
      '🏃  Starting tunnel for service my-first-service.',
      '|-----------|------------------|-------------|------------------------|',
      '| NAMESPACE |       NAME       | TARGET PORT |          URL           |',
      '| default   | my-first-service |             | http://127.0.0.1:53157 |',
      'http://127.0.0.1:53157',
      '❗  Because you are using a Docker driver on darwin, the terminal needs to be open to run it.',
    ];
    const r = withoutTunnelTable(cmd('minikube service my-first-service --url', shown));
    expect(r.command.output).toEqual(['http://127.0.0.1:53157']);
    expect(r.note).toMatch(/only where the node is not reachable/);
    // Nothing to leave out: the command as it was, no note.
    const plain = cmd('minikube service my-first-service --url', ['http://192.168.49.2:30000']);
    expect(withoutTunnelTable(plain)).toEqual({ command: plain });
    const other = cmd('minikube status', ['| x |']);
    expect(withoutTunnelTable(other)).toEqual({ command: other });
  });

  test("the text's profile name is the run's in what minikube prints; nothing to map for the profile minikube or other commands", () => {
    expect(minikubeNames(cmd('minikube status'), 'tutorial-e2e')).toEqual(new Map([['minikube', 'tutorial-e2e']]));
    expect(minikubeNames(cmd('minikube status'), 'minikube')).toBeUndefined();
    expect(minikubeNames(cmd('kubectl describe pod x'), 'tutorial-e2e')).toBeUndefined();
    // `minikube version: v1.12.3` names the program, not the profile.
    expect(minikubeNames(cmd('minikube version'), 'tutorial-e2e')).toBeUndefined();
    expect(minikubeNames(cmd('minikube status'), undefined)).toBeUndefined();
  });

  test('the URLs printed, one per line, and nothing else', () => {
    expect(urlsIn('* Starting\nhttp://10.230.0.200:30000\n  https://x:1/a \nnot http://y\n')).toEqual(['http://10.230.0.200:30000', 'https://x:1/a']);
    expect(urlsIn('')).toEqual([]);
  });
});
