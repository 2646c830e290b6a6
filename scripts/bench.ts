// npm run bench [-- --runs N]: the e2e suite's wall time on a warm cluster,
// against the floor the tutorial's manifests impose (helpers/suite/floor.ts),
// and where its CPU goes: CPU-seconds per component (driver, kubectl, the
// control plane, containerd and its shims, the pods) and API requests per run
// (helpers/suite/cpu-accounting.ts says how each is counted). The cluster
// must be up already (npm run cluster:up, or a kubeconfig): bringing it up is
// not part of what is measured. The per-component figures need Linux's /proc
// and, for the pods, the local cluster's cgroup v1 kubepods.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { providerFromEnv } from '../helpers/providers/from-env.js';
import type { Kube } from '../helpers/kube/index.js';
import {
  apiRequestsTotal,
  BY_NAME,
  formatCpuShares,
  parseTimesLine,
  ShimSampler,
  ticksBetween,
  type CpuShare,
} from '../helpers/suite/cpu-accounting.js';
import { parseProcStat, readProcStats, type ProcStat } from '../helpers/suite/processes.js';
import { kubectlBinary } from '../helpers/suite/kubectl.js';
import { criticalPath, type SectionFloor } from '../helpers/suite/floor.js';
import { readRecords, type RunRecord } from '../helpers/suite/records.js';
import { runE2e, stopJestOnSignals, type JestResults } from '../helpers/suite/run-e2e.js';
import { sectionFloors } from '../helpers/suite/sections.js';
import { PROJECT_ROOT, tutorialsUnderTest } from '../helpers/suite/sources.js';

