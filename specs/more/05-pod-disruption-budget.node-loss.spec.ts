// Part 2, "Pod Disruption Budget", the course's own story: "a cluster of
// three nodes, two Pods of a Deployment of two replicas; the nodes are
// rebooted one by one". Each node in turn is cordoned and its Pods evicted
// through the Eviction API; drains start back to back, so the second one comes
// while the first one's replacement Pod is starting, and the budget must make
// it wait without ever leaving fewer than minAvailable Pods available.
//
// This file runs after every other spec file, alone (helpers/suite/run-e2e.ts):
// a cordoned node takes no pod of any section, not only this one's. On a
// cluster too small for it, the section's main spec says it is not verifiable.
import { ready, selectorOf, withReplacementApiVersion } from '../../helpers/kube/index.js';
import { nodesForPods, sharedNodes } from '../../helpers/suite/nodes.js';
import { drainOrder, formatDrains, rollingReboot } from '../../helpers/suite/rolling-reboot.js';
import { verifySection } from '../../helpers/suite/section.js';
import { replicasOf } from '../../helpers/suite/tutorial-sections.js';

verifySection(
  'pod-disruption-budget',
  (s) => {
    const budget = s.ns.budget(s.the.budget.name);
    const minAvailable = Number(s.the.budget.object.spec?.minAvailable ?? 0);
    const selected = s.the.budget.object.spec?.selector?.matchLabels ?? {};
    const pods = s.ns.pods(selected);
    // The course: "a cluster of three nodes, two Pods of a Deployment of two
    // replicas; the nodes are rebooted one by one". Drains start back to back,
    // so the second one comes while the first one's replacement Pod is starting.
    const spread = s.the.spread;
    test(`on three nodes, rebooted one by one, each drain waits for the budget and never leaves fewer than ${minAvailable} available Pod(s)`, async () => {
      const nodes = await nodesForPods(s.ns.kube);
      if (nodes.length < 3 || spread === undefined) {
        s.notVerifiable(
          'the rolling reboot of a cluster of three nodes under the budget',
          spread === undefined ? 'a Deployment whose Pods the budget selects, spread by anti-affinity (none in this source)' : `3 nodes that take pods (this cluster has ${nodes.length})`,
        );
        return;
      }
      const replicas = replicasOf(spread);
      // The budget as policy/v1 (the main spec reports the text's policy/v1beta1 as written), then the workload it protects.
      const v1 = withReplacementApiVersion(s.the.budget.object);
      await s.ns.apply([{ object: v1.object, source: { file: s.the.budget.source.file, line: s.the.budget.source.line, key: `${s.the.budget.key} (as policy/v1)` } }]);
      await s.context('anti-affinity', `Deployment ${spread.name} (anti-affinity)`, () => s.ns.apply([spread]).then(() => s.ns.deployment(spread.name).rolledOut()));
      await budget.allows(Math.max(0, replicas - minAvailable), replicas);
      const before = await pods.settle({ count: replicas });
      const order = drainOrder(nodes, before);
      const started = Date.now();
      const r = await rollingReboot(s.ns, { selector: selectorOf(selected), budget: s.the.budget.name, nodes: order, timeoutMs: 100_000 });
      const evidence = formatDrains(r);
      const evictions = r.drains.flatMap((d) => d.drained);
      // Each replica is evicted at least once; one that came back on a node drained later is evicted again.
      if (evictions.length < replicas) throw new Error(`the drains evicted ${evictions.length} Pod(s), fewer than the ${replicas} of ${spread.name}\n${evidence}`);
      // The budget made a drain wait: the second eviction came while the first one's replacement was not Ready.
      if (!evictions.some((e) => e.refusals > 0)) throw new Error(`no drain waited: every eviction was allowed at once, so the budget held nothing back\n${evidence}`);
      if (r.observed.minAvailable < minAvailable) {
        throw new Error(`during the rolling reboot only ${r.observed.minAvailable} Pod(s) were available, fewer than the budget's minAvailable ${minAvailable}\n${evidence}`);
      }
      const after = await pods.settle({ count: replicas, all: ready });
      for (const [node, names] of sharedNodes(after)) throw new Error(`after the reboot, pods ${names.join(', ')} share node ${node}`);
      const waited = evictions.filter((e) => e.refusals > 0);
      s.showed(
        'rolling-reboot',
        `${s.the.budget.source.file}:${s.the.budget.source.line}`,
        `nodes ${order.join(', ')} drained one by one; ${waited.map((e) => `the eviction of ${e.pod} waited ${(e.waitedMs / 1000).toFixed(1)} s (${e.refusals} refusal(s))`).join('; ')}; ` +
          `at least ${r.observed.minAvailable} Pod(s) available throughout`,
        (Date.now() - started) / 1000,
      );
    }, 180_000);
  },
  { phase: 'node-loss' },
);
