// Part 1, "Access another Pod": the reader starts a second Pod (the bastion),
// looks up the nginx Pod's IP and, from a shell in the bastion, curls that IP.
import { podReady } from '../../helpers/kube/index.js';
import { verifySection } from '../../helpers/suite/section.js';
import { runInPodCommands } from '../../helpers/suite/steps.js';
import { podToPodSection } from '../../helpers/suite/tutorial-sections.js';

verifySection({ id: 'pod-to-pod', title: 'Access another Pod', locate: podToPodSection }, (s) => {
  const pod = s.the.pod.objects[0]!.metadata.name;
  const client = s.the.client.objects[0]!.metadata.name;

  test(`the nginx Pod ${pod} and the client Pod ${client} both become Ready`, async () => {
    await s.ns.apply([s.the.pod, s.the.client]);
    await Promise.all([podReady(s.ns.kube, s.ns.name, pod), podReady(s.ns.kube, s.ns.name, client)]);
  });

  test(`curl from ${client} to ${pod}'s Pod IP answers 200 with the welcome page`, async () => {
    // The text's example IP is replaced by the real one; apt steps are
    // skipped: the stand-in image already has curl and pods have no internet.
    const ran = await runInPodCommands(s, { pod: client, command: /^curl\b/, ipOf: pod });
    for (const r of ran) {
      expect(r.ran).toMatch(/\d+\.\d+\.\d+\.\d+/);
      expect(r.answer.status).toBe(200);
      expect(r.answer.body).toContain('Welcome to nginx!');
    }
  });
});
