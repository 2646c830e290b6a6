// npm run faults [-- --only name,name]: what a run does when the local cluster
// fails under it. Each fault is injected into a run of the suite, bounded in
// time, and reported: what the run printed, the verdict of each section and
// source that did not verify, the time to the verdict, and what was left. At
// the end a clean run must be green, and the host's inventory as it was.
//
// Faults (the local provider only: they act on the processes it started, by
// the PIDs it recorded, and on nothing else of this machine):
//   runner-sigkill      the runner and its jest killed with SIGKILL mid-run;
//                       the next run's sweep must remove what it left
//   api-server-stopped  kube-apiserver down for HOLD_S seconds mid-run
//   containerd-stopped  containerd down for HOLD_S seconds mid-run
//   kubelet-stopped     the kubelet down for HOLD_S seconds mid-run
//   registry-stopped    the local image registry stopped: a pull fails, the
//                       verdict must name the registry, soon after the pull did
//   disk-nearly-full    cluster:up with its state folder on a 64 MiB tmpfs:
//                       it must refuse at once, naming the folder and its space
// "Down" is a crash held down: the supervisor is paused (SIGSTOP), its child
// killed (SIGKILL), and after HOLD_S the supervisor resumes and restarts it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { promises as dns } from 'node:dns';
import { createTestNamespace, deleteNamespace, managedNamespaces, namespacesGone, observeHealth, type Kube } from '../helpers/kube/index.js';
import { providerFromEnv } from '../helpers/providers/from-env.js';
import type { Report, Verdict } from '../helpers/suite/report.js';
import { childrenOf } from '../helpers/suite/processes.js';
import { readRecords } from '../helpers/suite/records.js';
import { runE2e, stopJestOnSignals } from '../helpers/suite/run-e2e.js';
import { PROJECT_ROOT, sourcePaths } from '../helpers/suite/sources.js';

const HOLD_S = Number(process.env.TUTORIAL_E2E_FAULT_HOLD_S ?? 15);
/** When, after a run started, a fault is injected: its sections are under way by then. */
const INJECT_AFTER_S = Number(process.env.TUTORIAL_E2E_FAULT_AFTER_S ?? 40);
const STATE = process.env.TUTORIAL_E2E_STATE ?? '/var/lib/tutorial-e2e';
const PIDS = join(STATE, 'cluster', 'pids');
const CLUSTER_SCRIPTS = join(PROJECT_ROOT, 'scripts', 'cluster');
const REGISTRY = join(PROJECT_ROOT, 'scripts', 'images', 'registry.sh');
const ALL = ['runner-sigkill', 'api-server-stopped', 'containerd-stopped', 'kubelet-stopped', 'registry-stopped', 'disk-nearly-full'] as const;
type FaultName = (typeof ALL)[number];

const lines: string[] = [];
const say = (line = ''): void => {
  lines.push(line);
  process.stdout.write(`${line}\n`);
};
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const secondsSince = (t0: number): string => `${((performance.now() - t0) / 1000).toFixed(1)} s`;

/** The verdicts that are not "verified" (nor "not in this source"), one line each. */
function notVerified(report: Report): string[] {
  const out: string[] = [];
  for (const s of report.sections) {
    for (const [source, v] of Object.entries(s.bySource)) {
      if (v.status === 'verified' || v.status === 'absent' || v.status === 'known-issue') continue;
      out.push(`${s.section} / ${source}: ${describe(v)}`);
    }
  }
  return out;
}

function describe(v: Verdict): string {
  switch (v.status) {
    case 'cluster-fault':
      return `CLUSTER FAULT: ${v.faults.join('; ')} (${v.failures.length} failed test(s), first: "${v.failures[0]?.test ?? '?'}")`;
    case 'failed':
      return `FAILED: "${v.failures[0]?.test ?? '?'}": ${v.failures[0]?.message ?? ''}`;
    case 'blocked':
      return `blocked by ${v.by}`;
    default:
      return v.status;
  }
}

