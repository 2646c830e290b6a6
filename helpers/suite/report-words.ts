// The words and marks a verdict is shown with, the same in every report a
// person reads (the terminal's summary table, junit.xml, report.html), so a
// "≈ known issue" in one is a "≈ known issue" in the others. report.md keeps
// its own phrasing (report.ts).
import type { Basis, Coverage, Report, Verdict } from './report.js';

export type Status = Verdict['status'];

export interface Words {
  /** One character, for the terminal's table and beside the word elsewhere. */
  mark: string;
  /** The word a table cell shows. */
  word: string;
  /** The word where a table is narrow (the terminal). */
  short: string;
  /** What it means, for a legend. */
  means: string;
}

export const STATUS_WORDS: Record<Status, Words> = {
  verified: { mark: '✓', word: 'verified', short: 'verified', means: 'every check of the section passed, as the text promises' },
  'known-issue': {
    mark: '≈',
    word: 'known issue',
    short: 'known issue',
    means: 'the text as written fails in a way specs/known-issues.yaml documents; the corrected form was verified',
  },
  failed: { mark: '✗', word: 'FAILED', short: 'FAILED', means: 'something the text promises did not happen: a finding on the tutorial' },
  blocked: { mark: '⊘', word: 'blocked', short: 'blocked', means: 'could not build the context an earlier section builds, and that section failed: the cause is shown there' },
  'cluster-fault': { mark: '!', word: 'cluster fault', short: 'fault', means: 'the cluster failed under the section: not a finding on the tutorial; run it again' },
  absent: { mark: '–', word: 'not in this source', short: 'absent', means: 'the source does not have this section (its reviewed snapshot says so)' },
  unverifiable: { mark: '∅', word: 'could not run here', short: 'no run', means: 'the section could not run on this cluster at all (a Kubernetes version these hosts cannot run); the cell says why' },
};

/** A section whose spec file was not part of the run (a selection of files): its row has no cell. */
export const NOT_RUN_WORDS: Words = { mark: '·', word: 'not run', short: '', means: "the section's spec file was not part of this run" };

/** The statuses in the order a legend or a count lists them. */
export const STATUSES = Object.keys(STATUS_WORDS) as Status[];

export function wordsOf(v: Verdict | undefined): Words {
  return v === undefined ? NOT_RUN_WORDS : STATUS_WORDS[v.status];
}

/** How many cells of the report have each status. */
export function countStatuses(r: Report): Record<Status, number> {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const s of r.sections) for (const v of Object.values(s.bySource)) counts[v.status]++;
  return counts;
}

/** One line: how much of the text under the section's heading the verdict covers. */
function coverageLine(c: Coverage): string {
  const dry = c.manifests.dryRun > 0 ? ` (+${c.manifests.dryRun} checked with a server-side dry run)` : '';
  const o = c.outputs;
  const shown = o.alike + o.knownIssue + o.unlike;
  const outputs = shown > 0 ? `; outputs alike ${o.alike}/${shown}${o.knownIssue > 0 ? ` (+${o.knownIssue} as a known issue says)` : ''}${o.unlike > 0 ? `, ${o.unlike} unlike` : ''}` : '';
  return `manifests applied ${c.manifests.applied}/${c.manifests.total}${dry}, commands run as written ${c.commands.ran}/${c.commands.total}${outputs}`;
}

/** "850 ms", "57 s", "2 min 14 s", "1 h 3 min". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** A verdict not verified in this run: where it comes from. */
export function carriedWords(c: { date: string; source: string }): string {
  return `not run here: carried over from the run of ${c.date}, which verified the same content (${c.source}) on the same Kubernetes version, provider and suite`;
}

/** What a verdict rests on besides its checks, as headed lists (stand-in images, steps not verifiable here or not run, coverage). */
export function basisGroups(b: Basis): Array<{ heading: string; items: string[] }> {
  const groups: Array<{ heading: string; items: string[] }> = [];
  if (b.standIns !== undefined && b.standIns.length > 0) {
    groups.push({ heading: 'stand-in images (local images run in place of the ones the text names)', items: b.standIns.map((i) => `${i.image}: ${i.description}`) });
  }
  if (b.notVerifiable !== undefined && b.notVerifiable.length > 0) {
    groups.push({ heading: 'not verifiable here (ran as written, but prove nothing on this cluster)', items: b.notVerifiable.map((n) => `${n.step} (needs ${n.missing})`) });
  }
  if (b.notRun !== undefined && b.notRun.length > 0) {
    groups.push({ heading: 'steps not run', items: b.notRun.map((n) => `${n.step} (${n.reason})`) });
  }
  if (b.sameAs !== undefined) groups.push({ heading: `verified once for this source and ${b.sameAs}, whose content is the same`, items: [] });
  if (b.carriedFrom !== undefined) groups.push({ heading: carriedWords(b.carriedFrom), items: [] });
  if (b.observed !== undefined && b.observed.length > 0) {
    groups.push({
      heading: 'what the cluster showed',
      items: b.observed.map((o) => `${o.step} (${o.at}, ${o.seconds.toFixed(0)} s): ${o.question === undefined ? '' : `${o.question} → `}${o.answer}`),
    });
  }
  if (b.coverage !== undefined) {
    const reasons = Object.entries(b.coverage.commands.notRun).sort((x, y) => y[1] - x[1]);
    groups.push({ heading: `coverage of the text: ${coverageLine(b.coverage)}`, items: reasons.map(([why, n]) => `${n} command(s) not run as written: ${why}`) });
  }
  return groups;
}
