// Part 2, "Health checks": a liveness probe restarts a container that stops
// answering; a readiness probe keeps a Pod out of service until it has
// succeeded successThreshold times. The course's sample names an image that
// does not exist (a known issue); the blog walkthrough's runnable sample is
// verified end to end: remove the file the liveness probe reads, and the
// container restarts once and comes back Ready.
import {
  endpointsReady,
  execInPod,
  podReady,
  restartCountAtLeast,
  totalRestarts,
  WaitTimeoutError,
  type EndpointAddresses,
  type Pod,
} from '../../helpers/kube/index.js';
import { findCommands } from '../../helpers/tutorial/query.js';
import { deadAfter, readyAfter, type Probe } from '../../helpers/suite/floor.js';
import { verifySection } from '../../helpers/suite/section.js';
import { sampleAsWritten } from '../../helpers/suite/steps.js';
import { runKubectlAsWritten } from '../../helpers/suite/kubectl.js';
import { firstContainer, healthCheckSection, type Json } from '../../helpers/suite/tutorial-sections.js';

verifySection({ id: 'health-checks', title: 'Health checks: liveness and readiness probes', locate: healthCheckSection }, (s) => {
  const pod = s.the.pod.objects[0]!;
  const name = pod.metadata.name;
  const container = firstContainer(pod);
  const liveness = container.livenessProbe as (Probe & Json) | undefined;
  const readiness = container.readinessProbe as Probe | undefined;
  const sample = sampleAsWritten(s, s.the.pod, name);
  const service = 'readiness-probe-check';
  let notReadyAtFirst: Promise<{ seen?: EndpointAddresses; error?: unknown }> | undefined;

  test('the sample Pod runs as written', async () => {
    // A Service over the Pod (the suite's, not the text's) shows whether the
    // Pod receives traffic: it exists, and is watched, before the Pod starts,
    // so that the readiness test sees the Pod's first start.
    const labels = (pod.metadata.labels ?? {}) as Record<string, string>;
    await s.ns.kube.core.createNamespacedService({
      namespace: s.ns.name,
      body: { metadata: { name: service }, spec: { selector: labels, ports: [{ port: 80 }] } },
    });
    const watching = new AbortController();
    s.ns.cleanup.add('stop watching the readiness Service', () => watching.abort());
    notReadyAtFirst = endpointsReady(s.ns.kube, s.ns.name, service, {
      signal: watching.signal,
      predicate: (a) => a.notReady.length === 1 && a.ready.length === 0,
      describe: 'to list the Pod as not ready while its readiness probe has not passed',
    }).then(
      (seen) => ({ seen }),
      (error: unknown) => ({ error }),
    );
    await sample.run();
  });

  test('readiness: not Ready before successThreshold successes, and out of the Service until Ready', async () => {
    if (!sample.runnable) return sample.unverifiable('its probes are');
    if (readiness === undefined) throw new Error(`the sample ${name} has no readiness probe`);
    const first = await notReadyAtFirst!;
    if (first.error !== undefined) throw first.error;
    expect(first.seen?.ready).toEqual([]);
    const p = await podReady(s.ns.kube, s.ns.name, name);
    const started = Date.parse(p.status?.containerStatuses?.[0]?.state?.running?.startedAt as unknown as string);
    const ready = Date.parse(p.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime as unknown as string);
    // Timestamps have 1 s resolution.
    expect((ready - started) / 1000).toBeGreaterThanOrEqual(readyAfter(readiness) - 1);
    await endpointsReady(s.ns.kube, s.ns.name, service, {
      predicate: (a) => a.ready.length === 1,
      describe: 'the Pod ready in the Service once Ready',
    });
  });

  test('liveness: removing the file the probe reads restarts the container once; it comes back Ready and stays', async () => {
    if (!sample.runnable) return sample.unverifiable('its probes are');
    const path = (liveness?.httpGet as Json | undefined)?.path as string | undefined;
    if (path === undefined) throw new Error(`the sample ${name} has no httpGet liveness probe`);
    const before = totalRestarts(await podReady(s.ns.kube, s.ns.name, name));
    // The probe passes while the file is there (else it loops on its own).
    await expectLivenessPasses('before the file is removed');
    // The text's own command, run with kubectl as written first.
    const rm = findCommands(s.tutorial).find(({ command }) => /kubectl exec\b.*\brm\b/.test(command.text))?.command;
    if (rm === undefined) throw new Error(`no "kubectl exec ... rm ..." command in ${s.tutorial.name} to break the liveness probe`);
    try {
      const outcome = await s.asWritten('exec-as-written', () => runKubectlAsWritten(s.ns, rm.text));
      if (outcome.status === 'known-issue') {
        // The same command with the `--` that kubectl has required since 1.31.
        await runKubectlAsWritten(s.ns, rm.text.replace(/(kubectl exec(?: -it| -i| -t)* \S+) (?!--)/, '$1 -- '));
      }
    } catch (err) {
      // A container the kubelet is restarting cannot be exec'd into: say why it restarts.
      await expectNoRestartSince(before);
      throw err;
    }
    const restarted = await restartCountAtLeast(s.ns.kube, s.ns.name, name, before + 1, { timeoutMs: 60_000 });
    await expectNoRestartSince(before + 1);
    const startedAt = restarted.status?.containerStatuses?.[0]?.state?.running?.startedAt as unknown as string | undefined;
    const restartedAt = startedAt !== undefined ? Date.parse(startedAt) : Date.now();
    await podReady(s.ns.kube, s.ns.name, name);
    await expectLivenessPasses('after the restart');
    // No restart loop (the restarted container has the file again from its
    // image): a probe that still failed would restart it again within
    // initialDelaySeconds + periodSeconds x failureThreshold of its start;
    // watched that long (+2 s for the timestamps' 1 s resolution), no second restart.
    const window = (liveness?.initialDelaySeconds ?? 0) + deadAfter(liveness) + 2;
    const again = await restartCountAtLeast(s.ns.kube, s.ns.name, name, before + 2, {
      timeoutMs: Math.max(1_000, restartedAt + window * 1000 - Date.now()),
    }).catch((err: unknown) => {
      if (err instanceof WaitTimeoutError) return undefined;
      throw err;
    });
    if (again !== undefined) {
      throw new Error(
        `container of ${name} restarted again (${totalRestarts(again)} restarts, ${before + 1} expected) after coming back Ready: ` +
          'its liveness probe keeps failing, a restart loop',
      );
    }
  });

  /** The liveness probe's own request, made from inside the container: it must succeed (2xx/3xx). */
  async function expectLivenessPasses(when: string): Promise<void> {
    const get = liveness?.httpGet as Json;
    const url = `http://localhost:${String(get.port ?? 80)}${String(get.path ?? '/')}`;
    const r = await execInPod(s.ns.kube, s.ns.name, name, ['curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', url]);
    const code = Number(r.stdout.trim());
    if (!(code >= 200 && code < 400)) {
      throw new Error(
        `the liveness probe's GET ${url} answers ${r.stdout.trim() || r.stderr.trim()} ${when}: ` +
          'the probe fails on its own, a restart loop',
      );
    }
  }

  /** Fails, naming the probe's last complaint, when the container restarted more than the spec made it. */
  async function expectNoRestartSince(count: number): Promise<void> {
    const p = (await s.ns.kube.core.readNamespacedPod({ name, namespace: s.ns.name })) as Pod;
    if (totalRestarts(p) <= count) return;
    const events = await s.ns.kube.core.listNamespacedEvent({ namespace: s.ns.name, fieldSelector: `involvedObject.name=${name}` });
    const unhealthy = events.items.filter((e) => e.reason === 'Unhealthy').map((e) => e.message);
    throw new Error(
      `container of ${name} restarted on its own (${totalRestarts(p)} restarts, ${count} before the step): ` +
        `its liveness probe fails without the file being removed, a restart loop. Last probe failure: ${unhealthy.at(-1) ?? '(no event)'}`,
    );
  }
});
