// Where each section the suite verifies is in a tutorial source. Sections are
// found by what their manifests are (a Pod with a liveness probe, the first
// ReplicaSet, ...), never by title or line: titles differ between sources
// (Japanese in both, and worded differently), and an edit that moves text
// around must not lose a section. Names of objects are then read from the
// manifests, so the specs assert what this source's text says.
//
// Each manifest a section uses comes as a typed view (`Manifest<Pod>`): the
// block as written (what is applied, with its file:line) plus its object of
// that kind, narrowed by a kind guard, so specs read fields without casts.
import { isKind, type KindName, type Kinds } from '../kube/index.js';
import {
  containersOf,
  editsFor,
  podSpecsOf,
  type ChangeImageEdit,
  type KubeObject,
  type ManifestBlock,
  type Section,
  type SetReplicasEdit,
  type Tutorial,
} from '../tutorial/index.js';
import { readExerciseSteps, type ExerciseStep } from '../tutorial/exercise.js';
import { allManifests, findCommands, findSection } from '../tutorial/query.js';
import { maxSourceBytes, readSourceText } from '../tutorial/source-file.js';

/** A section is absent from a source when none of its manifests is there; `absent` says what was looked for. */
export interface Absent {
  absent: string;
}

export function isAbsent(x: object): x is Absent {
  return 'absent' in x;
}

/** A manifest block of the text, with its (first) object of one kind. */
export type Manifest<K extends KindName> = ManifestBlock & {
  readonly object: KubeObject & Kinds[K];
  /** The object's metadata.name. */
  readonly name: string;
};

export interface Located {
  section: Section;
}

function view<K extends KindName>(block: ManifestBlock, kind: K): Manifest<K> {
  const object = block.objects.find((o): o is KubeObject & Kinds[K] => isKind(o, kind));
  if (object === undefined) throw new Error(`${block.source.file}:${block.source.line}: manifest ${block.key} has no ${kind}`);
  return { ...block, object, name: object.metadata.name };
}

function sectionOfBlock(t: Tutorial, block: ManifestBlock): Section {
  const s = findSection(t, { key: block.sectionKey });
  if (s === undefined) throw new Error(`${t.name}: manifest ${block.key} has no section ${block.sectionKey}`);
  return s;
}

/** The first manifest with an object of `kind` meeting `pred`, as a typed view. */
function first<K extends KindName>(t: Tutorial, kind: K, pred: (o: KubeObject & Kinds[K]) => boolean = () => true): Manifest<K> | undefined {
  const block = allManifests(t).find((b) => b.objects.some((o) => isKind(o, kind) && pred(o)));
  return block === undefined ? undefined : view(block, kind);
}

type Json = Record<string, unknown>;
const containers = (o: KubeObject): Json[] => containersOf(o);
const podSpec = (o: KubeObject): Json => podSpecsOf(o)[0] ?? {};
const hasProbe = (o: KubeObject): boolean => containers(o).some((c) => c.livenessProbe !== undefined || c.readinessProbe !== undefined);
const hasLimits = (o: KubeObject): boolean => containers(o).some((c) => (c.resources as Json | undefined)?.limits !== undefined);
const hasEmptyDir = (o: KubeObject): boolean => ((podSpec(o).volumes as Json[] | undefined) ?? []).some((v) => v.emptyDir !== undefined);
const hasAntiAffinity = (o: KubeObject): boolean => (podSpec(o).affinity as Json | undefined)?.podAntiAffinity !== undefined;
const hasCommand = (o: KubeObject): boolean => containers(o).some((c) => c.command !== undefined || c.args !== undefined);
const isPlainPod = (o: KubeObject): boolean => !hasProbe(o) && !hasLimits(o) && !hasEmptyDir(o) && !hasCommand(o);

// --- Part 1 -------------------------------------------------------------------

