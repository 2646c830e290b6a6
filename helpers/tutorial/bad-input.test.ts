// Broken sources must fail with one TutorialSourceError naming file:line and,
// where we know it, the fix. A broken block (bad YAML, a manifest without a name,
// an edit that matches no manifest) is instead a problem of its section in
// Tutorial.problems, with the same message; strict mode throws it as before.
// The fixtures are tiny invented tutorials written to a temporary folder.
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { TutorialSourceError, readTutorial, type BlockProblem } from './index.js';
import { scratchFolders } from './test-folders.js';

const { root: tmp, folder } = scratchFolders('tutorial-reader-');


function readError(target: string, options: { strict?: boolean } = {}): TutorialSourceError {
  try {
    readTutorial(target, options);
  } catch (error) {
    expect(error).toBeInstanceOf(TutorialSourceError);
    return error as TutorialSourceError;
  }
  throw new Error(`expected ${target} to be rejected`);
}

/**
 * The one block problem of a source, checked against what strict mode throws for it:
 * the same file, line, problem and fix. The error is returned for message assertions.
 */
function blockProblem(target: string): { problem: BlockProblem; error: TutorialSourceError } {
  const { problems } = readTutorial(target, { requireManifests: false });
  expect(problems).toHaveLength(1);
  const problem = problems[0] as BlockProblem;
  const error = readError(target, { strict: true });
  expect([problem.file, problem.line, problem.problem, problem.fix]).toEqual([error.file, error.line, error.problem, error.fix]);
  return { problem, error };
}

const configMap = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: demo', 'data:', '  greeting: hello'];

describe('unterminated blocks', () => {
  it('AsciiDoc: names the opening delimiter line and the closing delimiter to add', () => {
    const dir = folder({
      'lab.adoc': ['= Lab', '', '== Deploy', '', '[source,yaml]', '.demo.yaml', '----', ...configMap, '', '== Next', 'text'].join('\n'),
    });
    const error = readError(dir);
    expect(error.file).toBe('lab.adoc');
    expect(error.line).toBe(7);
    expect(error.message).toMatch(/^lab\.adoc:7: unterminated listing block/);
    expect(error.fix).toContain('`----`');
  });

  it('AsciiDoc literal block (....) too', () => {
    const dir = folder({ 'lab.adoc': ['= Lab', '', '== Run', '', '....', '$ kubectl get pods', ''].join('\n') });
    const error = readError(dir);
    expect([error.file, error.line]).toEqual(['lab.adoc', 5]);
    expect(error.message).toContain('unterminated literal block');
    expect(error.fix).toContain('`....`');
  });

  it('Markdown: names the line of the opening fence', () => {
    const dir = folder({ 'walk.md': ['# Walk', '', '## Deploy', '', '```yaml:demo.yaml', ...configMap, ''].join('\n') });
    const error = readError(dir);
    expect([error.file, error.line]).toEqual(['walk.md', 5]);
    expect(error.message).toMatch(/^walk\.md:5: unterminated code fence/);
    expect(error.fix).toBe('add a closing "```" line where the block ends');
  });

  it('Markdown: unterminated front matter', () => {
    const error = readError(path.join(folder({ 'walk.md': ['---', 'title: x', '', '# Walk'].join('\n') }), 'walk.md'));
    expect([error.file, error.line]).toEqual(['walk.md', 1]);
    expect(error.message).toContain('front matter');
  });
});

describe('invalid YAML', () => {
  it('AsciiDoc: maps the YAML error line back into the tutorial file (callouts stripped first)', () => {
    const dir = folder({
      'lab.adoc': [
        '= Lab', // 1
        '', // 2
        '== Deploy', // 3
        '', // 4
        '[source,yaml]', // 5
        '----', // 6
        'apiVersion: v1 <1>', // 7
        'kind: ConfigMap', // 8
        'metadata:', // 9
        '  name: demo', // 10
        'data:', // 11
        '  greeting: "unclosed', // 12
        '  other: x', // 13
        '----', // 14
        '<1> the version', // 15
      ].join('\n'),
    });
    const { problem, error } = blockProblem(dir);
    expect(problem).toMatchObject({ sectionKey: 'lab/deploy', blockKind: 'manifest', key: 'lab/deploy/1' });
    // js-yaml notices the unclosed quote at the end of the stream; the line stays inside the block.
    expect([error.file, error.line]).toEqual(['lab.adoc', 13]);
    expect(error.message).toMatch(/^lab\.adoc:13: invalid YAML in untitled manifest block: unexpected end of the stream/);
  });

  it('Markdown: names the file and the exact line of a bad indentation', () => {
    const dir = folder({
      'walk.md': [
        '# Walk', // 1
        '', // 2
        '```yaml:demo.yaml', // 3
        'apiVersion: v1', // 4
        'kind: ConfigMap', // 5
        'metadata:', // 6
        '  name: demo', // 7
        '   labels: {}', // 8: deeper than its sibling
        '```', // 9
      ].join('\n'),
    });
    const { problem, error } = blockProblem(dir);
    expect(problem).toMatchObject({ sectionKey: 'walk/preamble', blockKind: 'manifest' });
    expect(error.file).toBe('walk.md');
    expect(error.line).toBe(8);
    expect(error.message).toMatch(/^walk\.md:8: invalid YAML in manifest block "demo\.yaml": bad indentation/);
  });
});

