// One spec file verifies one tutorial section, for every source under test:
//
//   verifySection('pod', (s) => {
//     test('the Pod becomes Running and Ready', async () => { await s.ns.pod(s.the.pod.name).ready(); });
//   });
//
// The section's title and locator come from the section table (sections.ts).
// For each source the body runs inside `describe(<section id>) >
// describe(<source>)` with its own namespace (created before, deleted after,
// diagnostics on failure), so sections run alone and in parallel. A source
// that lacks the section gets one test that records it as "not in this
// source" with what was looked for (a record for the report, not a title to
// parse), never a silent skip.
import type { Command, Tutorial } from '../tutorial/index.js';
import { getManifest } from '../tutorial/query.js';
import { knowsPodNetwork, knowsStandIns } from '../providers/index.js';
import { clisOfRun, ownedBy, reviewedInventory } from './accounting.js';
import { loadKnownIssues, runAsWritten, KNOWN_ISSUES_FILE, type KnownIssue, type StepOutcome } from './known-issues.js';
import { kubectlBinary, runKubectlAsWritten } from './kubectl.js';
import { kubectlClientVersion } from './kubectl-version.js';
import { writeRecord } from './records.js';
import { driftOf, reviewSource, type Review } from './reviewed.js';
import { locateSection, sectionById, type LocatedOf, type SectionId } from './sections.js';
import { snapshotNameOf, tutorialsUnderTest } from './sources.js';
import { useSpecNamespace, type SpecNamespace } from './spec-namespace.js';
import { isAbsent } from './tutorial-sections.js';
import { nodesForPods } from './nodes.js';
import { declareOnce, sectionContentKey, sectionView } from './shared-section.js';
import { carriedCells, type CarriedCell } from './carry-over.js';

export interface SectionUnderTest<I extends SectionId> {
  /** The section's id (its row in the section table). */
  readonly section: I;
  /** The section's manifests and edits in this source. */
  readonly the: LocatedOf<I>;
  readonly tutorial: Tutorial;
  /** The spec's namespace: a handle with its client, the provider and a cleanup registry (from beforeAll on). */
  readonly ns: SpecNamespace;
  /**
   * Runs a step exactly as the tutorial writes it. When a known issue predicts
   * that it fails here, the failure is recorded as a finding and the outcome
   * says so; the spec then verifies the corrected form.
   */
  asWritten(step: string, fn: () => Promise<unknown>, opts?: { images?: readonly string[] }): Promise<StepOutcome>;
  /** Runs a `kubectl ...` command of the text as written, against this namespace; resolves with its stdout. */
  kubectl(command: Command): Promise<string>;
  /** Runs a kubectl line the suite derived from a command of the text (e.g. with the `--` a newer kubectl needs). */
  kubectlLine(line: string): Promise<string>;
  /** Says a command of the text was run as written (for the report's accounting). */
  ran(command: Command): void;
  /** Says a step ran but proves nothing on this cluster, and what the cluster lacks (e.g. the internet). */
  notVerifiable(step: string, missing: string): void;
  /** Says, in the run's output and the report, that a step of the text was not run here, and why. */
  notRun(step: string, reason: string): void;
  /** Says what the cluster showed for a promise of the text (at: its file:line), what the verdict rests on included, and how long it took. */
  showed(step: string, at: string, answer: string, seconds: number): void;
  /**
   * Builds context an earlier section builds and verifies (its Deployment,
   * its bastion Pod). When that fails, and the earlier section failed too,
   * the report says this section is blocked by it instead of repeating its
   * error as a failure of this one.
   */
  context<T>(by: SectionId, what: string, fn: () => Promise<T>): Promise<T>;
}

let knownIssues: KnownIssue[] | undefined;
/** The cluster's nodes that take pods, once per worker: known issues may be keyed on it (outputs of a one-node cluster). */
let clusterNodes: Promise<number> | undefined;
/** The kubectl client's version, once per worker: known issues may be keyed on it (kubectl's own changes). */
let kubectlVersion: Promise<string> | undefined;

export interface VerifySectionOptions {
  /**
   * `node-loss`: the section's tests that stop a node, in a spec file of
   * their own that runs after all the others, alone (run-e2e.ts): the main
   * spec file has already checked the text (drift, unreadable blocks, the
   * manifests no step claims) and reported a source without the section.
   */
  phase?: 'node-loss';
}

