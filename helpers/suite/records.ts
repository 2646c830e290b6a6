// What the harness learns while specs run, besides pass and fail, written as
// data for the report: a section not in a source (and what was looked for),
// a known issue met as predicted, a step of the text not run (and why). One
// JSON line each, appended by every jest worker to one file of the run's
// artifacts folder; the report reads them back. Nothing travels in test titles.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PROJECT_ROOT } from './project-root.js';

interface At {
  section: string;
  source: string;
}

export interface AbsentRecord extends At {
  type: 'absent';
  /** What the locator looked for and did not find. */
  reason: string;
}

export interface KnownIssueRecord extends At {
  type: 'known-issue';
  serverVersion: string;
  step: string;
  issue: string;
  cause: string;
  reference?: string;
  /** The first lines of the error the step met (they carry the cause). */
  error: string;
}

export interface NotRunRecord extends At {
  type: 'not-run';
  /** The step, as the spec names it or as the text writes it. */
  step: string;
  reason: string;
}

/** A test of this section could not build the context an earlier section builds (its Deployment, its bastion). */
export interface BlockedRecord extends At {
  type: 'blocked';
  /** The section that builds that context, and verifies it. */
  by: string;
  /** What could not be built, and the error. */
  what: string;
  error: string;
}

/**
 * The cluster itself failed while tests of this section ran (the API server
 * restarted, the kubelet or the container runtime was down): their failures
 * are no finding on the tutorial.
 */
export interface ClusterFaultRecord extends At {
  type: 'cluster-fault';
  /** The failed tests this fault explains. */
  tests: string[];
  /** What the cluster's traces showed, one line each. */
  faults: string[];
}

/** What the text has under the section's heading (written once per section and source). */
export interface InventoryRecord extends At {
  type: 'inventory';
  manifests: Array<{ key: string; at: string; claimed: boolean }>;
  commands: Array<{ at: string; text: string; where: 'host' | 'pod'; notRun?: string }>;
}

/** Manifests of the text the spec applied (or, with dryRun, had the server check without storing them). */
export interface AppliedRecord extends At {
  type: 'applied';
  keys: string[];
  dryRun?: boolean;
}

/** A command of the text the spec ran as written (`file:line`). */
export interface RanRecord extends At {
  type: 'ran';
  at: string;
}

/** A command's output compared alike with what the text shows: alike, a known issue's difference, or unlike. */
export interface ComparedRecord extends At {
  type: 'compared';
  at: string;
  result: 'alike' | 'known-issue' | 'unlike';
}

/** A step of the text that ran, but whose result proves nothing on this cluster, and what it lacks. */
export interface NotVerifiableRecord extends At {
  type: 'not-verifiable';
  step: string;
  missing: string;
}

/** An image the section's pods ran that is a local stand-in for the one the text names. */
export interface StandInRecord extends At {
  type: 'stand-in';
  image: string;
  for: string;
  description: string;
}

/**
 * What a step of the course's Exercise showed, as the answer to the question
 * the text asks there (or, where it asks none, what the step proved).
 */
export interface ObservedRecord extends At {
  type: 'observed';
  /** The step's id (helpers/tutorial/exercise.ts) and its place in the text. */
  step: string;
  at: string;
  /** The question the text asks at this step, as written; absent where it asks none. */
  question?: string;
  /** What the cluster showed, in a sentence or two. */
  answer: string;
  /** How long the step took. */
  seconds: number;
}

/** A section verified once for several sources of the run whose content is the same: this source's cell is that one's. */
export interface SameAsRecord extends At {
  type: 'same-as';
  /** The source whose verification this one shares. */
  as: string;
  /** The content key both have. */
  key: string;
}

/** The content key of a section in a source (shared-section.ts): the report keeps it, for a later run to carry the verdict over. */
export interface ContentKeyRecord extends At {
  type: 'content-key';
  key: string;
}

/** A section not run here: an earlier run verified the same content on the same cluster and suite (carry-over.ts). */
export interface CarriedRecord extends At {
  type: 'carried';
  key: string;
  /** When that run started (ISO), and the source it verified. */
  date: string;
  as: string;
  /** Its verdict, as its report has it (a RanVerdict of report.ts, which reads these records: not named here). */
  verdict: { status: string; tests: number };
}

export type RunRecord = ContentKeyRecord | CarriedRecord | ObservedRecord | SameAsRecord | ClusterFaultRecord | ComparedRecord | StandInRecord | AbsentRecord | KnownIssueRecord | NotRunRecord | BlockedRecord | InventoryRecord | AppliedRecord | RanRecord | NotVerifiableRecord;

/** The run's records file: in $TUTORIAL_E2E_ARTIFACTS (set by the runner), else artifacts/. */
export function recordsFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.TUTORIAL_E2E_ARTIFACTS ?? join(PROJECT_ROOT, 'artifacts'), 'records.jsonl');
}

/**
 * Written by jest's main process on SIGINT/SIGTERM (specs/setup/cluster-check.ts),
 * next to the records: a spec file that starts after it creates no namespace.
 */
export function interruptedMarker(env: NodeJS.ProcessEnv = process.env): string {
  return join(dirname(recordsFile(env)), 'interrupted');
}

export function writeRecord(r: RunRecord, file = recordsFile()): void {
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify(r)}\n`);
}

export function readRecords(file = recordsFile()): RunRecord[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      try {
        return JSON.parse(l) as RunRecord;
      } catch (err) {
        throw new Error(`${file}:${i + 1}: not a JSON record: ${(err as Error).message}`);
      }
    });
}
