import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTutorial, type Command } from '../tutorial/index.js';
import { sources } from '../tutorial/test-paths.js';
import { claimedKeys, clisOfRun, inventory, whyNotRun } from './accounting.js';

const cmd = (text: string, extra: Partial<Command> = {}): Command => ({
  text,
  prompt: '$ ',
  context: { where: 'host' },
  comments: [],
  output: [],
  source: { file: 'a.md', line: 1 },
  ...extra,
});

describe('accounting for the text', () => {
  test('why a command is not run as typed', () => {
    expect(whyNotRun(cmd('kubectl get pod'))).toBeUndefined();
    expect(whyNotRun(cmd('minikube ip'))).toMatch(/another provider's CLI/);
    expect(whyNotRun(cmd('open http://x:30000/'))).toMatch(/browser/);
    expect(whyNotRun(cmd('kubectl exec -it bastion -- bash', { opensShell: { pod: 'bastion', shell: 'bash' } }))).toMatch(/interactive shell/);
    expect(whyNotRun(cmd('vim nginx-deployment.yaml', { editsFile: 'nginx-deployment.yaml' }))).toMatch(/editor/);
    expect(whyNotRun(cmd('brew install minikube'))).toMatch(/not a kubectl command \(brew\)/);
    // On the minikube provider the reader types minikube's commands too; its dashboard is not verifiable here.
    const minikube = clisOfRun('minikube');
    expect(whyNotRun(cmd('minikube ip'), minikube)).toBeUndefined();
    expect(whyNotRun(cmd('minikube service my-first-service --url'), minikube)).toBeUndefined();
    expect(whyNotRun(cmd('minikube dashboard'), minikube)).toMatch(/not verifiable here \(the dashboard addon's images/);
    expect(whyNotRun(cmd('brew install minikube'), minikube)).toMatch(/not a kubectl command \(brew\)/);
    expect(whyNotRun(cmd('minikube ip'), clisOfRun('kind'))).toMatch(/another provider's CLI/);
    // What the specs run as written.
    expect(whyNotRun(cmd('curl -i localhost', { context: { where: 'pod', pod: 'p' } }))).toBeUndefined();
    expect(whyNotRun(cmd('apt update && apt install -y curl', { context: { where: 'pod', pod: 'p' } }))).toBeUndefined();
    expect(whyNotRun(cmd('kubectl exec -it web rm /usr/share/nginx/html/index.html'))).toBeUndefined();
  });

  test('every manifest and command of a real source is in exactly one section, and every manifest is claimed', () => {
    for (const path of Object.values(sources)) {
      const t = readTutorial(path);
      const inv = inventory(t, claimedKeys(t));
      const manifests = [...inv.values()].flatMap((i) => i.manifests);
      const commands = [...inv.values()].flatMap((i) => i.commands);
      const blocks = t.documents.flatMap((d) => d.sections.flatMap((s) => s.blocks));
      expect(manifests.map((m) => m.key).sort()).toEqual(blocks.flatMap((b) => (b.kind === 'manifest' ? [b.key] : [])).sort());
      expect(commands).toHaveLength(blocks.flatMap((b) => (b.kind === 'transcript' ? b.commands : [])).length);
      expect(manifests.filter((m) => !m.claimed)).toEqual([]);
    }
    const blog = inventory(readTutorial(sources.blog), claimedKeys(readTutorial(sources.blog)));
    expect(blog.get('debugging')?.commands.map((c) => c.text)).toEqual(expect.arrayContaining(['kubectl logs -l component=nginx']));
    expect(blog.get('pod')?.manifests.map((m) => m.key)).toEqual(['article/pod-my-first-pod/1']);
  });

  test('an unreadable manifest is reported in the section that owns its key, not the nearest heading', () => {
    const dir = mkdtempSync(join(tmpdir(), 'accounting-'));
    writeFileSync(
      join(dir, 'course.md'),
      [
        '# Course',
        '',
        '## Pods',
        '',
        '```yaml',
        'apiVersion: v1',
        'kind: Pod',
        'metadata: {name: web',
        '```',
        '',
        '## A bastion',
        '',
        '```yaml',
        'apiVersion: v1',
        'kind: Pod',
        'metadata: {name: bastion}',
        'spec: {containers: [{name: b, image: debian, command: [sleep, infinity]}]}',
        '```',
        '',
      ].join('\n'),
    );
    const t = readTutorial(dir);
    expect(t.problems).toHaveLength(1);
    const key = t.problems[0]?.key ?? '';
    const byHeading = inventory(t, claimedKeys(t));
    const byOwner = inventory(t, claimedKeys(t), new Map([[key, 'pod']]));
    expect([...byHeading.entries()].filter(([, i]) => i.problems.length > 0).map(([id]) => id)).not.toContain('pod');
    expect(byOwner.get('pod')?.problems[0]).toMatch(/^course\.md:\d+: /);
  });
});
