// Part 2, "Anti affinity", what it promises when a node dies: with the
// replicas kept apart, losing one node leaves at least one Pod serving. On a
// cluster of three nodes a node running one replica is stopped as a whole
// (kind: its container, so its kubelet and pods end at once); the other
// replica keeps serving throughout, and the Deployment brings the lost one
// back, Running and Ready, on the node left free. The node is started again
// afterwards and waited for.
//
// This file runs after every other spec file, alone (helpers/suite/run-e2e.ts):
// a stopped node takes every pod on it, not only this section's.
import { formatNode, formatTimeline, listNodes, nodeInService, nodeReadyIs, onNode, ready } from '../../helpers/kube/index.js';
import { stopsNodes } from '../../helpers/providers/index.js';
import { nodesForNodeLoss, nodesForPods, sharedNodes } from '../../helpers/suite/nodes.js';
import { verifySection } from '../../helpers/suite/section.js';
import { podLabels, replicasOf } from '../../helpers/suite/tutorial-sections.js';

const CONTROL_PLANE = 'node-role.kubernetes.io/control-plane';

verifySection(
  'anti-affinity',
  (s) => {
    const replicas = replicasOf(s.the.deployment);
    const name = s.the.deployment.name;

    test(`a node running one of the ${replicas} replicas dies: another keeps serving, and the lost one comes back on a free node`, async () => {
      const provider = s.ns.provider;
      const kube = s.ns.kube;
      const nodes = await nodesForPods(kube);
      if (nodes.length < nodesForNodeLoss(replicas) || !stopsNodes(provider)) {
        s.notVerifiable(
          'a node lost: one replica survives and the other comes back on a free node',
          !stopsNodes(provider) ? `a provider that can stop a node (${provider.name} cannot)` : `${nodesForNodeLoss(replicas)} schedulable nodes (this cluster has ${nodes.length})`,
        );
        return;
      }
      await s.ns.apply([s.the.deployment]);
      await s.ns.deployment(name).rolledOut();
      const pods = s.ns.pods(podLabels(s.the.deployment));
      const before = await pods.settle({ count: replicas, all: ready });
      // Not the control plane's node: stopping it would take the API server with it.
      const controlPlane = new Set((await listNodes(kube)).filter((n) => n.metadata?.labels?.[CONTROL_PLANE] !== undefined).map((n) => n.metadata?.name));
      const lost = before.find((p) => !controlPlane.has(p.spec?.nodeName));
      const victim = lost?.spec?.nodeName;
      if (victim === undefined) throw new Error(`every replica runs on the control plane's node; none to lose: ${before.map((p) => `${p.metadata?.name ?? '?'}@${p.spec?.nodeName ?? '?'}`).join(', ')}`);
      s.ns.cleanup.add(`start node ${victim} again and wait until it is back in service`, async () => {
        await provider.startNode(victim);
        await nodeInService(kube, victim, { timeoutMs: 150_000 });
      });
      const started = Date.now();
      const observed = await s.ns.deployment(name).observePods(async () => {
        await provider.stopNode(victim);
        // Until the node is seen silent, its pod still reads Ready: wait for that first.
        await nodeReadyIs(kube, victim, 'Unknown', { timeoutMs: 90_000 });
        return pods.settle({ count: replicas, all: ready, none: onNode(victim) }, { timeoutMs: 120_000 });
      });
      const after = observed.result;
      const evidence = `${provider.nodeLossSettings}\nnodes: ${(await listNodes(kube)).map(formatNode).join('; ')}\navailability:\n${formatTimeline(observed.timeline)}`;
      if (observed.minAvailable < 1) throw new Error(`no replica was available at some point after node ${victim} stopped: anti-affinity did not keep one alive\n${evidence}`);
      const survivors = before.filter((p) => p.metadata?.name !== lost?.metadata?.name).map((p) => p.metadata?.name);
      expect(after.map((p) => p.metadata?.name)).toEqual(expect.arrayContaining(survivors));
      for (const [node, names] of sharedNodes(after)) throw new Error(`after the loss of ${victim}, pods ${names.join(', ')} share node ${node}\n${evidence}`);
      const src = s.the.deployment.source;
      s.showed(
        'node-loss',
        `${src.file}:${src.line}`,
        `node ${victim} stopped: ${survivors.join(', ')} kept serving; ${lost?.metadata?.name ?? '?'} came back on ` +
          `${after.find((p) => !survivors.includes(p.metadata?.name))?.spec?.nodeName ?? '?'}; rests on: ${provider.nodeLossSettings}`,
        (Date.now() - started) / 1000,
      );
    }, 420_000);
  },
  { phase: 'node-loss' },
);
