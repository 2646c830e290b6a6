// Where a run's CPU goes (npm run bench): per component of the cluster and
// of the suite, in CPU-seconds, from Linux's own counters, read-only:
//  - the cluster's long-lived processes (kube-apiserver, etcd, kubelet, ...):
//    their utime+stime in /proc/<pid>/stat at the start and at the end;
//  - containerd's shims come and go with the pods, and an exited process's
//    time is lost with it: sampled while the run works, each shim counted at
//    the most it was seen with (a lower bound);
//  - the pods: the kubepods cgroup's cpuacct.usage (cgroup v1 charges every
//    ancestor, so pods that are gone still count), less the cluster's own
//    pods (kube-proxy, CoreDNS), which are counted by name;
//  - kubectl: the suite runs it through a wrapper that appends its children's
//    times (bash's `times`) to a log;
//  - the driver: jest and its workers, which this process's reaped children's
//    times hold (/proc/self/stat cutime+cstime), less kubectl.
// The pure parsing is here (and /proc/<pid>/stat's in processes.ts); the reading is in scripts/bench.ts.
import type { ProcStat } from './processes.js';

/** The components counted by process name (comm is at most 15 characters: `kube-controller`). */
export const BY_NAME: ReadonlyArray<{ component: string; comm: RegExp; inPods?: true }> = [
  { component: 'kube-apiserver', comm: /^kube-apiserver$/ },
  { component: 'etcd', comm: /^etcd$/ },
  { component: 'kubelet', comm: /^kubelet$/ },
  { component: 'kube-controller-manager', comm: /^kube-controller/ },
  { component: 'kube-scheduler', comm: /^kube-scheduler$/ },
  { component: 'containerd', comm: /^containerd$/ },
  { component: 'kube-proxy', comm: /^kube-proxy$/, inPods: true },
  { component: 'coredns', comm: /^coredns$/, inPods: true },
  { component: 'registry', comm: /^docker-registry$/ },
];
export const SHIM = /^containerd-shim/;

export function componentOf(comm: string): string | undefined {
  return BY_NAME.find((c) => c.comm.test(comm))?.component;
}

/**
 * CPU ticks per component between two readings of the same processes: a
 * process is matched by PID and start time; one that is not in both (it
 * restarted) counts what it did in the later reading only.
 */
export function ticksBetween(before: readonly ProcStat[], after: readonly ProcStat[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const a of after) {
    const component = componentOf(a.comm);
    if (component === undefined) continue;
    const b = before.find((x) => x.pid === a.pid && x.start === a.start);
    out.set(component, (out.get(component) ?? 0) + a.ticks - (b?.ticks ?? 0));
  }
  return out;
}

/**
 * Shims seen while sampling: each counts the most ticks it was seen with,
 * less what it had at the first reading when it was already there.
 */
export class ShimSampler {
  private readonly first = new Map<string, number>();
  private readonly most = new Map<string, number>();

  constructor(initial: readonly ProcStat[]) {
    for (const p of initial) if (SHIM.test(p.comm)) this.first.set(`${p.pid}/${p.start}`, p.ticks);
  }

  add(sample: readonly ProcStat[]): void {
    for (const p of sample) {
      if (!SHIM.test(p.comm)) continue;
      const key = `${p.pid}/${p.start}`;
      this.most.set(key, Math.max(this.most.get(key) ?? 0, p.ticks));
    }
  }

  ticks(): number {
    let sum = 0;
    for (const [key, t] of this.most) sum += t - (this.first.get(key) ?? 0);
    return sum;
  }
}

/** Lines bash's `times` prints, the second being its children's user and system time: `0m1.250s 0m0.310s`. */
export function parseTimesLine(line: string): number {
  const m = /^(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s$/.exec(line.trim());
  if (m === null) throw new Error(`not a line of bash's times: ${line}`);
  return Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4]);
}

/** The kube-apiserver's `apiserver_request_total` summed over every label: requests served so far. */
export function apiRequestsTotal(metrics: string): number {
  let sum = 0;
  for (const line of metrics.split('\n')) {
    if (!line.startsWith('apiserver_request_total{') && !line.startsWith('apiserver_request_total ')) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) sum += value;
  }
  return sum;
}

export interface CpuShare {
  component: string;
  seconds: number;
  /** How it was measured, when not exact. */
  note?: string;
}

/** One line per component, largest first, with the machine's total and what no component accounts for. */
export function formatCpuShares(shares: readonly CpuShare[], machineSeconds: number | undefined): string[] {
  const sorted = [...shares].sort((a, b) => b.seconds - a.seconds);
  const counted = sorted.reduce((a, s) => a + s.seconds, 0);
  const lines = sorted.map((s) => `  ${s.component.padEnd(24)} ${s.seconds.toFixed(1).padStart(7)} CPU-s${s.note !== undefined ? `  (${s.note})` : ''}`);
  if (machineSeconds !== undefined) {
    lines.push(`  ${'(rest of the machine)'.padEnd(24)} ${Math.max(0, machineSeconds - counted).toFixed(1).padStart(7)} CPU-s`);
    lines.push(`  ${'machine total'.padEnd(24)} ${machineSeconds.toFixed(1).padStart(7)} CPU-s`);
  }
  return lines;
}
