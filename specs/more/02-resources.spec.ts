// Part 2, "Resource requests/limits": the Pod carries the requests and limits
// it declares, which give it a QoS class; a container that goes over its
// memory limit is killed (OOMKilled). The text says so in prose; the suite
// proves the last point with a variant of the sample it makes itself.
import { paths, waitFor, type Pod } from '../../helpers/kube/index.js';
import { verifySection } from '../../helpers/suite/section.js';
import { expectedQosClass, podReadyOrImageError } from '../../helpers/suite/steps.js';
import { firstContainer, resourcesSection, type Json } from '../../helpers/suite/tutorial-sections.js';
import type { KubeObject } from '../../helpers/tutorial/index.js';

verifySection({ id: 'resources', title: 'Resource requests and limits', locate: resourcesSection }, (s) => {
  const pod = s.the.pod.objects[0]!;
  const name = pod.metadata.name;
  const declared = firstContainer(pod).resources as Json;

  test(`Pod ${name} runs with the requests and limits it declares`, async () => {
    await s.ns.apply([s.the.pod]);
    const p = await podReadyOrImageError(s.ns, name);
    const actual = p.spec?.containers?.[0]?.resources as Json;
    expect(actual).toEqual(declared);
  });

  test('its QoS class is the one those requests and limits imply', async () => {
    const p = await s.ns.kube.core.readNamespacedPod({ name, namespace: s.ns.name });
    const containers = (((pod.spec as Json).containers as Json[]) ?? []) as Parameters<typeof expectedQosClass>[0];
    expect(p.status?.qosClass).toBe(expectedQosClass(containers));
  });

  test('a variant of the sample that exceeds its memory limit is OOMKilled', async () => {
    // A variant made by the suite (labelled so): same image and limits, a
    // command that keeps allocating memory, no restarts.
    const spec = structuredClone(pod.spec) as Json;
    const c = ((spec.containers as Json[])[0] ??= {});
    c.command = ['sh', '-c', 'tail /dev/zero'];
    spec.restartPolicy = 'Never';
    const variant: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `${name}-oom-variant`, labels: { 'tutorial-e2e/variant': 'exceeds-memory-limit' } },
      spec,
    };
    await s.ns.apply([{ object: variant, source: { file: s.the.pod.source.file, line: s.the.pod.source.line, key: `${s.the.pod.key} (OOM variant)` } }]);
    const killed = await waitFor<Pod, Pod>(
      s.ns.kube,
      paths.pods(s.ns.name),
      ([p]) => (p?.status?.containerStatuses?.[0]?.state?.terminated ? p : undefined),
      { fieldSelector: `metadata.name=${name}-oom-variant`, timeoutMs: 60_000, describe: `the OOM variant's container to terminate` },
    );
    expect(killed.status?.containerStatuses?.[0]?.state?.terminated?.reason).toBe('OOMKilled');
  });
});
