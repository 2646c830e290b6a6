// A bad block fails only its section: it is listed in Tutorial.problems (with
// file:line, the section's key, and the fix when known) and left out of the
// blocks, while the rest of the source is read as usual. Strict mode throws it,
// as the reader did before. The fixtures are tiny invented tutorials written to
// a temporary folder.
import { describe, expect, it } from '@jest/globals';
import {
  TutorialSourceError,
  allBlocks,
  allEdits,
  allManifests,
  editsFor,
  findSection,
  imagesOf,
  manifestAfterEdits,
  problemsIn,
  readTutorial,
  type BlockProblem,
  type TranscriptBlock,
} from './index.js';
import { scratchFolders } from './test-folders.js';

const { folder } = scratchFolders('tutorial-problems-');


function strictError(dir: string): TutorialSourceError {
  try {
    readTutorial(dir, { strict: true });
  } catch (error) {
    expect(error).toBeInstanceOf(TutorialSourceError);
    return error as TutorialSourceError;
  }
  throw new Error(`expected ${dir} to be rejected in strict mode`);
}

const configMap = (name: string): string[] => ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', `  name: ${name}`, 'data:', '  greeting: hello'];
const deployment = (image: string): string[] => [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: web',
  'spec:',
  '  replicas: 2',
  '  selector:',
  '    matchLabels: { app: web }',
  '  template:',
  '    metadata:',
  '      labels: { app: web }',
  '    spec:',
  '      containers:',
  '      - name: nginx',
  `        image: ${image}`,
];
const service = (type: string): string[] => ['apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', `  type: ${type}`, '  ports:', '  - port: 80'];

/** An AsciiDoc lab: two manifests in "Deploy" (the first one given), then a "Scale" section editing the second. */
function twoManifestLab(firstBlock: string[]): string {
  return [
    '= Lab', // 1
    '', // 2
    '== Deploy', // 3
    '', // 4
    '[source,yaml]', // 5
    '.first.yaml', // 6
    '----', // 7
    ...firstBlock, // 8...
    '----',
    '',
    '[source,yaml]',
    '.web.yaml',
    '----',
    ...deployment('nginx:1.20'),
    '----',
    '',
    '== Scale',
    '',
    'Then change `replicas` to 5 in `web.yaml` and apply it again.',
    '',
  ].join('\n');
}

describe('a manifest block with invalid YAML', () => {
  const broken = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: first', 'data:', '  greeting: "unclosed', '  other: x'];
  const dir = folder({ 'lab.adoc': twoManifestLab(broken) });
  const fixed = folder({ 'lab.adoc': twoManifestLab(configMap('first')) });
  const tutorial = readTutorial(dir);

  it('is one problem with its file:line, section key, kind, fix and the key it would have had', () => {
    expect(tutorial.problems).toEqual([
      {
        file: 'lab.adoc',
        line: 14,
        sectionKey: 'lab/deploy',
        problem: expect.stringMatching(/^invalid YAML in manifest block "first\.yaml": /) as unknown as string,
        fix: expect.stringContaining('correct the YAML') as unknown as string,
        blockKind: 'manifest',
        key: 'lab/deploy/1',
      } satisfies BlockProblem,
    ]);
  });

  it('is left out of the blocks, while the other manifest keeps its usual key', () => {
    expect(allManifests(tutorial).map((m) => `${m.key} ${m.source.line}`)).toEqual(['lab/deploy/2 20']);
    expect(allManifests(readTutorial(fixed)).map((m) => m.key)).toEqual(['lab/deploy/1', 'lab/deploy/2']);
    expect(findSection(tutorial, { key: 'lab/deploy' })?.blocks.map((b) => b.kind)).toEqual(['manifest']);
  });

  it('fails only its section: the next section reads and applies its edit', () => {
    expect(problemsIn(tutorial, 'lab/deploy')).toEqual(tutorial.problems);
    expect(problemsIn(tutorial, 'lab/scale')).toEqual([]);
    expect(editsFor(tutorial, 'lab/deploy/2')).toEqual([expect.objectContaining({ change: 'set-replicas', replicas: 5, sectionKey: 'lab/scale' })]);
    expect(manifestAfterEdits(tutorial, 'lab/deploy/2')[0]?.['spec']).toMatchObject({ replicas: 5 });
  });

  it('in strict mode throws the same message as before', () => {
    const error = strictError(dir);
    expect(error.message).toMatch(/^lab\.adoc:14: invalid YAML in manifest block "first\.yaml": /);
    expect([error.file, error.line, error.fix]).toEqual(['lab.adoc', 14, tutorial.problems[0]?.fix]);
    expect(error.cause).toBeDefined();
  });

  it('keeps the keys of a section named after its first manifest (non-ASCII title) stable', () => {
    const lab = (first: string[]): string =>
      ['= Lab', '', '== 設定', '', '[source,yaml]', '----', ...first, '----', '', '[source,yaml]', '----', ...configMap('second'), '----', ''].join('\n');
    const good = allManifests(readTutorial(folder({ 'lab.adoc': lab(configMap('first')) }))).map((m) => m.key);
    const bad = readTutorial(folder({ 'lab.adoc': lab(broken) }));
    expect(good).toEqual(['lab/configmap-first/1', 'lab/configmap-first/2']);
    expect(allManifests(bad).map((m) => m.key)).toEqual(['lab/configmap-first/2']);
    expect(bad.problems.map((p) => [p.sectionKey, p.key])).toEqual([['lab/configmap-first', 'lab/configmap-first/1']]);
  });
});

