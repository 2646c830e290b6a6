// The reader against the three real sources. Expected values come from the
// inventory in ../shared/notes/tutorial-map.md §3 (and §7 for the blog).
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import {
  allEdits,
  allManifests,
  editsFor,
  findCommands,
  findManifests,
  findSection,
  getManifest,
  imagesOf,
  manifestAfterEdits,
  readTutorial,
  sectionOf,
  type ChangeImageEdit,
  type ManifestBlock,
  type Tutorial,
} from './index.js';
import { sources } from './test-paths.js';

const head = readTutorial(sources.cybozuHead);
const old = readTutorial(sources.cybozu2020);
const blog = readTutorial(sources.blog);

const INTRO = 'introduction-to-kubernetes.adoc';
const MORE = 'more-introduction-to-kubernetes.adoc';

function only(tutorial: Tutorial, filter: Parameters<typeof findManifests>[1]): ManifestBlock {
  const found = findManifests(tutorial, filter);
  expect(found).toHaveLength(1);
  return found[0] as ManifestBlock;
}

describe.each([
  ['cybozu@b3e9c28', head],
  ['cybozu@b2a7ea4', old],
  ['blog', blog],
])('every manifest of %s', (_name, tutorial) => {
  it('has apiVersion, kind, metadata.name and a source line inside the tutorial file', () => {
    const manifests = allManifests(tutorial);
    expect(manifests.length).toBeGreaterThan(0);
    for (const manifest of manifests) {
      expect(manifest.objects.length).toBe(1);
      for (const object of manifest.objects) {
        expect(typeof object.apiVersion).toBe('string');
        expect(typeof object.kind).toBe('string');
        expect(object.metadata.name).toMatch(/^[a-z0-9-]+$/);
      }
      expect(manifest.source.line).toBeGreaterThan(1);
      expect(tutorial.documents.map((d) => d.file)).toContain(manifest.source.file);
      expect(manifest.text).not.toMatch(/<\d+>/);
    }
  });

  it('has no block problems, so strict mode reads it the same', () => {
    expect(tutorial.problems).toEqual([]);
  });

  it('has a unique, ASCII, path-safe key made of document/section/position', () => {
    const keys = allManifests(tutorial).map((m) => m.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const manifest of allManifests(tutorial)) {
      expect(manifest.key).toMatch(/^[a-z0-9-]+\/[a-z0-9-]+\/[1-9]\d*$/);
      expect(manifest.key.endsWith(`/${manifest.index}`)).toBe(true);
      expect(manifest.key.startsWith(`${manifest.sectionKey}/`)).toBe(true);
    }
  });
});

