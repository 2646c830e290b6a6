// Nodes as an administrator handles them during maintenance: cordon, drain
// (the Eviction API, as `kubectl drain` uses it: a refusal by a
// PodDisruptionBudget is retried when the budget allows again, not after a
// fixed pause), uncordon, and the waits for a node to go NotReady or come
// back Ready. Cluster-scoped: callers undo what they change (uncordon).
import type { V1Node, V1PodDisruptionBudget } from '@kubernetes/client-node';
import type { Kube } from './client.js';
import { paths } from './discovery.js';
import { evictPod } from './eviction.js';
import type { Pod } from './state.js';
import { objectGone } from './waits.js';
import { byName, waitFor, type WaitOptions } from './watch.js';
import type { KubeList, Wire } from './wire.js';

export type Node = Wire<V1Node>;
type Budget = Wire<V1PodDisruptionBudget>;

const NODES = '/api/v1/nodes';

/** The node's Ready condition: 'True', 'False', 'Unknown' (its kubelet stopped posting status), or undefined. */
export function nodeReadyStatus(n: Node): string | undefined {
  return (n.status?.conditions ?? []).find((c) => c.type === 'Ready')?.status;
}

/** One line per node, for timeouts and failure messages. Pure. */
export function formatNode(n: Node): string {
  const ready = (n.status?.conditions ?? []).find((c) => c.type === 'Ready');
  const taints = (n.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`);
  return (
    `node ${n.metadata?.name ?? '?'}: Ready=${ready?.status ?? '?'}${ready?.reason ? ` (${ready.reason})` : ''}` +
    (n.spec?.unschedulable === true ? ', cordoned' : '') +
    (taints.length > 0 ? `, taints ${taints.join(' ')}` : '')
  );
}

export async function listNodes(kube: Kube): Promise<Node[]> {
  return (await kube.json<KubeList<Node>>({ path: NODES, timeoutMs: 15_000 })).items;
}

/** Marks the node (un)schedulable, as `kubectl cordon` / `uncordon` do. */
export async function setUnschedulable(kube: Kube, node: string, unschedulable: boolean): Promise<void> {
  await kube.json({
    method: 'PATCH',
    path: `${NODES}/${node}`,
    contentType: 'application/merge-patch+json',
    body: JSON.stringify({ spec: { unschedulable: unschedulable ? true : null } }),
    timeoutMs: 15_000,
  });
}

/** Waits until the node's Ready condition has `status` ('True' back in service, 'Unknown' once it stopped answering). */
export function nodeReadyIs(kube: Kube, node: string, status: 'True' | 'False' | 'Unknown', opts: WaitOptions = {}): Promise<Node> {
  return waitFor<Node, Node>(kube, NODES, ([n]) => (n !== undefined && nodeReadyStatus(n) === status ? n : undefined), {
    ...opts,
    fieldSelector: byName(node),
    describe: `node ${node} to have Ready=${status}`,
    lastSeen: ([n]) => (n ? formatNode(n) : `node ${node} does not exist`),
  });
}

/** The taints the node lifecycle controller puts on a node that is not in service. */
export const OUT_OF_SERVICE_TAINTS: readonly string[] = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];

/** Waits until the node is back in service: Ready, and the not-ready/unreachable taints of its absence removed. */
export function nodeInService(kube: Kube, node: string, opts: WaitOptions = {}): Promise<Node> {
  return waitFor<Node, Node>(
    kube,
    NODES,
    ([n]) => (n !== undefined && nodeReadyStatus(n) === 'True' && !(n.spec?.taints ?? []).some((t) => OUT_OF_SERVICE_TAINTS.includes(t.key)) ? n : undefined),
    {
      ...opts,
      fieldSelector: byName(node),
      describe: `node ${node} to be Ready without the not-ready/unreachable taints`,
      lastSeen: ([n]) => (n ? formatNode(n) : `node ${node} does not exist`),
    },
  );
}

/** One eviction of a drain: when it was asked, how often the budget refused it first, and how long it waited. */
export interface DrainedPod {
  pod: string;
  node: string;
  /** 429 answers before the eviction was allowed, with the server's words of the first one. */
  refusals: number;
  firstRefusal?: string;
  /** From the first request to the allowed one. */
  waitedMs: number;
}

/**
 * Evicts `pods` (already chosen: a drain of one node) one by one. A refusal
 * (429: a budget would be broken) is retried as soon as the budget's status
 * allows a disruption again, watched, within the deadline; anything else fails.
 */
export async function evictAll(kube: Kube, ns: string, pods: readonly Pod[], budget: string, opts: WaitOptions = {}): Promise<DrainedPod[]> {
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  const out: DrainedPod[] = [];
  for (const p of pods) {
    const name = p.metadata?.name ?? '';
    const started = Date.now();
    const drained: DrainedPod = { pod: name, node: p.spec?.nodeName ?? '?', refusals: 0, waitedMs: 0 };
    for (;;) {
      const r = await evictPod(kube, ns, name);
      if (r.allowed) break;
      if (r.status !== 429) throw new Error(`evicting ${ns}/${name} failed with HTTP ${r.status}: ${r.message} ${r.causes.join('; ')}`);
      drained.refusals++;
      drained.firstRefusal ??= [r.message, ...r.causes].join(' ');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`evicting ${ns}/${name}: still refused after ${drained.refusals} tries: ${drained.firstRefusal}`);
      await budgetAllowsDisruption(kube, ns, budget, { timeoutMs: left });
    }
    drained.waitedMs = Date.now() - started;
    out.push(drained);
  }
  return out;
}

/** Waits until the budget's status allows at least one disruption. */
export function budgetAllowsDisruption(kube: Kube, ns: string, budget: string, opts: WaitOptions = {}): Promise<Budget> {
  return waitFor<Budget, Budget>(
    kube,
    paths.podDisruptionBudgets(ns),
    ([b]) => ((b?.status?.disruptionsAllowed ?? 0) > 0 ? b : undefined),
    {
      ...opts,
      fieldSelector: byName(budget),
      describe: `budget ${ns}/${budget} to allow a disruption again`,
      lastSeen: ([b]) =>
        b ? `disruptionsAllowed=${b.status?.disruptionsAllowed ?? '?'} currentHealthy=${b.status?.currentHealthy ?? '?'} desiredHealthy=${b.status?.desiredHealthy ?? '?'}` : 'no budget',
    },
  );
}

/** Waits until each evicted pod is gone (its graceful termination done), as `kubectl drain` does before it returns. */
export async function evictedPodsGone(kube: Kube, ns: string, pods: readonly Pod[], opts: WaitOptions = {}): Promise<void> {
  for (const p of pods) {
    await objectGone(kube, paths.pods(ns), p.metadata?.name ?? '', { ...opts, what: `evicted pod ${ns}/${p.metadata?.name ?? '?'}` });
  }
}
