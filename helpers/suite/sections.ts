// The sections the suite verifies, in the course's order: one row each, and
// the only list of them. A section's spec (`verifySection(id, ...)`), the
// report's rows, the floor of a run, the known issues and the mutants'
// expectations all name sections by these ids; an id that is not here is an
// error wherever it appears. Adding a section is a row here and a spec file.
import { join } from 'node:path';
import type { Tutorial } from '../tutorial/index.js';
import { deploymentFloor, exerciseFloor, healthCheckFloor, type Floor, type SectionFloor } from './floor.js';
import type { Kinds } from '../kube/index.js';
import { ANSWER_DIR, answerDirFor, loadExerciseAnswer } from './exercise-answer.js';
import { PROJECT_ROOT } from './sources.js';
import {
  antiAffinitySection,
  debuggingSection,
  deploymentSection,
  disruptionBudgetSection,
  exerciseSection,
  healthCheckSection,
  isAbsent,
  nodePortSection,
  podSection,
  podToPodSection,
  replicaSetSection,
  resourcesSection,
  serviceSection,
  volumeSection,
  type Absent,
} from './tutorial-sections.js';

interface Row<I extends string, L> {
  /** Stable id: namespaces, known-issues entries, mutants and the report use it. */
  id: I;
  /** What the section teaches, for the report. */
  title: string;
  /** Part of the course: 1 (introduction), 2 (more introduction) or 3 (the Exercise). */
  part: 1 | 2 | 3;
  /** Finds the section's manifests and edits in a source, or says what it looked for. */
  locate(t: Tutorial): L | Absent;
  /** The spec file that verifies it, relative to the project root. */
  spec: string;
  /** Its tests that stop or cordon nodes, run alone after every other spec (run-e2e.ts); `*.node-loss.spec.ts`. */
  nodeLossSpec?: string;
  /** Seconds its manifests alone impose (probe delays, rollout steps); none: 0. */
  floor?(located: L): Floor;
  /**
   * The reader's session (commands typed as written) starts afresh here, in
   * an empty namespace, instead of going on from the section before: the text
   * works on a sample of its own, and its outputs show nothing of the earlier
   * sections' objects. Part 1 is one session; so is anti-affinity with the
   * budget, whose output depends on the Pending replica it leaves.
   */
  readerStartsFresh?: true;
  /**
   * What else the spec reads besides the text (shared-section.ts): its content
   * key covers this too, so two sources share a verification only when it is
   * the same for both.
   */
  contentKey?(t: Tutorial): string;
}

const row = <const I extends string, L>(r: Row<I, L>): Row<I, L> => r;

export const SECTIONS = [
  row({ id: 'pod', part: 1, title: 'Deploy a container (Pod)', locate: podSection, spec: 'specs/intro/01-pod.spec.ts', readerStartsFresh: true }),
  row({ id: 'pod-to-pod', part: 1, title: 'Access another Pod', locate: podToPodSection, spec: 'specs/intro/02-pod-to-pod.spec.ts' }),
  row({ id: 'service', part: 1, title: 'Access Pods through a Service', locate: serviceSection, spec: 'specs/intro/03-service.spec.ts' }),
  row({ id: 'replicaset', part: 1, title: 'ReplicaSet: many copies of a Pod', locate: replicaSetSection, spec: 'specs/intro/04-replicaset.spec.ts' }),
  row({
    id: 'deployment',
    part: 1,
    title: 'Deployment: rolling update',
    locate: deploymentSection,
    spec: 'specs/intro/05-deployment.spec.ts',
    floor: (d) => deploymentFloor(d.deployment.object),
  }),
  row({ id: 'nodeport', part: 1, title: 'Expose a Service with NodePort', locate: nodePortSection, spec: 'specs/intro/06-nodeport.spec.ts' }),
  row({ id: 'debugging', part: 1, title: 'Debug a Pod: logs and port-forward', locate: debuggingSection, spec: 'specs/intro/07-debugging.spec.ts' }),
  row({
    id: 'health-checks',
    part: 2,
    title: 'Health checks: liveness and readiness probes',
    locate: healthCheckSection,
    spec: 'specs/more/01-health-checks.spec.ts',
    floor: (h) => healthCheckFloor(h.pod.object),
    readerStartsFresh: true,
  }),
  row({ id: 'resources', part: 2, title: 'Resource requests and limits', locate: resourcesSection, spec: 'specs/more/02-resources.spec.ts', readerStartsFresh: true }),
  row({ id: 'volume', part: 2, title: 'Volume: an emptyDir shared with a sidecar', locate: volumeSection, spec: 'specs/more/03-volume.spec.ts', readerStartsFresh: true }),
  row({
    id: 'anti-affinity',
    part: 2,
    title: 'Pod anti-affinity',
    locate: antiAffinitySection,
    spec: 'specs/more/04-anti-affinity.spec.ts',
    nodeLossSpec: 'specs/more/04-anti-affinity.node-loss.spec.ts',
    readerStartsFresh: true,
  }),
  row({
    id: 'pod-disruption-budget',
    part: 2,
    title: 'PodDisruptionBudget',
    locate: disruptionBudgetSection,
    spec: 'specs/more/05-pod-disruption-budget.spec.ts',
    nodeLossSpec: 'specs/more/05-pod-disruption-budget.node-loss.spec.ts',
  }),
  row({
    id: 'exercise',
    part: 3,
    title: 'Exercise: the Guestbook, its probes, a killed apache2, a failing rollout undone',
    locate: exerciseSection,
    spec: 'specs/exercise/guestbook.spec.ts',
    floor: () => exerciseFloor(loadExerciseAnswer(ANSWER_DIR).failing.object as Kinds['Deployment']),
    readerStartsFresh: true,
    // The suite's answer, whose files may differ per source (a mutant's).
    contentKey: (t) => loadExerciseAnswer(answerDirFor(t.name)).digest,
  }),
] as const;

