// Part 2, "Pod Disruption Budget": a budget of minAvailable Pods makes
// voluntary evictions (kubectl drain) wait while they would leave fewer
// healthy Pods. As written the budget is policy/v1beta1, which servers stopped
// serving in 1.25 (a known issue, reported as such); the same budget as
// policy/v1 is then verified: the disruptions it allows, an eviction refused
// when it would break minAvailable and allowed when it would not.
import {
  evictPod,
  paths,
  podsMatching,
  rolloutComplete,
  waitFor,
  withReplacementApiVersion,
} from '../../helpers/kube/index.js';
import { replicasOf } from '../../helpers/tutorial/index.js';
import { verifySection } from '../../helpers/suite/section.js';
import { deploymentSection, disruptionBudgetSection, isAbsent, labelsOfTemplate, selectorString, type Json } from '../../helpers/suite/tutorial-sections.js';

type Budget = { metadata?: { name?: string }; status?: { disruptionsAllowed?: number; currentHealthy?: number; observedGeneration?: number } };

verifySection({ id: 'pod-disruption-budget', title: 'PodDisruptionBudget', locate: disruptionBudgetSection }, (s) => {
  const budget = s.the.budget.objects[0]!;
  const name = budget.metadata.name;
  const minAvailable = Number((budget.spec as Json).minAvailable);
  const selector = selectorString(((budget.spec as Json).selector as Json).matchLabels as Record<string, string>);
  // The workload: the Part 1 Deployment (several replicas of the Pods the
  // budget selects; the anti-affinity sample runs only one per node).
  const workloadSection = deploymentSection(s.tutorial);
  const workload = isAbsent(workloadSection) ? undefined : workloadSection.deployment;

  test(`kubectl apply of the budget as written (${budget.apiVersion})`, async () => {
    await s.asWritten('apply-as-written', () => s.ns.apply([s.the.budget]));
  });

  test(`as policy/v1, with ${workload ? replicasOf(workload.objects[0]!) : '?'} healthy Pods it allows all but ${minAvailable} to be disrupted`, async () => {
    if (workload === undefined) throw new Error(`no Deployment in ${s.tutorial.name} to protect with the budget`);
    const d = workload.objects[0]!;
    expect(selectorString(labelsOfTemplate(d))).toContain(selector);
    await s.ns.apply([workload]);
    await rolloutComplete(s.ns.kube, s.ns.name, d.metadata.name);
    const v1 = withReplacementApiVersion(budget);
    expect(v1.object.apiVersion).toBe('policy/v1');
    await s.ns.apply([{ object: v1.object, source: { file: s.the.budget.source.file, line: s.the.budget.source.line, key: `${s.the.budget.key} (as policy/v1)` } }]);
    const healthy = replicasOf(d)!;
    const b = await budgetSays(healthy - minAvailable, healthy);
    expect(b.status?.disruptionsAllowed).toBe(healthy - minAvailable);
  });

  test('evicting a Pod is allowed while it leaves minAvailable healthy Pods', async () => {
    const pods = await podsMatching(s.ns.kube, s.ns.name, selector, (ps) => ps.length > 0, { describe: `pods matching ${selector}` });
    const pod = pods.find((p) => !p.metadata?.deletionTimestamp);
    const r = await evictPod(s.ns.kube, s.ns.name, pod!.metadata!.name!);
    expect(r).toEqual({ allowed: true });
  });

  // What the budget promises: it never lets evictions take the last Pods away.
  const protectedCount = Math.max(1, minAvailable);

  test(`with only ${protectedCount} healthy Pod(s) left, an eviction is refused (429)`, async () => {
    const d = workload!.objects[0]!;
    await s.ns.kube.json({
      method: 'PATCH',
      path: `/apis/apps/v1/namespaces/${s.ns.name}/deployments/${d.metadata.name}/scale`,
      contentType: 'application/merge-patch+json',
      body: JSON.stringify({ spec: { replicas: protectedCount } }),
    });
    await budgetSays(Math.max(0, protectedCount - minAvailable), protectedCount);
    const pods = await podsMatching(
      s.ns.kube,
      s.ns.name,
      selector,
      (ps) => ps.filter((p) => !p.metadata?.deletionTimestamp).length === protectedCount,
      { describe: `${protectedCount} pods matching ${selector}` },
    );
    // A pod already being deleted is always "evicted": ask for one that is not.
    const pod = pods.find((p) => !p.metadata?.deletionTimestamp);
    const r = await evictPod(s.ns.kube, s.ns.name, pod!.metadata!.name!);
    if (r.allowed) {
      throw new Error(
        `evicting ${pod!.metadata!.name} was allowed with only ${protectedCount} healthy Pod(s) left: ` +
          `the budget (minAvailable ${minAvailable}) does not protect the last Pods`,
      );
    }
    expect(r).toMatchObject({ allowed: false, status: 429 });
  });

  function budgetSays(allowed: number, healthy: number): Promise<Budget> {
    return waitFor<Budget & { metadata?: { name?: string } }, Budget>(
      s.ns.kube,
      paths.podDisruptionBudgets(s.ns.name),
      ([b]) => (b?.status?.disruptionsAllowed === allowed && b.status.currentHealthy === healthy ? b : undefined),
      {
        fieldSelector: `metadata.name=${name}`,
        describe: `budget ${name} to allow ${allowed} disruption(s) with ${healthy} healthy`,
        lastSeen: ([b]) => (b ? `disruptionsAllowed=${b.status?.disruptionsAllowed} currentHealthy=${b.status?.currentHealthy}` : 'no budget'),
      },
    );
  }
});