describe('a manifest without metadata.name', () => {
  it('is a problem of its section naming the missing field; the source is still read', () => {
    const dir = folder({
      'walk.md': ['# Walk', '', '## Settings', '', '```yaml', 'apiVersion: v1', 'kind: ConfigMap', 'data:', '  a: b', '```', '', '## Later', '', '```yaml', ...configMap('later'), '```', ''].join('\n'),
    });
    const tutorial = readTutorial(dir);
    expect(tutorial.problems).toEqual([
      expect.objectContaining({
        file: 'walk.md',
        line: 6,
        sectionKey: 'walk/settings',
        blockKind: 'manifest',
        key: 'walk/settings/1',
        fix: 'add metadata.name to the manifest',
      }),
    ]);
    expect(tutorial.problems[0]?.problem).toContain('missing metadata.name');
    expect(allManifests(tutorial).map((m) => m.key)).toEqual(['walk/later/1']);
    expect(strictError(dir).message).toMatch(/^walk\.md:6: untitled manifest block is missing metadata\.name: /);
  });

  it('does not make a source whose only manifest is broken "a source with no manifests"', () => {
    const dir = folder({ 'walk.md': ['# Walk', '', '```yaml', 'apiVersion: v1', 'kind: ConfigMap', '```', ''].join('\n') });
    const tutorial = readTutorial(dir);
    expect(allManifests(tutorial)).toEqual([]);
    expect(tutorial.problems.map((p) => `${p.file}:${p.line} ${p.blockKind}`)).toEqual(['walk.md:4 manifest']);
  });
});

