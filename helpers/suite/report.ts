// What held and what broke, per section and per source, for one server
// version: built from jest's JSON results (tests are grouped as
// `<section id> > <source> > <test>`) and the records the harness wrote
// (records.ts: sections not in a source, known issues met, steps not run).
// Every section of the table has its row, in the course's order, and every
// source its cell: a spec file that failed before its tests ran fails its
// section for every source, with the file's own error.
import type {
  AppliedRecord,
  BlockedRecord,
  CarriedRecord,
  ContentKeyRecord,
  ClusterFaultRecord,
  ComparedRecord,
  InventoryRecord,
  KnownIssueRecord,
  NotRunRecord,
  NotVerifiableRecord,
  ObservedRecord,
  RanRecord,
  SameAsRecord,
  RunRecord,
  StandInRecord,
} from './records.js';
import { SECTIONS, isSectionId, partOfSection, readerPartOfSpecFile, sectionOfSpecFile, UnknownSectionError } from './sections.js';

/** How much of the text under the section's heading the verdict covers. */
export interface Coverage {
  /** Manifests there; applied by a spec step; checked by the server with a dry run (no step claims them). */
  manifests: { total: number; applied: number; dryRun: number };
  /** Commands there; run as written; not run, counted by reason. */
  commands: { total: number; ran: number; notRun: Record<string, number> };
  /** Of the commands whose output the text shows and the suite typed: alike, unlike only as a known issue says, unlike. */
  outputs: { alike: number; knownIssue: number; unlike: number };
}

/** What a verdict rests on besides its checks. */
export interface Basis {
  coverage?: Coverage;
  /** Steps of the spec not run here, and why. */
  notRun?: NotRunRecord[];
  /** Steps that ran but prove nothing on this cluster, and what it lacks. */
  notVerifiable?: NotVerifiableRecord[];
  /** Images the section ran that are local stand-ins for the ones the text names. */
  standIns?: StandInRecord[];
  /** What the Exercise's steps showed: the answers to the questions the text asks. */
  observed?: ObservedRecord[];
  /** The source of this run whose verification of the same content this cell shares. */
  sameAs?: string;
  /** The section's content key in this source (shared-section.ts). */
  key?: string;
  /** Not run here: the verdict of an earlier run on the same content, cluster and suite (carry-over.ts). */
  carriedFrom?: { date: string; source: string };
}

export type Verdict =
  | ({ status: 'verified'; tests: number } & Basis)
  | ({ status: 'known-issue'; tests: number; findings: KnownIssueRecord[] } & Basis)
  | ({ status: 'failed'; tests: number; failures: Array<{ test: string; message: string }> } & Basis)
  /** Failed because the context an earlier section builds could not be built, and that section failed: its cause is shown there. */
  | ({ status: 'blocked'; by: string; what: string; tests: number; failures: Array<{ test: string; message: string }> } & Basis)
  /** Failed while the cluster itself failed under it (see cluster-health.ts): no finding on the tutorial; run it again. */
  | ({ status: 'cluster-fault'; faults: string[]; tests: number; failures: Array<{ test: string; message: string }> } & Basis)
  | { status: 'absent'; reason: string }
  /** Not run on this cluster at all, and why (the version matrix: a Kubernetes version that cannot run on these hosts). */
  | { status: 'unverifiable'; reason: string };

/** A verdict of a section that ran here (not absent from the source, not unverifiable on this cluster): it has checks and a basis. */
export type RanVerdict = Exclude<Verdict, { status: 'absent' } | { status: 'unverifiable' }>;
export const ranHere = (v: Verdict | undefined): v is RanVerdict => v !== undefined && v.status !== 'absent' && v.status !== 'unverifiable';

export interface SectionReport {
  section: string;
  title: string;
  bySource: Record<string, Verdict>;
}

export interface Report {
  serverVersion: string;
  /** What the run was made on (carry-over.ts: a later run carries verdicts over only on the same). */
  run?: { serverVersion: string; provider: string; nodes?: number; suite: string; date: string };
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

function firstLine(text: string): string {
  // jest failure messages start with the error; strip ANSI colours (ESC [ ... m).
  const clean = text.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '');
  return (clean.split('\n').find((l) => l.trim() !== '') ?? clean).trim();
}

interface Cell {
  tests: number;
  failures: Array<{ test: string; message: string }>;
}

