// report.html: the compatibility matrix a person opens from the artifacts
// folder. One self-contained page (inline CSS, no script, no font or image
// from anywhere, a Content-Security-Policy that would block one anyway), so it
// reads the same from file:// on a machine without network.
//
// Rows: the sections, in the course's order. Columns: per Kubernetes version,
// per source (one version per run today; the version matrix passes several).
// A cell says its verdict in words and with a mark, colour only on top, with
// the cause and where in the text it is; below the table, each cell's
// evidence and what its verdict rests on, anchored so the cell links to it.
// Everything that comes from a run or a tutorial is escaped (markup.ts).
import { escapeAttr, escapeText, printable } from './markup.js';
import { ranHere, type RanVerdict, type Report, type SectionReport, type Verdict } from './report.js';
import { basisGroups, carriedWords, countStatuses, formatDuration, NOT_RUN_WORDS, STATUS_WORDS, STATUSES } from './report-words.js';
import { evidenceOf, type RunDetails } from './run-details.js';

export interface HtmlColumn {
  version: string;
  report: Report;
  /** Full failure texts and times, when the run has them. */
  details?: RunDetails;
}

export interface HtmlOptions {
  /**
   * Per source, the folder its `file:line` references are relative to, as a
   * path relative to the HTML file's folder (or absolute): they become links.
   * A source without one shows them as text.
   */
  sourceRoots?: Readonly<Record<string, string>>;
  /** The part of the course a section belongs to (sections.ts), for a band over its rows; unknown: no band. */
  partOf?: (section: string) => number | undefined;
}

type Shown = RanVerdict;

/** A cell of the matrix: where it is, and the ids that tie it to its details. */
interface Place {
  column: HtmlColumn;
  section: SectionReport;
  source: string;
  /** The cell's own id, and its details' id. */
  cellId: string;
  detailsId: string;
}

