// Merging the reports of a run split across machines (jest's --shard: each
// shard runs some of the spec files, on its own cluster, and writes its own
// artifacts folder) back into the report one unsharded run would have written.
//
// Two ways, the exact one first:
//  - mergeRuns: the shards' own inputs (jest.json and records.jsonl) put
//    together and read once by buildReport. This is the unsharded report by
//    construction, including what crosses spec files: a section "blocked by"
//    one that failed in another shard, and the reader's commands (a part's
//    reader spec file adds checks to every section of that part).
//  - mergeReports: the shards' Report models (report.json) only. A section's
//    cells come from the shard that ran its spec file (the only one with
//    cells for it); a section absent from every shard keeps its row with no
//    cells; sources are the union; passed and failed add up. This equals the
//    unsharded report when no dependency crosses shards: a "blocked by" whose
//    blocker ran elsewhere stays FAILED here, and reader checks of a section
//    whose spec ran in another shard are not in its cell. It is what is left
//    when a shard uploaded no jest.json or records.jsonl.
// mergeShards picks the exact one when every shard has its inputs.
import type { RunRecord } from './records.js';
import { buildReport, type JestJson, type Report, type SectionReport, type Verdict } from './report.js';

export interface Shard {
  /** Where it came from (an artifacts folder), for messages. */
  name: string;
  report: Report;
  jest?: JestJson;
  records?: RunRecord[];
}

/** The Report models of shards of one run (one Kubernetes version) as one. Pure. */
export function mergeReports(reports: readonly Report[]): Report {
  const first = reports[0];
  if (first === undefined) throw new Error('mergeReports: no report to merge');
  const versions = [...new Set(reports.map((r) => r.serverVersion))];
  if (versions.length > 1) throw new Error(`mergeReports: the reports are of different Kubernetes versions (${versions.join(', ')}); merge each version on its own`);
  // Rows in the order the reports give them (every report has every section of the table, in the course's order).
  const order: string[] = [];
  const titles = new Map<string, string>();
  for (const r of reports) {
    for (const s of r.sections) {
      if (!titles.has(s.section)) order.push(s.section);
      if (s.title !== '' || !titles.has(s.section)) titles.set(s.section, s.title);
    }
  }
  const sections: SectionReport[] = order.map((id) => {
    const withCells = reports.flatMap((r, i) => {
      const s = r.sections.find((x) => x.section === id);
      return s !== undefined && Object.keys(s.bySource).length > 0 ? [{ i, bySource: s.bySource }] : [];
    });
    if (withCells.length > 1) {
      throw new Error(`mergeReports: section ${id} has cells in more than one report (reports ${withCells.map((w) => w.i + 1).join(' and ')}): its spec file ran twice`);
    }
    const bySource: Record<string, Verdict> = withCells[0] === undefined ? {} : structuredClone(withCells[0].bySource);
    return { section: id, title: titles.get(id) ?? '', bySource };
  });
  return {
    serverVersion: first.serverVersion,
    sources: [...new Set(reports.flatMap((r) => r.sources))].sort(),
    sections,
    passed: reports.reduce((n, r) => n + r.passed, 0),
    failed: reports.reduce((n, r) => n + r.failed, 0),
  };
}

/** The shards' jest results and records, read together: the unsharded report. Pure. */
export function mergeRuns(runs: ReadonlyArray<{ jest: JestJson; records: readonly RunRecord[] }>, serverVersion: string): Report {
  return buildReport({ testResults: runs.flatMap((r) => r.jest.testResults) }, runs.flatMap((r) => r.records), serverVersion);
}

/** The merged report of shards of one version: exact (mergeRuns) when every shard has its jest.json and records, else mergeReports. Pure. */
export function mergeShards(shards: readonly Shard[]): { report: Report; exact: boolean } {
  const first = shards[0];
  if (first === undefined) throw new Error('mergeShards: no shard to merge');
  const versions = [...new Set(shards.map((s) => s.report.serverVersion))];
  if (versions.length > 1) throw new Error(`mergeShards: the shards are of different Kubernetes versions (${versions.join(', ')})`);
  const runs = shards.flatMap((s) => (s.jest !== undefined && s.records !== undefined ? [{ jest: s.jest, records: s.records }] : []));
  if (runs.length === shards.length) return { report: mergeRuns(runs, first.report.serverVersion), exact: true };
  return { report: mergeReports(shards.map((s) => s.report)), exact: false };
}

/** Shards grouped by Kubernetes version, the versions in release order (v1.9 before v1.10). Pure. */
export function byVersion(shards: readonly Shard[]): Array<{ version: string; shards: Shard[] }> {
  const groups = new Map<string, Shard[]>();
  for (const s of shards) groups.set(s.report.serverVersion, [...(groups.get(s.report.serverVersion) ?? []), s]);
  const key = (v: string): number[] => (v.match(/\d+/g) ?? []).map(Number);
  const cmp = (a: string, b: string): number => {
    const [x, y] = [key(a), key(b)];
    for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
    return a.localeCompare(b);
  };
  return [...groups.keys()].sort(cmp).map((version) => ({ version, shards: groups.get(version) ?? [] }));
}

/**
 * What is missing from the shards against what the run was to have: each expected version with
 * fewer than `shards` shards (a shard whose job died before writing its report leaves its sections
 * without cells, which no cell would show as red). Pure.
 */
export function missingShards(groups: ReadonlyArray<{ version: string; shards: readonly unknown[] }>, expect: { versions?: readonly string[]; shards?: number }): string[] {
  const versions = expect.versions ?? groups.map((g) => g.version);
  return versions.flatMap((v) => {
    const have = groups.find((g) => g.version === v)?.shards.length ?? 0;
    const want = expect.shards ?? 1;
    return have < want ? [`${v}: ${have} of ${want} shard(s)`] : [];
  });
}

/** The cells that make a run red: FAILED, blocked by a FAILED section, or a cluster fault (nothing was verified there). Pure. */
export function redCells(report: Report): Array<{ section: string; source: string; status: Verdict['status'] }> {
  return report.sections.flatMap((s) =>
    Object.entries(s.bySource)
      .filter(([, v]) => v.status === 'failed' || v.status === 'blocked' || v.status === 'cluster-fault')
      .map(([source, v]) => ({ section: s.section, source, status: v.status })),
  );
}
