// How a NodePort is reached from outside the cluster: at a node's address.
// For clusters whose nodes are on this machine (the local provider, kind on
// Linux) the node's InternalIP is reachable from here.
import { nodeReadyStatus, type Kube, type KubeList, type Node } from '../kube/index.js';

function isReady(n: Node): boolean {
  return nodeReadyStatus(n) === 'True';
}

/** The InternalIP of the first Ready node (in the server's list order), else undefined. */
export function pickNodeAddress(nodes: readonly Node[], type = 'InternalIP'): { node: string; address: string } | undefined {
  for (const n of nodes) {
    if (!isReady(n) || n.spec?.unschedulable) continue;
    const a = n.status?.addresses?.find((x) => x.type === type);
    if (a?.address) return { node: n.metadata?.name ?? '?', address: a.address };
  }
  return undefined;
}

export async function nodeAccessVia(kube: Kube, nodePort: number): Promise<{ host: string; port: number }> {
  const nodes = await kube.json<KubeList<Node>>({ path: '/api/v1/nodes', timeoutMs: 10_000 });
  const picked = pickNodeAddress(nodes.items) ?? pickNodeAddress(nodes.items.map((n) => ({ ...n, spec: { ...n.spec, unschedulable: false } })));
  if (!picked) {
    const seen = nodes.items
      .map((n) => `${n.metadata?.name ?? '?'}: ready=${isReady(n)} addresses=${(n.status?.addresses ?? []).map((a) => `${a.type}=${a.address}`).join(',')}`)
      .join('; ');
    throw new Error(`no Ready node with an InternalIP to reach NodePort ${nodePort} at (nodes: ${seen || 'none'})`);
  }
  return { host: picked.address, port: nodePort };
}
