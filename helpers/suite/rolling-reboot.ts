// The course's rolling reboot under a PodDisruptionBudget: the nodes are
// drained one after the other, each drain starting while the node before it
// is still "rebooting" (its evicted pods terminating, their replacements
// starting), as an administrator working through a list does. The budget is
// what makes a drain wait: an eviction it would not survive is refused (429)
// and retried once the budget allows a disruption again.
//
// Only the section's own pods are evicted (the namespace's): other sections
// run beside this one on the same nodes, and their pods are not this story's.
// Cordons are undone by the namespace's cleanup, also when a step fails.
import { evictAll, evictedPodsGone, formatTimeline, observePods, setUnschedulable, type DrainedPod, type Observation, type Pod } from '../kube/index.js';
import type { SpecNamespace } from './spec-namespace.js';

export interface NodeDrain {
  node: string;
  drained: DrainedPod[];
}

export interface RollingReboot {
  drains: NodeDrain[];
  /** The section's pods, watched from before the first cordon to after the last uncordon. */
  observed: Observation<void>;
}

/** Drains `nodes` in order (cordon, evict the selected pods, uncordon once they are gone), watching availability throughout. */
export async function rollingReboot(ns: SpecNamespace, o: { selector: string; budget: string; nodes: readonly string[]; timeoutMs: number }): Promise<RollingReboot> {
  const drains: NodeDrain[] = [];
  const cordoned = new Set<string>();
  ns.cleanup.add(`uncordon the nodes the rolling reboot cordoned`, async () => {
    for (const n of cordoned) await setUnschedulable(ns.kube, n, false);
  });
  const deadline = Date.now() + o.timeoutMs;
  const left = (): number => Math.max(1_000, deadline - Date.now());
  const observed = await observePods(ns.kube, ns.name, o.selector, async () => {
    const reboots: Promise<void>[] = [];
    try {
      await drainEach(reboots);
    } finally {
      // A failed drain still lets the nodes before it come back before the error is reported.
      await Promise.allSettled(reboots);
    }
    await Promise.all(reboots);
  });
  return { drains, observed };

  async function drainEach(reboots: Promise<void>[]): Promise<void> {
    for (const node of o.nodes) {
      await setUnschedulable(ns.kube, node, true);
      cordoned.add(node);
      const on = (await ns.pods(o.selector).list()).filter((p) => p.spec?.nodeName === node && p.metadata?.deletionTimestamp === undefined);
      const drained = await evictAll(ns.kube, ns.name, on, o.budget, { timeoutMs: left() });
      drains.push({ node, drained });
      // The node "reboots" while the next drain starts: back in service once its pods are gone.
      reboots.push(
        evictedPodsGone(ns.kube, ns.name, on, { timeoutMs: left() }).then(async () => {
          await setUnschedulable(ns.kube, node, false);
          cordoned.delete(node);
        }),
      );
    }
  }
}

/** The drains in words, for assertion messages. Pure. */
export function formatDrains(r: RollingReboot): string {
  const lines = r.drains.map(
    (d) =>
      `  ${d.node}: ${
        d.drained.length === 0
          ? 'no pod of the section'
          : d.drained
              .map((p) => `${p.pod} evicted after ${p.refusals} refusal(s), ${(p.waitedMs / 1000).toFixed(1)} s${p.firstRefusal ? ` (first: ${p.firstRefusal})` : ''}`)
              .join('; ')
      }`,
  );
  return `drains:\n${lines.join('\n')}\navailability of the section's pods:\n${formatTimeline(r.observed.timeline)}`;
}

/** The pods a drain order starts with: nodes that run the section's pods first (by name), then the rest. Pure. */
export function drainOrder(nodes: readonly string[], pods: readonly Pod[]): string[] {
  const busy = new Set(pods.map((p) => p.spec?.nodeName).filter((n): n is string => n !== undefined));
  return [...nodes].sort((a, b) => Number(busy.has(b)) - Number(busy.has(a)) || a.localeCompare(b));
}
