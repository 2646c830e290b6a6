// Part 1, "Rolling update": a Deployment runs N nginx Pods on the first image;
// the text asks to change the image in the file and apply it again; Pods are
// replaced a few at a time by a new ReplicaSet until all run the new image,
// and the strategy keeps enough of them available throughout.
import {
  formatTimeline,
  observeDeploymentPods,
  podsMatching,
  rolloutBounds,
  rolloutComplete,
  type Deployment,
  type Pod,
} from '../../helpers/kube/index.js';
import { manifestAfterEdits, replicasOf } from '../../helpers/tutorial/index.js';
import { verifySection } from '../../helpers/suite/section.js';
import { deploymentSection, labelsOfTemplate, selectorString } from '../../helpers/suite/tutorial-sections.js';

const images = (p: Pod): string[] => (p.spec?.containers ?? []).map((c) => c.image ?? '');

verifySection({ id: 'deployment', title: 'Deployment: rolling update', locate: deploymentSection }, (s) => {
  const d = s.the.deployment.objects.find((o) => o.kind === 'Deployment')!;
  const name = d.metadata.name;
  const replicas = replicasOf(d) ?? 1;
  const selector = selectorString(labelsOfTemplate(d));
  const { from, to } = s.the.update;

  test(`Deployment ${name} runs ${replicas} Pods on ${from}`, async () => {
    await s.ns.apply([s.the.deployment]);
    await rolloutComplete(s.ns.kube, s.ns.name, name);
    const pods = await podsMatching(
      s.ns.kube,
      s.ns.name,
      selector,
      (ps) => ps.filter((p) => !p.metadata?.deletionTimestamp).length === replicas,
      { describe: `${replicas} pods of ${name}` },
    );
    for (const p of pods) expect(images(p)).toEqual([from]);
  });

  test(`changing the image to ${to} rolls out through a new ReplicaSet, never below the strategy's availability`, async () => {
    const before = await s.ns.kube.apps.readNamespacedDeployment({ name, namespace: s.ns.name });
    const bounds = rolloutBounds(replicas, (before as Deployment).spec?.strategy);
    const edited = manifestAfterEdits(s.tutorial, s.the.deployment.key, { through: s.the.update });
    const seen = await observeDeploymentPods(s.ns.kube, s.ns.name, name, async () => {
      await s.ns.apply([{ ...s.the.deployment, objects: edited }]);
      return rolloutComplete(s.ns.kube, s.ns.name, name, { timeoutMs: 120_000 });
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

    const rss = await s.ns.kube.apps.listNamespacedReplicaSet({ namespace: s.ns.name, labelSelector: selector });
    const owned = rss.items.filter((rs) => rs.metadata?.ownerReferences?.some((o) => o.name === name));
    expect(owned).toHaveLength(2);
    const byImage = Object.fromEntries(owned.map((rs) => [rs.spec?.template?.spec?.containers?.[0]?.image, rs.status?.replicas ?? 0]));
    expect(byImage).toEqual({ [from]: 0, [to]: replicas });

    const pods = await podsMatching(
      s.ns.kube,
      s.ns.name,
      selector,
      (ps) => ps.length === replicas && ps.every((p) => images(p)[0] === to),
      { describe: `all ${replicas} pods of ${name} on ${to}, old ones gone` },
    );
    expect(pods.map((p) => images(p)[0])).toEqual(Array(replicas).fill(to));
  });
});
