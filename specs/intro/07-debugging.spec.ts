// Part 1, "Debug a Pod": `kubectl logs <pod>` and `kubectl logs -l <label>`
// show nginx's access log, and `kubectl port-forward` serves the page on a
// local port.
import { selectorOf, type PodHandle } from '../../helpers/kube/index.js';
import { findCommands } from '../../helpers/tutorial/query.js';
import { verifySection } from '../../helpers/suite/section.js';
import { podLabels } from '../../helpers/suite/tutorial-sections.js';

verifySection('debugging', (s) => {
  const deployment = s.ns.deployment(s.the.deployment.name);
  const selector = selectorOf(podLabels(s.the.deployment));
  // The label the text's `kubectl logs -l ...` names, when it shows one.
  const logsCommand = findCommands(s.tutorial).find(({ command }) => /kubectl logs .*-l\s/.test(command.text))?.command;
  const textSelector = logsCommand ? /-l\s+(\S+)/.exec(logsCommand.text)?.[1] : undefined;
  let pods: PodHandle[] = [];
  const firstPod = (): PodHandle => {
    const [p] = pods;
    if (p === undefined) throw new Error(`no Pod of Deployment ${deployment.name} (see the first test)`);
    return p;
  };
  /** Where requests come from: the text's client Pod (the bastion), else the first nginx Pod itself. */
  const from = (): PodHandle => (s.the.client ? s.ns.pod(s.the.client.name) : firstPod());

  test(`Deployment ${deployment.name} is up and a client request reaches its Pods`, async () => {
    await s.context('deployment', `Deployment ${deployment.name}`, () => s.ns.apply([s.the.deployment]).then(() => deployment.rolledOut()));
    const client = s.the.client;
    if (client) await s.context('pod-to-pod', `Pod ${client.name}`, () => s.ns.apply([client]).then(() => s.ns.pod(client.name).ready()));
    pods = (await s.ns.pods(selector).settle({ min: 1 })).map((p) => s.ns.pod(p.metadata?.name ?? ''));
  });

  test('kubectl logs <pod> shows the request nginx served', async () => {
    const pod = firstPod();
    const answer = await from().http(`http://${await pod.ip()}/debug-by-pod`);
    expect(answer.status).toBe(404);
    // Followed, not read once: the line reaches the log a moment after nginx writes it.
    expect(await pod.logLine(/"GET \/debug-by-pod HTTP\/1\.1" 404/)).toMatch(/"GET \/debug-by-pod HTTP\/1\.1" 404/);
  });

  test(`kubectl logs -l ${textSelector ?? selector} shows requests of every Pod`, async () => {
    if (textSelector !== undefined && textSelector !== selector) {
      throw new Error(`the text's \`kubectl logs -l ${textSelector}\` does not select the Pods of Deployment ${deployment.name} (they carry ${selector})`);
    }
    for (const pod of pods) await from().http(`http://${await pod.ip()}/by-label-${pod.name}`);
    for (const pod of pods) await pod.logLine(new RegExp(`GET /by-label-${pod.name} HTTP`));
    const logs = await s.ns.pods(textSelector ?? selector).logs();
    expect(logs.map((l) => l.pod).sort()).toEqual(pods.map((p) => p.name).sort());
    for (const pod of pods) expect(logs.find((l) => l.pod === pod.name)?.text).toContain(`GET /by-label-${pod.name} HTTP/1.1`);
  });

  test('kubectl port-forward serves the welcome page on a local port', async () => {
    // The text forwards local port 8080; the suite takes a free port instead,
    // so parallel runs and whatever listens on 8080 do not collide.
    const pf = await firstPod().portForward(80);
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