describe('Cybozu course at HEAD (b3e9c28)', () => {
  it('is named after its folder and reads the .adoc files only (not README.md, not manifests/)', () => {
    expect(head.name).toBe('cybozu-introduction-to-kubernetes@b3e9c28');
    expect(head.documents.map((d) => d.file)).toEqual(['exercise.adoc', 'index.adoc', INTRO, MORE]);
    expect(head.documents.every((d) => d.format === 'asciidoc')).toBe(true);
  });

  it('finds 6 manifests in the intro (NodePort Service included) and 5 in More', () => {
    expect(findManifests(head, { documentFile: INTRO })).toHaveLength(6);
    expect(findManifests(head, { documentFile: MORE })).toHaveLength(5);
    expect(allManifests(head)).toHaveLength(11);
  });

  it('produces the documented keys in reading order', () => {
    expect(allManifests(head).map((m) => `${m.key} ${m.source.file}:${m.source.line}`)).toEqual([
      `introduction-to-kubernetes/pod-my-first-pod/1 ${INTRO}:95`,
      `introduction-to-kubernetes/pod-bastion/1 ${INTRO}:179`,
      `introduction-to-kubernetes/service-my-first-service/1 ${INTRO}:240`,
      `introduction-to-kubernetes/replicaset-nginx-replicaset/1 ${INTRO}:302`,
      `introduction-to-kubernetes/deployment-nginx-deployment/1 ${INTRO}:409`,
      `introduction-to-kubernetes/service-my-first-service-2/1 ${INTRO}:490`,
      `more-introduction-to-kubernetes/pod-liveness-http/1 ${MORE}:17`,
      `more-introduction-to-kubernetes/resource-requests-limits/1 ${MORE}:66`,
      `more-introduction-to-kubernetes/volume/1 ${MORE}:99`,
      `more-introduction-to-kubernetes/anti-affinity/1 ${MORE}:150`,
      `more-introduction-to-kubernetes/pod-disruption-budget/1 ${MORE}:224`,
    ]);
  });

  it('strips callout markers so values and structure are right', () => {
    const pod = getManifest(head, 'introduction-to-kubernetes/pod-my-first-pod/1');
    expect(pod.objects[0]?.metadata.name).toBe('my-first-pod');
    expect(imagesOf(pod.objects)).toEqual(['nginx:latest']);
    const rs = getManifest(head, 'introduction-to-kubernetes/replicaset-nginx-replicaset/1');
    expect(rs.objects[0]?.['spec']).toMatchObject({ replicas: 3, selector: { matchLabels: { component: 'nginx' } } });
    const volume = getManifest(head, 'more-introduction-to-kubernetes/volume/1');
    expect(imagesOf(volume.objects)).toEqual(['nginx:1.16', 'my-fluentd:1.6.0.1']);
    expect(volume.objects[0]?.['spec']).toMatchObject({ volumes: [{ name: 'nginx-log', emptyDir: {} }] });
  });

  it('keeps the three blocks titled nginx-pod.yaml as three manifests with distinct keys', () => {
    const titled = findManifests(head, { filename: 'nginx-pod.yaml' });
    expect(titled.map((m) => m.key)).toEqual([
      'introduction-to-kubernetes/pod-my-first-pod/1',
      'more-introduction-to-kubernetes/resource-requests-limits/1',
      'more-introduction-to-kubernetes/volume/1',
    ]);
    expect(titled.map((m) => m.objects[0]?.metadata.name)).toEqual(['my-first-pod', 'nginx', 'nginx']);
  });

  it('finds the NodePort Service in the untitled literal block and ties it to nginx-service.yaml', () => {
    const nodePort = only(head, { kind: 'Service', sectionTitle: 'サービスをクラスタの外部に公開する' });
    expect(nodePort.origin).toBe('literal-block');
    expect(nodePort.title).toBeUndefined();
    expect(nodePort.filename).toBe('nginx-service.yaml');
    expect(nodePort.source).toEqual({ file: INTRO, line: 490 });
    expect(nodePort.objects[0]?.['spec']).toMatchObject({ type: 'NodePort', ports: [{ port: 80, nodePort: 30000 }] });
  });

  it('reads the PDB as policy/v1beta1 with its leftover title', () => {
    const pdb = only(head, { kind: 'PodDisruptionBudget' });
    expect(pdb.objects[0]?.apiVersion).toBe('policy/v1beta1');
    expect(pdb.objects[0]?.metadata.name).toBe('nginx-pdb');
    expect(pdb.title).toBe('frontend-pdb.yaml');
  });

  it('leaves untitled blocks untitled (health check, anti-affinity)', () => {
    expect(only(head, { name: 'liveness-http' }).title).toBeUndefined();
    expect(only(head, { kind: 'Deployment', documentFile: MORE }).title).toBeUndefined();
  });

  it('treats Markdown-style # headings in More as sections, as Asciidoctor does', () => {
    const more = head.documents.find((d) => d.file === MORE);
    expect(more?.title).toBe('More Introduction to Kubernetes');
    expect(more?.sections.map((s) => [s.title, s.level, s.anchor, s.source.line])).toEqual([
      ['ヘルスチェック', 1, '_ヘルスチェック', 4],
      ['Resource Requests/Limits', 1, '_resource_requestslimits', 45],
      ['Volume', 1, '_volume', 88],
      ['Anti Affinity', 1, '_anti_affinity', 139],
      ['Pod Disruption Budget', 1, '_pod_disruption_budget', 198],
    ]);
  });

  it('does not turn `# 確認` comment lines of transcripts into headings', () => {
    const titles = head.documents.flatMap((d) => d.sections.map((s) => s.title));
    expect(titles).not.toContain('確認');
    expect(titles.filter((t) => t.startsWith('#'))).toEqual([]);
    const [get] = findCommands(head, { includes: 'kubectl get service', documentFile: INTRO });
    expect(get?.command.comments).toEqual(['確認']);
    expect(get?.command.source.line).toBe(261);
  });

  it('nests === sections under their == parent in headingPath', () => {
    const service = findSection(head, { anchor: '_service_を使って他の_pod_にアクセスする' });
    expect(service?.headingPath).toEqual(['他の Pod にアクセスする', 'Service を使って他の Pod にアクセスする']);
    expect(service?.level).toBe(2);
    expect(service?.key).toBe('introduction-to-kubernetes/service-my-first-service');
  });

  it('maps a block back to its section', () => {
    const deployment = only(head, { kind: 'Deployment', documentFile: INTRO });
    expect(sectionOf(deployment).title).toBe('ローリングアップデートする');
    expect(sectionOf(deployment).anchor).toBe('_ローリングアップデートする');
  });

  it('recognises the replicas 4 -> 3 edits in the prose, in order, against the ReplicaSet', () => {
    const key = 'introduction-to-kubernetes/replicaset-nginx-replicaset/1';
    const edits = editsFor(head, key);
    expect(edits.map((e) => [e.change, e.change === 'set-replicas' ? e.replicas : undefined, e.source.line])).toEqual([
      ['set-replicas', 4, 357],
      ['set-replicas', 3, 359],
    ]);
    expect(manifestAfterEdits(head, key, { through: edits[0] })[0]?.['spec']).toMatchObject({ replicas: 4 });
    expect(manifestAfterEdits(head, key)[0]?.['spec']).toMatchObject({ replicas: 3 });
  });

  it('recognises the image edit in the transcript comment and places it before `vim`', () => {
    const key = 'introduction-to-kubernetes/deployment-nginx-deployment/1';
    const [edit] = editsFor(head, key);
    expect(edit).toMatchObject({ change: 'change-image', from: 'nginx:1.20', to: 'nginx:1.21', source: { file: INTRO, line: 442 } });
    const blocks = sectionOf(edit as ChangeImageEdit).blocks;
    const after = blocks[blocks.indexOf(edit as ChangeImageEdit) + 1];
    expect(after?.kind === 'transcript' ? after.commands[0] : undefined).toMatchObject({
      text: 'vim nginx-deployment.yaml',
      editsFile: 'nginx-deployment.yaml',
    });
  });

  it('records the NodePort rewrite as a whole-file replacement of the first nginx-service.yaml', () => {
    const replacements = allEdits(head).filter((e) => e.change === 'replace-file');
    expect(replacements).toEqual([
      expect.objectContaining({
        target: 'introduction-to-kubernetes/service-my-first-service/1',
        replacement: 'introduction-to-kubernetes/service-my-first-service-2/1',
        filename: 'nginx-service.yaml',
        source: { file: INTRO, line: 487 },
      }),
    ]);
    const after = manifestAfterEdits(head, 'introduction-to-kubernetes/service-my-first-service/1');
    expect(after[0]?.['spec']).toMatchObject({ type: 'NodePort' });
  });

  it('recognises exactly these edits (nothing from NOTE lists or result sentences)', () => {
    expect(allEdits(head).map((e) => `${e.change}@${e.source.line}`)).toEqual([
      'set-replicas@357',
      'set-replicas@359',
      'change-image@442',
      'replace-file@487',
    ]);
  });
});

