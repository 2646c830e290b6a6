// A process's children, read from Linux's /proc (their parent PID): what jest's
// main process waits on after a signal (its workers) and what the fault script
// kills with SIGKILL (a run's whole tree). Only node:fs, so that the e2e global
// setup, which runs in jest's main process, can import it cheaply.
import { readdirSync, readFileSync } from 'node:fs';

/** The PIDs whose parent is `pid`; throws where there is no /proc. */
export function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d) && parentOf(d) === pid)
    .map(Number);
}

function parentOf(pid: string): number | undefined {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined; // gone meanwhile
  }
}
