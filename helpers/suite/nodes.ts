// The cluster's nodes as the scheduling sections see them.
import { listNodes, OUT_OF_SERVICE_TAINTS, type Kube, type Node, type Pod } from '../kube/index.js';

/** Nodes a Pod without tolerations can be scheduled on: not cordoned, no NoSchedule/NoExecute taint. */
export async function schedulableNodes(kube: Kube): Promise<Node[]> {
  return (await listNodes(kube)).filter((n) => n.spec?.unschedulable !== true && !(n.spec?.taints ?? []).some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute'));
}

/**
 * The cluster's size for pods: nodes a Pod without tolerations may run on
 * once they are in service, so a cordon or a node's transient not-ready and
 * unreachable taints (another spec's drain or node loss) do not shrink it;
 * the control plane's NoSchedule taint does.
 */
export async function nodesForPods(kube: Kube): Promise<string[]> {
  // Not in service, or cordoned (the taint a cordon adds): neither changes the cluster's size.
  const transient = new Set([...OUT_OF_SERVICE_TAINTS, 'node.kubernetes.io/unschedulable']);
  return (await listNodes(kube))
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