export interface PodSection extends Located {
  pod: Manifest<'Pod'>;
}
/** The first plain Pod: the nginx Pod the reader deploys first. */
export function podSection(t: Tutorial): PodSection | Absent {
  const pod = first(t, 'Pod', isPlainPod);
  return pod === undefined ? { absent: 'no plain Pod manifest (one container, no probes, limits or volumes)' } : { section: sectionOfBlock(t, pod), pod };
}

export interface PodToPodSection extends PodSection {
  client: Manifest<'Pod'>;
}
/** A Pod that runs a command of its own (the bastion), used to reach the first Pod. */
export function podToPodSection(t: Tutorial): PodToPodSection | Absent {
  const p = podSection(t);
  if (isAbsent(p)) return p;
  const client = first(t, 'Pod', hasCommand);
  if (client === undefined) return { absent: 'no client Pod (a Pod whose container runs its own command, like the bastion)' };
  return { section: sectionOfBlock(t, client), pod: p.pod, client };
}

export interface ServiceSection extends PodToPodSection {
  service: Manifest<'Service'>;
}
/** The first Service, in front of the first Pod. */
export function serviceSection(t: Tutorial): ServiceSection | Absent {
  const p = podToPodSection(t);
  if (isAbsent(p)) return p;
  const service = first(t, 'Service', (o) => (o.spec?.type ?? 'ClusterIP') === 'ClusterIP');
  if (service === undefined) return { absent: 'no ClusterIP Service manifest' };
  return { ...p, section: sectionOfBlock(t, service), service };
}

export interface ReplicaSetSection extends PodSection {
  replicaSet: Manifest<'ReplicaSet'>;
  /** The replicas edits the text asks for, in order. */
  scaling: SetReplicasEdit[];
}
export function replicaSetSection(t: Tutorial): ReplicaSetSection | Absent {
  const p = podSection(t);
  if (isAbsent(p)) return p;
  const replicaSet = first(t, 'ReplicaSet');
  if (replicaSet === undefined) return { absent: 'no ReplicaSet manifest' };
  const scaling = editsFor(t, replicaSet.key).filter((e): e is SetReplicasEdit => e.change === 'set-replicas');
  return { section: sectionOfBlock(t, replicaSet), pod: p.pod, replicaSet, scaling };
}

export interface DeploymentSection extends Located {
  deployment: Manifest<'Deployment'>;
  /** The image change the text asks for (first image -> second image). */
  update: ChangeImageEdit;
  service?: Manifest<'Service'>;
  client?: Manifest<'Pod'>;
}
/** The Deployment whose image the text asks to change: the rolling update. */
export function deploymentSection(t: Tutorial): DeploymentSection | Absent {
  for (const b of allManifests(t)) {
    if (!b.objects.some((o) => isKind(o, 'Deployment'))) continue;
    const update = editsFor(t, b.key).find((e): e is ChangeImageEdit => e.change === 'change-image');
    if (update === undefined) continue;
    const s = serviceSection(t);
    return {
      section: sectionOfBlock(t, b),
      deployment: view(b, 'Deployment'),
      update,
      ...(isAbsent(s) ? {} : { service: s.service, client: s.client }),
    };
  }
  const d = first(t, 'Deployment');
  return {
    absent: d === undefined ? 'no Deployment manifest' : `the Deployment ${d.key} has no image change the text asks for`,
  };
}

/**
 * Debugging (logs, port-forward) works on the rolling update's Deployment; its
 * heading is the one its first `kubectl logs` command sits under (the
 * Deployment's own heading when the text shows none).
 */
export function debuggingSection(t: Tutorial): DeploymentSection | Absent {
  const d = deploymentSection(t);
  if (isAbsent(d)) return d;
  const logs = findCommands(t).find(({ command }) => /^kubectl\s+logs\b/.test(command.text.trim()));
  const heading = logs === undefined ? undefined : findSection(t, { key: logs.transcript.sectionKey });
  return heading === undefined ? d : { ...d, section: heading };
}

