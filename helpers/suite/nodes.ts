// The cluster's nodes as the scheduling sections see them.
import type { V1Node } from '@kubernetes/client-node';
import type { Kube, KubeList, Pod, Wire } from '../kube/index.js';

/** Nodes a Pod without tolerations can be scheduled on: not cordoned, no NoSchedule/NoExecute taint. */
export async function schedulableNodes(kube: Kube): Promise<Wire<V1Node>[]> {
  const nodes = await kube.json<KubeList<Wire<V1Node>>>({ path: '/api/v1/nodes', timeoutMs: 15_000 });
  return nodes.items.filter((n) => n.spec?.unschedulable !== true && !(n.spec?.taints ?? []).some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute'));
}

/**
 * The cluster's size for pods: nodes a Pod without tolerations may run on
 * once they are in service, so a cordon or a node's transient not-ready and
 * unreachable taints (another spec's drain or node loss) do not shrink it;
 * the control plane's NoSchedule taint does.
 */
export async function nodesForPods(kube: Kube): Promise<string[]> {
  const transient = new Set(['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable', 'node.kubernetes.io/unschedulable']);
  const nodes = await kube.json<KubeList<Wire<V1Node>>>({ path: '/api/v1/nodes', timeoutMs: 15_000 });
  return nodes.items
    .filter((n) => !(n.spec?.taints ?? []).some((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !transient.has(t.key)))
    .map((n) => n.metadata?.name ?? '');
}

/** Nodes that run more than one of the pods, with their names. */
export function sharedNodes(pods: readonly Pod[]): Map<string, string[]> {
  const byNode = new Map<string, string[]>();
  for (const p of pods) {
    const node = p.spec?.nodeName;
    if (node !== undefined) byNode.set(node, [...(byNode.get(node) ?? []), p.metadata?.name ?? '?']);
  }
  return new Map([...byNode].filter(([, names]) => names.length > 1));
}

/**
 * Nodes the node-loss spec needs: the course's cluster of three, and one more
 * than the replicas, so the lost replica has a free node to come back on.
 * Below three the spec file is not run at all (run-e2e.ts) and the section's
 * main spec says the step is not verifiable here.
 */
export const NODE_LOSS_MIN_NODES = 3;
export function nodesForNodeLoss(replicas: number): number {
  return Math.max(NODE_LOSS_MIN_NODES, replicas + 1);
}
