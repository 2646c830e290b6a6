// Part 2, "Pod Disruption Budget": a budget of minAvailable Pods makes
// voluntary evictions (kubectl drain) wait while they would leave fewer
// healthy Pods. As written the budget is policy/v1beta1, which servers stopped
// serving in 1.25 (a known issue, reported as such); the same budget as
// policy/v1 is then verified: the disruptions it allows, an eviction refused
// when it would break minAvailable and allowed when it would not. On three
// nodes, the course's own story: the nodes rebooted one by one, each drain
// waiting while the budget would not survive it.
import { ready, selectorOf, withReplacementApiVersion } from '../../helpers/kube/index.js';
import { nodesForPods, sharedNodes } from '../../helpers/suite/nodes.js';
import { drainOrder, formatDrains, rollingReboot } from '../../helpers/suite/rolling-reboot.js';
import { verifySection } from '../../helpers/suite/section.js';
import { podLabels, replicasOf } from '../../helpers/suite/tutorial-sections.js';

verifySection('pod-disruption-budget', (s) => {
  const budget = s.ns.budget(s.the.budget.name);
  const minAvailable = Number(s.the.budget.object.spec?.minAvailable ?? 0);
  const selected = s.the.budget.object.spec?.selector?.matchLabels ?? {};
  const pods = s.ns.pods(selected);
  // The workload: the Part 1 Deployment (several replicas of the Pods the
  // budget selects; the anti-affinity sample runs only one per node).
  const workload = s.the.workload;
  const healthy = workload ? replicasOf(workload) : 0;
  // What the budget promises: it never lets evictions take the last Pods away.
  const protectedCount = Math.max(1, minAvailable);

  test(`kubectl apply of the budget as written (${s.the.budget.object.apiVersion})`, async () => {
    await s.asWritten('apply-as-written', () => s.ns.apply([s.the.budget]));
  });

  test(`as policy/v1, with ${healthy} healthy Pods it allows all but ${minAvailable} to be disrupted`, async () => {
    if (workload === undefined) throw new Error(`no Deployment in ${s.tutorial.name} to protect with the budget`);
    expect(selectorOf(podLabels(workload))).toContain(selectorOf(selected));
    await s.context('deployment', `Deployment ${workload.name}`, () => s.ns.apply([workload]).then(() => s.ns.deployment(workload.name).rolledOut()));
    const v1 = withReplacementApiVersion(s.the.budget.object);
    expect(v1.object.apiVersion).toBe('policy/v1');
    await s.ns.apply([{ object: v1.object, source: { file: s.the.budget.source.file, line: s.the.budget.source.line, key: `${s.the.budget.key} (as policy/v1)` } }]);
    await budget.allows(healthy - minAvailable, healthy);
  });

  test('evicting a Pod is allowed while it leaves minAvailable healthy Pods', async () => {
    const [pod] = await pods.settle({ min: 1 });
    expect(await s.ns.pod(pod?.metadata?.name ?? '').evict()).toEqual({ allowed: true });
  });

  test(`with only ${protectedCount} healthy Pod(s) left, an eviction is refused (429)`, async () => {
    if (workload === undefined) throw new Error(`no Deployment in ${s.tutorial.name} to protect with the budget`);
    await s.ns.deployment(workload.name).scale(protectedCount);
    await budget.allows(Math.max(0, protectedCount - minAvailable), protectedCount);
    // A pod already being deleted is always "evicted": ask for one that is not.
    const [pod] = await pods.settle({ count: protectedCount });
    const name = pod?.metadata?.name ?? '';
    const r = await s.ns.pod(name).evict();
    if (r.allowed) {
      throw new Error(`evicting ${name} was allowed with only ${protectedCount} healthy Pod(s) left: the budget (minAvailable ${minAvailable}) does not protect the last Pods`);
    }
    expect(r).toMatchObject({ allowed: false, status: 429 });
  });

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
});
