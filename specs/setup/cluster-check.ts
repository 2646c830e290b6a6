// What the e2e run does before and after its specs.
//
// Before: find the cluster the provider points at, and if there is none (no
// kubeconfig, no such context, nothing listening, credentials refused) end
// the run at once with ONE message naming the kubeconfig and context tried and
// how to get a cluster. The cheap checks (file, context, TCP connect) come
// first and need neither the Kubernetes client nor more than a few seconds;
// only then is the client loaded for the real /version probe (5 s timeout).
// Then sweep what earlier runs left behind, and hand the resolved cluster to
// the workers through the environment:
//   KUBECONFIG, TUTORIAL_E2E_CONTEXT, TUTORIAL_E2E_PROVIDER  the cluster (tutorial kubectl steps use it too)
//   TUTORIAL_E2E_SERVER_VERSION                               its gitVersion
//   TUTORIAL_E2E_RUN_ID, TUTORIAL_E2E_RUN_PID                 who owns this run's namespaces
//
// The local provider's cluster is brought up here only with TUTORIAL_E2E_AUTO_UP=1:
// building and starting it takes minutes; by default the run fails fast instead.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { childrenOf } from '../../helpers/suite/processes.js';
import { locateCluster, NoClusterError, providerNameFromEnv, tcpProblem, type Located } from '../../helpers/providers/locate.js';

/** With no cluster, the run must be over within this long after the jest process started. */
const RUN_FAILS_WITHIN_MS = 10_000;

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

function fail(located: Located, problem: string): never {
  throw new NoClusterError(located, problem);
}

/** A message-only error: jest prints a failing global setup's stack, and this one is the whole story. */
function plainError(message: string): Error {
  const e = new Error(message);
  e.stack = message;
  return e;
}

export async function setupRun(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  env.TUTORIAL_E2E_RUN_PID = String(process.pid);

  let provider;
  try {
    provider = providerNameFromEnv(env);
  } catch (err) {
    throw plainError(`tutorial-e2e: ${(err as Error).message}`);
  }
  const autoUp = provider === 'local' && env.TUTORIAL_E2E_AUTO_UP === '1';

  // 1. Cheap checks: no client library, a few seconds at most.
  let located: Located | undefined;
  try {
    located = locateCluster(provider, env);
  } catch (err) {
    if (!(err instanceof NoClusterError) || !autoUp) throw err;
  }
  if (located?.server) {
    const problem = await tcpProblem(located.server, 2000);
    if (problem && !autoUp) fail(located, problem);
  }

  // 2. The real probe (and, with TUTORIAL_E2E_AUTO_UP=1, cluster:up), with the client.
  const { providerFromEnv } = await import('../../helpers/providers/from-env.js');
  const { ClusterUnreachableError, KubeconfigError, newRunId, sweepLeftovers } = await import('../../helpers/kube/index.js');
  env.TUTORIAL_E2E_RUN_ID ||= newRunId();
  const p = providerFromEnv(env);
  // The probe gets 5 s, or what is left of the run's 10 s to fail in (jest itself takes a few to start).
  const leftMs = RUN_FAILS_WITHIN_MS - process.uptime() * 1000 - 1000;
  let info;
  try {
    info = await p.ensure({ create: autoUp, probeTimeoutMs: Math.round(Math.max(2000, Math.min(5000, leftMs))) });
  } catch (err) {
    const where = located ?? { provider, kubeconfig: { path: '?', origin: '?' } };
    if (err instanceof NoClusterError) throw err;
    if (err instanceof ClusterUnreachableError) fail({ ...where, context: err.context, server: err.server }, err.reason);
    if (err instanceof KubeconfigError) fail(where, err.message);
    throw err;
  }

  env.KUBECONFIG = info.kubeconfigPath;
  env.TUTORIAL_E2E_CONTEXT = info.context;
  env.TUTORIAL_E2E_PROVIDER = p.name;
  env.TUTORIAL_E2E_SERVER_VERSION = info.serverVersion;
  log(
    `tutorial-e2e: ${p.name} cluster, context "${info.context}" at ${info.server} (Kubernetes ${info.serverVersion}); ` +
      `run ${env.TUTORIAL_E2E_RUN_ID}`,
  );

  // 3. What killed or crashed runs left behind.
  // A sweep that fails (e.g. no right to list namespaces) must not stop the run: say so and go on.
  try {
    const swept = await sweepLeftovers(p.kube());
    const all = [
      ...swept.namespaces.map((l) => `namespace ${l.name}: ${l.reason}`),
      ...swept.clusterScoped.map((l) => `${l.kind} ${l.name}: ${l.reason}`),
    ];
    if (all.length > 0) log(`tutorial-e2e: deleting ${all.length} leftover(s) of earlier runs:\n${all.map((s) => `  ${s}`).join('\n')}`);
  } catch (err) {
    log(`tutorial-e2e: warning: could not sweep earlier runs' leftovers: ${(err as Error).message}`);
  }
  env.TUTORIAL_E2E_SETUP_DONE = '1';
  const { interruptedMarker } = await import('../../helpers/suite/records.js');
  rmSync(interruptedMarker(env), { force: true }); // an earlier interrupted run's, in a shared artifacts folder
  deleteRunNamespacesOnSignal(env, interruptedMarker(env));
}

