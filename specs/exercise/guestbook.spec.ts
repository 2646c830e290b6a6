// The course's Exercise: deploy the Kubernetes Guestbook, give its frontend
// liveness and readiness probes on `/`, `killall apache2` in a frontend Pod,
// then make the liveness probe always fail and run `kubectl rollout status`
// and `kubectl rollout undo`. The text prints no manifest for it: the answer
// is the suite's own (manifests/exercise-answer/), and each step of the
// text's list is one test, which records what the cluster showed as the
// answer to the question the text asks there.
import { allOf, isKind, type Kinds } from '../../helpers/kube/index.js';
import { answerDirFor, loadExerciseAnswer } from '../../helpers/suite/exercise-answer.js';
import { exerciseRun } from '../../helpers/suite/exercise.js';
import {
  describeEvents,
  frontendTemplateOf,
  guestbookClient,
  keepAsking,
  readBack,
  replicationOf,
  setThroughFrontend,
  templateDifference,
} from '../../helpers/suite/guestbook.js';
import { ROLLOUT_STATUS_BOUND_SECONDS } from '../../helpers/suite/floor.js';
import { kubectlOutcome } from '../../helpers/suite/kubectl.js';
import { verifySection } from '../../helpers/suite/section.js';

/** The Guestbook's redis leader (Deployment and Service), which the followers replicate from. */
const LEADER = 'redis-leader';

const seconds = (since: number): string => ((performance.now() - since) / 1000).toFixed(1);

