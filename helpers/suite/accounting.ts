// Every block of the text is accounted for, in the section of the suite whose
// heading it sits under: each manifest is applied by that section's spec, or
// (if no spec claims it) applied as written with a server-side dry run; each
// command is run by the spec, or listed as not run with the reason. The
// harness writes this inventory for the report, which counts it per section.
import type { Command, Section, Tutorial } from '../tutorial/index.js';
import { sectionEntries, type Review } from './reviewed.js';
import { SECTIONS, type SectionId } from './sections.js';
import { isAbsent } from './tutorial-sections.js';

export interface CommandEntry {
  /** `file:line` of the command in the text. */
  at: string;
  text: string;
  where: 'host' | 'pod';
  /** Why the suite does not run it as typed (undefined: a spec step runs it). */
  notRun?: string;
}

export interface SectionInventory {
  manifests: Array<{ key: string; at: string; claimed: boolean }>;
  commands: CommandEntry[];
  /** Blocks the reader could not read (invalid YAML, an edit that matches no manifest), `file:line: problem`. */
  problems: string[];
}

/** The provider CLIs a run types besides kubectl: minikube's on the minikube provider (the walkthrough's own). */
export function clisOfRun(provider: string | undefined): ReadonlySet<string> {
  return new Set(provider === 'minikube' ? ['minikube'] : []);
}

/**
 * Why the suite does not type a command of the text (it cannot here), or
 * undefined: the reader's session types it as written (specs/reader), and the
 * section specs run the in-pod commands too. `clis`: the provider CLIs this
 * run types (clisOfRun).
 */
export function whyNotRun(c: Command, clis: ReadonlySet<string> = new Set()): string | undefined {
  const t = c.text.trim();
  if (c.opensShell !== undefined) return 'opens an interactive shell (the commands the text types in it are typed there one by one)';
  if (c.editsFile !== undefined) return `opens ${c.editsFile} in an editor (the edit the text asks for is made in the file)`;
  if (/^minikube\b/.test(t)) {
    if (!clis.has('minikube')) return "another provider's CLI (minikube)";
    if (/^minikube\s+dashboard\b/.test(t)) {
      return "opens minikube's dashboard in a browser: not verifiable here (the dashboard addon's images, kubernetesui/dashboard and kubernetesui/metrics-scraper, have no local stand-in)";
    }
    return undefined;
  }
  if (/^(open|xdg-open|start)\s/.test(t)) return 'opens a browser (the suite makes the requests a browser makes)';
  if (c.context.where === 'host' && !/^kubectl\b/.test(t)) return `not a kubectl command (${t.split(/\s+/)[0] ?? ''}): nothing of the cluster's`;
  return undefined;
}

const at = (s: { file: string; line: number }): string => `${s.file}:${s.line}`;

/** Position of a tutorial section in reading order: document, then line. */
function order(t: Tutorial, s: Section): [number, number] {
  return [t.documents.findIndex((d) => d.sections.includes(s)), s.source.line];
}
const before = (a: [number, number], b: [number, number]): boolean => a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]);

/**
 * Which section of the suite each tutorial section belongs to: the last one
 * whose heading is at or before it in the same document; text before the
 * first such heading of a document goes to that heading's section. A
 * document without any is in no section (the report counts it apart).
 */
export function owners(t: Tutorial, reviewedHeadings: ReadonlyMap<string, string> = new Map()): Map<string, SectionId> {
  const headings = SECTIONS.flatMap((row) => {
    const located = row.locate(t);
    if (!isAbsent(located)) return [{ id: row.id, section: located.section }];
    // A section the reader no longer finds keeps the heading its review says it sits under (`file:line`).
    const at = reviewedHeadings.get(row.id);
    const section = t.documents.flatMap((d) => d.sections).find((s) => `${s.source.file}:${s.source.line}` === at);
    return section === undefined ? [] : [{ id: row.id, section }];
  });
  const owner = new Map<string, SectionId>();
  for (const doc of t.documents) {
    const mine = headings.filter((h) => doc.sections.includes(h.section)).sort((a, b) => (before(order(t, a.section), order(t, b.section)) ? -1 : 1));
    const first = mine[0];
    if (first === undefined) continue;
    for (const s of doc.sections) {
      const o = mine.filter((h) => before(order(t, h.section), order(t, s))).at(-1) ?? first;
      owner.set(s.key, o.id);
    }
  }
  return owner;
}