describe('transcripts in the Cybozu course', () => {
  it('reads `(bastion)# curl ...` as a command inside pod bastion, entered by the exec before it', () => {
    const [curl] = findCommands(head, { where: 'pod', includes: 'curl -i http://my-first-service/' });
    expect(curl?.command).toMatchObject({
      prompt: '(bastion)# ',
      text: 'curl -i http://my-first-service/',
      context: { where: 'pod', pod: 'bastion', enteredPod: 'bastion', enteredAt: { file: INTRO, line: 268 } },
      output: ['HTTP/1.1 200 OK', '...'],
      source: { file: INTRO, line: 269 },
    });
    const exec = curl?.transcript.commands[0];
    expect(exec).toMatchObject({ text: 'kubectl exec -it bastion -- bash', context: { where: 'host' }, opensShell: { pod: 'bastion', shell: 'bash' } });
  });

  it('lists every in-pod command of the intro with its pod', () => {
    expect(findCommands(head, { where: 'pod' }).map(({ command }) => `${command.context.where === 'pod' ? command.context.pod : ''}: ${command.text}`)).toEqual([
      'my-first-pod: curl -i localhost:80',
      'bastion: apt update && apt install -y curl',
      'bastion: curl -i http://172.17.0.5/',
      'bastion: curl -i http://my-first-service/',
    ]);
  });

  it('keeps the output lines shown after a command', () => {
    const [get] = findCommands(head, { includes: 'kubectl get pod -o wide' });
    expect(get?.command.output).toHaveLength(3);
    expect(get?.command.output[0]).toMatch(/^NAME\s+READY\s+STATUS/);
  });

  it('finds no commands in More, which has none', () => {
    expect(findCommands(head, { documentFile: MORE })).toEqual([]);
  });

  it('in 2020 (b2a7ea4) also installed curl in my-first-pod', () => {
    expect(findCommands(old, { pod: 'my-first-pod' }).map(({ command }) => command.text)).toEqual([
      'apt update && apt install -y curl',
      'curl -i localhost:80',
    ]);
  });
});

