// Part 1, "Rolling update": a Deployment runs N nginx Pods on the first image;
// the text asks to change the image in the file and apply it again; Pods are
// replaced a few at a time by a new ReplicaSet until all run the new image,
// and the strategy keeps enough of them available throughout.
import { formatTimeline, imagesOf, onImage, rolloutBounds } from '../../helpers/kube/index.js';
import { manifestAfterEdits } from '../../helpers/tutorial/index.js';
import { verifySection } from '../../helpers/suite/section.js';
import { podLabels, replicasOf } from '../../helpers/suite/tutorial-sections.js';

verifySection('deployment', (s) => {
  const deployment = s.ns.deployment(s.the.deployment.name);
  const replicas = replicasOf(s.the.deployment);
  const pods = s.ns.pods(podLabels(s.the.deployment));
  const { from, to } = s.the.update;

  test(`Deployment ${deployment.name} runs ${replicas} Pods on ${from}`, async () => {
    await s.ns.apply([s.the.deployment]);
    await deployment.rolledOut();
    await pods.settle({ count: replicas, all: onImage(from) });
  });

  test(`changing the image to ${to} rolls out through a new ReplicaSet, never below the strategy's availability`, async () => {
    const bounds = rolloutBounds(replicas, (await deployment.read()).spec?.strategy);
    const edited = manifestAfterEdits(s.tutorial, s.the.deployment.key, { through: s.the.update });
    const seen = await deployment.observePods(async () => {
      await s.ns.apply([{ ...s.the.deployment, objects: edited }]);
      return deployment.rolledOut({ timeoutMs: 120_000 });
    });
    // Watched during the rollout, not only at its end: after every pod change
    // at least replicas - maxUnavailable Pods were Ready and not terminating.
    // (maxSurge bounds the ReplicaSets' replicas, not the pods a watch sees:
    // two ReplicaSet controllers may show a new pod a moment before the old
    // one's deletion, so it is not asserted on pods.)
    if (seen.minAvailable < bounds.minAvailable) {
      throw new Error(
        `availability dropped below what the strategy allows (${bounds.minAvailable} of ${replicas}): ` +
          `saw ${seen.minAvailable} available\n${formatTimeline(seen.timeline)}`,
      );
    }
    expect(seen.events.length).toBeGreaterThan(0);

    const byImage = Object.fromEntries((await deployment.replicaSets()).map((rs) => [rs.spec?.template?.spec?.containers[0]?.image ?? '?', rs.status?.replicas ?? 0]));
    expect(byImage).toEqual({ [from]: 0, [to]: replicas });
    const now = await pods.settle({ count: replicas, all: onImage(to) });
    expect(now.map((p) => imagesOf(p)[0])).toEqual(Array.from({ length: replicas }, () => to));
  });
});