export type SectionId = (typeof SECTIONS)[number]['id'];
type RowOf<I extends SectionId> = Extract<(typeof SECTIONS)[number], { id: I }>;
/** What a section's locator finds in a source that has it. */
export type LocatedOf<I extends SectionId> = Exclude<ReturnType<RowOf<I>['locate']>, Absent>;

export const SECTION_IDS: readonly SectionId[] = SECTIONS.map((s) => s.id);

export class UnknownSectionError extends Error {
  override name = 'UnknownSectionError';
}

export function isSectionId(id: string): id is SectionId {
  return (SECTION_IDS as readonly string[]).includes(id);
}

/** The row of a section id; an unknown id is an error naming where it was met and the ids there are. */
export function sectionById<I extends SectionId>(id: I, where?: string): RowOf<I>;
export function sectionById(id: string, where?: string): (typeof SECTIONS)[number];
export function sectionById(id: string, where = 'a section id'): (typeof SECTIONS)[number] {
  const found = SECTIONS.find((s) => s.id === id);
  if (found === undefined) {
    throw new UnknownSectionError(`${where}: unknown section "${id}"; the sections are: ${SECTION_IDS.join(', ')} (helpers/suite/sections.ts)`);
  }
  return found;
}

/**
 * A section located in a source, typed by its id. (TypeScript cannot follow
 * an id to its row's locator through the table's union; this is the one
 * place that says they belong together.)
 */
export function locateSection<I extends SectionId>(id: I, t: Tutorial): LocatedOf<I> | Absent {
  return sectionById(id).locate(t) as LocatedOf<I> | Absent;
}

/** Checks ids met elsewhere (known issues, mutants): every unknown one is named at once. */
export function checkSectionIds(ids: readonly string[], where: string): void {
  const unknown = ids.filter((id) => !isSectionId(id));
  if (unknown.length > 0) {
    throw new UnknownSectionError(`${where}: unknown section(s) ${unknown.map((u) => `"${u}"`).join(', ')}; the sections are: ${SECTION_IDS.join(', ')}`);
  }
}

/**
 * Spec files that type the reader's commands of one part of the course (their
 * tests are grouped by section too): `specs/reader/part-<part>.spec.ts`, and
 * `part-<part>.<shard>.spec.ts` for the other shards of a part whose sources'
 * sessions run in parallel files.
 */
const READER_SPEC = /(?:^|\/)specs\/reader\/part-([12])(?:\.\d+)?\.spec\.ts$/;

/** The part of the course a reader's spec file types the commands of, if it is one. */
export function readerPartOfSpecFile(file: string): 1 | 2 | undefined {
  const m = READER_SPEC.exec(file);
  return m?.[1] === '1' ? 1 : m?.[1] === '2' ? 2 : undefined;
}

/** The part of the course a section id belongs to (report.html's bands over its rows); undefined for an id that is no section. */
export function partOfSection(id: string): number | undefined {
  return SECTIONS.find((s) => s.id === id)?.part;
}

/** The section a spec file verifies (by its path), if it is a section spec. */
export function sectionOfSpecFile(file: string): (typeof SECTIONS)[number] | undefined {
  const is = (spec: string | undefined): boolean => spec !== undefined && (file === join(PROJECT_ROOT, spec) || file.endsWith(`/${spec}`));
  return SECTIONS.find((s) => is(s.spec) || is((s as { nodeLossSpec?: string }).nodeLossSpec));
}

/** A section's floor in one source, or undefined where the source does not have it. */
export function floorOf(id: SectionId, t: Tutorial): Floor | undefined {
  const r = sectionById(id) as Row<SectionId, object>;
  const located = r.locate(t);
  if (isAbsent(located)) return undefined;
  return r.floor?.(located) ?? { seconds: 0, why: 'no probe or rollout delay in its manifests' };
}

/** The floors of every section a source has, in the course's order. */
export function sectionFloors(t: Tutorial): SectionFloor[] {
  return SECTION_IDS.flatMap((id) => {
    const f = floorOf(id, t);
    return f === undefined ? [] : [{ section: id, ...f }];
  });
}
