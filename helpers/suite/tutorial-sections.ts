// Where each section the suite verifies is in a tutorial source. Sections are
// found by what their manifests are (a Pod with a liveness probe, the first
// ReplicaSet, ...), never by title or line: titles differ between sources
// (Japanese in both, and worded differently), and an edit that moves text
// around must not lose a section. Names of objects are then read from the
// manifests, so the specs assert what this source's text says.
import {
  containersOf,
  editsFor,
  manifestAfterEdits,
  podSpecsOf,
  type ChangeImageEdit,
  type Edit,
  type KubeObject,
  type ManifestBlock,
  type Section,
  type SetReplicasEdit,
  type Tutorial,
} from '../tutorial/index.js';
import { allManifests, findSection } from '../tutorial/query.js';

export type Json = Record<string, unknown>;

/** A section is absent from a source when none of its manifests is there. */
export interface Absent {
  absent: string;
}

export function isAbsent<T>(x: T | Absent): x is Absent {
  return typeof x === 'object' && x !== null && 'absent' in x;
}

export interface Located {
  section: Section;
}

function sectionOfBlock(t: Tutorial, block: ManifestBlock): Section {
  const s = findSection(t, { key: block.sectionKey });
  if (s === undefined) throw new Error(`${t.name}: manifest ${block.key} has no section ${block.sectionKey}`);
  return s;
}

function first(t: Tutorial, pred: (o: KubeObject, b: ManifestBlock) => boolean): ManifestBlock | undefined {
  return allManifests(t).find((b) => b.objects.some((o) => pred(o, b)));
}

function objectOf(block: ManifestBlock, kind: string): KubeObject {
  const o = block.objects.find((x) => x.kind === kind);
  if (o === undefined) throw new Error(`manifest ${block.key} has no ${kind}`);
  return o;
}

const containers = (o: KubeObject): Json[] => containersOf(o) as Json[];
const podSpec = (o: KubeObject): Json => (podSpecsOf(o)[0] ?? {}) as Json;
const hasProbe = (o: KubeObject): boolean => containers(o).some((c) => c.livenessProbe !== undefined || c.readinessProbe !== undefined);
const hasLimits = (o: KubeObject): boolean => containers(o).some((c) => (c.resources as Json | undefined)?.limits !== undefined);
const hasEmptyDir = (o: KubeObject): boolean =>
  ((podSpec(o).volumes as Json[] | undefined) ?? []).some((v) => v.emptyDir !== undefined);
const hasAntiAffinity = (o: KubeObject): boolean => (podSpec(o).affinity as Json | undefined)?.podAntiAffinity !== undefined;
const hasCommand = (o: KubeObject): boolean => containers(o).some((c) => c.command !== undefined || c.args !== undefined);
const isPlainPod = (o: KubeObject): boolean =>
  o.kind === 'Pod' && !hasProbe(o) && !hasLimits(o) && !hasEmptyDir(o) && !hasCommand(o);

// --- Part 1 -------------------------------------------------------------------

export interface PodSection extends Located {
  pod: ManifestBlock;
}
/** The first plain Pod: the nginx Pod the reader deploys first. */
export function podSection(t: Tutorial): PodSection | Absent {
  const pod = first(t, isPlainPod);
  return pod === undefined ? { absent: 'no plain Pod manifest (one container, no probes, limits or volumes)' } : { section: sectionOfBlock(t, pod), pod };
}

export interface PodToPodSection extends PodSection {
  client: ManifestBlock;
}
/** A Pod that runs a command of its own (the bastion), used to reach the first Pod. */
export function podToPodSection(t: Tutorial): PodToPodSection | Absent {
  const p = podSection(t);
  if (isAbsent(p)) return p;
  const client = first(t, (o) => o.kind === 'Pod' && hasCommand(o));
  if (client === undefined) return { absent: 'no client Pod (a Pod whose container runs its own command, like the bastion)' };
  return { section: sectionOfBlock(t, client), pod: p.pod, client };
}

export interface ServiceSection extends PodToPodSection {
  service: ManifestBlock;
}
/** The first Service, in front of the first Pod. */
export function serviceSection(t: Tutorial): ServiceSection | Absent {
  const p = podToPodSection(t);
  if (isAbsent(p)) return p;
  const service = first(t, (o) => o.kind === 'Service' && ((o.spec as Json | undefined)?.type ?? 'ClusterIP') === 'ClusterIP');
  if (service === undefined) return { absent: 'no ClusterIP Service manifest' };
  return { ...p, section: sectionOfBlock(t, service), service };
}

