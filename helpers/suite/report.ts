// What held and what broke, per section and per source, for one server
// version: built from jest's JSON results (tests are grouped as
// `<section id> > <source> > <test>`) and the findings the specs recorded
// when a known issue met its predicted failure.
import type { Finding } from './section.js';

export type Verdict =
  | { status: 'verified'; tests: number }
  | { status: 'known-issue'; tests: number; findings: Finding[] }
  | { status: 'failed'; tests: number; failures: Array<{ test: string; message: string }> }
  | { status: 'absent'; reason: string };

export interface SectionReport {
  section: string;
  bySource: Record<string, Verdict>;
}

export interface Report {
  serverVersion: string;
  sources: string[];
  sections: SectionReport[];
  passed: number;
  failed: number;
}

/** The parts of jest's --json output the report reads. */
export interface JestJson {
  testResults: Array<{
    name: string;
    message?: string;
    assertionResults: Array<{ ancestorTitles: string[]; title: string; status: string; failureMessages: string[] }>;
  }>;
}

/** The order the course teaches the sections in. */
export const SECTION_ORDER = [
  'pod',
  'pod-to-pod',
  'service',
  'replicaset',
  'deployment',
  'nodeport',
  'debugging',
  'health-checks',
  'resources',
  'volume',
  'anti-affinity',
  'pod-disruption-budget',
];

const ABSENT = /^absent from this source: (.*)$/;

function firstLine(text: string): string {
  // jest failure messages start with the error; strip ANSI colours.
  const clean = text.replace(/\u001b\[[0-9;]*m/g, '');
  return (clean.split('\n').find((l) => l.trim() !== '') ?? clean).trim();
}

export function buildReport(results: JestJson, findings: readonly Finding[], serverVersion: string): Report {
  const cells = new Map<string, Map<string, { tests: number; failures: Array<{ test: string; message: string }>; absent?: string }>>();
  const sources = new Set<string>();
  let passed = 0;
  let failed = 0;
  for (const file of results.testResults) {
    for (const a of file.assertionResults) {
      if (a.status === 'passed') passed++;
      else if (a.status === 'failed') failed++;
      const [section, source] = a.ancestorTitles;
      if (section === undefined || source === undefined || !SECTION_ORDER.includes(section)) continue;
      sources.add(source);
      const bySource = cells.get(section) ?? new Map();
      cells.set(section, bySource);
      const cell = bySource.get(source) ?? { tests: 0, failures: [] };
      bySource.set(source, cell);
      cell.tests++;
      const absent = ABSENT.exec(a.title);
      if (absent) cell.absent = absent[1];
      if (a.status === 'failed') cell.failures.push({ test: a.title, message: firstLine(a.failureMessages.join('\n')) });
    }
    // A file that failed before any test ran (a syntax error, a failing beforeAll with no tests).
    if (file.assertionResults.length === 0 && file.message) failed++;
  }
  const sections: SectionReport[] = SECTION_ORDER.filter((s) => cells.has(s)).map((section) => {
    const bySource: Record<string, Verdict> = {};
    for (const [source, cell] of cells.get(section)!) {
      const found = findings.filter((f) => f.section === section && f.source === source);
      bySource[source] =
        cell.failures.length > 0
          ? { status: 'failed', tests: cell.tests, failures: cell.failures }
          : cell.absent !== undefined
            ? { status: 'absent', reason: cell.absent }
            : found.length > 0
              ? { status: 'known-issue', tests: cell.tests, findings: found }
              : { status: 'verified', tests: cell.tests };
    }
    return { section, bySource };
  });
  return { serverVersion, sources: [...sources].sort(), sections, passed, failed };
}

function cellText(v: Verdict | undefined): string {
  if (v === undefined) return '-';
  switch (v.status) {
    case 'verified':
      return `verified (${v.tests} checks)`;
    case 'known-issue':
      return `known issue: ${[...new Set(v.findings.map((f) => f.issue))].join(', ')}`;
    case 'failed':
      return `FAILED: ${v.failures[0]!.test}`;
    case 'absent':
      return 'not in this source';
  }
}

/** A Markdown report: the table, then the causes of known issues and failures. */
export function formatReport(r: Report): string {
  const lines = [`# Tutorial verification on Kubernetes ${r.serverVersion}`, ''];
  lines.push(`| section | ${r.sources.join(' | ')} |`, `|---|${r.sources.map(() => '---').join('|')}|`);
  for (const s of r.sections) lines.push(`| ${s.section} | ${r.sources.map((src) => cellText(s.bySource[src])).join(' | ')} |`);
  const notes: string[] = [];
  for (const s of r.sections) {
    for (const src of r.sources) {
      const v = s.bySource[src];
      if (v?.status === 'known-issue') {
        for (const f of v.findings) {
          notes.push(`- ${s.section} / ${src}: known issue \`${f.issue}\` at step ${f.step}: ${f.cause}${f.reference ? ` (${f.reference})` : ''}`);
          notes.push(`  - what happened: ${f.error}`);
        }
      } else if (v?.status === 'failed') {
        for (const f of v.failures) notes.push(`- ${s.section} / ${src}: FAILED "${f.test}": ${f.message}`);
      }
    }
  }
  if (notes.length > 0) lines.push('', '## Why', '', ...notes);
  lines.push('', `${r.passed} passed, ${r.failed} failed`);
  return lines.join('\n');
}
