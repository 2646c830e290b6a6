import { readTutorial, type Tutorial } from '../tutorial/index.js';
import { sources } from '../tutorial/test-paths.js';
import { ownedBy } from './accounting.js';
import type { KnownIssue } from './known-issues.js';
import { SECTIONS, locateSection, type SectionId } from './sections.js';
import { canonical, issuesOfSource, replayed, sectionContentKey, sectionView, type Verification } from './shared-section.js';
import { isAbsent } from './tutorial-sections.js';

const head = readTutorial(sources.cybozuHead);
const older = readTutorial(sources.cybozu2020);
const blog = readTutorial(sources.blog);

const issue = (over: Partial<KnownIssue> = {}): KnownIssue =>
  ({ id: 'x', section: 'deployment', steps: ['apply-as-written'], when: {}, cause: 'c', match: 'm', ...over }) as KnownIssue;

function keyOf(t: Tutorial, id: SectionId, knownIssues: readonly KnownIssue[] = [], extra?: string): string {
  const located = locateSection(id, t);
  if (isAbsent(located)) throw new Error(`${id} absent from ${t.name}`);
  return sectionContentKey({ section: id, located, view: sectionView(t, ownedBy(t, undefined, [id])), knownIssues, ...(extra !== undefined ? { extra } : {}) });
}

/** Every path to a leaf (string, number, boolean) of a JSON-like value, with locations left out as canonical() leaves them out. */
function leaves(v: unknown, path: Array<string | number> = [], key?: string): Array<Array<string | number>> {
  if (Array.isArray(v)) return v.flatMap((x, i) => leaves(x, [...path, i], key));
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v);
    if (keys.length === 2 && keys.includes('file') && keys.includes('line')) return [];
    return keys.filter((k) => !(k === 'line' && key === 'skipped')).flatMap((k) => leaves((v as Record<string, unknown>)[k], [...path, k], k));
  }
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? [path] : [];
}

function changedAt<T>(value: T, path: ReadonlyArray<string | number>): T {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let at: Record<string | number, unknown> = copy;
  for (const p of path.slice(0, -1)) at = at[p] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  const old = at[last];
  at[last] = typeof old === 'string' ? `${old}~` : typeof old === 'number' ? old + 1 : !old;
  return copy as T;
}

describe('a section content key', () => {
  test('is the same for sources whose section is the same, and differs where the text differs', () => {
    // The two Cybozu commits: the same probes, resources, volume, anti-affinity and Exercise; another bastion image and other Deployment tags.
    for (const id of ['replicaset', 'health-checks', 'resources', 'volume', 'anti-affinity', 'exercise'] as const) expect(keyOf(older, id)).toBe(keyOf(head, id));
    for (const id of ['pod-to-pod', 'deployment'] as const) expect(keyOf(older, id)).not.toBe(keyOf(head, id));
    // The blog words its commands and outputs its own way.
    expect(keyOf(blog, 'health-checks')).not.toBe(keyOf(head, 'health-checks'));
  });

  test('changes with any value the spec could read: every leaf of what it located and of the tutorial sections it sees', () => {
    const id = 'deployment';
    const located = locateSection(id, head);
    if (isAbsent(located)) throw new Error('no deployment section');
    const view = sectionView(head, ownedBy(head, undefined, [id]));
    const key = sectionContentKey({ section: id, located, view, knownIssues: [] });
    const inLocated = leaves(located);
    const inView = leaves(view.documents);
    expect(inLocated.length).toBeGreaterThan(20);
    expect(inView.length).toBeGreaterThan(50);
    for (const path of inLocated) {
      expect([path.join('.'), sectionContentKey({ section: id, located: changedAt(located, path), view, knownIssues: [] })]).not.toEqual([path.join('.'), key]);
    }
    for (const path of inView) {
      const changed = { ...view, documents: changedAt(view.documents, path) };
      expect([path.join('.'), sectionContentKey({ section: id, located, view: changed, knownIssues: [] })]).not.toEqual([path.join('.'), key]);
    }
    expect(sectionContentKey({ section: id, located, view, knownIssues: [], extra: 'answer' })).not.toBe(key);
    expect(sectionContentKey({ section: id, located, view: { ...view, problems: [{ file: 'f', line: 1, sectionKey: 'k', problem: 'p', blockKind: 'manifest' }] }, knownIssues: [] })).not.toBe(key);
  });

  test('does not change with where things are written: every line moved, another folder, another name', () => {
    const id = 'deployment';
    const located = locateSection(id, head);
    if (isAbsent(located)) throw new Error('no deployment section');
    const view = sectionView(head, ownedBy(head, undefined, [id]));
    const moved = <T>(v: T): T =>
      JSON.parse(JSON.stringify(v), (k, x: unknown) => (k === 'source' && x !== null && typeof x === 'object' && 'line' in x ? { ...x, line: (x as { line: number }).line + 7 } : x)) as T;
    expect(canonical(moved(located))).toBe(canonical(located));
    const key = sectionContentKey({ section: id, located, view, knownIssues: [] });
    // The name is kept: known issues may be scoped to it (below).
    expect(sectionContentKey({ section: id, located: moved(located), view: { ...moved(view), root: '/elsewhere' }, knownIssues: [] })).toBe(key);
  });

  test('covers the known issues that may apply to this section of this source, not the others', () => {
    const plain = keyOf(head, 'deployment');
    expect(keyOf(head, 'deployment', [issue()])).not.toBe(plain);
    expect(keyOf(head, 'deployment', [issue({ when: { sources: ['cybozu-*'] } })])).not.toBe(plain);
    expect(keyOf(head, 'deployment', [issue({ when: { sources: ['blog-*'] } })])).toBe(plain);
    expect(keyOf(head, 'deployment', [issue({ section: 'pod' })])).toBe(plain);
    expect(issuesOfSource([issue({ when: { sources: ['blog-*'] } }), issue({ id: 'y' })], 'deployment', head.name).map((i) => i.id)).toEqual(['y']);
  });
});

describe('the view a section spec reads', () => {
  test('holds only the tutorial sections under its heading', () => {
    const view = sectionView(head, ownedBy(head, undefined, ['health-checks']));
    const kept = view.documents.flatMap((d) => d.sections);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(head.documents.flatMap((d) => d.sections).length);
    const text = JSON.stringify(kept);
    expect(text).toContain('livenessProbe');
    expect(text).not.toContain('podAntiAffinity');
  });

  test('every section of every source gets a key (none throws)', () => {
    for (const t of [head, older, blog]) {
      for (const row of SECTIONS) if (!isAbsent(locateSection(row.id, t))) expect(keyOf(t, row.id)).toMatch(/^[0-9a-f]{16}$/);
    }
  });
});

describe('a test repeated for a source of the same content', () => {
  const first: Verification = { source: 'a', declared: 3, outcomes: [{}, { error: new Error('boom') }] };
  test('passes where it passed, fails with the first source\'s error where it failed, and says so', () => {
    expect(replayed(first, 0, 3, 'k')).toBeUndefined();
    expect(replayed(first, 1, 3, 'k')?.message).toBe('as verified for a (same content): boom');
  });
  test('fails when it did not run there, or when the spec declared other tests here', () => {
    expect(replayed(first, 2, 3, 'k')?.message).toMatch(/did not run there/);
    expect(replayed(first, 0, 2, 'k')?.message).toMatch(/declared 2 tests here and 3 there/);
  });
});
