// The pure compare/report logic behind `npm run extract:check`.
import { describe, expect, it } from '@jest/globals';
import { unifiedDiff } from './line-diff.js';
import { compareSnapshots, formatComparison } from './snapshot-diff.js';
import { renderSnapshot } from './snapshot.js';
import { readTutorial } from './index.js';
import { sources } from './test-paths.js';

function index(manifests: Array<{ key: string; source: string; objects: string[] }>, edits: string[]): string {
  const lines = ['# header', 'source: demo', 'manifests:'];
  for (const m of manifests) lines.push(`  - key: ${m.key}`, `    source: ${m.source}`, '    objects:', ...m.objects.map((o) => `      - ${o}`));
  lines.push('edits:', ...edits.map((e) => `  - ${e}`));
  return `${lines.join('\n')}\n`;
}

const podFile = (line: number, image: string) => `# Extracted from demo/a.md:${line}\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: ${image}\n`;

describe('unifiedDiff', () => {
  it('shows deletions before additions with line ranges and context', () => {
    const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].join('\n');
    const after = ['a', 'b', 'c', 'D', 'e', 'f', 'g', 'h'].join('\n');
    expect(unifiedDiff(before, after, { old: 'old', new: 'new' })).toBe(
      ['--- old', '+++ new', '@@ -1,7 +1,7 @@', ' a', ' b', ' c', '-d', '+D', ' e', ' f', ' g', ''].join('\n'),
    );
  });

  it('is empty for equal texts and handles new files', () => {
    expect(unifiedDiff('x\n', 'x\n', { old: 'a', new: 'b' })).toBe('');
    expect(unifiedDiff('', 'x\ny\n', { old: '/dev/null', new: 'b' })).toBe('--- /dev/null\n+++ b\n@@ -0,0 +1,2 @@\n+x\n+y\n');
  });
});

describe('compareSnapshots', () => {
  const committed = new Map([
    ['index.yaml', index([{ key: 'a/web/1', source: 'a.md:10', objects: ['Pod/web (v1)'] }, { key: 'a/old/1', source: 'a.md:30', objects: ['Pod/old (v1)'] }], ['{source: "a.md:20", change: change-image, target: a/web/1, from: "x:1", to: "x:2"}'])],
    ['a/web/1.yaml', podFile(10, 'x:1')],
    ['a/old/1.yaml', podFile(30, 'y:1')],
  ]);

  it('is equal for identical maps', () => {
    const comparison = compareSnapshots(committed, new Map(committed));
    expect(comparison.equal).toBe(true);
    expect(formatComparison(comparison, { source: 'demo', snapshotDir: 'manifests/demo', acceptCommand: 'npm run extract -- demo' })).toBe(
      'extract:check: demo: 2 manifests and their edits match manifests/demo\n',
    );
  });

  it('tells added, removed, changed and moved manifests and edits apart', () => {
    const extracted = new Map([
      ['index.yaml', index([{ key: 'a/web/1', source: 'a.md:12', objects: ['Pod/web (v1)'] }, { key: 'a/new/1', source: 'a.md:40', objects: ['Pod/new (v1)'] }], ['{source: "a.md:22", change: change-image, target: a/web/1, from: "x:1", to: "x:2"}', '{source: "a.md:50", change: set-replicas, target: a/new/1, replicas: 2}'])],
      ['a/web/1.yaml', podFile(12, 'x:1')],
      ['a/new/1.yaml', podFile(40, 'z:1')],
    ]);
    const comparison = compareSnapshots(committed, extracted);
    expect(comparison.equal).toBe(false);
    expect(comparison.manifests).toEqual({
      added: ['a/new/1'],
      removed: ['a/old/1'],
      changed: [],
      moved: ['a/web/1: a.md:10 -> a.md:12'],
    });
    expect(comparison.edits).toEqual({
      added: ['a.md:50 change=set-replicas target=a/new/1 replicas=2'],
      removed: [],
      moved: ['change=change-image target=a/web/1 from=x:1 to=x:2: a.md:20 -> a.md:22'],
    });
    expect(comparison.files.map((f) => [f.status, f.path])).toEqual([
      ['added', 'a/new/1.yaml'],
      ['removed', 'a/old/1.yaml'],
      ['changed', 'a/web/1.yaml'],
      ['changed', 'index.yaml'],
    ]);
    const report = formatComparison(comparison, { source: 'demo', snapshotDir: 'manifests/demo', acceptCommand: 'npm run extract -- demo' });
    expect(report).toContain('manifests added:\n  a/new/1\n');
    expect(report).toContain('--- committed/a/web/1.yaml\n+++ extracted/a/web/1.yaml\n@@ -1,4 +1,4 @@\n-# Extracted from demo/a.md:10\n+# Extracted from demo/a.md:12\n');
    expect(report.trimEnd().endsWith('accept it with:\n  npm run extract -- demo')).toBe(true);
  });

  it('reports a changed manifest when its YAML changes', () => {
    const extracted = new Map(committed);
    extracted.set('a/web/1.yaml', podFile(10, 'x:9'));
    const comparison = compareSnapshots(committed, extracted);
    expect(comparison.manifests.changed).toEqual(['a/web/1']);
    expect(comparison.files[0]?.diff).toContain('-    image: x:1\n+    image: x:9\n');
  });

  it('treats a missing snapshot as everything added', () => {
    const comparison = compareSnapshots(new Map(), committed);
    expect(comparison.manifests.added).toEqual(['a/web/1', 'a/old/1']);
    expect(comparison.files.every((f) => f.status === 'added')).toBe(true);
  });
});

describe('renderSnapshot', () => {
  const files = renderSnapshot(readTutorial(sources.blog), 'reference only');

  it('writes one file per manifest, named by key, headed by its tutorial file:line and origin', () => {
    expect([...files.keys()]).toHaveLength(12);
    const volume = files.get('article/volume/1.yaml') ?? '';
    expect(volume.split('\n').slice(0, 3)).toEqual([
      '# Extracted from blog-walkthrough/article.md:745 by `npm run extract`; do not edit by hand.',
      '# Block title: sample-volume.yaml',
      '# Origin: reference only',
    ]);
    expect(volume).toContain('image: fluent/fluentd:v1.11\n');
  });

  it('indexes manifests and edits with their targets', () => {
    const text = files.get('index.yaml') ?? '';
    expect(text).toContain('  - key: article/service-my-first-service-2/1\n    file: article/service-my-first-service-2/1.yaml\n    source: article.md:493\n');
    expect(text).toContain('  - source: article.md:490\n    change: replace-file\n    target: article/service-my-first-service/1\n    replacement: article/service-my-first-service-2/1\n');
  });
});
