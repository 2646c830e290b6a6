// Part 1, "Run many copies of the same Pod": a ReplicaSet whose selector
// matches the nginx Pod already running adopts it and creates only the
// missing Pods; a deleted Pod is replaced; replicas edited in the file scale
// it; deleting the ReplicaSet takes its Pods with it.
import { objectGone, paths, podReady, podsMatching, replicaSetReady, type Pod } from '../../helpers/kube/index.js';
import { manifestAfterEdits } from '../../helpers/tutorial/index.js';
import { verifySection } from '../../helpers/suite/section.js';
import { labelsOfTemplate, replicaSetSection, selectorString } from '../../helpers/suite/tutorial-sections.js';
import { replicasOf } from '../../helpers/tutorial/index.js';

const live = (pods: Pod[]): Pod[] => pods.filter((p) => !p.metadata?.deletionTimestamp);

verifySection({ id: 'replicaset', title: 'ReplicaSet: many copies of a Pod', locate: replicaSetSection }, (s) => {
  const pod = s.the.pod.objects[0]!.metadata.name;
  const rs = s.the.replicaSet.objects.find((o) => o.kind === 'ReplicaSet')!;
  const name = rs.metadata.name;
  const replicas = replicasOf(rs)!;
  const selector = selectorString(labelsOfTemplate(rs));

  test(`the ReplicaSet adopts the running Pod ${pod} and creates only ${replicas - 1} more`, async () => {
    await s.ns.apply([s.the.pod]);
    await podReady(s.ns.kube, s.ns.name, pod);
    await s.ns.apply([s.the.replicaSet]);
    await replicaSetReady(s.ns.kube, s.ns.name, name, replicas);
    const pods = live((await s.ns.kube.core.listNamespacedPod({ namespace: s.ns.name, labelSelector: selector })).items as Pod[]);
    expect(pods).toHaveLength(replicas);
    const adopted = pods.find((p) => p.metadata?.name === pod);
    expect(adopted?.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'ReplicaSet', name });
    expect(pods.filter((p) => p.metadata?.name?.startsWith(`${name}-`))).toHaveLength(replicas - 1);
  });

  test(`deleting Pod ${pod} makes the ReplicaSet start a replacement until ${replicas} run again`, async () => {
    await s.ns.kube.core.deleteNamespacedPod({ name: pod, namespace: s.ns.name });
    const pods = await podsMatching(
      s.ns.kube,
      s.ns.name,
      selector,
      (ps) => !live(ps).some((p) => p.metadata?.name === pod) && live(ps).filter((p) => p.status?.phase === 'Running').length === replicas,
      { describe: `${replicas} Running pods matching ${selector}, ${pod} not among them` },
    );
    expect(live(pods)).toHaveLength(replicas);
  });

  test.each([0, 1])('the replicas edit #%i the text asks for scales the ReplicaSet to that count', async (i) => {
    const edit = s.the.scaling[i];
    if (edit === undefined) {
      // Not every source asks for a second edit (the blog only scales up).
      expect(s.the.scaling.length).toBeLessThanOrEqual(i);
      return;
    }
    const objects = manifestAfterEdits(s.tutorial, s.the.replicaSet.key, { through: edit });
    await s.ns.apply([{ ...s.the.replicaSet, objects }]);
    await replicaSetReady(s.ns.kube, s.ns.name, name, edit.replicas);
    await podsMatching(s.ns.kube, s.ns.name, selector, (ps) => live(ps).length === edit.replicas, {
      describe: `exactly ${edit.replicas} pods matching ${selector} (${edit.source.file}:${edit.source.line})`,
    });
  });

  test('deleting the ReplicaSet terminates its Pods', async () => {
    await s.ns.kube.apps.deleteNamespacedReplicaSet({ name, namespace: s.ns.name, propagationPolicy: 'Foreground' });
    await objectGone(s.ns.kube, paths.replicaSets(s.ns.name), name, { what: `ReplicaSet ${name}` });
    await podsMatching(s.ns.kube, s.ns.name, selector, (ps) => ps.length === 0, {
      describe: `no pods matching ${selector} once ReplicaSet ${name} is deleted`,
    });
  });
});
