// Part 2, "Health checks": a liveness probe restarts a container that stops
// answering; a readiness probe keeps a Pod out of service until it has
// succeeded successThreshold times. The course's sample names an image that
// does not exist (a known issue); the blog walkthrough's runnable sample is
// verified end to end: remove the file the liveness probe reads, and the
// container restarts once and comes back Ready.
import { findCommands } from '../../helpers/tutorial/query.js';
import { readyAfter } from '../../helpers/suite/floor.js';
import { containerStartedAt, expectNoRestartLoop, expectNoRestartSince, expectProbePasses, readinessWatch, secondsToReady } from '../../helpers/suite/probes.js';
import { withDoubleDash } from '../../helpers/suite/kubectl.js';
import { sampleAsWritten } from '../../helpers/suite/sample.js';
import { verifySection } from '../../helpers/suite/section.js';
import { firstContainer, podLabels } from '../../helpers/suite/tutorial-sections.js';

verifySection('health-checks', (s) => {
  const pod = s.ns.pod(s.the.pod.name);
  const { livenessProbe: liveness, readinessProbe: readiness } = firstContainer(s.the.pod);
  const sample = sampleAsWritten(s, s.the.pod);
  const traffic = readinessWatch(s.ns, podLabels(s.the.pod));

  test('the sample Pod runs as written', async () => {
    await traffic.start();
    await sample.run();
  });

  test('readiness: not Ready before successThreshold successes, and out of the Service until Ready', async () => {
    if (sample.cannotVerify('its readiness probe')) return;
    if (readiness === undefined) throw new Error(`the sample ${pod.name} has no readiness probe`);
    expect((await traffic.notReadyAtFirst()).ready).toEqual([]);
    // Timestamps have 1 s resolution.
    expect(secondsToReady(await pod.ready())).toBeGreaterThanOrEqual(readyAfter(readiness) - 1);
    await traffic.service.endpoints((a) => a.ready.length === 1, 'the Pod ready in the Service once Ready');
  });

  test('liveness: removing the file the probe reads restarts the container once; it comes back Ready and stays', async () => {
    if (sample.cannotVerify('its liveness probe')) return;
    const before = await pod.ready().then(() => pod.restarts());
    await expectProbePasses(pod, liveness, 'before the file is removed');
    // The text's own command, run with kubectl as written first.
    const rm = findCommands(s.tutorial).find(({ command }) => /kubectl exec\b.*\brm\b/.test(command.text))?.command;
    if (rm === undefined) throw new Error(`no "kubectl exec ... rm ..." command in ${s.tutorial.name} to break the liveness probe`);
    try {
      const outcome = await s.asWritten('exec-as-written', () => s.kubectl(rm));
      // The same command with the `--` that kubectl has required since 1.31.
      if (outcome.status === 'known-issue') await s.kubectlLine(withDoubleDash(rm.text));
    } catch (err) {
      // A container the kubelet is restarting cannot be exec'd into: say why it restarts.
      await expectNoRestartSince(pod, before, 'its liveness probe fails without the file being removed');
      throw err;
    }
    const restarted = await pod.restartsAtLeast(before + 1, { timeoutMs: 60_000 });
    await expectNoRestartSince(pod, before + 1, 'its liveness probe fails without the file being removed');
    const startedAt = containerStartedAt(restarted) ?? Date.now();
    await pod.ready();
    await expectProbePasses(pod, liveness, 'after the restart');
    await expectNoRestartLoop(pod, liveness, before + 1, startedAt);
  });
});
