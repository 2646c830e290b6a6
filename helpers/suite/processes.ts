// Processes as Linux's /proc shows them: what jest's main process waits on
// after a signal (its workers), what the fault script kills with SIGKILL (a
// run's whole tree), and what `npm run bench` counts CPU time from. Only
// node:fs, so that the e2e global setup, which runs in jest's main process,
// can import it cheaply.
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcStat {
  pid: number;
  comm: string;
  ppid: number;
  /** utime + stime, in clock ticks. */
  ticks: number;
  /** cutime + cstime: reaped children, in clock ticks. */
  childTicks: number;
  /** Start time after boot, in clock ticks: tells a restarted process (new PID or reused one) apart. */
  start: number;
}

/** /proc/<pid>/stat. The comm is in parentheses and may hold spaces and parentheses: the last `)` ends it. */
export function parseProcStat(text: string): ProcStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`not a /proc/<pid>/stat line: ${text.slice(0, 80)}`);
  const rest = text.slice(close + 2).trim().split(/\s+/).map(Number);
  // Fields after comm start at field 3 (state): ppid is field 4, utime 14, stime 15, cutime 16, cstime 17, starttime 22.
  const f = (n: number): number => rest[n - 3] ?? 0;
  return { pid: Number(text.slice(0, open).trim()), comm: text.slice(open + 1, close), ppid: f(4), ticks: f(14) + f(15), childTicks: f(16) + f(17), start: f(22) };
}

/** Every process's stat (those whose comm passes `keep`); one that ends while it is read is skipped. Throws where there is no /proc. */
export function readProcStats(keep: (comm: string) => boolean = () => true): ProcStat[] {
  const out: ProcStat[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const p = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      if (keep(p.comm)) out.push(p);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** The PIDs whose parent is `pid`; throws where there is no /proc. */
export function childrenOf(pid: number): number[] {
  return readProcStats()
    .filter((p) => p.ppid === pid)
    .map((p) => p.pid);
}