describe('the two Cybozu commits', () => {
  it('differ in the bastion image: debian:stable at HEAD, debian:stretch in 2020', () => {
    expect(imagesOf(only(head, { name: 'bastion' }).objects)).toEqual(['debian:stable']);
    expect(imagesOf(only(old, { name: 'bastion' }).objects)).toEqual(['debian:stretch']);
  });

  it('differ in the Deployment images: 1.20 -> 1.21 at HEAD, 1.15 -> 1.16 in 2020 (via the recognised edit)', () => {
    for (const [tutorial, from, to] of [
      [head, 'nginx:1.20', 'nginx:1.21'],
      [old, 'nginx:1.15', 'nginx:1.16'],
    ] as const) {
      const deployment = only(tutorial, { kind: 'Deployment', documentFile: INTRO });
      expect(imagesOf(deployment.objects)).toEqual([from]);
      expect(editsFor(tutorial, deployment.key)).toEqual([expect.objectContaining({ change: 'change-image', from, to })]);
      expect(imagesOf(manifestAfterEdits(tutorial, deployment.key))).toEqual([to]);
    }
  });

  it('both carry the NodePort Service (type NodePort, nodePort 30000)', () => {
    for (const tutorial of [head, old]) {
      const nodePort = findManifests(tutorial, { kind: 'Service' }).filter((m) => m.origin === 'literal-block');
      expect(nodePort).toHaveLength(1);
      expect(nodePort[0]?.objects[0]?.['spec']).toMatchObject({ type: 'NodePort', ports: [{ nodePort: 30000 }] });
    }
  });

  it('share the same keys', () => {
    expect(allManifests(old).map((m) => m.key)).toEqual(allManifests(head).map((m) => m.key));
  });
});

