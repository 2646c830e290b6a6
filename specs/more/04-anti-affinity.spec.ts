// Part 2, "Anti affinity": a Deployment whose Pods repel each other per node.
// On a single schedulable node one replica runs and the other stays Pending,
// the scheduler saying anti-affinity is why; with more nodes the replicas land
// on distinct nodes.
import { running, runningOrUnschedulable } from '../../helpers/kube/index.js';
import { NODE_LOSS_MIN_NODES, nodesForNodeLoss, nodesForPods, schedulableNodes, sharedNodes } from '../../helpers/suite/nodes.js';
import { verifySection } from '../../helpers/suite/section.js';
import { podLabels, replicasOf } from '../../helpers/suite/tutorial-sections.js';

verifySection('anti-affinity', (s) => {
  const replicas = replicasOf(s.the.deployment);

  test(`the ${replicas} replicas never share a node`, async () => {
    const nodes = await schedulableNodes(s.ns.kube);
    await s.ns.apply([s.the.deployment]);
    const fit = Math.min(replicas, nodes.length);
    // Settled: every replica is Running or refused by the scheduler.
    const pods = await s.ns.pods(podLabels(s.the.deployment)).settle({ count: replicas, all: runningOrUnschedulable, some: { min: fit, that: running } });
    for (const [node, names] of sharedNodes(pods)) {
      throw new Error(`pods ${names.join(', ')} were all scheduled on node ${node}: the required anti-affinity did not keep them apart`);
    }
    const pending = pods.filter((p) => p.spec?.nodeName === undefined);
    expect(pending).toHaveLength(replicas - fit);
    // The text's other promise, every replica Running on a node of its own, needs as many nodes as replicas.
    if (fit < replicas) s.notVerifiable(`all ${replicas} replicas Running, each on a node of its own`, `${replicas} schedulable nodes (this cluster has ${nodes.length})`);
    // Its node-loss test (04-anti-affinity.node-loss.spec.ts) runs only on clusters big enough for it.
    const size = (await nodesForPods(s.ns.kube)).length;
    if (size < NODE_LOSS_MIN_NODES) {
      s.notVerifiable('a node lost: one replica survives and the other comes back on a free node', `${nodesForNodeLoss(replicas)} nodes that take pods (this cluster has ${size})`);
    }
    for (const p of pending) {
      const why = await s.ns.pod(p.metadata?.name ?? '').unschedulable();
      expect(why.reason).toBe('Unschedulable');
      expect(`${why.message} ${why.events.join(' ')}`).toMatch(/anti-affinity/);
    }
  });
});
