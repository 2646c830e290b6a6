// Part 1, "Deploy a container on Kubernetes": the reader applies the nginx Pod
// manifest, sees the Pod Running, reads its events in `kubectl describe`, then
// from a shell inside the Pod gets nginx's welcome page with curl.
import { podReady } from '../../helpers/kube/index.js';
import { verifySection } from '../../helpers/suite/section.js';
import { expectEventReasons, runInPodCommands } from '../../helpers/suite/steps.js';
import { podSection } from '../../helpers/suite/tutorial-sections.js';

verifySection({ id: 'pod', title: 'Deploy a container (Pod)', locate: podSection }, (s) => {
  const pod = s.the.pod.objects[0]!.metadata.name;

  test(`kubectl apply creates Pod ${pod}, which becomes Running and Ready`, async () => {
    await s.ns.apply([s.the.pod]);
    const p = await podReady(s.ns.kube, s.ns.name, pod, { timeoutMs: 60_000 });
    expect(p.status?.phase).toBe('Running');
  });

  test('its events show it Scheduled, its image Pulled, the container Created and Started', async () => {
    await expectEventReasons(s.ns, pod, ['Scheduled', 'Pulled', 'Created', 'Started']);
  });

  test('curl from inside the Pod gets the nginx welcome page, as the text shows', async () => {
    const ran = await runInPodCommands(s, { pod, command: /^curl\b/ });
    expect(ran.length).toBeGreaterThan(0);
    for (const r of ran) {
      expect(r.answer.status).toBe(200);
      expect(r.answer.body).toContain('Welcome to nginx!');
    }
  });
});