verifySection('exercise', (s) => {
  const answer = loadExerciseAnswer(answerDirFor(s.tutorial.name));
  const run = exerciseRun(s);
  const client = guestbookClient(s.ns);
  const deployments = answer.guestbook.filter((m) => isKind(m.object, 'Deployment'));
  const frontend = s.ns.deployment(answer.probes.name);
  const labels = (answer.probes.object as Kinds['Deployment']).spec?.template.metadata?.labels ?? {};
  const frontendPods = s.ns.pods(labels);
  const service = s.ns.service(answer.probes.name);
  const replicas = (answer.probes.object as Kinds['Deployment']).spec?.replicas ?? 1;

  run.step('deploy', 'the Guestbook runs: every Pod Ready; a message written through the frontend Service is read back through it', async (c) => {
    const t0 = performance.now();
    // The leader and its Service first, as the Guestbook's own instructions order them: a follower
    // whose first connection to redis-leader raced kube-proxy's rules for the Service hangs on that
    // connection until redis's repl-timeout (60 s) before it tries again.
    const leader = answer.guestbook.filter((m) => m.name === LEADER);
    await s.ns.apply([client.manifest, ...leader]);
    await allOf([client.pod.ready(), s.ns.deployment(LEADER).rolledOut()]);
    await s.ns.service(LEADER).reachableFrom(client.pod);
    await s.ns.apply(answer.guestbook.filter((m) => m.name !== LEADER));
    await allOf(deployments.map((d) => s.ns.deployment(d.name).rolledOut()));
    const ready = seconds(t0);
    // Ready Pods first, kube-proxy's rules for their Services a moment later: the frontend reaches
    // redis-leader through its Service, so the first write waits until every Service accepts connections.
    const services = answer.guestbook.filter((m) => isKind(m.object, 'Service'));
    await allOf(services.map((m) => s.ns.service(m.name).reachableFrom(client.pod)));
    const message = `written by ${s.ns.name} at ${new Date().toISOString()}`;
    await setThroughFrontend(client.pod, service.name, message);
    const t1 = performance.now();
    // The frontend writes to redis-leader and reads from redis-follower: the message comes back only once it has replicated.
    await readBack(client.pod, service.name, message, { timeoutMs: 30_000, evidence: () => replicationOf(s.ns, answer) });
    c.observed(
      `${deployments.map((d) => d.name).join(', ')} rolled out, every Pod Ready ${ready} s after apply; ` +
        `a message written through Service ${service.name} (cmd=set, to redis-leader) was read back through it (cmd=get, from redis-follower) ${seconds(t1)} s later`,
    );
  });

  run.step('probes', 'liveness and readiness probes on `/`: shown as written; a frontend Pod is Ready only while `/` answers', async (c) => {
    await s.ns.apply([answer.probes]);
    await frontend.rolledOut({ timeoutMs: 60_000 });
    const pods = await frontendPods.settle({ count: replicas });
    const victim = s.ns.pod(pods[0]?.metadata?.name ?? '');
    const probes = (await describeEvents(s.ns, victim.name, /^\s*(Liveness|Readiness):/)).map((l) => l.trim());
    for (const kind of ['Liveness', 'Readiness']) {
      if (!probes.some((l) => new RegExp(`^${kind}:\\s+http-get http://:80/ `).test(l))) {
        throw new Error(`kubectl describe pod ${victim.name} does not show a ${kind.toLowerCase()} probe on http://:80/; it shows: ${probes.join(' | ') || '(no probe)'}`);
      }
    }
    // `/` stops answering (its page unreadable) while apache2 runs on: readiness takes the Pod out of the Service before liveness restarts it.
    // /var/www/html is the DocumentRoot of the upstream image (php:apache) and of its stand-in.
    const ip = await victim.ip();
    const before = await victim.restarts();
    const t0 = performance.now();
    await victim.exec(['chmod', '000', '/var/www/html/index.html']);
    await service.endpoints((a) => a.notReady.includes(ip) && a.ready.length === replicas - 1, `to take ${victim.name} (${ip}) out of service while / fails`);
    const out = seconds(t0);
    const restartsThen = await victim.restarts();
    if (restartsThen !== before) throw new Error(`${victim.name} restarted (${before} -> ${restartsThen}) before its readiness probe took it out of service`);
    await victim.restartsAtLeast(before + 1, { timeoutMs: 60_000 });
    const restarted = seconds(t0);
    await victim.ready();
    await service.endpoints((a) => a.ready.length === replicas, `to list all ${replicas} frontend Pods ready again`);
    c.observed(
      `describe shows "${probes.join('" and "')}"; with / failing (its page made unreadable), ${victim.name} left the Service's ready endpoints ` +
        `after ${out} s with its container still running, its liveness probe restarted it after ${restarted} s, and it was Ready again after ${seconds(t0)} s`,
    );
  });

  run.step(
    'kill-apache',
    '`killall apache2` through a non-interactive `kubectl exec`: the container restarts once and comes back Ready; the Service answers throughout',
    async (c) => {
      const killall = s.the.steps.find((x) => x.id === 'kill-apache')?.code.find((x) => /\bkillall\b/.test(x)) ?? 'killall apache2';
      const pods = await frontendPods.settle({ count: replicas });
      await allOf(pods.map((p) => s.ns.pod(p.metadata?.name ?? '').ready()));
      const victim = s.ns.pod(pods[0]?.metadata?.name ?? '');
      const before = await victim.restarts();
      const t0 = performance.now();
      const asking = keepAsking(client.pod, `http://${service.name}/`);
      let back: Awaited<ReturnType<typeof victim.ready>>;
      try {
        const ran = await kubectlOutcome(s.ns, `kubectl exec ${victim.name} -- ${killall}`);
        // apache2 may take the exec's stream down with it; the restart below is the evidence either way.
        if (ran.exitCode !== 0 && !/terminated|closed|EOF|exit code (?:137|143)/.test(ran.stderr)) {
          throw new Error(`kubectl exec ${victim.name} -- ${killall} failed (exit ${ran.exitCode}): ${ran.stderr.trim()}`);
        }
        await victim.restartsAtLeast(before + 1, { timeoutMs: 30_000 });
        back = await victim.ready();
      } finally {
        await asking.stop();
      }
      const after = await victim.restarts();
      if (after !== before + 1) throw new Error(`${victim.name} restarted ${after - before} times after ${killall}, not once`);
      const last = back.status?.containerStatuses?.[0]?.lastState?.terminated;
      const answers = asking.result();
      answers.expectAnsweredThroughout();
      c.observed(
        `after \`kubectl exec ${victim.name} -- ${killall}\` apache2, the container's main process, ended (exit ${last?.exitCode ?? '?'}, ${last?.reason ?? '?'}); ` +
          `the kubelet restarted the container (restarts ${before} -> ${after}) in the same Pod, Ready again ${seconds(t0)} s later; ` +
          `meanwhile the Service answered ${answers.summary()}`,
      );
    },
    { needs: ['probes'] },
  );

  run.step(
    'failing-liveness',
    'a liveness probe that always fails: the new Pod restarts and is never Ready; `kubectl rollout status` does not succeed; the old Pods keep serving; `kubectl rollout undo` restores the previous template',
    async (c) => {
      const commands = s.the.steps.find((x) => x.id === 'failing-liveness')?.code.filter((x) => /^kubectl\s+rollout\b/.test(x)) ?? [];
      const previous = frontendTemplateOf(await frontend.read());
      const said: string[] = [];
      const watched = await frontend.observePods(async () => {
        await s.ns.apply([answer.failing]);
        const fresh = await frontendPods.settle({ min: replicas + 1 });
        const known = new Set((await frontend.replicaSets()).flatMap((rs) => (rs.status?.readyReplicas ?? 0) > 0 ? [rs.metadata?.name] : []));
        const failing = fresh.find((p) => !known.has(p.metadata?.ownerReferences?.[0]?.name));
        if (failing === undefined) throw new Error(`no Pod of the new ReplicaSet appeared after applying ${answer.failing.source.file}`);
        const pod = s.ns.pod(failing.metadata?.name ?? '');
        // The kubelet's decision to restart it; the restart itself follows the stop signal's grace period
        // (the image stops apache2 with SIGWINCH, which `sleep` ignores: 30 s), checked after rollout status.
        await pod.eventReasons(['Unhealthy', 'Killing'], { timeoutMs: 60_000 });
        const events = await describeEvents(s.ns, pod.name, /Liveness probe failed|failed liveness probe/);
        if (events.length === 0) throw new Error(`kubectl describe pod ${pod.name} shows no failed liveness probe in its events`);
        said.push(`describe ${pod.name} shows: ${events.map((e) => e.trim().replace(/\s+/g, ' ')).join(' / ')}`);
        // Restarted, and still not Ready: seen before the text's undo takes the Pod away.
        let restartSeen = false;
        const restartedNeverReady = async (): Promise<void> => {
          if (restartSeen) return;
          restartSeen = true;
          const restarted = await pod.restartsAtLeast(1, { timeoutMs: 60_000 });
          if (restarted.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True')) {
            throw new Error(`${pod.name}, whose liveness probe always fails, became Ready`);
          }
          said.push(`${pod.name} restarted ${restarted.status?.containerStatuses?.[0]?.restartCount ?? '?'} time(s) and never became Ready`);
        };
        for (const line of commands) {
          const status = /\brollout\s+status\b/.test(line);
          if (!status) await restartedNeverReady();
          const r = await kubectlOutcome(s.ns, status ? `${line} --timeout=${ROLLOUT_STATUS_BOUND_SECONDS}s` : line, { timeoutMs: (ROLLOUT_STATUS_BOUND_SECONDS + 30) * 1000 });
          const words = `${r.stdout} ${r.stderr}`.trim().split('\n').filter((l) => l.trim() !== '').slice(-2).join(' / ');
          if (status && r.exitCode === 0) throw new Error(`\`${line}\` reported success while the new Pod fails its liveness probe: ${words}`);
          if (!status && r.exitCode !== 0) throw new Error(`\`${line}\` failed (exit ${r.exitCode}): ${words}`);
          said.push(status ? `\`${line}\` did not succeed within ${ROLLOUT_STATUS_BOUND_SECONDS} s (exit ${r.exitCode}): ${words}` : `\`${line}\` said: ${words}`);
        }
        await restartedNeverReady();
        // The rollback is a change of the Deployment's template: it is there at once, or never.
        const diff = templateDifference(previous, frontendTemplateOf(await frontend.read()));
        if (diff !== undefined) throw new Error(`after ${commands.map((x) => `\`${x}\``).join(', ') || 'the text\'s commands'} the Deployment is not back on the previous template: ${diff}`);
        return frontend.rolledOut();
      });
      const min = watched.minAvailable;
      if (min < replicas) throw new Error(`only ${min} of ${replicas} frontend Pods were available at some point; the rolling update's maxUnavailable (0 for ${replicas}) allows none to go`);
      await frontendPods.settle({ count: replicas });
      c.observed(`${said.join('; ')}; the old Pods kept serving (${min} of ${replicas} available at every moment); after undo the Deployment is back on the template with probes, all ${replicas} Pods Ready`);
    },
    { needs: ['probes'] },
  );
});