export function buildReport(results: JestJson, runRecords: readonly RunRecord[], serverVersion: string): Report {
  const records = withSharedRecords(runRecords);
  const cells = new Map<string, Map<string, Cell>>();
  const brokenFiles = new Map<string, { file: string; message: string }>();
  const ranSections = new Set<string>();
  const sources = new Set<string>(records.map((r) => r.source));
  const cellOf = (section: string, source: string): Cell => {
    const bySource = cells.get(section) ?? new Map<string, Cell>();
    cells.set(section, bySource);
    const cell = bySource.get(source) ?? { tests: 0, failures: [] };
    bySource.set(source, cell);
    return cell;
  };
  let passed = 0;
  let failed = 0;
  for (const file of results.testResults) {
    const row = sectionOfSpecFile(file.name);
    const part = readerPartOfSpecFile(file.name);
    if (row !== undefined) ranSections.add(row.id);
    for (const a of file.assertionResults) {
      if (a.status === 'passed') passed++;
      else if (a.status === 'failed') failed++;
      if (row === undefined && part === undefined) continue; // not a section spec (the helpers' own spec)
      const [section, source] = a.ancestorTitles;
      const expected = row?.id ?? section;
      if (section === undefined || section !== expected || !isSectionId(section) || source === undefined) {
        throw new UnknownSectionError(
          `${file.name}: test "${a.ancestorTitles.join(' > ')} > ${a.title}" is not under describe("${row?.id ?? '<section id>'}") > describe(<source>)` +
            (row ? `: use verifySection('${row.id}', ...)` : ''),
        );
      }
      sources.add(source);
      const cell = cellOf(section, source);
      cell.tests++;
      if (a.status === 'failed') cell.failures.push({ test: a.title, message: firstLine(a.failureMessages.join('\n')) });
    }
    // A file that failed before any test ran (a syntax error, a crash while collecting its tests).
    if (file.assertionResults.length === 0 && file.message) {
      failed++;
      const broken = { file: file.name.replace(/^.*\/(specs\/)/, '$1'), message: firstLine(file.message) };
      if (row !== undefined) brokenFiles.set(row.id, broken);
      for (const r of SECTIONS) if (part !== undefined && r.part === part) brokenFiles.set(r.id, broken);
    }
  }
  for (const r of records) {
    if (!isSectionId(r.section)) throw new UnknownSectionError(`a record of the run names unknown section "${r.section}"`);
  }
  const sections: SectionReport[] = SECTIONS.map(({ id, title }) => {
    const bySource: Record<string, Verdict> = {};
    // A section whose spec file was not part of this run (a selection of files) keeps its row, with no cells.
    for (const source of ranSections.has(id) ? sources : []) {
      const mine = records.filter((r) => r.section === id && r.source === source);
      const absent = mine.find((r) => r.type === 'absent');
      const carried = mine.find((r): r is CarriedRecord => r.type === 'carried');
      const findings = mine.filter((r): r is KnownIssueRecord => r.type === 'known-issue');
      const basis = basisOf(mine);
      const cell = cells.get(id)?.get(source);
      const broken = brokenFiles.get(id);
      bySource[source] =
        broken !== undefined
          ? { status: 'failed', tests: 0, failures: [{ test: `(the spec file ${broken.file} did not run)`, message: broken.message }] }
          : cell === undefined
            ? { status: 'failed', tests: 0, failures: [{ test: '(no result)', message: `no test of section ${id} ran for ${source}` }] }
            : cell.failures.length > 0
              ? { status: 'failed', tests: cell.tests, failures: cell.failures, ...basis }
              : absent !== undefined
                ? { status: 'absent', reason: absent.reason }
                : carried !== undefined
                  ? { ...(carried.verdict as RanVerdict), key: carried.key, carriedFrom: { date: carried.date, source: carried.as } }
                  : findings.length > 0
                  ? { status: 'known-issue', tests: cell.tests, findings, ...basis }
                  : { status: 'verified', tests: cell.tests, ...basis };
    }
    return { section: id, title, bySource };
  });
  markClusterFaults(sections, records.filter((r): r is ClusterFaultRecord => r.type === 'cluster-fault'));
  markBlocked(sections, records.filter((r): r is BlockedRecord => r.type === 'blocked'));
  return { serverVersion, sources: [...sources].sort(), sections, passed, failed };
}

