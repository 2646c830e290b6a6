// Part 2, "Pod Disruption Budget": a budget of minAvailable Pods makes
// voluntary evictions (kubectl drain) wait while they would leave fewer
// healthy Pods. As written the budget is policy/v1beta1, which servers stopped
// serving in 1.25 (a known issue, reported as such); the same budget as
// policy/v1 is then verified: the disruptions it allows, an eviction refused
// when it would break minAvailable and allowed when it would not. The course's
// own story on three nodes, the nodes rebooted one by one, is in
// 05-pod-disruption-budget.node-loss.spec.ts.
import { selectorOf, withReplacementApiVersion } from '../../helpers/kube/index.js';
import { NODE_LOSS_MIN_NODES, nodesForPods } from '../../helpers/suite/nodes.js';
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
    // The course's rolling reboot (05-pod-disruption-budget.node-loss.spec.ts) runs only where it can: it cordons every node in turn.
    const size = (await nodesForPods(s.ns.kube)).length;
    if (s.the.spread === undefined) {
      s.notVerifiable('the rolling reboot of a cluster of three nodes under the budget', 'a Deployment whose Pods the budget selects, spread by anti-affinity (none in this source)');
    } else if (size < NODE_LOSS_MIN_NODES) {
      s.notVerifiable('the rolling reboot of a cluster of three nodes under the budget', `${NODE_LOSS_MIN_NODES} nodes that take pods (this cluster has ${size})`);
    }
  });
});