export function verifySection<I extends SectionId>(id: I, body: (s: SectionUnderTest<I>) => void, opts: VerifySectionOptions = {}): void {
  sectionById(id, 'verifySection');
  const main = opts.phase === undefined;
  describe(id, () => {
    for (const tutorial of tutorialsUnderTest()) {
      describe(tutorial.name, () => {
        // Anything the spec meets in this source that it did not expect while
        // declaring its tests (the locator, a field it reads) fails this
        // source's section, naming it; the file's other sources run as usual.
        try {
          const review = reviewOf(tutorial);
          const located = locateSection(id, tutorial);
          if (isAbsent(located)) {
            if (main) notInSource(id, tutorial, located.absent, review);
            else test(`not in this source (${located.absent}): the section's main spec reports it`, () => expect(located.absent).not.toBe(''));
            return;
          }
          const unreadable = main ? (inventoryOf(tutorial, review).get(id)?.problems ?? []) : [];
          if (unreadable.length > 0) {
            test(`the text under this heading reads: ${unreadable.length} block(s) cannot be read`, () => {
              // The first on the first line: it is what the report shows.
              throw new Error(`a block of the text under this section's heading cannot be read: ${unreadable[0] ?? ''}\nall of them:\n${unreadable.map((p) => `  ${p}`).join('\n')}`);
            });
          }
          if (review !== undefined && main) {
            test(`its text is as reviewed in ${review.dir}`, () => {
              const drift = driftOf(review, id);
              if (drift !== undefined) throw new Error(drift);
            });
          }
          const { view, key } = sectionContent(id, tutorial, located);
          const carried = carriedOver(key);
          if (carried !== undefined) {
            carryOver(id, tutorial.name, carried, main);
            return;
          }
          if (main) writeRecord({ type: 'content-key', section: id, source: tutorial.name, key });
          // TUTORIAL_E2E_SHARE=0: every source verifies its own sections (to compare, or to rule sharing out).
          const shareAs = process.env.TUTORIAL_E2E_SHARE === '0' ? `${key}:${tutorial.name}` : key;
          const { sharedWith } = declareOnce({ section: id, source: tutorial.name }, shareAs, () => {
            const images = new Set<string>();
            const ns = useSpecNamespace(`${id}${main ? '' : `-${opts.phase ?? ''}`}-${shortName(tutorial.name)}`, {
              onApplied: (applied, dryRun) => {
                if (applied.keys.length > 0) writeRecord({ type: 'applied', section: id, source: tutorial.name, keys: applied.keys, ...(dryRun ? { dryRun } : {}) });
                if (!dryRun) for (const i of applied.images) images.add(i);
              },
              onClusterFault: (faults, tests) => {
                writeRecord({ type: 'cluster-fault', section: id, source: tutorial.name, tests, faults: faults.map((f) => f.what) });
                process.stdout.write(`${id}: ${tutorial.name}: cluster fault under ${tests.length} failed test(s): ${faults.map((f) => f.what).join('; ')}\n`);
              },
            });
            if (main) {
              accountFor(id, tutorial, ns, review);
              noteStandIns(id, tutorial, ns, images);
            }
            body(sectionUnderTest(id, view, located, ns));
          });
          if (sharedWith !== undefined && main) process.stdout.write(`${id}: ${tutorial.name}: same content as ${sharedWith} (key ${key}): verified once, in its tests\n`);
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          test(`${id} cannot be verified in this source: ${message.split('\n')[0] ?? ''}`, () => {
            throw err instanceof Error ? err : new Error(message);
          });
        }
      });
    }
  });
}

/** The verdicts this run carries over from an earlier one, by content key (once per worker). */
let carried_: ReadonlyMap<string, CarriedCell> | undefined;

/** The tutorial sections under the headings of the suite's sections `ids` (as the inventory files them), and nothing else. */
export function viewOf(ids: readonly SectionId[], tutorial: Tutorial): Tutorial {
  return sectionView(tutorial, ownedBy(tutorial, reviewOf(tutorial), ids));
}

/** The verdict this run carries over for a content key (`verify --since`), if any. */
export function carriedOver(key: string): CarriedCell | undefined {
  return (carried_ ??= carriedCells()).get(key);
}

/**
 * What a section's spec sees of a source, and its content key: the tutorial
 * sections this section owns, no more (shared-section.ts says why).
 */