export interface ReplicaSetSection extends PodSection {
  replicaSet: ManifestBlock;
  scaling: SetReplicasEdit[];
}
export function replicaSetSection(t: Tutorial): ReplicaSetSection | Absent {
  const p = podSection(t);
  if (isAbsent(p)) return p;
  const replicaSet = first(t, (o) => o.kind === 'ReplicaSet');
  if (replicaSet === undefined) return { absent: 'no ReplicaSet manifest' };
  const scaling = editsFor(t, replicaSet.key).filter((e): e is SetReplicasEdit => e.change === 'set-replicas');
  return { section: sectionOfBlock(t, replicaSet), pod: p.pod, replicaSet, scaling };
}

export interface DeploymentSection extends Located {
  deployment: ManifestBlock;
  /** The image change the text asks for (first image -> second image). */
  update: ChangeImageEdit;
  service?: ManifestBlock;
  client?: ManifestBlock;
}
/** The Deployment whose image the text asks to change: the rolling update. */
export function deploymentSection(t: Tutorial): DeploymentSection | Absent {
  for (const b of allManifests(t)) {
    if (!b.objects.some((o) => o.kind === 'Deployment')) continue;
    const update = editsFor(t, b.key).find((e): e is ChangeImageEdit => e.change === 'change-image');
    if (update === undefined) continue;
    const s = serviceSection(t);
    return {
      section: sectionOfBlock(t, b),
      deployment: b,
      update,
      ...(isAbsent(s) ? {} : { service: s.service, client: s.client }),
    };
  }
  const d = first(t, (o) => o.kind === 'Deployment');
  return {
    absent: d === undefined ? 'no Deployment manifest' : `the Deployment ${d.key} has no image change the text asks for`,
  };
}

export interface NodePortSection extends Located {
  /** The Service as first written (ClusterIP), and as rewritten (NodePort). */
  before: ManifestBlock;
  after: ManifestBlock;
  deployment?: ManifestBlock;
}
export function nodePortSection(t: Tutorial): NodePortSection | Absent {
  const after = first(t, (o) => o.kind === 'Service' && (o.spec as Json | undefined)?.type === 'NodePort');
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
  pod: ManifestBlock;
}
function podWith(t: Tutorial, what: string, pred: (o: KubeObject) => boolean): SinglePodSection | Absent {
  const pod = first(t, (o) => o.kind === 'Pod' && pred(o));
  return pod === undefined ? { absent: `no Pod manifest with ${what}` } : { section: sectionOfBlock(t, pod), pod };
}
export const healthCheckSection = (t: Tutorial): SinglePodSection | Absent => podWith(t, 'probes', hasProbe);
export const resourcesSection = (t: Tutorial): SinglePodSection | Absent => podWith(t, 'resource limits', hasLimits);
export const volumeSection = (t: Tutorial): SinglePodSection | Absent =>
  podWith(t, 'an emptyDir volume', (o) => hasEmptyDir(o) && containers(o).length >= 2);

export interface AntiAffinitySection extends Located {
  deployment: ManifestBlock;
}
export function antiAffinitySection(t: Tutorial): AntiAffinitySection | Absent {
  const deployment = first(t, (o) => o.kind === 'Deployment' && hasAntiAffinity(o));
  return deployment === undefined
    ? { absent: 'no Deployment with pod anti-affinity' }
    : { section: sectionOfBlock(t, deployment), deployment };
}

export interface DisruptionBudgetSection extends Located {
  budget: ManifestBlock;
  /** The workload the budget protects in the text: the anti-affinity Deployment before it. */
  workload?: ManifestBlock;
}
export function disruptionBudgetSection(t: Tutorial): DisruptionBudgetSection | Absent {
  const budget = first(t, (o) => o.kind === 'PodDisruptionBudget');
  if (budget === undefined) return { absent: 'no PodDisruptionBudget manifest' };
  const a = antiAffinitySection(t);
  return { section: sectionOfBlock(t, budget), budget, ...(isAbsent(a) ? {} : { workload: a.deployment }) };
}

// --- helpers for specs -----------------------------------------------------------

export { objectOf, manifestAfterEdits };
export type { Edit };

/** The first container of the first pod template/spec of an object. */
export function firstContainer(o: KubeObject): Json {
  const c = containers(o)[0];
  if (c === undefined) throw new Error(`${o.kind} ${o.metadata.name} has no container`);
  return c;
}

export function labelsOfTemplate(o: KubeObject): Record<string, string> {
  if (o.kind === 'Pod') return (o.metadata.labels ?? {}) as Record<string, string>;
  const tpl = ((o.spec as Json | undefined)?.template as Json | undefined)?.metadata as Json | undefined;
  return (tpl?.labels ?? {}) as Record<string, string>;
}

export function selectorString(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