async function main(): Promise<number> {
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 1;
  const provider = providerFromEnv();
  const info = await provider.ensure({ create: false });
  const tutorials = tutorialsUnderTest();
  const walls: number[] = [];
  let lastRecords: RunRecord[] = [];
  let files: JestResults['testResults'] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'tutorial-e2e-bench-'));
  stopJestOnSignals(() => {
    rmSync(scratch, { recursive: true, force: true });
    return Promise.resolve();
  });
  const kubectlLog = join(scratch, 'kubectl-times.log');
  const wrapper = kubectlWrapper(scratch, kubectlBinary(info), kubectlLog);
  const tick = await clockTick();
  const perRun: Array<{ shares: CpuShare[]; machine?: number; requests?: number }> = [];
  let clean = 0;
  const busyShares: number[] = [];
  for (let i = 1; i <= runs; i++) {
    const dir = join(PROJECT_ROOT, 'artifacts', `bench-${Date.now()}`);
    const cpu0 = cpuTimes();
    const procs0 = procStats();
    const self0 = selfChildTicks();
    const pods0 = kubepodsUsage();
    const requests0 = await apiRequests(provider.kube());
    writeFileSync(kubectlLog, '');
    const shims = new ShimSampler(procs0);
    const sampling = setInterval(() => shims.add(procStats((c) => c.startsWith('containerd-shim'))), 500);
    const t0 = performance.now();
    const run = await runE2e({ ...process.env, TUTORIAL_E2E_PROVIDER: provider.name, KUBECTL: wrapper }, dir, info.serverVersion, { quiet: true }).finally(() =>
      clearInterval(sampling),
    );
    const wall = (performance.now() - t0) / 1000;
    const cpu1 = cpuTimes();
    const busy = cpuBusy(cpu0, cpu1);
    if (busy !== undefined) busyShares.push(busy);
    const requests1 = await apiRequests(provider.kube());
    perRun.push({
      shares: cpuShares({ procs0, procs1: procStats(), self0, self1: selfChildTicks(), pods0, pods1: kubepodsUsage(), shims, kubectlLog, tick }),
      ...(cpu0 !== undefined && cpu1 !== undefined ? { machine: (cpu1.busy - cpu0.busy) / tick } : {}),
      ...(requests0 !== undefined && requests1 !== undefined ? { requests: requests1 - requests0 } : {}),
    });
    const passed = run.report?.passed ?? 0;
    const failed = run.report?.failed ?? 0;
    process.stdout.write(`run ${i}/${runs}: ${wall.toFixed(1)} s, ${passed} passed, ${failed} failed (exit ${run.exitCode})${failed > 0 ? `: ${dir}/report.md` : ''}\n`);
    walls.push(wall);
    if (run.exitCode === 0 && failed === 0 && run.report !== undefined) clean++;
    if (run.jest === undefined) continue;
    files = run.jest.testResults;
    lastRecords = readRecords(join(dir, 'records.jsonl'));
  }

  // A sample that cannot run as written (a placeholder image) imposes no wait.
  const perSource: SectionFloor[][] = tutorials.map((t) =>
    sectionFloors(t).map((f) => {
      const has = (type: RunRecord['type'], step?: string): boolean =>
        lastRecords.some((x) => x.type === type && x.source === t.name && x.section === f.section && (step === undefined || ('step' in x && x.step === step)));
      if (has('known-issue', 'run-as-written')) return { ...f, seconds: 0, why: 'not runnable as written (known issue)' };
      // Verified once with another source of the same content: that source's floor holds it.
      if (has('same-as')) return { ...f, seconds: 0, why: 'same content as another source, verified once' };
      return f;
    }),
  );
  const floor = criticalPath(perSource);
  process.stdout.write(`\nKubernetes ${info.serverVersion} (${provider.name}), ${tutorials.length} source(s)\n`);
  process.stdout.write('floors per section and source (seconds the manifests impose):\n');
  tutorials.forEach((t, i) => {
    for (const f of perSource[i] ?? []) if (f.seconds > 0) process.stdout.write(`  ${f.section} / ${t.name}: ${f.seconds} s (${f.why})\n`);
  });
  process.stdout.write(`critical path when sections run in parallel: ${floor.section}, ${floor.seconds} s\n`);
  process.stdout.write('slowest spec files (last run):\n');
  for (const f of [...files].sort((a, b) => b.endTime - b.startTime - (a.endTime - a.startTime)).slice(0, 5)) {
    process.stdout.write(`  ${((f.endTime - f.startTime) / 1000).toFixed(1)} s  ${f.name.replace(`${PROJECT_ROOT}/`, '')}\n`);
  }
  const sorted = [...walls].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const min = sorted[0];
  const max = sorted.at(-1);
  if (median === undefined || min === undefined || max === undefined) throw new Error(`no run to time (--runs ${runs})`);
  process.stdout.write(
    `suite wall time: median ${median.toFixed(1)} s over ${runs} run(s) (min ${min.toFixed(1)}, max ${max.toFixed(1)}); ` +
      `floor ${floor.seconds} s; ratio ${(median / Math.max(floor.seconds, 1)).toFixed(2)}x (goal: at most 1.5x and under 180 s)\n`,
  );
  if (busyShares.length > 0) {
    const avg = busyShares.reduce((a, b) => a + b, 0) / busyShares.length;
    process.stdout.write(
      `machine CPU busy during the runs: ${(avg * 100).toFixed(0)}% of ${cpus().length} core(s) ` +
        '(near 100%: the suite is bound by CPU, not by what the manifests make it wait for)\n',
    );
  }
  const middle = (xs: number[]): number | undefined => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const components = [...new Set(perRun.flatMap((r) => r.shares.map((s) => s.component)))];
  const shares = components.map((component) => {
    const of = perRun.flatMap((r) => r.shares.filter((s) => s.component === component));
    return { component, seconds: middle(of.map((s) => s.seconds)) ?? 0, ...(of[0]?.note !== undefined ? { note: of[0].note } : {}) };
  });
  process.stdout.write(`CPU-seconds per component, median over ${perRun.length} run(s):\n`);
  for (const line of formatCpuShares(shares, middle(perRun.flatMap((r) => (r.machine !== undefined ? [r.machine] : []))))) process.stdout.write(`${line}\n`);
  const requests = middle(perRun.flatMap((r) => (r.requests !== undefined ? [r.requests] : [])));
  process.stdout.write(`API requests per run (apiserver_request_total): ${requests === undefined ? 'not readable (/metrics refused)' : `median ${requests}`}\n`);
  process.stdout.write(`clean runs (exit 0, no failed test): ${clean}/${runs}\n`);
  rmSync(scratch, { recursive: true, force: true });
  return clean === runs ? 0 : 1;
}