describe('blog walkthrough', () => {
  const ARTICLE = 'article.md';

  it('is read from its folder, named after it, with the front-matter title', () => {
    expect(blog.name).toBe('blog-walkthrough');
    expect(blog.documents.map((d) => [d.file, d.format])).toEqual([[ARTICLE, 'markdown']]);
    expect(blog.documents[0]?.title).toMatch(/^サイボウズ新人研修/);
    expect(readTutorial(path.join(sources.blog, ARTICLE)).documents[0]?.file).toBe(ARTICLE);
  });

  it('finds its 11 yaml:FILE fences, titled by file name', () => {
    expect(allManifests(blog).map((m) => `${m.key} ${String(m.title)} ${m.source.line}`)).toEqual([
      'article/pod-my-first-pod/1 nginx-pod.yaml 93',
      'article/pod-bastion/1 bastion.yaml 159',
      'article/service-my-first-service/1 nginx-service.yaml 215',
      'article/replicaset-nginx-replicaset/1 nginx-replicaset.yaml 267',
      'article/deployment-nginx-deployment/1 nginx-deployment.yaml 394',
      'article/service-my-first-service-2/1 nginx-service.yaml 493',
      'article/pod-sample-healthcheck/1 sample-healthcheck.yaml 619',
      'article/resource-requests-limits/1 sample-resource.yaml 702',
      'article/volume/1 sample-volume.yaml 745',
      'article/anti-affinity/1 sample-affinity.yaml 827',
      'article/pod-disruption-budget/1 frontend-pdb.yaml 903',
    ]);
  });

  it('has the 2020 images and its own samples', () => {
    expect(imagesOf(only(blog, { name: 'bastion' }).objects)).toEqual(['debian:stretch']);
    expect(imagesOf(only(blog, { name: 'sample-healthcheck' }).objects)).toEqual(['nginx:1.12']);
    expect(imagesOf(only(blog, { filename: 'sample-volume.yaml' }).objects)).toEqual(['nginx:1.16', 'fluent/fluentd:v1.11']);
    expect(only(blog, { kind: 'PodDisruptionBudget' }).objects[0]?.apiVersion).toBe('policy/v1beta1');
  });

  it('recognises its edits: replicas 3 -> 4, image 1.15 -> 1.16, and the second nginx-service.yaml as a replacement', () => {
    expect(allEdits(blog).map((e) => ({ change: e.change, target: e.target, line: e.source.line }))).toEqual([
      { change: 'set-replicas', target: 'article/replicaset-nginx-replicaset/1', line: 338 },
      { change: 'change-image', target: 'article/deployment-nginx-deployment/1', line: 437 },
      { change: 'replace-file', target: 'article/service-my-first-service/1', line: 490 },
    ]);
    expect(allEdits(blog)[0]).toMatchObject({ replicas: 4, from: 3 });
    expect(allEdits(blog)[1]).toMatchObject({ from: 'nginx:1.15', to: 'nginx:1.16' });
    const nodePort = getManifest(blog, 'article/service-my-first-service-2/1');
    expect(nodePort.objects[0]?.['spec']).toMatchObject({ type: 'NodePort', ports: [{ nodePort: 30000 }] });
  });

  it('reads bare `kubectl exec` lines as host commands and `root@pod:/#` prompts as in-pod', () => {
    const [login] = findCommands(blog, { includes: 'kubectl exec -it my-first-pod' });
    expect(login?.command).toMatchObject({ prompt: '', context: { where: 'host' }, opensShell: { pod: 'my-first-pod', shell: '/bin/bash' }, source: { line: 136 } });
    expect(findCommands(blog, { where: 'pod' }).map(({ command }) => [command.prompt, command.text, command.source.line])).toEqual([
      ['root@my-first-pod:/# ', 'apt update && apt install -y curl', 139],
      ['root@my-first-pod:/# ', 'curl -i localhost:80', 143],
      ['(bastion)# ', 'apt update && apt install -y curl', 193],
      ['(bastion)# ', 'curl -i http://172.18.0.2/', 194],
      ['root@bastion:/# ', 'curl -i http://my-first-service/', 249],
    ]);
  });

  it('skips the stray shell prompt in the rollout output instead of reading it as output', () => {
    const gets = findCommands(blog, { includes: 'custom-columns' });
    const transcript = gets[1]?.transcript;
    expect(transcript?.skipped).toEqual([
      { line: 464, text: expect.stringMatching(/k8s-sample \$$/) as unknown as string, reason: expect.any(String) as unknown as string },
    ]);
    expect(gets.every(({ command }) => command.output.every((line) => !line.endsWith('$')))).toBe(true);
  });

  it('does not read `# comment` lines inside fences as headings', () => {
    const titles = blog.documents[0]?.sections.map((s) => s.title) ?? [];
    expect(titles).not.toContain('Minikube のインストール');
    expect(titles).toContain('ヘルスチェック');
    expect(titles).toHaveLength(22);
  });
});