/** The coverage and the other things a cell's verdict rests on, from its records. */
function basisOf(mine: readonly RunRecord[]): Basis {
  const basis: Basis = {};
  const inv = mine.find((r): r is InventoryRecord => r.type === 'inventory');
  if (inv !== undefined) {
    const applied = mine.filter((r): r is AppliedRecord => r.type === 'applied');
    const keys = (dryRun: boolean) => new Set(applied.filter((a) => (a.dryRun === true) === dryRun).flatMap((a) => a.keys));
    const [real, dry] = [keys(false), keys(true)];
    const ran = new Set(mine.filter((r): r is RanRecord => r.type === 'ran').map((r) => r.at));
    const compared = mine.filter((r): r is ComparedRecord => r.type === 'compared');
    const notRun: Record<string, number> = {};
    for (const c of inv.commands.filter((c) => !ran.has(c.at))) {
      const why = c.notRun ?? 'the spec did not run it';
      notRun[why] = (notRun[why] ?? 0) + 1;
    }
    basis.coverage = {
      manifests: {
        total: inv.manifests.length,
        applied: inv.manifests.filter((m) => real.has(m.key)).length,
        dryRun: inv.manifests.filter((m) => !real.has(m.key) && dry.has(m.key)).length,
      },
      commands: { total: inv.commands.length, ran: inv.commands.filter((c) => ran.has(c.at)).length, notRun },
      outputs: {
        alike: compared.filter((r) => r.result === 'alike').length,
        knownIssue: compared.filter((r) => r.result === 'known-issue').length,
        unlike: compared.filter((r) => r.result === 'unlike').length,
      },
    };
  }
  const notRun = mine.filter((r): r is NotRunRecord => r.type === 'not-run');
  const notVerifiable = mine.filter((r): r is NotVerifiableRecord => r.type === 'not-verifiable');
  const standIns = mine.filter((r): r is StandInRecord => r.type === 'stand-in');
  if (notRun.length > 0) basis.notRun = notRun;
  if (notVerifiable.length > 0) basis.notVerifiable = notVerifiable;
  if (standIns.length > 0) basis.standIns = standIns;
  const observed = mine.filter((r): r is ObservedRecord => r.type === 'observed');
  if (observed.length > 0) basis.observed = observed;
  const sameAs = mine.find((r): r is SameAsRecord => r.type === 'same-as');
  if (sameAs !== undefined) basis.sameAs = sameAs.as;
  const key = mine.find((r): r is ContentKeyRecord => r.type === 'content-key');
  if (key !== undefined) basis.key = key.key;
  return basis;
}

/**
 * A cell verified once for another source of the same content
 * (shared-section.ts) rests on what that one's tests did: its known issues,
 * stand-in images, steps not run or not verifiable, blocked context, cluster
 * faults, and its coverage. Those records are taken over for this source,
 * with the manifests and commands they name mapped to this source's own
 * (the same content lists them in the same order under the heading).
 */
export function withSharedRecords(records: readonly RunRecord[]): RunRecord[] {
  const out = [...records];
  const inventoryOf = (section: string, source: string): InventoryRecord | undefined =>
    records.find((r): r is InventoryRecord => r.type === 'inventory' && r.section === section && r.source === source);
  for (const same of records.filter((r): r is SameAsRecord => r.type === 'same-as')) {
    const [theirs, mine] = [inventoryOf(same.section, same.as), inventoryOf(same.section, same.source)];
    const keyOf = new Map(theirs?.manifests.map((m, i) => [m.key, mine?.manifests[i]?.key ?? m.key]));
    const atOf = new Map(theirs?.commands.map((c, i) => [c.at, mine?.commands[i]?.at ?? c.at]));
    for (const r of records) {
      if (r.section !== same.section || r.source !== same.as || r.type === 'inventory' || r.type === 'same-as') continue;
      const copy = { ...r, source: same.source };
      if (copy.type === 'applied') copy.keys = copy.keys.map((k) => keyOf.get(k) ?? k);
      if (copy.type === 'ran' || copy.type === 'compared') copy.at = atOf.get(copy.at) ?? copy.at;
      out.push(copy);
    }
  }
  return out;
}

/**
 * A failed cell during which the cluster failed (the harness recorded the
 * fault on a failure) says so instead of blaming the text: its failures are
 * kept as evidence, but the verdict is the cluster's.
 */
function markClusterFaults(sections: SectionReport[], faults: readonly ClusterFaultRecord[]): void {
  for (const s of sections) {
    for (const [source, v] of Object.entries(s.bySource)) {
      if (v.status !== 'failed') continue;
      const mine = faults.filter((r) => r.section === s.section && r.source === source);
      if (mine.length === 0) continue;
      const { status: _failed, ...rest } = v;
      s.bySource[source] = { ...rest, status: 'cluster-fault', faults: [...new Set(mine.flatMap((r) => r.faults))] };
    }
  }
}