describe('manifests without identity', () => {
  it('reports which of apiVersion, kind, metadata.name are missing, at the block', () => {
    const dir = folder({
      'walk.md': ['# Walk', '', '```yaml', 'kind: ConfigMap', 'data:', '  a: b', '```', ''].join('\n'),
    });
    const { problem, error } = blockProblem(dir);
    expect(problem.blockKind).toBe('manifest');
    expect([error.file, error.line]).toEqual(['walk.md', 4]);
    expect(error.problem).toContain('missing apiVersion, metadata.name');
    expect(error.fix).toBe('add apiVersion, metadata.name to the manifest');
  });

  it('rejects a YAML block that is a list, not an object', () => {
    const dir = folder({ 'walk.md': ['```yaml', '- a', '- b', '```'].join('\n') });
    expect(blockProblem(dir).error.message).toMatch(/^walk\.md:2: .*YAML list, not a Kubernetes object/);
  });
});

describe('sources that cannot be read', () => {
  it('unknown file type', () => {
    const dir = folder({ 'notes.txt': 'apiVersion: v1\n' });
    const error = readError(path.join(dir, 'notes.txt'));
    expect(error.message).toContain('unsupported file type ".txt"');
    expect(error.fix).toContain('AsciiDoc or Markdown');
  });

  it('a path that does not exist', () => {
    const missing = path.join(tmp, 'no-such-tutorial');
    const error = readError(missing);
    expect(error.message).toBe(`${missing}: no such file or folder\n  fix: ${error.fix ?? ''}`);
    expect(error.fix).toContain('tutorial folder');
  });

  it('a binary or non-UTF-8 file with a tutorial extension', () => {
    const binary = readError(path.join(folder({ 'lab.adoc': Buffer.from([0x3d, 0x20, 0x4c, 0x0a, 0x00, 0x01]) }), 'lab.adoc'));
    expect([binary.file, binary.line]).toEqual(['lab.adoc', 2]);
    expect(binary.problem).toContain('binary file');
    const latin1 = readError(folder({ 'walk.md': Buffer.from('# Caf\xe9\n', 'latin1') }));
    expect(latin1.message).toMatch(/^walk\.md:1: is not UTF-8 text/);
  });

  it('a folder with only repository furniture', () => {
    const dir = folder({ 'README.md': '# Readme\n\n```yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n```\n', LICENSE: 'MIT' });
    expect(readError(dir).problem).toContain('holds no tutorial text');
  });

  it('a source with no manifests', () => {
    const dir = folder({ 'walk.md': ['# Walk', '', '## Run', '', '```', '$ kubectl get pods', '```', ''].join('\n') });
    const error = readError(dir);
    expect(error.file).toBe(dir);
    expect(error.problem).toMatch(/^no Kubernetes manifests found in walk\.md/);
    expect(readTutorial(dir, { requireManifests: false }).documents[0]?.sections[0]?.blocks[0]?.kind).toBe('transcript');
  });

  it('an edit request with no manifest to apply it to (a problem of its section; strict mode throws it)', () => {
    const dir = folder({
      'lab.adoc': ['= Lab', '', '== Scale', '', '次は `replicas` を 5 に書き換えてください。', ''].join('\n'),
    });
    const { problem, error } = blockProblem(dir);
    expect(problem).toMatchObject({ sectionKey: 'lab/scale', blockKind: 'edit' });
    expect(problem).not.toHaveProperty('key');
    expect([error.file, error.line]).toEqual(['lab.adoc', 5]);
    expect(error.problem).toContain('declares `spec.replicas`');
    // Without strict mode, a source with nothing but this request still has no manifests to verify.
    expect(readError(dir).problem).toMatch(/^no Kubernetes manifests found/);
  });
});
