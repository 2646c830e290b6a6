// Rollout arithmetic, kept pure so it can be unit-tested against the rules
// kubectl and the Deployment controller use.
import type { V1DeploymentStrategy } from '@kubernetes/client-node';
import type { Deployment } from './state.js';
import type { Wire } from './wire.js';

export interface RolloutStatus {
  done: boolean;
  /** kubectl's wording: "Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...". */
  message: string;
  /** Set when the rollout can no longer finish (ProgressDeadlineExceeded). */
  failed?: string;
}

/** The same decision as `kubectl rollout status deployment/NAME` (DeploymentStatusViewer). */
export function deploymentRolloutStatus(d: Deployment): RolloutStatus {
  const name = d.metadata?.name ?? '?';
  const s = d.status ?? {};
  const generation = d.metadata?.generation ?? 0;
  if (generation > (s.observedGeneration ?? 0)) {
    return { done: false, message: 'Waiting for deployment spec update to be observed...' };
  }
  const progressing = s.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    const why = `deployment "${name}" exceeded its progress deadline`;
    return { done: false, message: why, failed: why };
  }
  const updated = s.updatedReplicas ?? 0;
  const desired = d.spec?.replicas;
  if (desired !== undefined && updated < desired) {
    return {
      done: false,
      message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${desired} new replicas have been updated...`,
    };
  }
  const current = s.replicas ?? 0;
  if (current > updated) {
    return {
      done: false,
      message: `Waiting for deployment "${name}" rollout to finish: ${current - updated} old replicas are pending termination...`,
    };
  }
  const available = s.availableReplicas ?? 0;
  if (available < updated) {
    return {
      done: false,
      message: `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...`,
    };
  }
  return { done: true, message: `deployment "${name}" successfully rolled out` };
}

/** An int-or-percent scaled against a total, rounding as Kubernetes does (intstr.GetScaledValueFromIntOrPercent). */
export function scaledValue(value: number | string | undefined, total: number, roundUp: boolean, fallback: string): number {
  const v = value ?? fallback;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) {
    const n = Number(v);
    if (Number.isInteger(n)) return n;
    throw new Error(`invalid int-or-percent value "${v}"`);
  }
  const scaled = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

export interface RolloutBounds {
  replicas: number;
  /** Pods that must stay available throughout: replicas - maxUnavailable. */
  minAvailable: number;
  /** Pods that may exist at once: replicas + maxSurge. */
  maxTotal: number;
  maxSurge: number;
  maxUnavailable: number;
}

/**
 * What a Deployment's strategy allows during a rollout (deploymentutil.ResolveFenceposts):
 * maxSurge rounds up, maxUnavailable rounds down, both default to 25%, and when
 * both come out 0 maxUnavailable becomes 1. Recreate allows everything to go.
 */
export function rolloutBounds(replicas: number, strategy: Wire<V1DeploymentStrategy> | undefined): RolloutBounds {
  if (strategy?.type === 'Recreate') {
    return { replicas, minAvailable: 0, maxTotal: replicas, maxSurge: 0, maxUnavailable: replicas };
  }
  const ru = strategy?.rollingUpdate;
  const maxSurge = scaledValue(ru?.maxSurge, replicas, true, '25%');
  let maxUnavailable = scaledValue(ru?.maxUnavailable, replicas, false, '25%');
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  maxUnavailable = Math.min(maxUnavailable, replicas);
  return {
    replicas,
    minAvailable: Math.max(0, replicas - maxUnavailable),
    maxTotal: replicas + maxSurge,
    maxSurge,
    maxUnavailable,
  };
}
