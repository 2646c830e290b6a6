// Merges the artifacts of a run split across machines (the nightly workflow:
// jest --shard per runner, one or more Kubernetes versions) into one report:
//
//   tsx scripts/merge-reports.ts [--out <dir>] [--expect-versions v1.34.4,...] [--expect-shards N] <folder> [<folder> ...]
//
// Every folder below the ones given (at any depth up to 6) that holds a
// report.json is one shard; its jest.json and records.jsonl are used when
// present. Shards are grouped by the Kubernetes version their report names and
// merged per version (helpers/suite/merge-reports.ts: exactly, from jest.json
// and records.jsonl, when every shard of the version has them; else from the
// report.json models). Written to --out (default artifacts/merged-<time>/):
//   report.md     each version's report, the versions one after another
//   report.json   the merged Report (one version), or an array of them in release order (several)
//   junit.xml     one <testsuite> per version and source
//   report.html   the matrix, the versions side by side
// Exit 1 when any cell is FAILED, blocked, or a cluster fault (listed), or when an expected
// version has fewer shards than expected (a shard that died before its report), 2 on bad input.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { formatHtmlReport, type HtmlColumn } from '../helpers/suite/html-report.js';
import { formatJunit } from '../helpers/suite/junit.js';
import { byVersion, mergeShards, missingShards, redCells, type Shard } from '../helpers/suite/merge-reports.js';
import { readRecords } from '../helpers/suite/records.js';
import { formatReport, type Report } from '../helpers/suite/report.js';
import { runDetails } from '../helpers/suite/run-details.js';
import type { JestResults } from '../helpers/suite/run-e2e.js';
import { partOfSection } from '../helpers/suite/sections.js';
import { PROJECT_ROOT } from '../helpers/suite/sources.js';

function usage(message?: string): never {
  if (message) process.stderr.write(`merge-reports: ${message}\n`);
  process.stderr.write('usage: tsx scripts/merge-reports.ts [--out <dir>] [--expect-versions v1,v2] [--expect-shards N] <artifacts folder> [...]\n');
  process.exit(2);
}

/** Folders at or below `dir` (depth-limited, no symlinks followed) that hold a report.json. */
function shardFolders(dir: string, depth = 6): string[] {
  if (existsSync(join(dir, 'report.json'))) return [dir];
  if (depth === 0) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => shardFolders(join(dir, e.name), depth - 1));
}

function readShard(folder: string, from: string): Shard & { jestRaw?: JestResults } {
  const report = JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8')) as Report;
  if (typeof report.serverVersion !== 'string' || !Array.isArray(report.sections)) usage(`${join(folder, 'report.json')} is not a report (no serverVersion or sections)`);
  const jestFile = join(folder, 'jest.json');
  const recordsFile = join(folder, 'records.jsonl');
  const jestRaw = existsSync(jestFile) ? (JSON.parse(readFileSync(jestFile, 'utf8')) as JestResults) : undefined;
  return {
    name: relative(from, folder) || folder,
    report,
    ...(jestRaw !== undefined ? { jest: jestRaw, jestRaw } : {}),
    ...(existsSync(recordsFile) ? { records: readRecords(recordsFile) } : {}),
  };
}