/**
 * A failed cell whose section could not build an earlier section's context
 * is "blocked by" that section when that section failed for the same source
 * (in the course's order, so a chain points at its first cause); when the
 * earlier section passed, the failure is this section's own.
 */
function markBlocked(sections: SectionReport[], blocked: readonly BlockedRecord[]): void {
  for (const s of sections) {
    for (const [source, v] of Object.entries(s.bySource)) {
      if (v.status !== 'failed') continue;
      const b = blocked.find((r) => r.section === s.section && r.source === source);
      const owner = b && sections.find((o) => o.section === b.by)?.bySource[source];
      if (b !== undefined && (owner?.status === 'failed' || owner?.status === 'blocked' || owner?.status === 'cluster-fault')) {
        s.bySource[source] = { status: 'blocked', by: owner.status === 'blocked' ? owner.by : b.by, what: b.what, tests: v.tests, failures: v.failures };
      }
    }
  }
}

function cellText(v: Verdict | undefined): string {
  if (v === undefined) return '-';
  if (v.status === 'absent') return 'not in this source';
  if (v.status === 'unverifiable') return `could not run here: ${v.reason}`;
  const rests = [
    v.standIns && v.standIns.length > 0 ? 'stand-in images' : undefined,
    v.notVerifiable && v.notVerifiable.length > 0 ? `${v.notVerifiable.length} step(s) not verifiable here` : undefined,
    v.notRun && v.notRun.length > 0 ? `${v.notRun.length} step(s) not run` : undefined,
    v.sameAs !== undefined ? `same content as ${v.sameAs} in this run` : undefined,
    v.carriedFrom !== undefined ? `carried over from the run of ${v.carriedFrom.date} (${v.carriedFrom.source}: same content, cluster and suite)` : undefined,
  ].filter((x) => x !== undefined);
  const also = rests.length > 0 ? `; ${rests.join('; ')}` : '';
  switch (v.status) {
    case 'verified':
      return `verified (${v.tests} checks${also})`;
    case 'known-issue':
      return `known issue: ${[...new Set(v.findings.map((f) => f.issue))].join(', ')}${also}`;
    case 'failed':
      return `FAILED: ${v.failures[0]?.test ?? '?'}`;
    case 'blocked':
      return `blocked by ${v.by}`;
    case 'cluster-fault':
      return `CLUSTER FAULT (not a finding): ${v.faults[0] ?? '?'}`;
  }
}

/**
 * The Exercise asks the reader questions; the report answers them with what
 * the cluster showed, per source (a source that shares another's
 * verification shows that one's answers).
 */
function exerciseAnswers(r: Report): string[] {
  const lines: string[] = [];
  for (const s of r.sections) {
    if (partOfSection(s.section) !== 3) continue; // other sections' observations are in their cells
    for (const src of r.sources) {
      const v = s.bySource[src];
      if (!ranHere(v)) continue;
      const from = v.sameAs ?? src;
      const shared = s.bySource[from];
      const observed = ranHere(shared) ? (shared.observed ?? []) : [];
      if (observed.length === 0) continue;
      lines.push('', `## ${s.title}: ${src}${v.sameAs !== undefined ? ` (verified once with ${v.sameAs}: same content)` : ''}`, '');
      lines.push('| step | took | question in the text | what the cluster showed |', '|---|---|---|---|');
      const cell = (t: string): string => t.replace(/\|/g, '\\|').replace(/\n/g, ' ');
      for (const o of observed) lines.push(`| ${o.step} (${o.at}) | ${o.seconds.toFixed(0)} s | ${cell(o.question ?? '-')} | ${cell(o.answer)} |`);
    }
  }
  return lines;
}

function coverageText(c: Coverage | undefined): string {
  if (c === undefined) return '-';
  const dry = c.manifests.dryRun > 0 ? ` (+${c.manifests.dryRun} dry run)` : '';
  const o = c.outputs;
  const shown = o.alike + o.knownIssue + o.unlike;
  const outputs = shown > 0 ? `; outputs alike ${o.alike}/${shown}${o.knownIssue > 0 ? ` (+${o.knownIssue} known issue)` : ''}${o.unlike > 0 ? `, ${o.unlike} unlike` : ''}` : '';
  return `manifests ${c.manifests.applied}/${c.manifests.total}${dry}, commands ${c.commands.ran}/${c.commands.total}${outputs}`;
}