const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * Ctrl-C (or CI's SIGTERM) reaches jest's main process and its workers
 * together. Left alone, the main process exits at once and takes the
 * workers' IPC and stderr with it while their cleanup (cleanup.ts) is still
 * deleting their namespaces, so a Ctrl-C left them behind for the next run's
 * sweep. Here the main process stays until the workers are gone (they exit
 * when their cleanup is done, bounded) and then deletes whatever namespace
 * of this run is still there, found by run id: the catch-all. No new spec
 * starts meanwhile (the marker file). Bounded: it exits within 40 s.
 */
function deleteRunNamespacesOnSignal(env: NodeJS.ProcessEnv, marker: string): void {
  let stopping = false;
  const onSignal = (signal: keyof typeof SIGNAL_EXIT): void => {
    if (stopping) return;
    stopping = true;
    try {
      mkdirSync(dirname(marker), { recursive: true });
      writeFileSync(marker, `${signal}\n`);
    } catch {
      // the catch-all below still runs
    }
    log(`tutorial-e2e: ${signal}: waiting for the workers' cleanup, then deleting what is left of run ${env.TUTORIAL_E2E_RUN_ID ?? '?'}`);
    const bound = setTimeout(() => process.exit(SIGNAL_EXIT[signal]), 40_000);
    void (async () => {
      await workersGone(25_000);
      const { providerFromEnv } = await import('../../helpers/providers/from-env.js');
      const { deleteNamespace, runNamespaces } = await import('../../helpers/kube/index.js');
      const kube = providerFromEnv(env).kube();
      const left = (await runNamespaces(kube, env.TUTORIAL_E2E_RUN_ID ?? '')).filter((n) => !n.deleting);
      for (const n of left) await deleteNamespace(kube, n.name, { wait: false });
      log(
        left.length > 0
          ? `tutorial-e2e: deleted ${left.length} namespace(s) of this run that its workers had not: ${left.map((n) => n.name).join(', ')}`
          : "tutorial-e2e: the workers had deleted all of this run's namespaces",
      );
    })()
      .catch((err: unknown) => log(`tutorial-e2e: could not delete this run's namespaces (the next run sweeps them): ${(err as Error).message}`))
      .finally(() => {
        clearTimeout(bound);
        process.exit(SIGNAL_EXIT[signal]);
      });
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
}

/** Until this process has no child left (jest's workers), at most `ms`; Linux's /proc, else just the bound. */
async function workersGone(ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  const children = (): number => {
    try {
      return childrenOf(process.pid).length;
    } catch {
      return 1;
    }
  };
  // A poll, not a watch: jest-worker owns the workers' exit events.
  while (children() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
}

export async function teardownRun(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (env.TUTORIAL_E2E_SETUP_DONE !== '1') return;
  const { providerFromEnv } = await import('../../helpers/providers/from-env.js');
  const { deleteNamespace, runNamespaces, namespacesGone, whileUnreachable } = await import('../../helpers/kube/index.js');
  const kube = providerFromEnv(env).kube();
  // The report must be written whatever the cluster does now: a teardown that
  // throws makes jest end without its results. So the cluster gets a while to
  // come back (a restarting API server), and then what is left is the next run's sweep's.
  let ours: Awaited<ReturnType<typeof runNamespaces>>;
  try {
    ours = await whileUnreachable(() => runNamespaces(kube, env.TUTORIAL_E2E_RUN_ID ?? ''));
  } catch (err) {
    log(`tutorial-e2e: could not list this run's namespaces to delete them (the next run sweeps them): ${(err as Error).message}`);
    return;
  }
  // A worker that crashed could not delete its own.
  const left = ours.filter((n) => !n.deleting);
  for (const n of left) {
    await deleteNamespace(kube, n.name, { wait: false }).catch((err: unknown) => {
      log(`tutorial-e2e: could not delete namespace ${n.name} (the next run sweeps it): ${(err as Error).message}`);
    });
  }
  if (left.length > 0) log(`tutorial-e2e: deleted ${left.length} namespace(s) this run had left: ${left.map((n) => n.name).join(', ')}`);
  // Specs delete their namespaces without waiting (the namespace controller
  // takes about 5 s each, which would hold every spec file that long per
  // source); the run is not over until they are gone.
  try {
    await namespacesGone(kube, ours.map((n) => n.name), { timeoutMs: 150_000 });
  } catch (err) {
    log(`tutorial-e2e: this run's namespaces are not all gone (the next run sweeps what is left): ${(err as Error).message}`);
  }
}