function tally(report: Report): string {
  const n: Record<string, number> = {};
  for (const s of report.sections) for (const v of Object.values(s.bySource)) n[v.status] = (n[v.status] ?? 0) + 1;
  return Object.entries(n)
    .map(([k, c]) => `${k} ${c}`)
    .join(', ');
}

async function suiteNamespaces(kube: Kube): Promise<string[]> {
  return (await managedNamespaces(kube)).map((n) => `${n.metadata?.name ?? '?'}${n.metadata?.deletionTimestamp ? ' (terminating)' : ''}`);
}

/** The PID of a process the cluster scripts started (its supervisor, for supervised ones). */
function recordedPid(name: string): number {
  const file = join(PIDS, `${name}.pid`);
  if (!existsSync(file)) throw new Error(`no ${file}: is the local cluster up (npm run cluster:up)?`);
  return Number(readFileSync(file, 'utf8').trim());
}

/** A process and all its descendants, parents first. */
function treeOf(pid: number): number[] {
  return [pid, ...childrenOf(pid).flatMap(treeOf)];
}

function commOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
}

/** A crash held down: the supervisor paused, its child (named `comm`) killed, and after `holdS` the supervisor resumed. */
async function holdDown(name: string, comm: string, holdS: number): Promise<string> {
  const supervisor = recordedPid(name);
  const child = childrenOf(supervisor).find((p) => commOf(p) === comm);
  if (child === undefined) throw new Error(`${name}: no ${comm} under its supervisor (pid ${supervisor})`);
  process.kill(supervisor, 'SIGSTOP');
  try {
    process.kill(child, 'SIGKILL');
    await sleep(holdS * 1000);
  } finally {
    process.kill(supervisor, 'SIGCONT');
  }
  return `${comm} (pid ${child}) killed and held down ${holdS} s; its supervisor (pid ${supervisor}) restarted it`;
}

interface Ctx {
  kube: Kube;
  serverVersion: string;
  dir: string;
  sources: string[];
}

/** One full run with a fault injected `INJECT_AFTER_S` in. */
async function runUnder(ctx: Ctx, fault: FaultName, inject: () => Promise<string>): Promise<boolean> {
  const dir = join(ctx.dir, fault);
  const t0 = performance.now();
  let injected = '';
  let injectedAt = 0;
  // The fault, then (while the run goes on) how long the cluster takes to be whole again.
  const injection = (async () => {
    await sleep(INJECT_AFTER_S * 1000);
    injectedAt = performance.now();
    injected = await inject();
    return healthyAgain(ctx.kube, injectedAt);
  })();
  const run = await runE2e({ ...process.env, TUTORIAL_E2E_PROVIDER: 'local' }, dir, ctx.serverVersion, { quiet: true });
  const recovered = await injection;
  say(`injected at ${((injectedAt - t0) / 1000).toFixed(1)} s: ${injected}`);
  say(`run: ${secondsSince(t0)}, exit ${run.exitCode}; report ${run.report ? join(dir, 'report.md') : 'NOT WRITTEN'}`);
  say(`cluster healthy again ${recovered}`);
  if (run.report === undefined) {
    const log = join(dir, 'jest.log');
    if (existsSync(log)) for (const l of readFileSync(log, 'utf8').split('\n').filter((x) => x.trim() !== '' && !/^\s+at /.test(x)).slice(-15)) say(`  | ${l}`);
    return false;
  }
  say(`verdicts: ${tally(run.report)}`);
  const bad = notVerified(run.report);
  for (const l of bad) say(`  ${l}`);
  const printed = readRecords(join(dir, 'records.jsonl')).filter((r) => r.type === 'cluster-fault').length;
  say(`cluster-fault records: ${printed}`);
  // The claim: nothing the fault broke is blamed on the text.
  const blamed = bad.filter((l) => l.includes(': FAILED'));
  if (blamed.length > 0) say(`NOT OK: ${blamed.length} cell(s) failed without naming the cluster fault`);
  return blamed.length === 0;
}

