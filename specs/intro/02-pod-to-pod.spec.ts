// Part 1, "Access another Pod": the reader starts a second Pod (the bastion),
// looks up the nginx Pod's IP and, from a shell in the bastion, curls that IP.
import { allOf } from '../../helpers/kube/index.js';
import { runInPodCommands } from '../../helpers/suite/in-pod-commands.js';
import { verifySection } from '../../helpers/suite/section.js';

verifySection('pod-to-pod', (s) => {
  const nginx = s.ns.pod(s.the.pod.name);
  const client = s.ns.pod(s.the.client.name);

  test(`the nginx Pod ${nginx.name} and the client Pod ${client.name} both become Ready`, async () => {
    await s.ns.apply([s.the.client]);
    await allOf([s.context('pod', `Pod ${nginx.name}`, () => s.ns.apply([s.the.pod]).then(() => nginx.ready())), client.ready()]);
  });

  test(`curl from ${client.name} to ${nginx.name}'s Pod IP answers 200 with the welcome page`, async () => {
    // The text's example IP is replaced by the real one.
    for (const r of await runInPodCommands(s, { pod: client.name, command: /^curl\b/, ipOf: nginx.name })) {
      expect(r.ran).toContain(await nginx.ip());
      expect(r.answer.status).toBe(200);
      expect(r.answer.body).toContain('Welcome to nginx!');
    }
  });
});