/**
 * The manifests, commands and unreadable blocks of each section of the suite
 * in a source. `claimed`: the manifest keys the sections' locators use.
 * `keyOwners`: the section a manifest key belongs to (e.g. from the reviewed
 * snapshot), which decides where an unreadable manifest is reported: the
 * section that can no longer find it, not the one whose heading is nearest.
 */
export function inventory(
  t: Tutorial,
  claimed: ReadonlySet<string>,
  keyOwners: ReadonlyMap<string, string> = new Map(),
  reviewedHeadings: ReadonlyMap<string, string> = new Map(),
  clis: ReadonlySet<string> = new Set(),
): Map<string, SectionInventory> {
  const owner = owners(t, reviewedHeadings);
  const out = new Map<string, SectionInventory>();
  const inv = (id: string): SectionInventory => {
    const found = out.get(id) ?? { manifests: [], commands: [], problems: [] };
    out.set(id, found);
    return found;
  };
  const of = (sectionKey: string): SectionInventory => inv(owner.get(sectionKey) ?? 'none');
  for (const p of t.problems) {
    const id = (p.key !== undefined ? keyOwners.get(p.key) : undefined) ?? owner.get(p.sectionKey) ?? 'none';
    inv(id).problems.push(`${p.file}:${p.line}: ${p.problem}${p.fix !== undefined ? ` (fix: ${p.fix})` : ''}`);
  }
  for (const doc of t.documents) {
    for (const s of doc.sections) {
      for (const b of s.blocks) {
        if (b.kind === 'manifest') of(s.key).manifests.push({ key: b.key, at: at(b.source), claimed: claimed.has(b.key) });
        if (b.kind === 'transcript') {
          for (const c of b.commands) {
            const notRun = whyNotRun(c, clis);
            of(s.key).commands.push({ at: at(c.source), text: c.text, where: c.context.where, ...(notRun !== undefined ? { notRun } : {}) });
          }
        }
      }
    }
  }
  return out;
}

/** The manifest keys every section's locator uses in a source. */
export function claimedKeys(t: Tutorial): Set<string> {
  return new Set(Object.values(sectionEntries(t)).flatMap((e) => ('absent' in e ? [] : e.manifests)));
}

/**
 * The inventory of a source held to its reviewed snapshot: an unreadable
 * manifest is filed under the section whose review lists its key, and a
 * section the reader no longer finds keeps the heading its review names.
 */
export function reviewedInventory(
  t: Tutorial,
  review: Pick<Review, 'reviewed' | 'current'> | undefined,
  clis: ReadonlySet<string> = new Set(),
): Map<string, SectionInventory> {
  const { keyOwners, headings } = reviewedPlaces(review);
  return inventory(t, claimedKeys(t), keyOwners, headings, clis);
}

/** Where the reviewed snapshot puts each manifest key, and each section's heading (`file:line`). */
function reviewedPlaces(review: Pick<Review, 'reviewed' | 'current'> | undefined): { keyOwners: Map<string, string>; headings: Map<string, string> } {
  const keyOwners = new Map<string, string>();
  const headings = new Map<string, string>();
  for (const entries of [review?.reviewed ?? {}, review?.current ?? {}]) {
    for (const [id, e] of Object.entries(entries)) {
      if ('absent' in e) continue;
      for (const k of e.manifests) if (!keyOwners.has(k)) keyOwners.set(k, id);
      if (!headings.has(id)) headings.set(id, e.at);
    }
  }
  return { keyOwners, headings };
}

/** Whether a tutorial section (by key) is under the heading of one of the suite's sections `ids`, as the inventory files it. */
export function ownedBy(t: Tutorial, review: Pick<Review, 'reviewed' | 'current'> | undefined, ids: readonly SectionId[]): (sectionKey: string) => boolean {
  const owner = owners(t, reviewedPlaces(review).headings);
  return (key) => {
    const id = owner.get(key);
    return id !== undefined && ids.includes(id);
  };
}

/** The commands under a section's heading, in the text's order. */
export function commandsOf(t: Tutorial, id: SectionId, reviewedHeadings: ReadonlyMap<string, string> = new Map()): Command[] {
  const owner = owners(t, reviewedHeadings);
  return t.documents.flatMap((d) =>
    d.sections.flatMap((s) => (owner.get(s.key) === id ? s.blocks.flatMap((b) => (b.kind === 'transcript' ? b.commands : [])) : [])),
  );
}
