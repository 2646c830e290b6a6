// A source's reviewed snapshot (manifests/<name>/, written by `npm run
// extract`) is what the last person who read the text accepted: its
// manifests, its edits, and (sections.yaml) which sections of the suite it
// has, built from which manifests and edits. `verify` holds the text to it:
//  - a section the snapshot has but the reader no longer finds FAILS with the
//    difference, instead of turning into a green "not in this source";
//  - "not in this source" is a verdict only where the snapshot says so (or,
//    without a snapshot, where the reader says so, and the report says that);
//  - a section whose manifests or edits changed since the review FAILS its
//    drift check with the diff and the command that accepts it. Lines that
//    only moved are not a drift.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import type { ExerciseStep } from '../tutorial/exercise.js';
import type { Edit, ManifestBlock, Tutorial } from '../tutorial/index.js';
import { compareSnapshots, type SnapshotComparison } from '../tutorial/snapshot-diff.js';
import { originOf, readSnapshotDir } from '../tutorial/snapshot-io.js';
import { renderSnapshot, type SnapshotFiles } from '../tutorial/snapshot.js';
import { SECTIONS, type SectionId } from './sections.js';
import { PROJECT_ROOT } from './sources.js';
import { isAbsent } from './tutorial-sections.js';

export const SECTIONS_FILE = 'sections.yaml';

/** What a section is made of in a source, or why it is not there. */
export type SectionEntry = { absent: string } | { at: string; manifests: string[]; edits: string[]; steps?: string[] };

/** A prose step the section reads (the Exercise's): its id, the commands it names, and a digest of its words. */
function stepIdentity(s: ExerciseStep): string {
  const digest = createHash('sha256').update(s.text).digest('hex').slice(0, 12);
  return `${s.id}: text sha256 ${digest}${s.code.length > 0 ? `; code: ${s.code.join(' | ')}` : ''}`;
}

/** An edit without its line: the same request moved elsewhere in the text is the same edit. */
function editIdentity(e: Edit): string {
  switch (e.change) {
    case 'set-replicas':
      return `set-replicas ${e.target} replicas=${e.replicas}`;
    case 'change-image':
      return `change-image ${e.target} ${e.from} -> ${e.to}`;
    case 'replace-file':
      return `replace-file ${e.target} with ${e.replacement}`;
  }
}

const isBlock = (v: unknown): v is ManifestBlock | Edit =>
  typeof v === 'object' && v !== null && 'kind' in v && (v.kind === 'manifest' || v.kind === 'edit') && 'source' in v;

/** The manifests and edits a located section reads (its top-level fields; `section` is the heading, not read). */
function entryOf(located: object): SectionEntry {
  if (isAbsent(located)) return { absent: located.absent };
  const blocks = Object.entries(located)
    .filter(([field]) => field !== 'section')
    .flatMap(([, v]: [string, unknown]) => (Array.isArray(v) ? (v as unknown[]) : [v]))
    .filter(isBlock);
  const heading = 'section' in located ? (located.section as { source: { file: string; line: number } }).source : undefined;
  const steps = 'steps' in located ? (located.steps as ExerciseStep[]) : [];
  return {
    at: heading ? `${heading.file}:${heading.line}` : '?',
    manifests: [...new Set(blocks.filter((b): b is ManifestBlock => b.kind === 'manifest').map((b) => b.key))],
    edits: blocks.filter((b): b is Edit => b.kind === 'edit').map(editIdentity),
    ...(steps.length > 0 ? { steps: steps.map(stepIdentity) } : {}),
  };
}

export function sectionEntries(t: Tutorial): Record<string, SectionEntry> {
  return Object.fromEntries(SECTIONS.map((s) => [s.id, entryOf(s.locate(t))]));
}