describe('an image edit whose old image is not in the manifest', () => {
  it('is a problem of the section asking for it, naming the image the manifest has', () => {
    const dir = folder({
      'lab.adoc': [
        '= Lab', // 1
        '', // 2
        '== Deploy', // 3
        '', // 4
        '[source,yaml]', // 5
        '.web.yaml', // 6
        '----', // 7
        ...deployment('nginx:1.19'), // 8-22
        '----', // 23
        '', // 24
        '== Update', // 25
        '', // 26
        'Now change `image: nginx:1.20` to `image: nginx:1.21` in `web.yaml`.', // 27
        '', // 28
      ].join('\n'),
    });
    const tutorial = readTutorial(dir);
    expect(tutorial.problems).toEqual([
      expect.objectContaining({ file: 'lab.adoc', line: 27, sectionKey: 'lab/update', blockKind: 'edit' }),
    ]);
    const [problem] = tutorial.problems;
    expect(problem).not.toHaveProperty('key');
    expect(problem?.problem).toContain('no manifest shown earlier in this document uses image `nginx:1.20`');
    expect(problem?.problem).toContain('the manifest it most likely means, lab/deploy/1 (lab.adoc:8), has `nginx:1.19` at this point');
    expect(problem?.fix).toMatch(/^make the sentence and the manifest agree: either the sentence's old value becomes `nginx:1\.19`/);
    // The manifest is read as written; no edit is recorded or applied.
    expect(problemsIn(tutorial, 'lab/deploy')).toEqual([]);
    expect(allEdits(tutorial)).toEqual([]);
    expect(imagesOf(manifestAfterEdits(tutorial, 'lab/deploy/1'))).toEqual(['nginx:1.19']);
    expect(strictError(dir).message).toMatch(/^lab\.adoc:27: the text asks for an edit \("Now change `image: nginx:1\.20`/);
  });

  it('in a transcript comment: a problem at the comment line, and the transcript stays whole', () => {
    const dir = folder({
      'lab.adoc': [
        '= Lab', // 1
        '', // 2
        '== Rolling update', // 3
        '', // 4
        '[source,yaml]', // 5
        '.web.yaml', // 6
        '----', // 7
        ...deployment('nginx:1.19'), // 8-22
        '----', // 23
        '', // 24
        '....', // 25
        '$ kubectl apply -f web.yaml', // 26
        '# `image: nginx:1.20` を `image: nginx:1.21` に書き換えてください', // 27
        '$ vim web.yaml', // 28
        '$ kubectl apply -f web.yaml', // 29
        '....', // 30
        '',
      ].join('\n'),
    });
    const tutorial = readTutorial(dir);
    expect(tutorial.problems.map((p) => `${p.file}:${p.line} ${p.sectionKey} ${p.blockKind}`)).toEqual(['lab.adoc:27 lab/rolling-update edit']);
    const transcripts = allBlocks(tutorial).filter((b): b is TranscriptBlock => b.kind === 'transcript');
    expect(transcripts.map((t) => t.commands.map((c) => c.text))).toEqual([
      ['kubectl apply -f web.yaml', 'vim web.yaml', 'kubectl apply -f web.yaml'],
    ]);
  });

  it('a replicas edit whose stated old count differs from the manifest is a problem too', () => {
    const dir = folder({
      'walk.md': ['# Walk', '', '```yaml:web.yaml', ...deployment('nginx:1.19'), '```', '', '`replicas: 3` -> `replicas: 4` に変更して apply します。', ''].join('\n'),
    });
    const [problem] = readTutorial(dir).problems;
    expect(problem).toMatchObject({ file: 'walk.md', line: 21, blockKind: 'edit' });
    expect(problem?.problem).toContain('declares `spec.replicas` as 3');
    expect(problem?.problem).toContain('has `replicas: 2`');
  });

  it('names the unreadable manifest it most likely meant', () => {
    const dir = folder({
      'walk.md': ['# Walk', '', '```yaml:web.yaml', ...deployment('nginx:1.20'), '  bad: [', '```', '', 'change `image: nginx:1.20` to `image: nginx:1.21`', ''].join('\n'),
    });
    const { problems } = readTutorial(dir);
    expect(problems.map((p) => `${p.line} ${p.blockKind}`)).toEqual(['19 manifest', '22 edit']);
    expect(problems[1]?.problem).toContain('the manifest block at walk.md:4 could not be read');
  });
});

describe('a "replace the file" request', () => {
  const head = ['= Lab', '', '== Service', '', '[source,yaml]', '.web-service.yaml', '----', ...service('ClusterIP'), '----', '', '== NodePort', ''];

  it('with no block after it is a problem of its section', () => {
    const dir = folder({
      'lab.adoc': [...head, '`web-service.yaml` を以下のように書き換えてください。', '', '== Next', '', 'Done.', ''].join('\n'),
    });
    const tutorial = readTutorial(dir);
    expect(tutorial.problems).toEqual([
      expect.objectContaining({ file: 'lab.adoc', line: 20, sectionKey: 'lab/nodeport', blockKind: 'edit' }),
    ]);
    expect(tutorial.problems[0]?.problem).toMatch(/asks to replace a file .* but a heading \(line 22\) comes before any block/);
    expect(problemsIn(tutorial, 'lab/next')).toEqual([]);
    expect(allEdits(tutorial)).toEqual([]);
  });

  it('at the end of the document, or followed by a block that is not a manifest, is a problem too', () => {
    const atEnd = folder({ 'lab.adoc': [...head, 'Rewrite `web-service.yaml` as follows:', ''].join('\n') });
    expect(readTutorial(atEnd).problems[0]?.problem).toContain('the document ends before any block');
    const notYaml = folder({ 'lab.adoc': [...head, 'Rewrite `web-service.yaml` as follows:', '', '....', 'type: NodePort', '....', ''].join('\n') });
    expect(readTutorial(notYaml).problems[0]?.problem).toContain('but the block after it (line 23) is not a manifest, so it holds no new content for `web-service.yaml`');
  });

  it('whose block replaces no earlier file: a problem, and the block is still read as a manifest', () => {
    const dir = folder({
      'lab.adoc': [...head, 'Rewrite `other.yaml` as follows:', '', '[source,yaml]', '----', ...configMap('other'), '----', ''].join('\n'),
    });
    const tutorial = readTutorial(dir);
    expect(tutorial.problems.map((p) => `${p.line} ${p.sectionKey} ${p.blockKind}`)).toEqual(['20 lab/nodeport edit']);
    expect(tutorial.problems[0]?.problem).toContain('no manifest shown earlier in this document is saved as `other.yaml` or declares ConfigMap other');
    expect(allManifests(tutorial).map((m) => m.key)).toEqual(['lab/service/1', 'lab/nodeport/1']);
  });

  it('followed by its block is still a replacement, with no problem', () => {
    const dir = folder({
      'lab.adoc': [...head, '`web-service.yaml` を以下のように書き換えてください。', '', '[source,yaml]', '----', ...service('NodePort'), '----', ''].join('\n'),
    });
    const tutorial = readTutorial(dir);
    expect(tutorial.problems).toEqual([]);
    expect(allEdits(tutorial)).toEqual([expect.objectContaining({ change: 'replace-file', target: 'lab/service/1', replacement: 'lab/nodeport/1' })]);
  });
});

describe('what is not a reader problem', () => {
  it('a kind typo (`kind: Pdo`) is valid YAML and a valid object: read as a manifest, left to the API server', () => {
    const dir = folder({
      'walk.md': ['# Walk', '', '```yaml:pod.yaml', 'apiVersion: v1', 'kind: Pdo', 'metadata:', '  name: web', 'spec:', '  containers:', '  - name: nginx', '    image: nginx:1.21', '```', ''].join('\n'),
    });
    const tutorial = readTutorial(dir);
    expect(tutorial.problems).toEqual([]);
    expect(allManifests(tutorial).map((m) => [m.key, m.objects[0]?.kind])).toEqual([['walk/preamble/1', 'Pdo']]);
    expect(() => readTutorial(dir, { strict: true })).not.toThrow();
  });
});

describe('a YAML alias bomb', () => {
  it('is refused as a problem of its block, without expanding it', () => {
    const laughs = ['  a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i += 1) laughs.push(`  a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
    const dir = folder({ 'walk.md': ['# Walk', '', '## Bomb', '', '```yaml', ...configMap('bomb').slice(0, 4), 'data:', ...laughs, '```', ''].join('\n') });
    const tutorial = readTutorial(dir);
    expect(tutorial.problems.map((p) => `${p.file}:${p.line} ${p.sectionKey} ${p.blockKind} ${String(p.key)}`)).toEqual(['walk.md:6 walk/bomb manifest walk/bomb/1']);
    expect(tutorial.problems[0]?.problem).toMatch(/expands to more than 100000 YAML values/);
  });
});

describe('strict mode', () => {
  it('throws the first block problem in reading order, across documents', () => {
    const dir = folder({
      'a.md': ['# A', '', '```yaml', ...configMap('fine'), '```', '', 'change `image: nginx:1.20` to `image: nginx:1.21`', ''].join('\n'),
      'b.md': ['# B', '', '```yaml', 'kind: ConfigMap', '```', ''].join('\n'),
    });
    const { problems } = readTutorial(dir);
    expect(problems.map((p) => `${p.file}:${p.line} ${p.blockKind}`)).toEqual(['a.md:12 edit', 'b.md:4 manifest']);
    expect(strictError(dir).message).toMatch(/^a\.md:12: the text asks for an edit/);
  });
});

describe('problemsIn', () => {
  const dir = folder({
    'lab.adoc': ['= Lab', '', '== Part', '', '=== Step', '', '[source,yaml]', '----', 'kind: ConfigMap', '----', '', '== Other', ''].join('\n'),
  });
  const tutorial = readTutorial(dir, { requireManifests: false });

  it('returns the problems of the section, and with includeSubsections those of the sections nested in it', () => {
    expect(problemsIn(tutorial, 'lab/step').map((p) => p.line)).toEqual([9]);
    expect(problemsIn(tutorial, 'lab/part')).toEqual([]);
    expect(problemsIn(tutorial, 'lab/part', { includeSubsections: true }).map((p) => p.line)).toEqual([9]);
    expect(problemsIn(tutorial, 'lab/other', { includeSubsections: true })).toEqual([]);
  });

  it('throws for a key that is no section, listing the keys', () => {
    expect(() => problemsIn(tutorial, 'lab/nope')).toThrow(/no section lab\/nope in case-\d+; keys are:\n {2}lab\/part\n {2}lab\/step\n {2}lab\/other/);
  });
});