export function formatHtmlReport(columns: readonly HtmlColumn[], opts: HtmlOptions = {}): string {
  const rows = rowsInCourseOrder(columns);
  const places = (row: number, rowSection: string): Place[] =>
    columns.flatMap((column, c) =>
      column.report.sources.map((source, s) => ({
        column,
        section: column.report.sections.find((x) => x.section === rowSection) ?? { section: rowSection, title: '', bySource: {} },
        source,
        cellId: `cell-${c}-${row}-${s}`,
        detailsId: `details-${c}-${row}-${s}`,
      })),
    );
  const grid = rows.map((r, i) => ({ row: r, places: places(i, r.section) }));
  const versions = columns.map((c) => c.version).join(', ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeText(`Tutorial verification on Kubernetes ${versions}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeText(`Tutorial verification on Kubernetes ${versions}`)}</h1>
${columns.map(summaryOf).join('\n')}
${legend()}
<table class="matrix">
<thead>
<tr><th rowspan="2" class="section">section</th>${columns.map((c) => `<th colspan="${c.report.sources.length}" class="version">${escapeText(`Kubernetes ${c.version}`)}</th>`).join('')}</tr>
<tr>${columns.flatMap((c) => c.report.sources.map((s) => `<th class="source">${escapeText(s)}</th>`)).join('')}</tr>
</thead>
<tbody>
${tableRows(grid, opts, columns.reduce((n, c) => n + c.report.sources.length, 1))}
</tbody>
</table>
<h2>Evidence, and what each verdict rests on</h2>
${grid.flatMap((g) => g.places.map((p) => detailsOf(p, opts))).filter((d) => d !== '').join('\n') || '<p>Nothing to show.</p>'}
</body>
</html>
`;
}

/** The sections of every column, each once, in the course's order (a column may have rows another lacks). */
function rowsInCourseOrder(columns: readonly HtmlColumn[]): Array<{ section: string; title: string }> {
  const rows: Array<{ section: string; title: string }> = [];
  for (const c of columns) {
    let next = 0;
    for (const s of c.report.sections) {
      const at = rows.findIndex((r) => r.section === s.section);
      if (at >= 0) {
        next = at + 1;
      } else {
        rows.splice(next, 0, { section: s.section, title: s.title });
        next++;
      }
    }
  }
  return rows;
}

function tableRows(grid: Array<{ row: { section: string; title: string }; places: Place[] }>, opts: HtmlOptions, width: number): string {
  let band: number | undefined;
  const out: string[] = [];
  for (const { row, places } of grid) {
    const part = opts.partOf?.(row.section);
    if (part !== undefined && part !== band) out.push(`<tr class="part"><th colspan="${width}">Part ${part}</th></tr>`);
    band = part ?? band;
    out.push(
      `<tr><th class="section" scope="row">${escapeText(row.title)}<br><code>${escapeText(row.section)}</code></th>${places.map((p) => cellOf(p, opts)).join('')}</tr>`,
    );
  }
  return out.join('\n');
}

function cellOf(p: Place, opts: HtmlOptions): string {
  const v = p.section.bySource[p.source];
  if (v === undefined) return `<td id="${p.cellId}" class="v-none"><span class="word">${escapeText(`${NOT_RUN_WORDS.mark} ${NOT_RUN_WORDS.word}`)}</span></td>`;
  const w = STATUS_WORDS[v.status];
  const word = `${w.mark} ${v.status === 'blocked' ? `blocked by ${v.by}` : w.word}`;
  const cause = causeOf(v);
  const where = firstFileLine(locatingTexts(v, p));
  const root = rootOf(opts, p.source);
  const lines = [
    hasDetails(v) ? `<a class="word" href="#${p.detailsId}">${escapeText(word)}</a>` : `<span class="word">${escapeText(word)}</span>`,
    cause === '' ? '' : `<div class="cause" title="${escapeAttr(cause)}">${escapeText(shorten(cause, 160))}</div>`,
    where === undefined ? '' : `<div class="at">at ${sourceLink(where, root)}</div>`,
    ranHere(v) ? marksOf(v) : '',
  ];
  return `<td id="${p.cellId}" class="v-${v.status}">${lines.join('')}</td>`;
}

/** What a cell says under its verdict: the first cause. */
function causeOf(v: Verdict): string {
  switch (v.status) {
    case 'verified':
      return `${v.tests} checks`;
    case 'known-issue':
      return [...new Set(v.findings.map((f) => f.issue))].join(', ');
    case 'failed': {
      const more = v.failures.length > 1 ? ` (+${v.failures.length - 1} more)` : '';
      return `${v.failures[0]?.message ?? ''}${more}`;
    }
    case 'blocked':
      return `could not build ${v.what}`;
    case 'cluster-fault':
      return `not a finding: ${v.faults[0] ?? ''}`;
    case 'absent':
    case 'unverifiable':
      return v.reason;
  }
}

/** The texts that may name where in the tutorial a verdict comes from (`file:line`), most telling first. */
function locatingTexts(v: Verdict, p: Place): string[] {
  switch (v.status) {
    case 'failed':
      return v.failures.flatMap((f) => [f.message, evidenceOf(p.column.details, p.section.section, p.source, f)]);
    case 'known-issue':
      return v.findings.flatMap((f) => [f.step, f.error, f.cause]);
    case 'absent':
    case 'unverifiable':
      return [v.reason];
    default:
      return [];
  }
}

/** What the verdict rests on, as short marks; the lists are in their titles and in the details. */
function marksOf(v: Shown): string {
  const marks: string[] = [];
  const mark = (text: string, items: string[]) => marks.push(`<span class="mark" title="${escapeAttr(items.join('\n'))}">${escapeText(text)}</span>`);
  if (v.standIns !== undefined && v.standIns.length > 0) mark('◐ stand-in images', v.standIns.map((i) => `${i.image}: ${i.description}`));
  if (v.notVerifiable !== undefined && v.notVerifiable.length > 0) {
    mark(`◌ ${v.notVerifiable.length} step(s) not verifiable here`, v.notVerifiable.map((n) => `${n.step} (needs ${n.missing})`));
  }
  if (v.notRun !== undefined && v.notRun.length > 0) mark(`◇ ${v.notRun.length} step(s) not run`, v.notRun.map((n) => `${n.step} (${n.reason})`));
  if (v.sameAs !== undefined) mark(`= same as ${v.sameAs}`, [`verified once for this source and ${v.sameAs}, whose content is the same`]);
  if (v.carriedFrom !== undefined) mark(`↺ carried over from ${v.carriedFrom.date.slice(0, 10)}`, [carriedWords(v.carriedFrom)]);
  return marks.length === 0 ? '' : `<div class="marks">${marks.join(' ')}</div>`;
}

function hasDetails(v: Verdict): boolean {
  return v.status !== 'verified' || basisGroups(v).length > 0;
}

/** A cell's evidence and what its verdict rests on, below the table; '' when there is nothing to say. */
function detailsOf(p: Place, opts: HtmlOptions): string {
  const v = p.section.bySource[p.source];
  if (v === undefined || !hasDetails(v)) return '';
  const root = rootOf(opts, p.source);
  const w = STATUS_WORDS[v.status];
  const text = (t: string) => withSourceLinks(t, root);
  const body: string[] = [];
  const evidence = (failures: Array<{ test: string; message: string }>) => {
    for (const f of failures) body.push(`<h4>${escapeText(f.test)}</h4>`, `<pre>${text(evidenceOf(p.column.details, p.section.section, p.source, f))}</pre>`);
  };
  switch (v.status) {
    case 'verified':
      break;
    case 'known-issue':
      body.push('<p>The text as written fails in a documented, expected way (specs/known-issues.yaml); the corrected form was verified.</p>');
      for (const f of v.findings) {
        body.push(
          `<h4>known issue <code>${escapeText(f.issue)}</code> at step ${text(f.step)}</h4>`,
          `<p>${text(f.cause)}${f.reference === undefined ? '' : ` (${referenceLink(f.reference)})`}</p>`,
          `<pre>${text(f.error)}</pre>`,
        );
      }
      break;
    case 'failed':
      body.push(`<p>${v.failures.length} of ${Math.max(v.tests, v.failures.length)} checks failed.</p>`);
      evidence(v.failures);
      break;
    case 'blocked':
      body.push(`<p>Could not build ${escapeText(v.what)}, the context section <code>${escapeText(v.by)}</code> builds, and that section failed: its cause is shown there.</p>`);
      evidence(v.failures);
      break;
    case 'cluster-fault':
      body.push(
        `<p>The cluster failed under this section, so its ${v.failures.length} failure(s) say nothing about the text; run it again. What the cluster showed:</p>`,
        `<ul>${v.faults.map((f) => `<li>${escapeText(f)}</li>`).join('')}</ul>`,
      );
      evidence(v.failures);
      break;
    case 'absent':
      body.push(`<p>Not in this source: ${text(v.reason)}</p>`);
      break;
    case 'unverifiable':
      body.push(`<p>Not verifiable here: ${text(v.reason)}</p>`);
  }
  if (ranHere(v)) {
    for (const g of basisGroups(v)) body.push(`<h4>${escapeText(g.heading)}</h4>`, g.items.length === 0 ? '' : `<ul>${g.items.map((i) => `<li>${text(i)}</li>`).join('')}</ul>`);
  }
  const heading = `${w.mark} ${w.word} · ${p.section.title || p.section.section} · ${p.source} · Kubernetes ${p.column.version}`;
  return `<section id="${p.detailsId}" class="details v-${v.status}">
<h3>${escapeText(heading)} <a class="back" href="#${p.cellId}">↑ table</a></h3>
${body.filter((b) => b !== '').join('\n')}
</section>`;
}

function summaryOf(c: HtmlColumn): string {
  const counts = countStatuses(c.report);
  const cells = STATUSES.map((s) => `<span class="v-${s} count">${escapeText(`${counts[s]} ${STATUS_WORDS[s].mark} ${STATUS_WORDS[s].word}`)}</span>`).join(' ');
  const run = c.details === undefined ? '' : ` Run ${c.details.run}, started ${c.details.startedAt.toISOString()}${c.details.wallMs === undefined ? '' : `, took ${formatDuration(c.details.wallMs)}`}.`;
  return `<p class="summary"><strong>${escapeText(`Kubernetes ${c.version}`)}</strong>: ${escapeText(`${c.report.sources.length} source(s) × ${c.report.sections.length} sections.`)} ${cells}. ${escapeText(`Checks: ${c.report.passed} passed, ${c.report.failed} failed.${run}`)}</p>`;
}

function legend(): string {
  const items = [...STATUSES.map((s) => [`v-${s}`, STATUS_WORDS[s]] as const), ['v-none', NOT_RUN_WORDS] as const];
  const marks = [
    ['◐ stand-in images', 'the local cluster ran locally built images in place of the ones the text names (listed in the details)'],
    ['◌ not verifiable here', 'steps that ran as written but prove nothing on this cluster (e.g. no internet for the pods)'],
    ['◇ not run', 'steps of the section that could not run as written'],
    ['= same as', 'verified once for this source and another of the run whose text of the section is the same'],
  ] as const;
  return `<details class="legend"><summary>What the cells say</summary><dl>
${items.map(([cls, w]) => `<dt class="${cls}">${escapeText(`${w.mark} ${w.word}`)}</dt><dd>${escapeText(w.means)}</dd>`).join('\n')}
${marks.map(([m, means]) => `<dt>${escapeText(m)}</dt><dd>${escapeText(means)}</dd>`).join('\n')}
</dl></details>`;
}

function rootOf(opts: HtmlOptions, source: string): string | undefined {
  return opts.sourceRoots !== undefined && Object.hasOwn(opts.sourceRoots, source) ? opts.sourceRoots[source] : undefined;
}

/** `file.md:123` where a tutorial's source file and line are named (not paths of the suite's own code). */
const FILE_LINE = /(?<![\w@./-])((?:[\w@.-]+\/)*[\w@.-]+\.(?:adoc|asciidoc|asc|md|markdown)):(\d+)/g;

function firstFileLine(texts: readonly string[]): { file: string; line: string } | undefined {
  for (const t of texts) {
    for (const m of printable(t).matchAll(FILE_LINE)) {
      const [, file, line] = m;
      if (file !== undefined && line !== undefined) return { file, line };
    }
  }
  return undefined;
}

/** Escaped text with each `file:line` of the tutorial a link into the source's folder (when its root is known). */
function withSourceLinks(text: string, root: string | undefined): string {
  if (root === undefined) return escapeText(text);
  const clean = printable(text);
  let out = '';
  let last = 0;
  for (const m of clean.matchAll(FILE_LINE)) {
    const [whole, file, line] = m;
    if (file === undefined || line === undefined) continue;
    out += escapeText(clean.slice(last, m.index)) + sourceLink({ file, line }, root);
    last = m.index + whole.length;
  }
  return out + escapeText(clean.slice(last));
}

function sourceLink(at: { file: string; line: string }, root: string | undefined): string {
  const label = escapeText(`${at.file}:${at.line}`);
  const segments = at.file.split('/');
  // Only files inside the source's folder.
  if (root === undefined || segments.some((s) => s === '.' || s === '..')) return `<code>${label}</code>`;
  const href = [...root.split('/'), ...segments].map((s, i) => (i === 0 && s === '' ? '' : encodeURIComponent(s))).join('/');
  return `<a class="source" href="${escapeAttr(href)}" title="line ${escapeAttr(at.line)} of ${escapeAttr(at.file)}"><code>${label}</code></a>`;
}

/** A known issue's reference: a link when it is a web address, else text (never a javascript: or data: link). */
function referenceLink(reference: string): string {
  return /^https?:\/\//.test(reference) ? `<a href="${escapeAttr(reference)}">${escapeText(reference)}</a>` : escapeText(reference);
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

// Colours say the verdict only together with its word and mark (readable in
// grey, printed, or by a screen reader); each pair passes WCAG AA contrast.
const STYLE = `
:root { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1d232a; background: #fff; }
body { margin: 1.5rem; }
h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; }
h3 { font-size: 1rem; margin: 0 0 .4rem; }
h4 { font-size: .9rem; margin: .6rem 0 .2rem; }
code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; }
.summary { margin: .3rem 0; }
.count { padding: 0 .3rem; border-radius: 3px; white-space: nowrap; }
.legend { margin: .6rem 0 1rem; }
.legend dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem .8rem; margin: .4rem 0; }
.legend dt { font-weight: 600; padding: 0 .3rem; }
.legend dd { margin: 0; }
table.matrix { border-collapse: collapse; }
.matrix th, .matrix td { border: 1px solid #c3c8cf; padding: .35rem .5rem; vertical-align: top; text-align: left; }
.matrix thead th { background: #eef1f4; position: sticky; top: 0; }
.matrix th.section { min-width: 13rem; max-width: 18rem; background: #f7f8fa; font-weight: 600; }
.matrix th.section code { font-weight: normal; color: #4a5561; }
.matrix th.source { font-weight: 600; max-width: 16rem; overflow-wrap: anywhere; }
.matrix tr.part th { background: #dfe4ea; text-align: left; font-size: .85rem; letter-spacing: .04em; text-transform: uppercase; }
.matrix td { min-width: 9rem; max-width: 17rem; overflow-wrap: anywhere; }
.word { font-weight: 700; color: inherit; }
a.word { text-decoration: underline dotted; }
.cause, .at, .marks { font-size: 12px; margin-top: .15rem; }
.mark { display: inline-block; white-space: nowrap; border-bottom: 1px dotted currentColor; cursor: help; }
.v-verified { background: #e3f4e6; color: #14532d; }
.v-known-issue { background: #fdf1cf; color: #5c4300; }
.v-failed { background: #fbdcdc; color: #7f1010; }
td.v-failed { box-shadow: inset 4px 0 0 #c62828; }
.v-blocked { background: #ede2f7; color: #4a1d6e; }
.v-cluster-fault { background: #dde8f6; color: #12365f; }
.v-absent { background: #f1f1f1; color: #4d4d4d; }
.v-unverifiable { background: repeating-linear-gradient(135deg, #f1f1f1 0 6px, #e4e4e4 6px 12px); color: #3d3d3d; }
.v-none { background: #fff; color: #6b6b6b; }
section.details { border: 1px solid #c3c8cf; border-left-width: 6px; border-radius: 4px; padding: .6rem .8rem; margin: .8rem 0; }
section.details.v-verified, section.details.v-known-issue, section.details.v-failed, section.details.v-blocked, section.details.v-cluster-fault, section.details.v-absent, section.details.v-unverifiable { color: #1d232a; }
section.details.v-verified { border-left-color: #2e7d32; }
section.details.v-known-issue { border-left-color: #b7860b; }
section.details.v-failed { border-left-color: #c62828; }
section.details.v-blocked { border-left-color: #6a1b9a; }
section.details.v-cluster-fault { border-left-color: #1f5fa8; }
section.details.v-absent, section.details.v-unverifiable { border-left-color: #8a8a8a; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #fff; border: 1px solid #d5d9de; padding: .5rem; max-height: 32rem; overflow: auto; color: #1d232a; }
.back { font-weight: normal; font-size: 12px; margin-left: .5rem; }
:target { outline: 3px solid #1a5fb4; outline-offset: 2px; }
`;
