// The time a section cannot take less than, whatever the cluster or the suite
// does: the delays its manifests impose on the behaviour the text promises
// (probe delays and periods, rollout steps held back by readiness). Pod
// start-up and API latency are costs of the cluster, not of the manifests,
// and are not counted.
import { containersOf, replicasOf, type KubeObject, type Tutorial } from '../tutorial/index.js';
import {
  antiAffinitySection,
  deploymentSection,
  disruptionBudgetSection,
  healthCheckSection,
  isAbsent,
  nodePortSection,
  podSection,
  podToPodSection,
  replicaSetSection,
  resourcesSection,
  serviceSection,
  volumeSection,
  type Json,
} from './tutorial-sections.js';

export type Probe = { initialDelaySeconds?: number; periodSeconds?: number; successThreshold?: number; failureThreshold?: number };

/** Seconds from container start until a readiness probe first passes successThreshold times. */
export function readyAfter(p: Probe | undefined): number {
  if (p === undefined) return 0;
  return (p.initialDelaySeconds ?? 0) + ((p.successThreshold ?? 1) - 1) * (p.periodSeconds ?? 10);
}

/** Seconds a liveness probe needs to declare a broken container dead (failureThreshold failures). */
export function deadAfter(p: Probe | undefined): number {
  if (p === undefined) return 0;
  return (p.failureThreshold ?? 3) * (p.periodSeconds ?? 10);
}

function readinessOf(o: KubeObject): Probe | undefined {
  return (containersOf(o)[0] as Json | undefined)?.readinessProbe as Probe | undefined;
}

export interface SectionFloor {
  section: string;
  seconds: number;
  why: string;
}

/**
 * Floors of the sections of one source. Health checks: Ready (readiness),
 * then the liveness failure after the file is removed, then Ready again and a
 * liveness window of the restarted container (no loop).
 * A rolling update: each of the ceil(replicas / maxSurge) steps waits for the
 * new pods' readiness (0 without a readiness probe).
 */
export function sectionFloors(t: Tutorial): SectionFloor[] {
  const floors: SectionFloor[] = [];
  const none = (section: string, located: object): void => {
    if (!isAbsent(located)) floors.push({ section, seconds: 0, why: 'no probe or rollout delay in its manifests' });
  };
  none('pod', podSection(t));
  none('pod-to-pod', podToPodSection(t));
  none('service', serviceSection(t));
  none('replicaset', replicaSetSection(t));
  const d = deploymentSection(t);
  if (!isAbsent(d)) {
    const obj = d.deployment.objects[0]!;
    const replicas = replicasOf(obj) ?? 1;
    const steps = Math.ceil(replicas / Math.max(1, Math.ceil(replicas * 0.25)));
    const per = readyAfter(readinessOf(obj));
    floors.push({ section: 'deployment', seconds: steps * per, why: `${steps} rollout step(s) x ${per} s readiness` });
    floors.push({ section: 'debugging', seconds: 0, why: 'no probe or rollout delay in its manifests' });
  }
  none('nodeport', nodePortSection(t));
  const h = healthCheckSection(t);
  if (!isAbsent(h)) {
    const c = containersOf(h.pod.objects[0]!)[0] as Json;
    const live = c.livenessProbe as Probe | undefined;
    const ready = readyAfter(c.readinessProbe as Probe | undefined);
    const dead = deadAfter(live);
    // After the restart: Ready again, and long enough for the liveness probe
    // of the new container to fail again if it would (no restart loop).
    const again = Math.max(ready, live === undefined ? 0 : (live.initialDelaySeconds ?? 0) + dead);
    floors.push({
      section: 'health-checks',
      seconds: ready + dead + again,
      why: `Ready after ${ready} s, liveness fails ${dead} s after the file is removed, then ${again} s to be Ready again and see no second restart`,
    });
  }
  none('resources', resourcesSection(t));
  none('volume', volumeSection(t));
  none('anti-affinity', antiAffinitySection(t));
  none('pod-disruption-budget', disruptionBudgetSection(t));
  return floors;
}

/**
 * The floor of a whole run: sections run in parallel (one spec file each) and
 * the sources of a section one after another, so the critical path is the
 * section whose floors, summed over the sources, are the largest.
 */
export function criticalPath(perSource: ReadonlyArray<readonly SectionFloor[]>): { section: string; seconds: number } {
  const sums = new Map<string, number>();
  for (const floors of perSource) for (const f of floors) sums.set(f.section, (sums.get(f.section) ?? 0) + f.seconds);
  let best = { section: '(none)', seconds: 0 };
  for (const [section, seconds] of sums) if (seconds > best.seconds) best = { section, seconds };
  return best;
}
