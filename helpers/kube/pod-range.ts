// What a set of pods should look like once it has settled, in the spirit of
// the Kubernetes e2e framework's `Range{MinMatching, MaxMatching,
// AllMatching, NoneMatching}`: a count of live pods (not being deleted) and
// conditions each of them must (or must not) meet. A range is data, so the
// same one describes the wait ("3 live pods, all Running") and its timeout.
import { formatPodState, isPodReady, type Pod } from './state.js';

/** A condition on one pod, with the words that say it ("Running", "on nginx:1.25"). */
export interface PodCondition {
  readonly says: string;
  test(p: Pod): boolean;
}

export interface PodRange {
  /** Exactly this many live pods. */
  count?: number;
  min?: number;
  max?: number;
  /** Every live pod meets it. */
  all?: PodCondition;
  /** No live pod meets it. */
  none?: PodCondition;
  /** At least `min` live pods meet `that`. */
  some?: { min: number; that: PodCondition };
}

export const isLive = (p: Pod): boolean => p.metadata?.deletionTimestamp === undefined;
export const livePods = (pods: readonly Pod[]): Pod[] => pods.filter(isLive);

const condition = (says: string, test: (p: Pod) => boolean): PodCondition => ({ says, test });

export const running: PodCondition = condition('Running', (p) => p.status?.phase === 'Running');
export const ready: PodCondition = condition('Ready', isPodReady);
/** Refused by the scheduler (PodScheduled=False). */
const isUnschedulable = (p: Pod): boolean => (p.status?.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.status === 'False');

/** Running, or refused by the scheduler: nothing more will happen to it by itself. */
export const runningOrUnschedulable: PodCondition = condition('Running or unschedulable', (p) => p.status?.phase === 'Running' || isUnschedulable(p));
/** Ready, refused by the scheduler, or finished: what a budget's status counts will not change by itself. */
export const settledPod: PodCondition = condition(
  'Ready, unschedulable or finished',
  (p) => isPodReady(p) || p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed' || isUnschedulable(p),
);
export const named = (name: string): PodCondition => condition(`named ${name}`, (p) => p.metadata?.name === name);
export const onNode = (node: string): PodCondition => condition(`on node ${node}`, (p) => p.spec?.nodeName === node);
export const onImage = (image: string): PodCondition =>
  condition(`on ${image}`, (p) => (p.spec?.containers ?? []).every((c) => c.image === image));

/** The pods' container images, in container order. */
export const imagesOf = (p: Pod): string[] => (p.spec?.containers ?? []).map((c) => c.image ?? '');

/** Does the set of pods lie in the range? */
export function inRange(pods: readonly Pod[], r: PodRange): boolean {
  const live = livePods(pods);
  if (r.count !== undefined && live.length !== r.count) return false;
  if (r.min !== undefined && live.length < r.min) return false;
  if (r.max !== undefined && live.length > r.max) return false;
  const { all, none, some } = r;
  if (all !== undefined && !live.every((p) => all.test(p))) return false;
  if (none !== undefined && live.some((p) => none.test(p))) return false;
  if (some !== undefined && live.filter((p) => some.that.test(p)).length < some.min) return false;
  return true;
}

/** `3 live pods, all Running, none named web` */
export function describeRange(r: PodRange): string {
  const count =
    r.count !== undefined
      ? `${r.count} live pod(s)`
      : r.min !== undefined && r.max !== undefined
        ? `${r.min}-${r.max} live pods`
        : r.min !== undefined
          ? `at least ${r.min} live pod(s)`
          : r.max !== undefined
            ? `at most ${r.max} live pod(s)`
            : 'live pods';
  return [
    count,
    r.all ? `all ${r.all.says}` : undefined,
    r.none ? `none ${r.none.says}` : undefined,
    r.some ? `at least ${r.some.min} ${r.some.that.says}` : undefined,
  ]
    .filter((x) => x !== undefined)
    .join(', ');
}

export function formatPods(pods: readonly Pod[]): string {
  return pods.length === 0 ? 'no pods' : pods.map(formatPodState).join(' | ');
}