/** sections.yaml of the snapshot: which sections the source has, from what. */
export function renderSectionsFile(t: Tutorial): string {
  const header = [
    `# Sections of the suite found in ${t.name} by \`npm run extract\`; do not edit by hand.`,
    '# `at`: the heading the section sits under. `verify` compares manifests and edits; a line that only moved is no drift.',
  ];
  return `${header.join('\n')}\n${yaml.dump({ source: t.name, sections: sectionEntries(t) }, { lineWidth: -1, noRefs: true, sortKeys: false })}`;
}

/** What the suite adds to a source's snapshot: sections.yaml. */
export function sectionsFile(t: Tutorial): SnapshotFiles {
  return new Map([[SECTIONS_FILE, renderSectionsFile(t)]]);
}

/** The snapshot files `npm run extract` writes for a source: the reader's, plus sections.yaml. */
export function snapshotFiles(t: Tutorial): SnapshotFiles {
  const files = renderSnapshot(t, originOf(t.root, t.name));
  for (const [f, text] of sectionsFile(t)) files.set(f, text);
  return files;
}

export interface Review {
  /** The snapshot folder, relative to the project (`manifests/<name>`). */
  dir: string;
  reviewed: Record<string, SectionEntry>;
  current: Record<string, SectionEntry>;
  comparison: SnapshotComparison;
  acceptCommand: string;
}

/** The source's reviewed snapshot compared with its text now; undefined when it has none. */
export function reviewSource(t: Tutorial, snapshotName = t.name): Review | undefined {
  const dir = join('manifests', snapshotName);
  const committed = readSnapshotDir(join(PROJECT_ROOT, dir));
  if (!existsSync(join(PROJECT_ROOT, dir)) || committed.size === 0) return undefined;
  const text = committed.get(SECTIONS_FILE);
  const reviewed = text === undefined ? {} : ((yaml.load(text) as { sections?: Record<string, SectionEntry> } | undefined)?.sections ?? {});
  const extracted = snapshotFiles(t);
  return {
    dir,
    reviewed,
    current: sectionEntries(t),
    comparison: compareSnapshots(committed, extracted),
    acceptCommand: `npm run extract -- ${t.root}${snapshotName === t.name ? '' : ` --out ${dir}`}`,
  };
}

const same = (a: SectionEntry | undefined, b: SectionEntry | undefined): boolean =>
  JSON.stringify(a === undefined || 'absent' in a ? { absent: true } : { m: a.manifests, e: a.edits, s: a.steps ?? [] }) ===
  JSON.stringify(b === undefined || 'absent' in b ? { absent: true } : { m: b.manifests, e: b.edits, s: b.steps ?? [] });

/**
 * How a section of the text differs from its review, in the words a reviewer
 * needs (what changed, the diff of its manifests, the command that accepts
 * it); undefined when it does not.
 */
export function driftOf(r: Review, id: SectionId): string | undefined {
  const reviewed = r.reviewed[id];
  const current = r.current[id];
  const keys = new Set([reviewed, current].flatMap((e) => (e === undefined || 'absent' in e ? [] : e.manifests)));
  const c = r.comparison.manifests;
  const touched = [...c.added, ...c.removed, ...c.changed].filter((k) => keys.has(k));
  const entryChanged = reviewed === undefined ? false : !same(reviewed, current);
  if (touched.length === 0 && !entryChanged) return undefined;
  const lines = [`the text of section ${id} changed since it was reviewed in ${r.dir}:`];
  if (reviewed === undefined) lines.push(`  ${r.dir}/${SECTIONS_FILE} does not list it`);
  else if (entryChanged) lines.push(`  reviewed: ${JSON.stringify(reviewed)}`, `  now:      ${JSON.stringify(current)}`);
  for (const k of touched) {
    const what = c.added.includes(k) ? 'added' : c.removed.includes(k) ? 'removed' : 'changed';
    lines.push(`  manifest ${k}: ${what}`);
    const diff = r.comparison.files.find((f) => f.path === `${k}.yaml`)?.diff;
    if (diff !== undefined) lines.push(diff);
  }
  lines.push('If the text changed on purpose, review the diff and accept it with:', `  ${r.acceptCommand}`);
  return lines.join('\n');
}
