// Part 1, "Access other Pods through a Service": a Service selects the nginx
// Pod by its label; from the bastion, the Service's name answers.
import { allOf } from '../../helpers/kube/index.js';
import { runInPodCommands } from '../../helpers/suite/in-pod-commands.js';
import { verifySection } from '../../helpers/suite/section.js';
import { podLabels } from '../../helpers/suite/tutorial-sections.js';

verifySection('service', (s) => {
  const nginx = s.ns.pod(s.the.pod.name);
  const client = s.ns.pod(s.the.client.name);
  const service = s.ns.service(s.the.service.name);

  test(`Service ${service.name} gets ${nginx.name} as its ready endpoint through the label selector`, async () => {
    const [p] = await s.context('pod-to-pod', `Pods ${nginx.name} and ${client.name}`, async () => {
      await s.ns.apply([s.the.pod, s.the.client]);
      return allOf([nginx.ready(), client.ready()]);
    });
    await s.ns.apply([s.the.service]);
    const ep = await service.endpoints((a) => a.ready.length === 1 && a.ready[0] === p.status?.podIP, `to have exactly ${nginx.name}'s IP as ready endpoint`);
    expect(ep.ready).toEqual([p.status?.podIP]);
  });

  test(`curl http://${service.name}/ from ${client.name} answers 200 with the welcome page`, async () => {
    // Ready endpoints come first; kube-proxy's rules a moment later.
    await service.reachableFrom(client);
    for (const r of await runInPodCommands(s, { pod: client.name, command: /^curl\b/ })) {
      expect(r.ran).toContain(service.name);
      expect(r.answer.status).toBe(200);
      expect(r.answer.body).toContain('Welcome to nginx!');
    }
  });

  test('the endpoints follow the selector: a Pod without the label is not selected', async () => {
    const [[key, value] = []] = Object.entries(podLabels(s.the.pod));
    if (key === undefined || value === undefined) throw new Error(`${s.the.pod.source.file}:${s.the.pod.source.line}: Pod ${nginx.name} has no label for a Service to select`);
    await nginx.relabel({ [key]: null });
    await service.endpoints((a) => a.ready.length === 0, `to have no endpoint once ${nginx.name} lost label ${key}`);
    await nginx.relabel({ [key]: value });
    await service.endpoints((a) => a.ready.length === 1, `to select ${nginx.name} again`);
  });
});
