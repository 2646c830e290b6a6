// Part 1, "Deploy a container on Kubernetes": the reader applies the nginx Pod
// manifest, sees the Pod Running, reads its events in `kubectl describe`, then
// from a shell inside the Pod gets nginx's welcome page with curl.
import { runInPodCommands } from '../../helpers/suite/in-pod-commands.js';
import { verifySection } from '../../helpers/suite/section.js';

verifySection('pod', (s) => {
  const pod = s.ns.pod(s.the.pod.name);

  test(`kubectl apply creates Pod ${pod.name}, which becomes Running and Ready`, async () => {
    await s.ns.apply([s.the.pod]);
    const p = await pod.ready();
    expect(p.status?.phase).toBe('Running');
  });

  test('its events show it Scheduled, its image Pulled, the container Created and Started', async () => {
    await pod.eventReasons(['Scheduled', 'Pulled', 'Created', 'Started']);
  });

  test('curl from inside the Pod gets the nginx welcome page, as the text shows', async () => {
    for (const r of await runInPodCommands(s, { pod: pod.name, command: /^curl\b/ })) {
      expect(r.answer.status).toBe(200);
      expect(r.answer.body).toContain('Welcome to nginx!');
    }
  });
});
