// The table a run ends with in the terminal: one screen, sections down,
// sources across, a short verdict word per cell, then the totals and the run's
// wall time. The full story is in report.md / report.html; this is the glance.
//
// It fits the terminal's width by giving up, in turn, the sources' names in
// the header (numbered, named below the table) and the words (marks only).
import type { Report } from './report.js';
import { countStatuses, formatDuration, NOT_RUN_WORDS, STATUS_WORDS, STATUSES, wordsOf } from './report-words.js';

export interface SummaryOptions {
  /** The e2e run's wall time. */
  wallMs?: number;
  /** The terminal's width in columns (default 100). */
  width?: number;
}

const GAP = '  ';
/** From the widest to the narrowest. */
const LAYOUTS = [
  { names: true, words: true },
  { names: false, words: true },
  { names: false, words: false },
] as const;
const MARKS_ONLY = LAYOUTS[2];

export function formatSummaryTable(r: Report, opts: SummaryOptions = {}): string {
  const width = opts.width ?? 100;
  // The names below a numbered grid are as long as they are: only the grid has to fit.
  const layout = LAYOUTS.find((l) => grid(r, l).every((line) => line.length <= width)) ?? MARKS_ONLY;
  const names = layout.names ? [] : r.sources.map((s, i) => `[${i + 1}] ${s}`);
  return [...grid(r, layout), ...names, '', ...totals(r, opts.wallMs)].join('\n');
}

function grid(r: Report, layout: { names: boolean; words: boolean }): string[] {
  const header = r.sources.map((s, i) => (layout.names ? s : `[${i + 1}]`));
  const cells = r.sections.map((s) =>
    r.sources.map((src) => {
      const v = s.bySource[src];
      const w = wordsOf(v);
      // A verdict this run did not verify itself is marked: ↺ carried over from an earlier run (`verify --since`).
      const carried = v !== undefined && 'carriedFrom' in v && v.carriedFrom !== undefined ? ` ${CARRIED_MARK}` : '';
      return (layout.words && w.short !== '' ? `${w.mark} ${w.short}` : w.mark) + carried;
    }),
  );
  const first = Math.max('section'.length, ...r.sections.map((s) => s.section.length));
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c]?.length ?? 0)));
  const line = (label: string, row: string[]) => [label.padEnd(first), ...row.map((x, c) => x.padEnd(widths[c] ?? 0))].join(GAP).trimEnd();
  return [line('section', header), ...r.sections.map((s, i) => line(s.section, cells[i] ?? []))];
}

const CARRIED_MARK = '↺';

function totals(r: Report, wallMs: number | undefined): string[] {
  const counts = countStatuses(r);
  const notRun = r.sections.reduce((n, s) => n + r.sources.filter((src) => s.bySource[src] === undefined).length, 0);
  // "Not verifiable here" only comes from the version matrix: said when it happens, not as a 0 in every run.
  const parts = STATUSES.filter((s) => s !== 'unverifiable' || counts[s] > 0).map((s) => `${counts[s]} ${STATUS_WORDS[s].mark} ${STATUS_WORDS[s].short}`);
  if (notRun > 0) parts.push(`${notRun} ${NOT_RUN_WORDS.mark} ${NOT_RUN_WORDS.word}`);
  const carried = r.sections.flatMap((s) => Object.values(s.bySource)).filter((v) => 'carriedFrom' in v && v.carriedFrom !== undefined).length;
  if (carried > 0) parts.push(`${carried} ${CARRIED_MARK} carried over from an earlier run`);
  const wall = wallMs === undefined ? '' : `; wall time ${formatDuration(wallMs)}`;
  return [
    `${r.sections.length} sections × ${r.sources.length} source(s), Kubernetes ${r.serverVersion}${wall}`,
    parts.join(', '),
    // The run's plain closing line (as report.md's), last, for whoever reads the log's end.
    `${r.passed} passed, ${r.failed} failed`,
  ];
}