export function sectionContent<I extends SectionId>(id: I, tutorial: Tutorial, located: LocatedOf<I>): { view: Tutorial; key: string } {
  const view = viewOf([id], tutorial);
  knownIssues ??= loadKnownIssues(KNOWN_ISSUES_FILE);
  return { view, key: sectionContentKey({ section: id, located, view, knownIssues, extra: sectionById(id, 'sectionContent').contentKey?.(tutorial) }) };
}

/**
 * A section whose content an earlier run verified on the same cluster and
 * suite is not run again (`verify --since`): one test says so, and the report
 * shows that run's verdict with its date. The source's own checks of its text
 * (as reviewed, every block readable) still run above.
 */
function carryOver(id: SectionId, source: string, c: CarriedCell, main: boolean): void {
  const why = `carried over from the run of ${c.date} (${c.source}, the same content; key ${c.key})`;
  if (main) {
    // Written as the tests are declared: the section's tests are skipped, and the report shows that run's verdict.
    writeRecord({ type: 'carried', section: id, source, key: c.key, date: c.date, as: c.source, verdict: c.verdict });
    process.stdout.write(`${id}: ${source}: not run here: ${why}\n`);
  }
  test.skip(`not run here: ${why}`, () => undefined);
}

const inventories = new Map<string, ReturnType<typeof reviewedInventory>>();

/** Once per worker and source; unreadable manifests go to the section the reviewed snapshot says they belong to. */
function inventoryOf(t: Tutorial, review: Review | undefined): ReturnType<typeof reviewedInventory> {
  let all = inventories.get(t.name);
  if (all === undefined) {
    // The provider's CLI the reader types (minikube's), from the provider run-suite chose.
    all = reviewedInventory(t, review, clisOfRun(process.env.TUTORIAL_E2E_PROVIDER));
    inventories.set(t.name, all);
  }
  return all;
}

/**
 * Writes what the text has under the section's heading (for the report's
 * coverage), and applies as written, with a server-side dry run, each
 * manifest there that no spec step claims: a typo in a `kind` fails here,
 * with the server's words and the block's file:line.
 */
function accountFor(id: SectionId, tutorial: Tutorial, ns: SpecNamespace, review: Review | undefined): void {
  const { manifests, commands } = inventoryOf(tutorial, review).get(id) ?? { manifests: [], commands: [] };
  writeRecord({ type: 'inventory', section: id, source: tutorial.name, manifests, commands });
  const mine = { manifests };
  const unclaimed = mine.manifests.filter((m) => !m.claimed);
  if (unclaimed.length === 0) return;
  test(`the text's other manifests under this heading are accepted by the server (dry run): ${unclaimed.map((m) => m.at).join(', ')}`, async () => {
    for (const m of unclaimed) await ns.apply([getManifest(tutorial, m.key)], { dryRun: true });
  });
}

/**
 * At the end, notes which images the section applied (its pods ran) are
 * local stand-ins (the provider says so): the verdict rests on them, and the
 * report says it.
 */
function noteStandIns(id: SectionId, tutorial: Tutorial, ns: SpecNamespace, images: ReadonlySet<string>): void {
  beforeAll(() => {
    const provider = ns.provider;
    if (!knowsStandIns(provider)) return;
    ns.cleanup.add('note the stand-in images the section ran', async () => {
      for (const image of [...images].sort()) {
        const s = await provider.standInFor(image);
        if (s !== undefined) writeRecord({ type: 'stand-in', section: id, source: tutorial.name, image, for: s.for, description: s.description });
      }
    });
  });
}

const reviews = new Map<string, Review | undefined>();

/** The source's reviewed snapshot compared with its text (once per worker and source). */
function reviewOf(t: Tutorial): Review | undefined {
  if (!reviews.has(t.name)) reviews.set(t.name, reviewSource(t, snapshotNameOf(t)));
  return reviews.get(t.name);
}

/**
 * "Not in this source" is a verdict only where the reviewed snapshot says so
 * (or, for a source without one, the reader): a section the snapshot has and
 * the reader no longer finds fails, with what changed.
 */
