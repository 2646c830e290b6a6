// Output of no known shape: every line the text shows must be among the
// run's lines once free tokens are normalised (IPs, times, versions, ages,
// hashes, ports), and the number of lines must be about the same (unless the
// text leaves lines out).
import { differ, type Collector, type ShownLines } from './types.js';
import { normaliseLoose } from './text.js';

export function compareLines(shown: ShownLines, actualLines: string[], c: Collector): void {
  const n = shown.lines.length;
  const m = actualLines.length;
  if (!shown.elided && (m < Math.floor(n / 2) || m > 2 * n + 2)) {
    differ(c, 'line count', `${n} lines`, `${m} lines`, `the text shows ${n} lines, got ${m}`);
  }
  const have = new Set(actualLines.map(normaliseLoose));
  for (const line of shown.lines) {
    if (line.trim() === '' || have.has(normaliseLoose(line))) continue;
    differ(c, 'line', line, '', `line "${line}": text shows it (as ${normaliseLoose(line)}), got no such line`);
  }
}