/**
 * Until the API server is ready, every node Ready and its kubelet answering:
 * "the cluster comes back". A poll (once a second, 180 s at most): while the
 * API server is down there is nothing to watch.
 */
async function healthyAgain(kube: Kube, since: number): Promise<string> {
  const deadline = Date.now() + 180_000;
  let last = '';
  for (;;) {
    const o = await observeHealth(kube);
    const problems = [
      ...(o.readyzProblem !== undefined ? [`API server: ${o.readyzProblem}`] : []),
      ...o.nodes.filter((n) => n.ready?.status !== 'True' || n.kubeletProblem !== undefined).map((n) => `node ${n.name}: Ready=${n.ready?.status ?? '?'} ${n.kubeletProblem ?? ''}`),
      ...(o.readyzProblem === undefined && o.nodes.length === 0 ? ['no node listed'] : []),
    ];
    if (problems.length === 0) return `${secondsSince(since)} after the fault began; cluster DNS answers for a new Service ${await dnsFresh(kube, since)}`;
    last = problems.join('; ');
    if (Date.now() > deadline) return `NOT within 180 s; last seen: ${last}`;
    await sleep(1000);
  }
}

/**
 * Cluster DNS knows a Service made now: CoreDNS's watch of the API server
 * broke with it, and client-go retries with a growing back-off (up to about
 * 30 s), so a name made in the meantime does not resolve for a while after
 * the API server is back. The suite's next run must not start before.
 */
async function dnsFresh(kube: Kube, since: number): Promise<string> {
  const ns = await createTestNamespace(kube, 'faults-dns-probe');
  try {
    await kube.json({ method: 'POST', path: `/api/v1/namespaces/${ns}/services`, body: JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'probe' }, spec: { ports: [{ port: 80 }] } }), timeoutMs: 10_000 });
    const dnsIp = (await kube.json<{ spec?: { clusterIP?: string } }>({ path: '/api/v1/namespaces/kube-system/services/kube-dns', timeoutMs: 10_000 })).spec?.clusterIP;
    if (dnsIp === undefined) return '(no kube-dns Service: not checked)';
    const resolver = new dns.Resolver({ timeout: 1000, tries: 1 });
    resolver.setServers([dnsIp]);
    const deadline = Date.now() + 120_000;
    let last = '';
    while (Date.now() < deadline) {
      try {
        await resolver.resolve4(`probe.${ns}.svc.cluster.local`);
        return `${secondsSince(since)} after the fault began`;
      } catch (err) {
        last = (err as { code?: string }).code ?? String(err);
      }
      await sleep(1000);
    }
    return `NOT within 120 s (last: ${last})`;
  } finally {
    await deleteNamespace(kube, ns, { wait: false });
  }
}


