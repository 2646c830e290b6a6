// Format rules on tiny invented tutorials: the cases the real sources do not
// exercise (list-item edits, multi-document YAML, `# <1>` callouts, Markdown
// without front matter, the folder rule).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { allEdits, allManifests, manifestAfterEdits, readTutorial, tutorialFilesIn } from './index.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tutorial-invented-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let counter = 0;
function folder(files: Record<string, string>): string {
  counter += 1;
  const dir = path.join(tmp, `case-${counter}`);
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const deployment = ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', 'spec:', '  replicas: 2'];

describe('AsciiDoc', () => {
  it('recognises an edit asked for in a list item and applies it', () => {
    const dir = folder({
      'lab.adoc': ['= Lab', '', '== Scale', '', '[source,yaml]', '.web.yaml', '----', ...deployment, '----', '', '. Apply it', '. Then change `replicas` to 5 and apply', ''].join('\n'),
    });
    const tutorial = readTutorial(dir);
    expect(allEdits(tutorial)).toEqual([
      expect.objectContaining({ change: 'set-replicas', replicas: 5, target: 'lab/scale/1', source: { file: 'lab.adoc', line: 17 } }),
    ]);
    expect(manifestAfterEdits(tutorial, 'lab/scale/1')[0]?.['spec']).toEqual({ replicas: 5 });
  });

  it('strips `# <1>` callouts and reads multi-document blocks', () => {
    const dir = folder({
      'lab.adoc': ['= Lab', '', '== Both', '', '[source,yaml]', '----', 'apiVersion: v1 # <1>', 'kind: ConfigMap', 'metadata:', '  name: a', '---', 'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: b <2>', '----', ''].join('\n'),
    });
    const [manifest] = allManifests(readTutorial(dir));
    expect(manifest?.objects.map((o) => o.metadata.name)).toEqual(['a', 'b']);
    expect(manifest?.text).toBe('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n');
  });
});

describe('Markdown', () => {
  it('takes a single leading # as the title and ## as level-1 sections', () => {
    const dir = folder({ 'guide.md': ['# Guide', '', '## Deploy', '', '```yaml', ...deployment, '```', ''].join('\n') });
    const [document] = readTutorial(dir).documents;
    expect(document?.title).toBe('Guide');
    expect(document?.sections.map((s) => [s.title, s.level, s.anchor, s.key])).toEqual([['Deploy', 1, 'deploy', 'guide/deploy']]);
    expect(allManifests(readTutorial(dir))[0]?.key).toBe('guide/deploy/1');
  });

  it('puts blocks before the first heading in a level-0 preamble section', () => {
    const dir = folder({ 'notes.md': ['```yaml', ...deployment, '```', ''].join('\n') });
    const [section] = readTutorial(dir).documents[0]?.sections ?? [];
    expect([section?.key, section?.level, section?.headingPath]).toEqual(['notes/preamble', 0, []]);
  });
});

describe('folder rule', () => {
  it('prefers AsciiDoc over Markdown, reads the top level only, and skips README-style files', () => {
    const withAdoc = folder({ 'a.adoc': '= A\n', 'README.md': '# R\n', 'b.md': '# B\n', 'sub/c.adoc': '= C\n' });
    expect(tutorialFilesIn(withAdoc)).toEqual(['a.adoc']);
    const markdownOnly = folder({ 'README.md': '# R\n', 'CHANGELOG.md': '# C\n', 'part2.md': '# 2\n', 'part1.markdown': '# 1\n' });
    expect(tutorialFilesIn(markdownOnly)).toEqual(['part1.markdown', 'part2.md']);
  });
});
