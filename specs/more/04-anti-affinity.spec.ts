// Part 2, "Anti affinity": a Deployment whose Pods repel each other per node.
// On a single schedulable node one replica runs and the other stays Pending,
// the scheduler saying anti-affinity is why; with more nodes the replicas land
// on distinct nodes.
import { podsMatching, podUnschedulable, type Pod } from '../../helpers/kube/index.js';
import { replicasOf } from '../../helpers/tutorial/index.js';
import { verifySection } from '../../helpers/suite/section.js';
import { antiAffinitySection, labelsOfTemplate, selectorString } from '../../helpers/suite/tutorial-sections.js';

verifySection({ id: 'anti-affinity', title: 'Pod anti-affinity', locate: antiAffinitySection }, (s) => {
  const d = s.the.deployment.objects[0]!;
  const replicas = replicasOf(d) ?? 1;
  const selector = selectorString(labelsOfTemplate(d));

  test(`the ${replicas} replicas never share a node`, async () => {
    const nodes = (await s.ns.kube.core.listNode()).items.filter(
      (n) => !n.spec?.unschedulable && !(n.spec?.taints ?? []).some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute'),
    );
    await s.ns.apply([s.the.deployment]);
    const running = Math.min(replicas, nodes.length);
    const pods = await podsMatching(
      s.ns.kube,
      s.ns.name,
      selector,
      // Settled: every replica is Running or refused by the scheduler.
      (ps) =>
        ps.length === replicas &&
        ps.every(
          (p) =>
            p.status?.phase === 'Running' ||
            p.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False'),
        ) &&
        ps.filter((p) => p.status?.phase === 'Running').length >= running,
      { describe: `${running} of ${replicas} pods Running on ${nodes.length} schedulable node(s), the rest unschedulable` },
    );
    const byNode = new Map<string, string[]>();
    for (const p of pods) if (p.spec?.nodeName) byNode.set(p.spec.nodeName, [...(byNode.get(p.spec.nodeName) ?? []), p.metadata!.name!]);
    for (const [node, names] of byNode) {
      if (names.length > 1) {
        throw new Error(`pods ${names.join(', ')} were all scheduled on node ${node}: the required anti-affinity did not keep them apart`);
      }
    }

    const pending = pods.filter((p: Pod) => !p.spec?.nodeName);
    expect(pending).toHaveLength(replicas - running);
    for (const p of pending) {
      const why = await podUnschedulable(s.ns.kube, s.ns.name, p.metadata!.name!);
      expect(why.reason).toBe('Unschedulable');
      expect(`${why.message} ${why.events.join(' ')}`).toMatch(/anti-affinity/);
    }
  });
});
