// Part 1, "Access other Pods through a Service": a Service selects the nginx
// Pod by its label; from the bastion, the Service's name answers.
import { endpointsReady, podReady } from '../../helpers/kube/index.js';
import { verifySection } from '../../helpers/suite/section.js';
import { runInPodCommands } from '../../helpers/suite/steps.js';
import { serviceSection } from '../../helpers/suite/tutorial-sections.js';

verifySection({ id: 'service', title: 'Access Pods through a Service', locate: serviceSection }, (s) => {
  const pod = s.the.pod.objects[0]!.metadata.name;
  const client = s.the.client.objects[0]!.metadata.name;
  const service = s.the.service.objects[0]!.metadata.name;

  test(`Service ${service} gets ${pod} as its ready endpoint through the label selector`, async () => {
    await s.ns.apply([s.the.pod, s.the.client, s.the.service]);
    const p = await podReady(s.ns.kube, s.ns.name, pod);
    await podReady(s.ns.kube, s.ns.name, client);
    const ep = await endpointsReady(s.ns.kube, s.ns.name, service, {
      predicate: (a) => a.ready.length === 1 && a.ready[0] === p.status?.podIP,
      timeoutMs: 30_000,
      describe: `Service ${service} to have exactly ${pod}'s IP as ready endpoint`,
    });
    expect(ep.ready).toEqual([p.status?.podIP]);
  });

  test(`curl http://${service}/ from ${client} answers 200 with the welcome page`, async () => {
    const ran = await runInPodCommands(s, { pod: client, command: /^curl\b/ });
    for (const r of ran) {
      expect(r.ran).toContain(service);
      expect(r.answer.status).toBe(200);
      expect(r.answer.body).toContain('Welcome to nginx!');
    }
  });

  test('the endpoints follow the selector: a Pod without the label is not selected', async () => {
    // Relabel the Pod: the Service loses its endpoint; restore: it comes back.
    const labels = s.the.pod.objects[0]!.metadata.labels as Record<string, string>;
    const [key] = Object.keys(labels);
    // A JSON merge patch: null removes the label.
    const patch = (value: string | null) =>
      s.ns.kube.json({
        method: 'PATCH',
        path: `/api/v1/namespaces/${s.ns.name}/pods/${pod}`,
        contentType: 'application/merge-patch+json',
        body: JSON.stringify({ metadata: { labels: { [key!]: value } } }),
      });
    await patch(null);
    await endpointsReady(s.ns.kube, s.ns.name, service, {
      predicate: (a) => a.ready.length === 0,
      describe: `Service ${service} to have no endpoint once ${pod} lost label ${key}`,
    });
    await patch(labels[key!]!);
    await endpointsReady(s.ns.kube, s.ns.name, service, {
      predicate: (a) => a.ready.length === 1,
      describe: `Service ${service} to select ${pod} again`,
    });
  });
});
