// Part 1, "Debug a Pod": `kubectl logs <pod>` and `kubectl logs -l <label>`
// show nginx's access log, and `kubectl port-forward` serves the page on a
// local port.
import { httpFromPod, logsBySelector, podLogs, podReady, podsMatching, portForward, rolloutComplete } from '../../helpers/kube/index.js';
import { findCommands } from '../../helpers/tutorial/query.js';
import { verifySection } from '../../helpers/suite/section.js';
import { deploymentSection, labelsOfTemplate, selectorString } from '../../helpers/suite/tutorial-sections.js';

verifySection({ id: 'debugging', title: 'Debug a Pod: logs and port-forward', locate: deploymentSection }, (s) => {
  const d = s.the.deployment.objects[0]!;
  const name = d.metadata.name;
  const selector = selectorString(labelsOfTemplate(d));
  // The label the text's `kubectl logs -l ...` names, when it shows one.
  const logsCommand = findCommands(s.tutorial).find(({ command }) => /kubectl logs .*-l\s/.test(command.text))?.command;
  const textSelector = logsCommand ? /-l\s+(\S+)/.exec(logsCommand.text)?.[1] : undefined;
  let pods: string[] = [];

  test(`Deployment ${name} is up and a client request reaches its Pods`, async () => {
    const client = s.the.client;
    await s.ns.apply(client ? [s.the.deployment, client] : [s.the.deployment]);
    await rolloutComplete(s.ns.kube, s.ns.name, name);
    if (client) await podReady(s.ns.kube, s.ns.name, client.objects[0]!.metadata.name);
    const ps = await podsMatching(s.ns.kube, s.ns.name, selector, (p) => p.length > 0, { describe: `pods of ${name}` });
    pods = ps.map((p) => p.metadata!.name!);
  });

  test('kubectl logs <pod> shows the request nginx served', async () => {
    const pod = pods[0]!;
    const podIP = (await s.ns.kube.core.readNamespacedPod({ name: pod, namespace: s.ns.name })).status?.podIP;
    const from = s.the.client ? s.the.client.objects[0]!.metadata.name : pod;
    const answer = await httpFromPod(s.ns.kube, s.ns.name, from, `http://${podIP}/debug-by-pod`);
    expect(answer.status).toBe(404);
    const log = await podLogs(s.ns.kube, s.ns.name, pod);
    expect(log).toMatch(/"GET \/debug-by-pod HTTP\/1\.1" 404/);
  });

  test(`kubectl logs -l ${textSelector ?? selector} shows requests of every Pod`, async () => {
    if (textSelector !== undefined) expect(textSelector).toBe(selector);
    const from = s.the.client ? s.the.client.objects[0]!.metadata.name : pods[0]!;
    for (const pod of pods) {
      const podIP = (await s.ns.kube.core.readNamespacedPod({ name: pod, namespace: s.ns.name })).status?.podIP;
      await httpFromPod(s.ns.kube, s.ns.name, from, `http://${podIP}/by-label-${pod}`);
    }
    const logs = await logsBySelector(s.ns.kube, s.ns.name, textSelector ?? selector);
    expect(logs.map((l) => l.pod).sort()).toEqual([...pods].sort());
    for (const pod of pods) {
      expect(logs.find((l) => l.pod === pod)?.text).toContain(`GET /by-label-${pod} HTTP/1.1`);
    }
  });

  test('kubectl port-forward serves the welcome page on a local port', async () => {
    // The text forwards local port 8080; the suite takes a free port instead,
    // so parallel runs and whatever listens on 8080 do not collide.
    const pf = await portForward(s.ns.kube, s.ns.name, pods[0]!, 80);
    process.stdout.write(`port-forward: the text uses local port 8080; this run uses free port ${pf.port}\n`);
    try {
      const res = await fetch(`${pf.url}/`, { signal: AbortSignal.timeout(10_000) });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('Welcome to nginx!');
      expect(pf.errors).toEqual([]);
    } finally {
      await pf.close();
    }
  });
});
