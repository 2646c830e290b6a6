// The reports a person (or a CI page) reads, written beside report.md and
// report.json after every run: junit.xml and report.html. What they need
// besides the Report is gathered here: jest's full failure messages and
// times, the course's parts, and where each source's text is, so that a
// `file:line` in report.html opens the tutorial's file.
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { formatHtmlReport } from './html-report.js';
import { formatJunit } from './junit.js';
import type { Report } from './report.js';
import { runDetails, type JestDetails } from './run-details.js';
import { partOfSection } from './sections.js';
import { NoTutorialSourceError, sourceNames, sourcePaths } from './sources.js';

export function writeReadableReports(
  artifacts: string,
  report: Report,
  jest: JestDetails,
  run: { startedAt: Date; wallMs: number; env: NodeJS.ProcessEnv },
): void {
  const details = runDetails(jest, { run: basename(artifacts), startedAt: run.startedAt, wallMs: run.wallMs });
  writeFileSync(join(artifacts, 'junit.xml'), formatJunit(report, details));
  writeFileSync(
    join(artifacts, 'report.html'),
    formatHtmlReport([{ version: report.serverVersion, report, details }], { partOf: partOfSection, sourceRoots: sourceRoots(run.env, artifacts) }),
  );
}

/**
 * Each source's folder (a source given as one file: the file's folder, which
 * its `file:line` references are relative to), relative to `from`, by the
 * name the report gives it: its --name, else its folder's name (as
 * helpers/tutorial/read-tutorial.ts names it).
 */
function sourceRoots(env: NodeJS.ProcessEnv, from: string): Record<string, string> {
  let paths: string[];
  try {
    paths = sourcePaths(env);
  } catch (err) {
    if (err instanceof NoTutorialSourceError) return {};
    throw err;
  }
  const names = sourceNames(env);
  return Object.fromEntries(
    paths.map((p, i) => {
      const root = existsSync(p) && statSync(p).isFile() ? dirname(p) : p;
      return [names[i] ?? basename(root), relative(from, root)];
    }),
  );
}
