// "Observe while": record every change to a Deployment's pods while an action
// runs (a rolling update, a drain, an eviction), so a spec can assert that
// availability never dropped below what the strategy allows. Built on the same
// list-then-watch as the waits: the first list is the starting state, then
// every watch event (and every change a re-list finds) is kept with its time.
import type { V1LabelSelector } from '@kubernetes/client-node';
import type { Kube } from './client.js';
import { paths } from './discovery.js';
import { isPodReady, type Deployment, type Pod } from './state.js';
import { ListWatch, type WatchEvent } from './watch.js';
import type { Wire } from './wire.js';

/** A label selector object as the string `kubectl -l` takes. */
export function labelSelectorString(sel: Wire<V1LabelSelector> | undefined): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(sel?.matchLabels ?? {})) parts.push(`${k}=${v}`);
  for (const e of sel?.matchExpressions ?? []) {
    const vals = (e.values ?? []).join(',');
    switch (e.operator) {
      case 'In':
        parts.push(`${e.key} in (${vals})`);
        break;
      case 'NotIn':
        parts.push(`${e.key} notin (${vals})`);
        break;
      case 'Exists':
        parts.push(e.key);
        break;
      case 'DoesNotExist':
        parts.push(`!${e.key}`);
        break;
      default:
        throw new Error(`unknown label selector operator ${e.operator}`);
    }
  }
  return parts.join(',');
}

export interface AvailabilitySample {
  at: Date;
  /** What changed: `ADDED web-abc`, `MODIFIED web-abc`, or `start`. */
  change: string;
  /** Ready and not being deleted: what a Deployment counts as serving. */
  available: number;
  /** Pods that exist and have not finished, being deleted or not. */
  present: number;
  /** Pods that exist, have not finished, and are not being deleted. */
  active: number;
}

function counts(pods: Iterable<Pod>): Omit<AvailabilitySample, 'at' | 'change'> {
  let available = 0;
  let present = 0;
  let active = 0;
  for (const p of pods) {
    const phase = p.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    present++;
    const terminating = Boolean(p.metadata?.deletionTimestamp);
    if (!terminating) active++;
    if (!terminating && isPodReady(p)) available++;
  }
  return { available, present, active };
}

/** The pod counts after each event, starting from the initial list. Pure: replayable in unit tests. */
export function availabilityTimeline(initial: readonly Pod[], events: readonly WatchEvent<Pod>[], start = new Date(0)): AvailabilitySample[] {
  const key = (p: Pod): string => p.metadata?.uid ?? p.metadata?.name ?? '?';
  const current = new Map(initial.map((p) => [key(p), p]));
  const out: AvailabilitySample[] = [{ at: start, change: 'start', ...counts(current.values()) }];
  for (const ev of events) {
    if (ev.type === 'DELETED') current.delete(key(ev.object));
    else current.set(key(ev.object), ev.object);
    out.push({ at: ev.at, change: `${ev.type} ${ev.object.metadata?.name ?? '?'}`, ...counts(current.values()) });
  }
  return out;
}

export interface Observation<R> {
  result: R;
  /** Pods at the start. */
  initial: Pod[];
  /** Every change seen while the action ran, in order. */
  events: WatchEvent<Pod>[];
  timeline: AvailabilitySample[];
  /** Lowest `available` over the timeline, and the highest `active`. */
  minAvailable: number;
  maxActive: number;
}

/**
 * Runs `action` while watching the pods selected by Deployment `name`, and
 * returns what the action returned plus every pod change seen meanwhile. Make
 * the action wait for what it needs (e.g. `rolloutComplete`) before returning.
 */
export async function observeDeploymentPods<R>(
  kube: Kube,
  ns: string,
  name: string,
  action: () => Promise<R>,
): Promise<Observation<R>> {
  const d = await kube.json<Deployment>({
    path: `/apis/apps/v1/namespaces/${ns}/deployments/${name}`,
    timeoutMs: 10_000,
  });
  const selector = labelSelectorString(d.spec?.selector);
  return observePods(kube, ns, selector, action);
}

/** Same as observeDeploymentPods, for any label selector. */
export async function observePods<R>(kube: Kube, ns: string, labelSelector: string, action: () => Promise<R>): Promise<Observation<R>> {
  const events: WatchEvent<Pod>[] = [];
  let fatal: Error | undefined;
  const lw = new ListWatch<Pod>(kube, paths.pods(ns), { labelSelector }, {
    onEvent: (ev) => events.push(ev),
    onFatal: (err) => (fatal = err),
  });
  await lw.start();
  const start = new Date();
  // The initial list; events recorded from here on.
  const initial = lw.objects();
  events.length = 0;
  let result: R;
  try {
    result = await action();
  } finally {
    lw.stop();
  }
  if (fatal) throw new Error(`lost the watch on pods ${labelSelector} in ${ns} while observing: ${fatal.message}`);
  const timeline = availabilityTimeline(initial, events, start);
  return {
    result,
    initial,
    events,
    timeline,
    minAvailable: Math.min(...timeline.map((s) => s.available)),
    maxActive: Math.max(...timeline.map((s) => s.active)),
  };
}

/** The timeline as a table, for assertion messages. */
export function formatTimeline(timeline: readonly AvailabilitySample[]): string {
  const t0 = timeline[0]?.at.getTime() ?? 0;
  return timeline
    .map((s) => `+${((s.at.getTime() - t0) / 1000).toFixed(1)}s ${s.change}: available=${s.available} active=${s.active} present=${s.present}`)
    .join('\n');
}
