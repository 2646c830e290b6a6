// The time a section cannot take less than, whatever the cluster or the suite
// does: the delays its manifests impose on the behaviour the text promises
// (probe delays and periods, rollout steps held back by readiness). Pod
// start-up and API latency are costs of the cluster, not of the manifests,
// and are not counted. Which sections have a floor is said in the section
// table (sections.ts); the arithmetic is here.
import type { V1Probe } from '@kubernetes/client-node';
import type { Kinds } from '../kube/index.js';

export type Probe = Pick<V1Probe, 'initialDelaySeconds' | 'periodSeconds' | 'successThreshold' | 'failureThreshold'>;

export interface Floor {
  seconds: number;
  why: string;
}

export interface SectionFloor extends Floor {
  section: string;
}

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

/**
 * A rolling update: each of the ceil(replicas / maxSurge) steps waits for the
 * new pods' readiness (0 without a readiness probe).
 */
export function deploymentFloor(d: Kinds['Deployment']): Floor {
  const replicas = d.spec?.replicas ?? 1;
  const steps = Math.ceil(replicas / Math.max(1, Math.ceil(replicas * 0.25)));
  const per = readyAfter(d.spec?.template.spec?.containers[0]?.readinessProbe);
  return { seconds: steps * per, why: `${steps} rollout step(s) x ${per} s readiness` };
}

/**
 * Health checks: Ready (readiness), then the liveness failure after the file
 * is removed, then Ready again and a liveness window of the restarted
 * container (no loop).
 */
export function healthCheckFloor(pod: Kinds['Pod']): Floor {
  const c = pod.spec?.containers[0];
  const live = c?.livenessProbe;
  const ready = readyAfter(c?.readinessProbe);
  const dead = deadAfter(live);
  // After the restart: Ready again, and long enough for the liveness probe
  // of the new container to fail again if it would (no restart loop).
  const again = Math.max(ready, live === undefined ? 0 : (live.initialDelaySeconds ?? 0) + dead);
  return {
    seconds: ready + dead + again,
    why: `Ready after ${ready} s, liveness fails ${dead} s after the file is removed, then ${again} s to be Ready again and see no second restart`,
  };
}

/** How long the Exercise waits on `kubectl rollout status` of a rollout that cannot succeed, to show that it does not. */
export const ROLLOUT_STATUS_BOUND_SECONDS = 20;

/**
 * The Exercise (the suite's answer, manifests/exercise-answer/): the failing
 * frontend must fail its liveness probe once (a restart seen), and
 * `kubectl rollout status` is given a bounded wait to show it never succeeds.
 */
export function exerciseFloor(failing: Kinds['Deployment']): Floor {
  const dead = deadAfter(failing.spec?.template.spec?.containers[0]?.livenessProbe);
  return {
    seconds: dead + ROLLOUT_STATUS_BOUND_SECONDS,
    why: `the failing frontend restarts ${dead} s after it starts; rollout status is watched ${ROLLOUT_STATUS_BOUND_SECONDS} s`,
  };
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