/** Coverage summed over every cell of the report. */
export function totalCoverage(r: Report): Coverage {
  const total: Coverage = { manifests: { total: 0, applied: 0, dryRun: 0 }, commands: { total: 0, ran: 0, notRun: {} }, outputs: { alike: 0, knownIssue: 0, unlike: 0 } };
  for (const s of r.sections) {
    for (const v of Object.values(s.bySource)) {
      const c = ranHere(v) ? v.coverage : undefined;
      if (c === undefined) continue;
      total.manifests.total += c.manifests.total;
      total.manifests.applied += c.manifests.applied;
      total.manifests.dryRun += c.manifests.dryRun;
      total.commands.total += c.commands.total;
      total.commands.ran += c.commands.ran;
      for (const [why, n] of Object.entries(c.commands.notRun)) total.commands.notRun[why] = (total.commands.notRun[why] ?? 0) + n;
      total.outputs.alike += c.outputs.alike;
      total.outputs.knownIssue += c.outputs.knownIssue;
      total.outputs.unlike += c.outputs.unlike;
    }
  }
  return total;
}

/** A Markdown report: the verdicts, the coverage, then the causes, and what the verdicts rest on. */
export function formatReport(r: Report): string {
  const lines = [`# Tutorial verification on Kubernetes ${r.serverVersion}`, ''];
  const table = (cell: (v: Verdict | undefined) => string): void => {
    lines.push(`| section | ${r.sources.join(' | ')} |`, `|---|${r.sources.map(() => '---').join('|')}|`);
    for (const s of r.sections) lines.push(`| ${s.section} | ${r.sources.map((src) => cell(s.bySource[src])).join(' | ')} |`);
  };
  table(cellText);
  lines.push('', '## Coverage of the text', '', 'Manifests applied (or checked with a server-side dry run) and commands run as written, of those under each section\'s heading.', '');
  table((v) => (ranHere(v) ? coverageText(v.coverage) : '-'));
  const t = totalCoverage(r);
  const reasons = Object.entries(t.commands.notRun).sort((a, b) => b[1] - a[1]);
  lines.push('', `Summary: ${coverageText(t)}.${reasons.length > 0 ? ' Commands not run as written:' : ''}`);
  for (const [why, n] of reasons) lines.push(`- ${n}: ${why}`);

  const notes: string[] = [];
  const standIns = new Map<string, StandInRecord>();
  for (const s of r.sections) {
    for (const src of r.sources) {
      const v = s.bySource[src];
      if (v === undefined) continue;
      if (v.status === 'known-issue') {
        for (const f of v.findings) {
          notes.push(`- ${s.section} / ${src}: known issue \`${f.issue}\` at step ${f.step}: ${f.cause}${f.reference ? ` (${f.reference})` : ''}`);
          notes.push(`  - what happened: ${f.error}`);
        }
      } else if (v.status === 'failed') {
        for (const f of v.failures) notes.push(`- ${s.section} / ${src}: FAILED "${f.test}": ${f.message}`);
      } else if (v.status === 'cluster-fault') {
        notes.push(`- ${s.section} / ${src}: the cluster failed under this section, so its ${v.failures.length} failure(s) say nothing about the text; run it again:`);
        for (const f of v.faults) notes.push(`  - cluster: ${f}`);
        for (const f of v.failures) notes.push(`  - failed "${f.test}": ${f.message}`);
      } else if (v.status === 'blocked') {
        notes.push(`- ${s.section} / ${src}: blocked by ${v.by}: could not build ${v.what} (its cause is under ${v.by})`);
      } else if (v.status === 'absent') {
        notes.push(`- ${s.section} / ${src}: not in this source: ${v.reason}`);
        continue;
      } else if (v.status === 'unverifiable') {
        notes.push(`- ${s.section} / ${src}: could not run here: ${v.reason}`);
        continue;
      }
      for (const n of v.notVerifiable ?? []) notes.push(`- ${s.section} / ${src}: not verifiable on this cluster: ${n.step} (needs ${n.missing})`);
      for (const n of v.notRun ?? []) notes.push(`- ${s.section} / ${src}: not run: ${n.step} (${n.reason})`);
      for (const i of v.standIns ?? []) standIns.set(i.image, i);
    }
  }
  if (notes.length > 0) lines.push('', '## Why', '', ...notes);
  lines.push(...exerciseAnswers(r));
  if (standIns.size > 0) {
    lines.push('', '## Stand-in images', '', 'Verdicts marked "stand-in images" ran these local images in place of the ones the text names:', '');
    for (const i of [...standIns.values()].sort((a, b) => a.image.localeCompare(b.image))) lines.push(`- \`${i.image}\`: ${i.description}`);
  }
  lines.push('', `${r.passed} passed, ${r.failed} failed`);
  return lines.join('\n');
}