function notInSource(id: SectionId, tutorial: Tutorial, reason: string, review: Review | undefined): void {
  const reviewed = review?.reviewed[id];
  if (review !== undefined && reviewed !== undefined && !('absent' in reviewed)) {
    const unreadable = inventoryOf(tutorial, review).get(id)?.problems ?? [];
    test(`the reader no longer finds this section (${reason})`, () => {
      throw new Error(
        `${reason}; but ${review.dir} has it (${reviewed.manifests.join(', ')})` +
          (unreadable.length > 0 ? `; blocks that cannot be read:\n${unreadable.map((p) => `  ${p}`).join('\n')}` : '') +
          `\n${driftOf(review, id) ?? ''}`,
      );
    });
    return;
  }
  const why = review === undefined ? `${reason} (the reader's word: this source has no reviewed snapshot in manifests/)` : `${reason} (as reviewed in ${review.dir})`;
  test(`not in this source: ${why}`, () => {
    writeRecord({ type: 'absent', section: id, source: tutorial.name, reason: why });
    expect(reason).not.toBe('');
  });
}

export function sectionUnderTest<I extends SectionId>(id: I, tutorial: Tutorial, located: LocatedOf<I>, ns: SpecNamespace): SectionUnderTest<I> {
  return {
    section: id,
    the: located,
    tutorial,
    ns,
    async asWritten(step, fn, opts = {}) {
      knownIssues ??= loadKnownIssues(KNOWN_ISSUES_FILE);
      const at = { section: id, step, source: tutorial.name, serverVersion: ns.info.serverVersion };
      const provider = ns.provider;
      const outcome = await runAsWritten(
        knownIssues,
        {
          ...at,
          kubectlVersion: await (kubectlVersion ??= kubectlClientVersion(kubectlBinary(ns.info))),
          provider: provider.name,
          ...(opts.images !== undefined ? { images: [...opts.images] } : {}),
          ...(knowsPodNetwork(provider) ? { internet: provider.podsReachTheInternet } : {}),
          nodes: await (clusterNodes ??= nodesForPods(ns.kube).then((n) => n.length)),
        },
        KNOWN_ISSUES_FILE,
        fn,
      );
      if (outcome.status === 'known-issue') {
        const { issue } = outcome;
        writeRecord({
          type: 'known-issue',
          ...at,
          issue: issue.id,
          cause: issue.cause,
          ...(issue.reference !== undefined ? { reference: issue.reference } : {}),
          // The first lines carry the cause (an UnservedApiError's second line names the manifest).
          error: outcome.error.split('\n').map((l) => l.trim()).filter((l) => l !== '').slice(0, 3).join(' '),
        });
        process.stdout.write(`known issue ${issue.id} in ${id} (${tutorial.name}, ${at.serverVersion}): ${issue.cause}\n`);
      }
      return outcome;
    },
    async kubectl(command) {
      try {
        return await runKubectlAsWritten(ns, command.text);
      } finally {
        // Ran as written, whatever it said (a refusal is the text's result, for the known issues to judge).
        writeRecord({ type: 'ran', section: id, source: tutorial.name, at: `${command.source.file}:${command.source.line}` });
      }
    },
    kubectlLine: (line) => runKubectlAsWritten(ns, line),
    ran(command) {
      writeRecord({ type: 'ran', section: id, source: tutorial.name, at: `${command.source.file}:${command.source.line}` });
    },
    notVerifiable(step, missing) {
      writeRecord({ type: 'not-verifiable', section: id, source: tutorial.name, step, missing });
      process.stdout.write(`${id}: ${tutorial.name}: not verifiable on this cluster: ${step}: needs ${missing}\n`);
    },
    showed(step, at, answer, seconds) {
      writeRecord({ type: 'observed', section: id, source: tutorial.name, step, at, answer, seconds });
      process.stdout.write(`${id}: ${tutorial.name}: ${step} (${at}, ${seconds.toFixed(0)} s): ${answer}\n`);
    },
    notRun(step, reason) {
      writeRecord({ type: 'not-run', section: id, source: tutorial.name, step, reason });
      process.stdout.write(`${id}: ${tutorial.name}: not run: ${step}: ${reason}\n`);
    },
    async context(by, what, fn) {
      try {
        return await fn();
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        writeRecord({ type: 'blocked', section: id, source: tutorial.name, by, what, error: error.split('\n')[0] ?? '' });
        throw new Error(`could not build ${what}, the context section ${by} builds: ${error}`, { cause: err });
      }
    },
  };
}

/** A short, DNS-safe tag of a source name for namespaces (`cybozu-...@b3e9c28` -> `b3e9c28`). */
export function shortName(source: string): string {
  const at = source.split('@')[1];
  const base = at ?? source.split(/[-_.]/)[0] ?? source;
  return base.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 10) || 'src';
}