export interface NodePortSection extends Located {
  /** The Service as first written (ClusterIP), and as rewritten (NodePort). */
  before: Manifest<'Service'>;
  after: Manifest<'Service'>;
  deployment?: Manifest<'Deployment'>;
}
export function nodePortSection(t: Tutorial): NodePortSection | Absent {
  const after = first(t, 'Service', (o) => o.spec?.type === 'NodePort');
  if (after === undefined) return { absent: 'no NodePort Service manifest' };
  const s = serviceSection(t);
  if (isAbsent(s)) return s;
  const d = deploymentSection(t);
  return {
    section: sectionOfBlock(t, after),
    before: s.service,
    after,
    ...(isAbsent(d) ? {} : { deployment: d.deployment }),
  };
}

// --- Part 2 -------------------------------------------------------------------

export interface SinglePodSection extends Located {
  pod: Manifest<'Pod'>;
}
function podWith(t: Tutorial, what: string, pred: (o: KubeObject) => boolean): SinglePodSection | Absent {
  const pod = first(t, 'Pod', pred);
  return pod === undefined ? { absent: `no Pod manifest with ${what}` } : { section: sectionOfBlock(t, pod), pod };
}
export const healthCheckSection = (t: Tutorial): SinglePodSection | Absent => podWith(t, 'probes', hasProbe);
export const resourcesSection = (t: Tutorial): SinglePodSection | Absent => podWith(t, 'resource limits', hasLimits);
export const volumeSection = (t: Tutorial): SinglePodSection | Absent =>
  podWith(t, 'an emptyDir volume shared by two containers', (o) => hasEmptyDir(o) && containers(o).length >= 2);

export interface AntiAffinitySection extends Located {
  deployment: Manifest<'Deployment'>;
}
export function antiAffinitySection(t: Tutorial): AntiAffinitySection | Absent {
  const deployment = first(t, 'Deployment', hasAntiAffinity);
  return deployment === undefined
    ? { absent: 'no Deployment with pod anti-affinity' }
    : { section: sectionOfBlock(t, deployment), deployment };
}

export interface DisruptionBudgetSection extends Located {
  budget: Manifest<'PodDisruptionBudget'>;
  /**
   * The workload the spec protects with the budget: the Part 1 Deployment
   * (several replicas of the Pods the budget selects; the anti-affinity
   * sample runs only one per node here).
   */
  workload?: Manifest<'Deployment'>;
  /**
   * The course's picture for the rolling reboot ("two Pods of a Deployment of
   * two replicas on a cluster of three nodes"): the anti-affinity Deployment,
   * when the budget selects its Pods.
   */
  spread?: Manifest<'Deployment'>;
}
export function disruptionBudgetSection(t: Tutorial): DisruptionBudgetSection | Absent {
  const budget = first(t, 'PodDisruptionBudget');
  if (budget === undefined) return { absent: 'no PodDisruptionBudget manifest' };
  const d = deploymentSection(t);
  const a = antiAffinitySection(t);
  const selects = Object.entries(budget.object.spec?.selector?.matchLabels ?? {});
  const spread = !isAbsent(a) && selects.length > 0 && selects.every(([k, v]) => podLabels(a.deployment)[k] === v) ? a.deployment : undefined;
  return { section: sectionOfBlock(t, budget), budget, ...(isAbsent(d) ? {} : { workload: d.deployment }), ...(spread ? { spread } : {}) };
}

// --- Exercise -----------------------------------------------------------------

export interface ExerciseSection extends Located {
  /** The Exercise's steps as the text lists them (see helpers/tutorial/exercise.ts). */
  steps: ExerciseStep[];
}

const exercises = new WeakMap<Tutorial, ExerciseSection | Absent>();

