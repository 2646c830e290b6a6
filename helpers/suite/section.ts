// One spec file verifies one tutorial section, for every source under test:
//
//   verifySection({ id: 'pod', title: 'Deploy a container', locate: podSection }, (s) => {
//     test('the Pod becomes Running and Ready', async () => { ... s.the.pod ... });
//   });
//
// For each source the body runs inside `describe(<section id>) > describe(<source>)`
// with its own namespace (created before, deleted after, diagnostics on
// failure), so sections run alone and in parallel. A source that lacks the
// section gets one passing test that says so (the reporter lists it as
// "absent"), never a silent skip.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Tutorial } from '../tutorial/index.js';
import { useSpecNamespace, type SpecNamespace } from '../kube/spec-namespace.js';
import { loadKnownIssues, runAsWritten, type KnownIssue, type StepOutcome } from './known-issues.js';
import { PROJECT_ROOT, tutorialsUnderTest } from './sources.js';
import { isAbsent, type Absent } from './tutorial-sections.js';

export const KNOWN_ISSUES_FILE = join(PROJECT_ROOT, 'specs', 'known-issues.yaml');

/** Where the specs leave findings (known issues met) for the report. */
export function findingsFile(): string {
  return join(process.env.TUTORIAL_E2E_ARTIFACTS ?? join(PROJECT_ROOT, 'artifacts'), 'findings.jsonl');
}

export interface Finding {
  section: string;
  source: string;
  serverVersion: string;
  step: string;
  issue: string;
  cause: string;
  reference?: string;
  error: string;
}

export interface SectionDefinition<L> {
  /** Stable id, used in namespaces, known-issues entries and the report. */
  id: string;
  /** What the section teaches, in English, for the report. */
  title: string;
  locate(t: Tutorial): L | Absent;
}

export interface SectionUnderTest<L> {
  /** The section's id (its SectionDefinition's). */
  readonly section: string;
  /** The section's manifests and edits in this source. */
  readonly the: L;
  readonly tutorial: Tutorial;
  /** The spec's namespace, client and provider (from beforeAll on). */
  readonly ns: SpecNamespace;
  /**
   * Runs a step exactly as the tutorial writes it. When a known issue predicts
   * that it fails here, the failure is recorded as a finding and the outcome
   * says so; the spec then verifies the corrected form.
   */
  asWritten(step: string, fn: () => Promise<unknown>): Promise<StepOutcome>;
}

let knownIssues: KnownIssue[] | undefined;

export function verifySection<L extends object>(def: SectionDefinition<L>, body: (s: SectionUnderTest<L>) => void): void {
  describe(def.id, () => {
    for (const tutorial of tutorialsUnderTest()) {
      describe(tutorial.name, () => {
        const located = def.locate(tutorial);
        if (isAbsent(located)) {
          test(`absent from this source: ${located.absent}`, () => {
            expect(located.absent).not.toBe('');
          });
          return;
        }
        const ns = useSpecNamespace(`${def.id}-${shortName(tutorial.name)}`);
        body({
          section: def.id,
          the: located,
          tutorial,
          ns,
          async asWritten(step, fn) {
            knownIssues ??= loadKnownIssues(KNOWN_ISSUES_FILE);
            const at = { section: def.id, step, source: tutorial.name, serverVersion: ns.info.serverVersion };
            const outcome = await runAsWritten(knownIssues, at, KNOWN_ISSUES_FILE, fn);
            if (outcome.status === 'known-issue') recordFinding(at, outcome.issue, outcome.error);
            return outcome;
          },
        });
      });
    }
  });
}

function recordFinding(at: { section: string; step: string; source: string; serverVersion: string }, issue: KnownIssue, error: string): void {
  const finding: Finding = {
    ...at,
    issue: issue.id,
    cause: issue.cause,
    ...(issue.reference !== undefined ? { reference: issue.reference } : {}),
    // The first lines carry the cause (an UnservedApiError's second line names the manifest).
    error: error.split('\n').map((l) => l.trim()).filter((l) => l !== '').slice(0, 3).join(' '),
  };
  const file = findingsFile();
  mkdirSync(join(file, '..'), { recursive: true });
  appendFileSync(file, `${JSON.stringify(finding)}\n`);
  process.stdout.write(`known issue ${issue.id} in ${at.section} (${at.source}, ${at.serverVersion}): ${issue.cause}\n`);
}

/** A short, DNS-safe tag of a source name for namespaces (`cybozu-...@b3e9c28` -> `b3e9c28`). */
export function shortName(source: string): string {
  const at = source.split('@')[1];
  const base = at ?? source.split(/[-_.]/)[0] ?? source;
  return base.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 10) || 'src';
}
