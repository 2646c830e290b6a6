// `kubectl logs`: a log grows, so the run may print more lines than the text;
// every line the text shows must have a line of the same shape in the run's
// output. For nginx's access log the shape is method, path and status (the
// client, time, size, referrer and user agent are free); for its error log,
// the level, the message and the request; any other line is compared with
// its free tokens (IPs, times, versions, ages, hashes) normalised.
import { differ, type Collector } from './types.js';
import { isElision, normaliseLoose } from './text.js';

const ACCESS = /^\S+ \S+ \S+ \[[^\]]+\] "([A-Z]+) (\S+)(?: [^"]*)?" (\d{3}) /;
const ERROR = /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} \[(\w+)\] \d+#\d+: (?:\*\d+ )?(.*?)(?:, client: .*)?$/;

/** What a log line says, without the parts that differ from run to run. */
export function logShape(line: string): string {
  const a = ACCESS.exec(line);
  if (a) return `${a[1] ?? ''} ${a[2] ?? ''} ${a[3] ?? ''}`;
  const e = ERROR.exec(line);
  if (e) {
    const request = /request: "([A-Z]+ \S+)/.exec(line)?.[1];
    return `[${e[1] ?? ''}] ${normaliseLoose(e[2] ?? '')}${request !== undefined ? ` (${request})` : ''}`;
  }
  return normaliseLoose(line);
}

export function compareLogs(shown: string[], actualLines: string[], c: Collector): void {
  const have = new Set(actualLines.map(logShape));
  const missing = new Set<string>();
  for (const line of shown) {
    if (line.trim() === '' || isElision(line)) continue;
    const shape = logShape(line);
    if (have.has(shape) || missing.has(shape)) continue;
    missing.add(shape);
    differ(c, 'log line', shape, '', `log line ${shape}: text shows "${line}", got no such line (${actualLines.length} lines)`);
  }
}