/** The suite's kubectl, through a wrapper that appends the time it spent (bash's `times`: its children's user and system time) to `log`. */
function kubectlWrapper(dir: string, real: string, log: string): string {
  const file = join(dir, 'kubectl');
  // `times` in the shell itself (a pipe or $(...) would ask a subshell, whose children took no time): two lines, the shell's and its children's.
  writeFileSync(file, ['#!/bin/bash', `${JSON.stringify(real)} "$@"`, 'rc=$?', `times >> ${JSON.stringify(log)}`, 'exit $rc', ''].join('\n'));
  chmodSync(file, 0o755);
  return file;
}

async function clockTick(): Promise<number> {
  const r = await execa('getconf', ['CLK_TCK'], { reject: false });
  const n = Number(r.stdout.trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
}

/** Every process's stat, where there is a /proc (elsewhere no component is counted). */
function procStats(keep?: (comm: string) => boolean): ProcStat[] {
  return existsSync('/proc') ? readProcStats(keep) : [];
}

function selfChildTicks(): number | undefined {
  return existsSync('/proc/self/stat') ? parseProcStat(readFileSync('/proc/self/stat', 'utf8')).childTicks : undefined;
}

/** The pods' CPU so far, in seconds (cgroup v1 cpuacct of the local cluster's kubepods); undefined elsewhere. */
function kubepodsUsage(): number | undefined {
  const f = '/sys/fs/cgroup/cpuacct/kubepods/cpuacct.usage';
  return existsSync(f) ? Number(readFileSync(f, 'utf8').trim()) / 1e9 : undefined;
}

async function apiRequests(kube: Kube): Promise<number | undefined> {
  const r = await kube.raw({ path: '/metrics', timeoutMs: 15_000 }).catch(() => undefined);
  return r?.status === 200 ? apiRequestsTotal(r.body) : undefined;
}

function cpuShares(m: {
  procs0: ProcStat[];
  procs1: ProcStat[];
  self0: number | undefined;
  self1: number | undefined;
  pods0: number | undefined;
  pods1: number | undefined;
  shims: ShimSampler;
  kubectlLog: string;
  tick: number;
}): CpuShare[] {
  const byName = ticksBetween(m.procs0, m.procs1);
  const seconds = (component: string): number => (byName.get(component) ?? 0) / m.tick;
  // Each call appended the wrapper's own times, then its children's (kubectl's): every second line.
  const lines = readFileSync(m.kubectlLog, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const calls = Math.floor(lines.length / 2);
  const kubectl = lines.filter((_, i) => i % 2 === 1).reduce((a, l) => a + parseTimesLine(l), 0);
  const shares: CpuShare[] = BY_NAME.map((c) => ({ component: c.component, seconds: seconds(c.component) }));
  if (m.self0 !== undefined && m.self1 !== undefined) {
    shares.push({ component: 'driver (jest, workers)', seconds: (m.self1 - m.self0) / m.tick - kubectl });
  }
  shares.push({ component: 'kubectl', seconds: kubectl, note: `${calls} call(s)` });
  shares.push({ component: 'containerd shims', seconds: m.shims.ticks() / m.tick, note: 'sampled every 0.5 s: a lower bound' });
  if (m.pods0 !== undefined && m.pods1 !== undefined) {
    const own = BY_NAME.filter((c) => c.inPods === true).reduce((a, c) => a + seconds(c.component), 0);
    shares.push({ component: "the tutorial's pods", seconds: m.pods1 - m.pods0 - own, note: 'kubepods cgroup, less kube-proxy and CoreDNS' });
  }
  return shares.filter((s) => s.seconds > 0.05 || s.component === 'kubectl');
}

/** The machine's CPU counters (Linux /proc/stat, first line): busy and total jiffies. */
function cpuTimes(): { busy: number; total: number } | undefined {
  if (!existsSync('/proc/stat')) return undefined;
  const f = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const idle = (f[3] ?? 0) + (f[4] ?? 0); // idle + iowait
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

function cpuBusy(a: ReturnType<typeof cpuTimes>, b: ReturnType<typeof cpuTimes>): number | undefined {
  if (a === undefined || b === undefined || b.total === a.total) return undefined;
  return (b.busy - a.busy) / (b.total - a.total);
}

main().then(
  (c) => process.exit(c),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