async function runnerSigkill(ctx: Ctx): Promise<boolean> {
  const dir = join(ctx.dir, 'runner-sigkill');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, 'killed-run.log');
  const args = ['tsx', join(PROJECT_ROOT, 'scripts', 'run-suite.ts'), 'verify', ...ctx.sources];
  const child = execa('npx', args, { cwd: PROJECT_ROOT, detached: true, reject: false, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TUTORIAL_E2E_PROVIDER: 'local' } });
  const log: string[] = [];
  child.stdout.on('data', (d: Buffer) => log.push(d.toString()));
  child.stderr.on('data', (d: Buffer) => log.push(d.toString()));
  const t0 = performance.now();
  await sleep(INJECT_AFTER_S * 1000);
  const before = await suiteNamespaces(ctx.kube);
  // Every process of the run at once, as a machine's OOM killer or `kill -9` of a
  // CI job would: jest runs in a process group of its own, so the tree, not a group.
  const tree = child.pid === undefined ? [] : treeOf(child.pid);
  for (const pid of tree) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await child;
  writeFileSync(out, log.join(''));
  say(`killed the runner's ${tree.length} processes with SIGKILL at ${secondsSince(t0)}; ${before.length} suite namespace(s) then: ${before.join(', ')}`);
  const left = await suiteNamespaces(ctx.kube);
  say(`left in the cluster right after: ${left.length}`);

  // The next run: one small spec file is enough to run the global setup's sweep.
  const t1 = performance.now();
  const next = await execa('npx', ['tsx', join(PROJECT_ROOT, 'scripts', 'run-suite.ts'), 'verify', ctx.sources[0] ?? '', '--', 'specs/intro/01-pod.spec.ts'], {
    cwd: PROJECT_ROOT,
    reject: false,
    all: true,
    env: { ...process.env, TUTORIAL_E2E_PROVIDER: 'local' },
  });
  writeFileSync(join(dir, 'next-run.log'), next.all);
  const sweep = next.all.split('\n').filter((l) => /leftover|its run \(pid/.test(l));
  say(`next run (${secondsSince(t1)}, exit ${String(next.exitCode)}) printed:`);
  for (const l of sweep) say(`  ${l.trim()}`);
  // Its namespaces are deleted without waiting; give the namespace controller its time.
  await namespacesGone(ctx.kube, (await managedNamespaces(ctx.kube)).map((n) => n.metadata?.name ?? '?'), { timeoutMs: 120_000 }).catch(() => undefined);
  const still = await suiteNamespaces(ctx.kube);
  say(`suite namespaces left after the next run: ${still.length}${still.length > 0 ? `: ${still.join(', ')}` : ''}`);
  const swept = before.filter((n) => sweep.some((l) => l.includes(n.replace(' (terminating)', ''))));
  return next.exitCode === 0 && still.length === 0 && (left.length === 0 || swept.length > 0);
}

async function registryStopped(ctx: Ctx): Promise<boolean> {
  const dir = join(ctx.dir, 'registry-stopped');
  execFileSync('bash', [REGISTRY, 'stop'], { stdio: 'ignore' });
  try {
    const t0 = performance.now();
    // One section whose image is pulled on every start (a :latest tag: imagePullPolicy Always).
    const run = await runE2e({ ...process.env, TUTORIAL_E2E_PROVIDER: 'local', TUTORIAL_SOURCES: ctx.sources[0] }, dir, ctx.serverVersion, {
      quiet: true,
      jestArgs: ['specs/intro/01-pod.spec.ts'],
    });
    say(`run with the registry stopped: ${secondsSince(t0)}, exit ${run.exitCode}`);
    if (run.report === undefined) return false;
    const bad = notVerified(run.report);
    for (const l of bad) say(`  ${l}`);
    // How long each test took to its verdict (jest's own durations).
    const jest = JSON.parse(readFileSync(join(dir, 'jest.json'), 'utf8')) as { testResults: { assertionResults: { title: string; status: string; duration?: number }[] }[] };
    for (const a of jest.testResults.flatMap((f) => f.assertionResults)) say(`  ${a.status} after ${((a.duration ?? 0) / 1000).toFixed(1)} s: ${a.title}`);
    return bad.length > 0 && bad.every((l) => l.includes('CLUSTER FAULT') && l.includes('registry'));
  } finally {
    execFileSync('bash', [REGISTRY, 'start'], { stdio: 'ignore' });
    say('registry started again');
  }
}

