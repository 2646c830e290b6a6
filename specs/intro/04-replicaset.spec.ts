// Part 1, "Run many copies of the same Pod": a ReplicaSet whose selector
// matches the nginx Pod already running adopts it and creates only the
// missing Pods; a deleted Pod is replaced; replicas edited in the file scale
// it; deleting the ReplicaSet takes its Pods with it.
import { named, running } from '../../helpers/kube/index.js';
import { manifestAfterEdits } from '../../helpers/tutorial/index.js';
import { verifySection } from '../../helpers/suite/section.js';
import { podLabels, replicasOf } from '../../helpers/suite/tutorial-sections.js';

verifySection('replicaset', (s) => {
  const nginx = s.ns.pod(s.the.pod.name);
  const rs = s.ns.replicaSet(s.the.replicaSet.name);
  const replicas = replicasOf(s.the.replicaSet);
  const pods = s.ns.pods(podLabels(s.the.replicaSet));

  test(`the ReplicaSet adopts the running Pod ${nginx.name} and creates only ${replicas - 1} more`, async () => {
    await s.context('pod', `Pod ${nginx.name}`, () => s.ns.apply([s.the.pod]).then(() => nginx.ready()));
    await s.ns.apply([s.the.replicaSet]);
    await rs.ready(replicas);
    const live = await pods.settle({ count: replicas });
    const owner = live.find((p) => p.metadata?.name === nginx.name)?.metadata?.ownerReferences?.[0];
    if (owner?.kind !== 'ReplicaSet' || owner.name !== rs.name) {
      throw new Error(
        `ReplicaSet ${rs.name} did not adopt the running Pod ${nginx.name} (its owner: ${owner ? `${owner.kind}/${owner.name}` : 'none'}): ` +
          `its selector does not match the Pod's labels ${JSON.stringify(podLabels(s.the.pod))}`,
      );
    }
    expect(live.filter((p) => p.metadata?.name?.startsWith(`${rs.name}-`))).toHaveLength(replicas - 1);
  });

  test(`deleting Pod ${nginx.name} makes the ReplicaSet start a replacement until ${replicas} run again`, async () => {
    await nginx.delete();
    await pods.settle({ count: replicas, all: running, none: named(nginx.name) });
  });

  // Each replicas edit the text asks for, in its order.
  for (const [i, edit] of s.the.scaling.entries()) {
    test(`replicas edit #${i + 1} (${edit.source.file}:${edit.source.line}) scales the ReplicaSet to ${edit.replicas}`, async () => {
      const objects = manifestAfterEdits(s.tutorial, s.the.replicaSet.key, { through: edit });
      await s.ns.apply([{ ...s.the.replicaSet, objects }]);
      await rs.ready(edit.replicas);
      await pods.settle({ count: edit.replicas });
    });
  }
  if (s.the.scaling.length === 0) {
    test('the text asks to scale the ReplicaSet by editing replicas', () => {
      throw new Error(
        `${s.the.replicaSet.source.file}:${s.the.replicaSet.source.line}: no replicas edit of ReplicaSet ${rs.name} was recognised in the text ` +
          '(the reader no longer finds the sentence that asks for it; see helpers/tutorial/edit-patterns.ts)',
      );
    });
  }

  test('deleting the ReplicaSet terminates its Pods', async () => {
    await rs.deleteWithPods();
    await pods.settle({ count: 0 });
  });
});
