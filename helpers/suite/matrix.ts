// The version matrix: the suite run on each Kubernetes version in turn, and
// its reports side by side. A version that cannot run on these hosts (its
// build, or its cluster, fails) keeps its column, every cell of it saying
// why ("could not run here"), never an empty column that reads as a pass.
import type { Report, SectionReport, Verdict } from './report.js';
import { SECTIONS } from './sections.js';

export interface MatrixColumn {
  version: string;
  /** The run's report; for a version that could not run, one whose every cell is `unverifiable` with the reason. */
  report: Report;
  /** Seconds spent on the version: build (cached or not), cluster up, the suite, cluster down. */
  seconds: number;
  /** Where its time went, for the table under the matrix. */
  phases: Array<{ phase: string; seconds: number }>;
}

/** A report for a version that could not run: every section of every source says why. */
export function unverifiableReport(version: string, sources: readonly string[], reason: string): Report {
  const sections: SectionReport[] = SECTIONS.map(({ id, title }) => ({
    section: id,
    title,
    bySource: Object.fromEntries(sources.map((src) => [src, { status: 'unverifiable', reason } satisfies Verdict])),
  }));
  return { serverVersion: version, sources: [...sources], sections, passed: 0, failed: 0 };
}

/** A verdict in a few words, for comparing versions (the known issues by id: a new one is a difference). */
export function verdictWords(v: Verdict | undefined): string {
  if (v === undefined) return '-';
  switch (v.status) {
    case 'verified':
      return 'verified';
    case 'known-issue':
      return `known issue ${[...new Set(v.findings.map((f) => f.issue))].sort().join(', ')}`;
    case 'failed':
      return 'FAILED';
    case 'blocked':
      return `blocked by ${v.by}`;
    case 'cluster-fault':
      return 'cluster fault';
    case 'absent':
      return 'not in this source';
    case 'unverifiable':
      return 'could not run here';
  }
}

export interface VersionDifference {
  section: string;
  source: string;
  /** The verdict per version, in the matrix's order. */
  byVersion: Array<{ version: string; verdict: string }>;
}

/** The cells whose verdict is not the same on every version that ran (a version that could not run is no difference). */
export function versionDifferences(columns: readonly MatrixColumn[]): VersionDifference[] {
  const ran = columns.filter((c) => c.report.sections.some((s) => Object.values(s.bySource).some((v) => v.status !== 'unverifiable')));
  const sources = [...new Set(ran.flatMap((c) => c.report.sources))];
  const out: VersionDifference[] = [];
  for (const { id } of SECTIONS) {
    for (const source of sources) {
      const byVersion = ran.map((c) => ({ version: c.version, verdict: verdictWords(c.report.sections.find((s) => s.section === id)?.bySource[source]) }));
      if (new Set(byVersion.map((b) => b.verdict)).size > 1) out.push({ section: id, source, byVersion });
    }
  }
  return out;
}

/** `--versions`: `1.34` or `v1.34` picks the pinned patch of that minor; a full `v1.34.4` is taken as it is. Default: the pinned list. */
export function pickVersions(asked: string | undefined, pinned: readonly string[]): string[] {
  if (asked === undefined) return [...pinned];
  return asked.split(',').map((a) => {
    const v = a.trim().startsWith('v') ? a.trim() : `v${a.trim()}`;
    if (/^v\d+\.\d+\.\d+$/.test(v)) return v;
    const found = pinned.find((p) => p.startsWith(`${v}.`));
    if (found === undefined) throw new Error(`--versions: no pinned version of ${a} (scripts/cluster/versions.sh pins ${pinned.join(', ')})`);
    return found;
  });
}

const short = (source: string): string => source.split('@')[1] ?? source.split('-')[0] ?? source;

/** The matrix in Markdown: rows the sections in the course's order, columns version x source; then time per version and the differences. */
export function formatMatrix(columns: readonly MatrixColumn[]): string {
  const sources = [...new Set(columns.flatMap((c) => c.report.sources))];
  const heads = columns.flatMap((c) => sources.map((s) => `${c.version} ${short(s)}`));
  const lines = ['# Tutorial verification: the version matrix', ''];
  lines.push(`Sources: ${sources.map((s) => `\`${short(s)}\` = ${s}`).join(', ')}.`, '');
  lines.push(`| section | ${heads.join(' | ')} |`, `|---|${heads.map(() => '---').join('|')}|`);
  for (const { id } of SECTIONS) {
    const cells = columns.flatMap((c) => sources.map((s) => verdictWords(c.report.sections.find((x) => x.section === id)?.bySource[s])));
    lines.push(`| ${id} | ${cells.join(' | ')} |`);
  }
  lines.push('', '## Time per version', '', '| version | total | where it went |', '|---|---|---|');
  for (const c of columns) lines.push(`| ${c.version} | ${c.seconds.toFixed(0)} s | ${c.phases.map((p) => `${p.phase} ${p.seconds.toFixed(0)} s`).join(', ')} |`);
  const unverifiable = columns.flatMap((c) => {
    const v = c.report.sections[0]?.bySource[c.report.sources[0] ?? ''];
    return v?.status === 'unverifiable' ? [`- ${c.version}: could not run here: ${v.reason}`] : [];
  });
  if (unverifiable.length > 0) lines.push('', '## Versions that could not run here', '', ...unverifiable);
  const diffs = versionDifferences(columns);
  lines.push('', '## What differs between versions', '');
  if (diffs.length === 0) lines.push('Nothing: every section has the same verdict on every version that ran.');
  for (const d of diffs) lines.push(`- ${d.section} / ${d.source}: ${d.byVersion.map((b) => `${b.version} ${b.verdict}`).join('; ')}`);
  return lines.join('\n');
}