/**
 * The course's Exercise: the document whose numbered list asks for every step
 * the suite answers (deploy the Guestbook, probes, `killall apache2`, a
 * failing liveness probe rolled back). Its heading is the section the first
 * step sits under, or the document itself when it has no sections (the
 * Cybozu course's exercise.adoc is a title and a list).
 */
export function exerciseSection(t: Tutorial): ExerciseSection | Absent {
  let found = exercises.get(t);
  if (found === undefined) {
    found = findExercise(t);
    exercises.set(t, found);
  }
  return found;
}

function findExercise(t: Tutorial): ExerciseSection | Absent {
  const limit = maxSourceBytes(undefined);
  let looked: string[] = [];
  for (const doc of t.documents) {
    const r = readExerciseSteps(readSourceText(t.root, doc.file, limit), doc.file);
    if ('missing' in r) {
      looked = r.missing;
      continue;
    }
    const line = r.steps[0]?.source.line ?? 1;
    const heading = doc.sections.filter((s) => s.source.line <= line).at(-1);
    const section = heading ?? { key: `${doc.slug}/exercise`, slug: 'exercise', title: doc.title, headingPath: [], anchor: '', level: 0, source: { file: doc.file, line: 1 }, blocks: [] };
    return { section, steps: r.steps };
  }
  const heading = t.documents.flatMap((d) => d.sections).find((s) => /exercise|演習/i.test(s.title));
  const what = `a numbered list with the Exercise's steps: ${looked.join('; ')}`;
  return { absent: heading === undefined ? `no Exercise (${what})` : `its Exercise heading (${heading.source.file}:${heading.source.line}) lists no steps (${what})` };
}

// --- reading the views -------------------------------------------------------------

/** The labels a workload's pods carry: a Pod's own, or its template's. */
export function podLabels(m: Manifest<'Pod'> | Manifest<'Deployment'> | Manifest<'ReplicaSet'>): Record<string, string> {
  const o = m.object;
  return (isKind(o, 'Pod') ? o.metadata.labels : o.spec?.template?.metadata?.labels) ?? {};
}

/** The first container of a Pod manifest. */
export function firstContainer(m: Manifest<'Pod'>): NonNullable<Kinds['Pod']['spec']>['containers'][number] {
  const c = m.object.spec?.containers[0];
  if (c === undefined) throw new Error(`${m.source.file}:${m.source.line}: Pod ${m.name} has no container`);
  return c;
}

/** `spec.replicas` as written, or Kubernetes' default of 1. */
export function replicasOf(m: Manifest<'Deployment'> | Manifest<'ReplicaSet'>): number {
  return m.object.spec?.replicas ?? 1;
}

export interface SharedVolume {
  volume: string;
  /** The container that mounts the emptyDir read-write, and where. */
  writer: { container: string; path: string };
  /** The container that mounts it read-only (the sidecar), and where. */
  reader: { container: string; path: string };
}

/**
 * The emptyDir a Pod's containers share: who writes, who reads. Called in a
 * test, not when the spec is declared, so a manifest that does not have this
 * shape fails its own test naming the block, not every source's spec file.
 */
export function sharedVolumeOf(m: Manifest<'Pod'>): SharedVolume {
  const where = `${m.source.file}:${m.source.line}: Pod ${m.name}`;
  const spec = m.object.spec;
  const volume = spec?.volumes?.find((v) => v.emptyDir !== undefined)?.name;
  if (volume === undefined) throw new Error(`${where} has no emptyDir volume`);
  const mountIn = (readOnly: boolean) => {
    for (const c of spec?.containers ?? []) {
      const mount = (c.volumeMounts ?? []).find((vm) => vm.name === volume && (vm.readOnly === true) === readOnly);
      if (mount !== undefined) return { container: c.name, path: mount.mountPath };
    }
    throw new Error(`${where}: no container mounts volume ${volume} ${readOnly ? 'read-only' : 'read-write'}`);
  };
  return { volume, writer: mountIn(false), reader: mountIn(true) };
}
