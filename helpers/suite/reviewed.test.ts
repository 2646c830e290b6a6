import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTutorial } from '../tutorial/index.js';
import { sources } from '../tutorial/test-paths.js';
import { driftOf, renderSectionsFile, reviewSource, SECTIONS_FILE } from './reviewed.js';
import { SECTION_IDS } from './sections.js';
import { PROJECT_ROOT } from './sources.js';

const base = 'cybozu-introduction-to-kubernetes@b3e9c28';

function must<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new Error(`expected ${what}`);
  return v;
}

/** A copy of the real source with `edit` applied to its Part 1 file, read under the original name. */
function editedCopy(edit: (text: string) => string) {
  const dir = join(mkdtempSync(join(tmpdir(), 'reviewed-')), 'copy');
  cpSync(sources.cybozuHead, dir, { recursive: true });
  const file = join(dir, 'introduction-to-kubernetes.adoc');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  return { ...readTutorial(dir), name: base };
}

describe('the reviewed snapshot', () => {
  test('sections.yaml of each real source is what the reader finds now', () => {
    for (const [name, path] of [
      [base, sources.cybozuHead],
      ['cybozu-introduction-to-kubernetes@b2a7ea4', sources.cybozu2020],
      ['blog-walkthrough', sources.blog],
    ] as const) {
      expect(readFileSync(join(PROJECT_ROOT, 'manifests', name, SECTIONS_FILE), 'utf8')).toBe(renderSectionsFile(readTutorial(path)));
      const review = reviewSource(readTutorial(path));
      expect(review?.comparison.equal).toBe(true);
      for (const id of SECTION_IDS) expect(driftOf(must(review, 'a review'), id)).toBeUndefined();
    }
  });

  test('a changed manifest is a drift of exactly the sections that use it, with the diff and the accept command', () => {
    const t = editedCopy((text) => text.replace('spec:\n  replicas: 3\n  selector:\n    matchLabels:\n      component: nginx\n  template:', 'spec:\n  replicas: 4\n  selector:\n    matchLabels:\n      component: nginx\n  template:'));
    const review = must(reviewSource(t), 'a review');
    const drifted = SECTION_IDS.filter((id) => driftOf(review, id) !== undefined);
    // The Deployment is the rolling update's, and the one debugging, nodeport and the budget reuse.
    expect(drifted).toEqual(['deployment', 'nodeport', 'debugging', 'pod-disruption-budget']);
    const text = must(driftOf(review, 'deployment'), 'a drift');
    expect(text).toMatch(/^the text of section deployment changed since it was reviewed in manifests\/cybozu-introduction-to-kubernetes@b3e9c28:/);
    expect(text).toMatch(/manifest introduction-to-kubernetes\/deployment-nginx-deployment\/1: changed/);
    expect(text).toContain('-  replicas: 3');
    expect(text).toContain('+  replicas: 4');
    expect(text).toMatch(/npm run extract -- \S+copy/);
  });

  test('text that only moved is no drift', () => {
    const t = editedCopy((text) => text.replace(/\n== /, '\nA new paragraph.\n\nAnother one.\n\n== '));
    const review = must(reviewSource(t), 'a review');
    expect(review.comparison.equal).toBe(false);
    expect(review.comparison.manifests.moved.length).toBeGreaterThan(0);
    for (const id of SECTION_IDS) expect(driftOf(review, id)).toBeUndefined();
  });

  test('a source without a snapshot has no review', () => {
    expect(reviewSource({ ...readTutorial(sources.blog), name: 'no-such-source' })).toBeUndefined();
  });
});
