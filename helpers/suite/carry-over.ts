// The regression check after a tutorial edit: `npm run verify -- <source>
// --since <earlier report.json>` re-verifies only the sections whose content
// key (shared-section.ts) is not among the earlier run's, and reports the
// others as carried over from that run, with its date. An earlier verdict is
// evidence for this run only when nothing else it rests on changed: the same
// Kubernetes version, the same provider and number of nodes, the same suite (suite-digest.ts).
// Only verdicts that hold carry over (verified, known issue); a failure, a
// blocked section or a cluster fault is run again: it may have been the
// cluster's, and a fix must be seen to work.
import { readFileSync } from 'node:fs';
import { ranHere, type RanVerdict, type Report } from './report.js';

/** What a run was made on; a report records it, and a carried verdict needs it unchanged. */
export interface RunBasis {
  serverVersion: string;
  provider: string;
  /** The cluster's nodes that take pods: what a section verifies depends on it (node loss, spreading). */
  nodes: number;
  /** suiteDigest() of the suite that ran. */
  suite: string;
}

/** A verdict of the earlier run that this run takes over for any source whose section has `key`. */
export interface CarriedCell {
  key: string;
  section: string;
  /** The source that verified it then. */
  source: string;
  /** When that run started (ISO). */
  date: string;
  verdict: RanVerdict;
}

export type CarryPlan = { cells: CarriedCell[] } | { refused: string };

/** Which verdicts of an earlier report this run may carry over, or why none. Pure. */
export function carryOverPlan(earlier: Report, now: RunBasis, file = 'the earlier report'): CarryPlan {
  const then = earlier.run;
  if (then === undefined) return { refused: `${file} does not say what it ran on (written before carry-over existed): every section runs` };
  const differs = [
    then.serverVersion !== now.serverVersion ? `Kubernetes ${then.serverVersion} then, ${now.serverVersion} now` : undefined,
    then.provider !== now.provider ? `provider ${then.provider} then, ${now.provider} now` : undefined,
    then.nodes !== now.nodes ? `${then.nodes ?? '?'} node(s) taking pods then, ${now.nodes} now` : undefined,
    then.suite !== now.suite ? `suite ${then.suite} then, ${now.suite} now` : undefined,
  ].filter((x) => x !== undefined);
  if (differs.length > 0) return { refused: `${file} ran on something else (${differs.join('; ')}): every section runs` };
  const cells: CarriedCell[] = [];
  for (const s of earlier.sections) {
    for (const [source, v] of Object.entries(s.bySource)) {
      if (!ranHere(v) || v.key === undefined || (v.status !== 'verified' && v.status !== 'known-issue')) continue;
      if (cells.some((c) => c.key === v.key)) continue;
      // A verdict carried into the earlier run keeps the date and source of the run that verified it.
      const { sameAs, carriedFrom, key, ...verdict } = v;
      cells.push({ key, section: s.section, source: carriedFrom?.source ?? sameAs ?? source, date: carriedFrom?.date ?? then.date, verdict });
    }
  }
  return { cells };
}

/** The run's carried verdicts by content key, from the file the runner wrote ($TUTORIAL_E2E_CARRY); none without it. */
export function carriedCells(env: NodeJS.ProcessEnv = process.env): ReadonlyMap<string, CarriedCell> {
  const file = env.TUTORIAL_E2E_CARRY;
  if (file === undefined || file === '') return new Map();
  const cells = JSON.parse(readFileSync(file, 'utf8')) as CarriedCell[];
  return new Map(cells.map((c) => [c.key, c]));
}