async function diskNearlyFull(ctx: Ctx): Promise<boolean> {
  const mount = mkdtempSync(join(tmpdir(), 'tte-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', mount]);
  try {
    const t0 = performance.now();
    const up = await execa('bash', [join(CLUSTER_SCRIPTS, 'up.sh')], { reject: false, all: true, env: { ...process.env, TUTORIAL_E2E_STATE: join(mount, 'state') } });
    say(`cluster:up with its state on a 64 MiB tmpfs: exit ${String(up.exitCode)} after ${secondsSince(t0)}:`);
    for (const l of up.all.split('\n').slice(-3)) say(`  ${l}`);
    writeFileSync(join(ctx.dir, 'disk-nearly-full.log'), up.all);
    return up.exitCode !== 0 && /MiB free on/.test(up.all) && performance.now() - t0 < 10_000;
  } finally {
    execFileSync('umount', [mount]);
    rmSync(mount, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const onlyArg = process.argv.indexOf('--only');
  const only = onlyArg >= 0 ? (process.argv[onlyArg + 1] ?? '').split(',') : [...ALL];
  const unknown = only.filter((n) => !(ALL as readonly string[]).includes(n));
  if (unknown.length > 0) throw new Error(`unknown fault(s) ${unknown.join(', ')}; the faults are: ${ALL.join(', ')}`);
  const provider = providerFromEnv({ ...process.env, TUTORIAL_E2E_PROVIDER: 'local' });
  const info = await provider.ensure({ create: false });
  const sources = sourcePaths();
  const dir = join(PROJECT_ROOT, 'artifacts', `faults-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(dir, { recursive: true });
  const inventory = join(CLUSTER_SCRIPTS, 'inventory.sh');
  const before = join(dir, 'inventory-before');
  execFileSync('bash', [inventory, 'snapshot', before]);
  stopJestOnSignals();
  const ctx: Ctx = { kube: provider.kube(), serverVersion: info.serverVersion, dir, sources };
  say(`faults on the local cluster (Kubernetes ${info.serverVersion}), ${sources.length} source(s); held down ${HOLD_S} s, injected ${INJECT_AFTER_S} s into a run; artifacts ${dir}`);

  const results: Array<[string, boolean]> = [];
  const faults: Record<FaultName, () => Promise<boolean>> = {
    'runner-sigkill': () => runnerSigkill(ctx),
    'api-server-stopped': () => runUnder(ctx, 'api-server-stopped', () => holdDown('kube-apiserver', 'kube-apiserver', HOLD_S)),
    'containerd-stopped': () => runUnder(ctx, 'containerd-stopped', () => holdDown('containerd', 'containerd', HOLD_S)),
    'kubelet-stopped': () => runUnder(ctx, 'kubelet-stopped', () => holdDown('kubelet', 'kubelet', HOLD_S)),
    'registry-stopped': () => registryStopped(ctx),
    'disk-nearly-full': () => diskNearlyFull(ctx),
  };
  for (const name of only as FaultName[]) {
    say(`\n== ${name}`);
    let ok = false;
    try {
      ok = await faults[name]();
    } catch (err) {
      say(`error: ${(err as Error).message}`);
    }
    const left = await suiteNamespaces(ctx.kube).catch((err: unknown) => [`(could not list: ${(err as Error).message})`]);
    say(`${ok ? 'OK' : 'NOT OK'}: ${name}; suite namespaces in the cluster now: ${left.length}`);
    results.push([name, ok]);
  }

  say('\n== after the faults: a full run must be green');
  const t0 = performance.now();
  const last = await runE2e({ ...process.env, TUTORIAL_E2E_PROVIDER: 'local' }, join(dir, 'after'), info.serverVersion, { quiet: true });
  const green = last.exitCode === 0 && last.report !== undefined && last.report.failed === 0;
  say(`${green ? 'green' : 'NOT green'}: ${secondsSince(t0)}, ${last.report?.passed ?? 0} passed, ${last.report?.failed ?? 0} failed`);
  results.push(['next run green', green]);
  let same = true;
  try {
    say(execFileSync('bash', [inventory, 'compare', before], { encoding: 'utf8' }).trim());
  } catch (err) {
    same = false;
    say(String((err as { stdout?: string }).stdout ?? err).trim());
  }
  results.push(['host inventory as before', same]);
  say('\n== summary');
  for (const [name, ok] of results) say(`${ok ? 'OK    ' : 'NOT OK'} ${name}`);
  writeFileSync(join(dir, 'faults.txt'), `${lines.join('\n')}\n`);
  return results.every(([, ok]) => ok) ? 0 : 1;
}

main().then(
  (c) => process.exit(c),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