/** One <testsuites> of several formatJunit documents: their suites, their counts added up. */
function joinJunit(docs: readonly string[], name: string): string {
  const totals = { tests: 0, failures: 0, errors: 0, skipped: 0, time: 0 };
  const suites: string[] = [];
  for (const doc of docs) {
    const lines = doc.split('\n');
    const open = lines.findIndex((l) => l.startsWith('<testsuites'));
    const close = lines.lastIndexOf('</testsuites>');
    const head = lines[open] ?? '';
    for (const k of ['tests', 'failures', 'errors', 'skipped', 'time'] as const) {
      totals[k] += Number(new RegExp(` ${k}="([0-9.]+)"`).exec(head)?.[1] ?? 0);
    }
    suites.push(...lines.slice(open + 1, close));
  }
  const attrs = `name="${name}" tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" skipped="${totals.skipped}" time="${totals.time.toFixed(3)}"`;
  return ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites ${attrs}>`, ...suites, '</testsuites>', ''].join('\n');
}

function main(): number {
  const args = process.argv.slice(2);
  const opts = new Map<string, string>();
  const inputs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    const known = ['--out', '--expect-versions', '--expect-shards'].find((o) => a === o || a.startsWith(`${o}=`));
    if (known !== undefined) {
      const value = a === known ? args[++i] : a.slice(known.length + 1);
      if (value === undefined || value === '') usage(`${known} needs a value`);
      opts.set(known, value);
    } else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else inputs.push(resolve(a));
  }
  const out = opts.get('--out');
  const expectVersions = opts.get('--expect-versions')?.split(',').map((v) => v.trim()).filter((v) => v !== '');
  const expectShards = opts.has('--expect-shards') ? Number(opts.get('--expect-shards')) : undefined;
  if (expectShards !== undefined && !(Number.isInteger(expectShards) && expectShards > 0)) usage('--expect-shards needs a whole number above 0');
  if (inputs.length === 0) usage();
  const shards = inputs.flatMap((dir) => {
    if (!existsSync(dir)) usage(`${dir} does not exist`);
    const found = shardFolders(dir);
    if (found.length === 0) usage(`no report.json in or below ${dir}`);
    return found.map((f) => readShard(f, process.cwd()));
  });
  const outDir = resolve(out ?? join(PROJECT_ROOT, 'artifacts', `merged-${new Date().toISOString().replace(/[:.]/g, '-')}`));
  mkdirSync(outDir, { recursive: true });

  const groups = byVersion(shards);
  const missing = missingShards(groups, { ...(expectVersions ? { versions: expectVersions } : {}), ...(expectShards ? { shards: expectShards } : {}) });
  const merged = groups.map(({ version, shards: mine }) => {
    const { report, exact } = mergeShards(mine);
    const jest = { testResults: mine.flatMap((s) => (s as (typeof shards)[number]).jestRaw?.testResults ?? []) };
    const starts = jest.testResults.map((r) => r.startTime).filter((t) => Number.isFinite(t));
    const details = runDetails(jest, { run: `${version} merged from ${mine.length} shard(s)`, startedAt: new Date(starts.length > 0 ? Math.min(...starts) : Date.now()) });
    return { version, report, exact, details, shards: mine.map((s) => s.name) };
  });

  const md = merged.map((m) =>
    [
      `# Kubernetes ${m.version}`,
      '',
      `Merged from ${m.shards.length} shard(s): ${m.shards.join(', ')} (${m.exact ? "exact: from their jest.json and records.jsonl" : "from their report.json only: a section blocked by one that failed in another shard shows as FAILED"}).`,
      '',
      formatReport(m.report),
    ].join('\n'),
  );
  writeFileSync(join(outDir, 'report.md'), `${md.join('\n\n')}\n`);
  const reports = merged.map((m) => m.report);
  writeFileSync(join(outDir, 'report.json'), `${JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2)}\n`);
  writeFileSync(join(outDir, 'junit.xml'), joinJunit(merged.map((m) => formatJunit(m.report, m.details)), 'tutorial-e2e merged'));
  const columns: HtmlColumn[] = merged.map((m) => ({ version: m.version, report: m.report, details: m.details }));
  writeFileSync(join(outDir, 'report.html'), formatHtmlReport(columns, { partOf: partOfSection }));

  process.stdout.write(`merged ${shards.length} shard(s) into ${merged.length} version(s): ${merged.map((m) => `${m.version} (${m.shards.length}${m.exact ? '' : ', from report.json only'})`).join(', ')}\n`);
  process.stdout.write(`report: ${join(outDir, 'report.md')}\njunit:  ${join(outDir, 'junit.xml')}\nhtml:   ${join(outDir, 'report.html')}\n`);
  const red = merged.flatMap((m) => redCells(m.report).map((c) => ({ ...c, version: m.version })));
  if (missing.length > 0) {
    process.stdout.write(`\nshards missing (their sections have no cells):\n${missing.map((m) => `  ${m}`).join('\n')}\n`);
  }
  if (red.length > 0) {
    process.stdout.write(`\n${red.length} cell(s) not verified:\n${red.map((c) => `  ${c.version}  ${c.section} / ${c.source}: ${c.status}`).join('\n')}\n`);
  }
  if (missing.length > 0 || red.length > 0) return 1;
  process.stdout.write('\nevery cell verified, a known issue, or not in its source\n');
  return 0;
}

process.exit(main());
