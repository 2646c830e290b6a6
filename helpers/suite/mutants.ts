// Sensitivity fixtures: a mutant is a copy of a real tutorial source with one
// thing broken (a selector that matches nothing, a probe path that does not
// exist, a `kind` with a typo, ...). Each fixture names the base source, the
// text to replace (it must occur exactly once, so a fixture cannot silently
// stop applying), the sections that must then fail, and what a failure must
// say. The fixtures hold only the few words they change; the source is copied
// at run time.
//
// Two kinds: `behaviour` (the default) breaks what a section's spec checks on
// the cluster; `accounting` breaks how the text is read and accounted for (a
// section the reader no longer finds, an edit it no longer recognises, a known
// issue that stops failing), which must fail too, never pass as "not there".
//
// All mutants and their pristine bases run in ONE e2e run, each mutant as a
// source of its own (`<base>-mutant-<name>`) held to its base's reviewed
// snapshot (TUTORIAL_SOURCE_SNAPSHOTS); a mutant is judged by comparing its
// column of the report with its base's column of the same run.
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, delimiter, join } from 'node:path';
import { load } from 'js-yaml';
import { ANSWER_DIR, ANSWERS_ENV } from './exercise-answer.js';
import { BLOCKED_STEP } from './exercise.js';
import type { Report, Verdict } from './report.js';
import { checkSectionIds } from './sections.js';

export type MutantKind = 'behaviour' | 'accounting';
const KINDS: readonly MutantKind[] = ['behaviour', 'accounting'];
/** What a fixture breaks: the tutorial's text (a copy of the base source), or the suite's own answer to its Exercise (a copy of manifests/exercise-answer/). */
export type MutantTarget = 'source' | 'answer';
const TARGETS: readonly MutantTarget[] = ['source', 'answer'];

export interface Mutant {
  name: string;
  kind: MutantKind;
  target: MutantTarget;
  description: string;
  base: string;
  /** The file to break: in the base source, or (target answer) in the answer folder. */
  file: string;
  replace: Array<{ find: string; with: string }>;
  expect: {
    /** Exactly the sections that fail (or are blocked by one of them) in the mutant's column. */
    failing: string[];
    /** What some failure of those sections says (the cause, not the drift check). */
    message: RegExp;
    /** The reader's block problem the edit is meant to cause; without it the mutant must read cleanly. */
    readerProblem?: RegExp;
    /**
     * For a section of several steps (the Exercise): every failed test of the
     * expected sections matches this, except steps blocked by it: exactly that
     * step fails.
     */
    tests?: RegExp;
  };
}

export class MutantFixtureError extends Error {
  override name = 'MutantFixtureError';
}

const FIXTURE_KEYS = ['kind', 'target', 'description', 'base', 'file', 'replace', 'expect'];
const EXPECT_KEYS = ['failing', 'message', 'readerProblem', 'tests'];

const isKind = (x: unknown): x is MutantKind => KINDS.some((k) => k === x);

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export function loadMutant(fixture: string): Mutant {
  const bad = (what: string): never => {
    throw new MutantFixtureError(`${fixture}: ${what}`);
  };
  let doc: unknown;
  try {
    doc = load(readFileSync(fixture, 'utf8'));
  } catch (err) {
    return bad(err instanceof Error ? err.message : String(err));
  }
  if (!isRecord(doc)) return bad('expected a mapping');
  const unknownKeys = Object.keys(doc).filter((k) => !FIXTURE_KEYS.includes(k));
  if (unknownKeys.length > 0) bad(`unknown field(s) ${unknownKeys.join(', ')}; a fixture has: ${FIXTURE_KEYS.join(', ')}`);
  const str = (k: string): string => {
    const v = doc[k];
    return typeof v === 'string' && v.trim() !== '' ? v : bad(`"${k}" must be a non-empty string`);
  };
  const kind = doc.kind ?? 'behaviour';
  if (!isKind(kind)) return bad(`"kind" must be one of ${KINDS.join(', ')} (default behaviour), not ${JSON.stringify(kind)}`);
  const target = doc.target ?? 'source';
  if (!TARGETS.some((t) => t === target)) return bad(`"target" must be one of ${TARGETS.join(', ')} (default source), not ${JSON.stringify(target)}`);
  const base = str('base');
  if (base.includes('/') || base.startsWith('.')) bad(`"base" must be a folder name under the tutorial sources, not ${JSON.stringify(base)}`);
  const replace = doc.replace;
  if (!Array.isArray(replace) || replace.length === 0) return bad('"replace" must be a non-empty list of {find, with}');
  const exp = doc.expect;
  if (!isRecord(exp)) return bad('"expect" needs "failing" (section ids) and "message" (a regular expression)');
  const unknownExpect = Object.keys(exp).filter((k) => !EXPECT_KEYS.includes(k));
  if (unknownExpect.length > 0) bad(`unknown field(s) expect.${unknownExpect.join(', expect.')}; "expect" has: ${EXPECT_KEYS.join(', ')}`);
  const { failing, message, readerProblem, tests } = exp;
  if (!Array.isArray(failing) || failing.length === 0 || !failing.every((f) => typeof f === 'string')) {
    return bad('"expect.failing" must be a non-empty list of section ids');
  }
  const failingIds = failing;
  checkSectionIds(failingIds, `${fixture}: expect.failing`);
  if (new Set(failingIds).size !== failingIds.length) bad('"expect.failing" names a section twice');
  const regex = (what: string, v: unknown): RegExp => {
    if (typeof v !== 'string' || v === '') return bad(`"${what}" must be a regular expression (a non-empty string)`);
    try {
      return new RegExp(v);
    } catch (err) {
      return bad(`"${what}": ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  return {
    name: basename(fixture).replace(/\.ya?ml$/, ''),
    kind,
    target: target as MutantTarget,
    description: str('description'),
    base,
    file: str('file'),
    replace: replace.map((r: unknown, i) => {
      if (!isRecord(r) || typeof r.find !== 'string' || typeof r.with !== 'string' || r.find === '') {
        return bad(`replace[${i}] needs "find" (non-empty) and "with" strings`);
      }
      if (r.find === r.with) bad(`replace[${i}]: "with" is the same as "find": it breaks nothing`);
      return { find: r.find, with: r.with };
    }),
    expect: {
      failing: failingIds,
      message: regex('expect.message', message),
      ...(readerProblem !== undefined ? { readerProblem: regex('expect.readerProblem', readerProblem) } : {}),
      ...(tests !== undefined ? { tests: regex('expect.tests', tests) } : {}),
    },
  };
}

/** Every fixture of a folder, by name; `only` selects some by name (an unknown name is an error listing the names there are). */
export function loadMutants(dir: string, only: readonly string[] = []): Mutant[] {
  const all = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => loadMutant(join(dir, f)));
  const unknown = only.filter((n) => !all.some((m) => m.name === n));
  if (unknown.length > 0) {
    throw new MutantFixtureError(`no mutant fixture named ${unknown.join(', ')} in ${dir}; there are: ${all.map((m) => m.name).join(', ')}`);
  }
  return only.length === 0 ? all : all.filter((m) => only.includes(m.name));
}

/** The mutant's source name (and folder name): distinct from its base's and from every other mutant's. */
export function mutantSourceName(m: Pick<Mutant, 'base' | 'name'>): string {
  return `${m.base}-mutant-${m.name}`;
}

/**
 * Copies the base source to `<dir>/<base>-mutant-<name>` and breaks it (or,
 * for target answer, copies it as it is and breaks a copy of the Exercise's
 * answer beside it, `<copy>.answer`); returns the copy's path.
 */
export function makeMutant(m: Mutant, sourcesRoot: string, dir: string, answerDir = ANSWER_DIR): string {
  const out = join(dir, mutantSourceName(m));
  cpSync(join(sourcesRoot, m.base), out, { recursive: true });
  if (m.target === 'answer') cpSync(answerDir, answerOf(out), { recursive: true });
  breakFile(m, join(m.target === 'answer' ? answerOf(out) : out, m.file));
  return out;
}

/** Where a mutant copy's own answer to the Exercise is (target answer). */
export const answerOf = (mutantCopy: string): string => `${mutantCopy}.answer`;

function breakFile(m: Mutant, file: string): void {
  let text = readFileSync(file, 'utf8');
  for (const r of m.replace) {
    const count = text.split(r.find).length - 1;
    if (count !== 1) {
      throw new MutantFixtureError(
        `mutant ${m.name}: ${JSON.stringify(r.find)} occurs ${count} times in ${m.target === 'answer' ? 'the Exercise answer\'s' : m.base}/${m.file} (must be exactly once): ` +
          'the source changed; update the fixture',
      );
    }
    // A function, so that `$&` or `$1` in the replacement stay as written.
    text = text.replace(r.find, () => r.with);
  }
  writeFileSync(file, text);
}

export interface MutantRunSource {
  path: string;
  /** The source's name in the report. */
  name: string;
  /** The reviewed snapshot it is held to (manifests/<snapshot>/): the base's, for a mutant. */
  snapshot?: string;
  /** The fixture, for a mutant copy. */
  mutant?: Mutant;
}

export interface MutantRunPlan {
  /** The pristine bases the fixtures name (once each, in the fixtures' order), then every mutant copy. */
  sources: MutantRunSource[];
  /**
   * TUTORIAL_SOURCES, TUTORIAL_SOURCE_NAMES and TUTORIAL_SOURCE_SNAPSHOTS (helpers/suite/sources.ts) for one
   * e2e run of them all, and the answers of the mutants that break the Exercise's (exercise-answer.ts).
   */
  env: Record<'TUTORIAL_SOURCES' | 'TUTORIAL_SOURCE_NAMES' | 'TUTORIAL_SOURCE_SNAPSHOTS' | typeof ANSWERS_ENV, string>;
}

/** Makes every mutant copy under `dir` and says how one e2e run verifies them beside their bases. */
export function planMutantRun(mutants: readonly Mutant[], sourcesRoot: string, dir: string): MutantRunPlan {
  const names = new Set<string>();
  for (const m of mutants) {
    const name = mutantSourceName(m);
    if (names.has(name)) throw new MutantFixtureError(`two mutants would both be source ${name}`);
    names.add(name);
  }
  const bases = [...new Set(mutants.map((m) => m.base))];
  for (const b of bases) {
    if (!existsSync(join(sourcesRoot, b))) throw new MutantFixtureError(`base source ${b} not found in ${sourcesRoot} (set TUTORIAL_MUTANT_SOURCES to the folder holding it)`);
  }
  const sources: MutantRunSource[] = [
    ...bases.map((b) => ({ path: join(sourcesRoot, b), name: b })),
    ...mutants.map((m) => ({ path: makeMutant(m, sourcesRoot, dir), name: mutantSourceName(m), snapshot: m.base, mutant: m })),
  ];
  for (const s of sources) {
    if (s.path.includes(delimiter)) throw new MutantFixtureError(`source path ${s.path} contains "${delimiter}", which separates TUTORIAL_SOURCES`);
  }
  return {
    sources,
    env: {
      TUTORIAL_SOURCES: sources.map((s) => s.path).join(delimiter),
      TUTORIAL_SOURCE_NAMES: sources.map((s) => s.name).join(delimiter),
      TUTORIAL_SOURCE_SNAPSHOTS: sources.map((s) => s.snapshot ?? '').join(delimiter),
      [ANSWERS_ENV]: sources.flatMap((s) => (s.mutant?.target === 'answer' ? [`${s.name}=${answerOf(s.path)}`] : [])).join(delimiter),
    },
  };
}

/** A section the mutant's column failed, or that is blocked by the section whose failure it could not build on. */
export interface FailingCell {
  section: string;
  status: 'failed' | 'blocked';
  by?: string;
}

export interface MutantVerdict {
  ok: boolean;
  /** The sections failed or blocked in the mutant's column, in the course's order. */
  failing: FailingCell[];
  /** Each rule not met, one a line, prefixed (a), (b) or (c); empty when ok. */
  why: string;
  /** The first line of the failure that names the cause: the one matching expect.message, else the first that is not a drift check's. */
  cause?: string;
}

/** The drift check's own failure ("its text is as reviewed in manifests/<base>"): never the cause a mutant must show. */
const DRIFT = /the text of section \S+ changed since it was reviewed/;

const failuresOf = (v: Verdict | undefined): Array<{ test: string; message: string }> =>
  v !== undefined && (v.status === 'failed' || v.status === 'blocked' || v.status === 'cluster-fault') ? v.failures : [];

/** A verdict in words, for comparing a mutant's column with its base's. */
function verdictKey(v: Verdict | undefined): string {
  if (v === undefined) return '(no result)';
  switch (v.status) {
    case 'known-issue':
      return `known-issue ${[...new Set(v.findings.map((f) => f.issue))].sort().join(', ')}`;
    case 'blocked':
      return `blocked by ${v.by}`;
    default:
      return v.status;
  }
}

/**
 * Did the mutant break exactly what it says, for the reason it says? Judged on
 * one report, by the mutant's column against its base's:
 *  (a) exactly the sections of expect.failing are failed, or blocked by one of
 *      them, in the mutant's column (and none of them fails in the base's: a
 *      failure there too would prove nothing);
 *  (b) every other section has the same verdict in both columns (verified,
 *      absent, or known issue with the same issue ids);
 *  (c) some failure of an expected section, other than its drift check, says
 *      expect.message.
 */
export function judgeMutant(m: Mutant, report: Report, columns: { mutantSource: string; baseSource: string }): MutantVerdict {
  const { mutantSource, baseSource } = columns;
  const missing = [mutantSource, baseSource].filter((s) => !report.sources.includes(s));
  if (missing.length > 0) {
    return { ok: false, failing: [], why: `the report has no column for ${missing.join(' and ')} (its sources: ${report.sources.join(', ')})` };
  }
  const expected = new Set(m.expect.failing);
  const failing: FailingCell[] = [];
  const broken: string[] = [];
  for (const s of report.sections) {
    const v = s.bySource[mutantSource];
    const base = s.bySource[baseSource];
    if (v?.status === 'failed') failing.push({ section: s.section, status: 'failed' });
    if (v?.status === 'blocked') failing.push({ section: s.section, status: 'blocked', by: v.by });
    const first = failuresOf(v)[0]?.message ?? '';
    if (expected.has(s.section)) {
      if (v?.status !== 'failed' && v?.status !== 'blocked') broken.push(`(a) ${s.section} was expected to fail but is ${verdictKey(v)}`);
      else if (v.status === 'blocked' && !expected.has(v.by)) broken.push(`(a) ${s.section} is blocked by ${v.by}, which is not expected to fail`);
      if (base?.status === 'failed' || base?.status === 'blocked') {
        broken.push(`(a) ${s.section} fails in the base ${baseSource} too (${verdictKey(base)}: ${failuresOf(base)[0]?.message ?? ''}), so its failure proves nothing`);
      }
    } else if (v?.status === 'failed' || v?.status === 'blocked') {
      const alsoBase = base?.status === 'failed' || base?.status === 'blocked' ? ` (the base ${baseSource} fails it too: the base is broken, not the mutant)` : '';
      broken.push(`(a) ${s.section} ${v.status === 'blocked' ? `is blocked by ${v.by}` : 'failed'} but is not expected to: ${first}${alsoBase}`);
    } else if (verdictKey(v) !== verdictKey(base)) {
      broken.push(`(b) ${s.section} is ${verdictKey(v)} here but ${verdictKey(base)} in the base ${baseSource}`);
    }
  }
  if (m.expect.tests !== undefined) {
    const tests = m.expect.tests;
    const failed = report.sections.filter((s) => expected.has(s.section)).flatMap((s) => failuresOf(s.bySource[mutantSource]));
    const others = failed.filter((f) => !tests.test(f.test) && !f.message.includes(BLOCKED_STEP) && !DRIFT.test(f.message));
    if (failed.length > 0 && !failed.some((f) => tests.test(f.test))) broken.push(`(a) no failed test matches ${String(tests)}; failed: ${failed.map((f) => f.test).join(' | ')}`);
    for (const f of others) broken.push(`(a) "${f.test}" failed too (${f.message}), but only ${String(tests)} may fail (or be blocked by it)`);
  }
  const inExpected = report.sections.filter((s) => expected.has(s.section)).flatMap((s) => failuresOf(s.bySource[mutantSource]).map((f) => f.message));
  const causes = inExpected.filter((msg) => !DRIFT.test(msg));
  const said = causes.find((msg) => m.expect.message.test(msg));
  if (said === undefined) {
    broken.push(`(c) no failure of ${m.expect.failing.join(', ')} (drift checks aside) says ${String(m.expect.message)}; they say: ${causes.join(' | ') || (inExpected.length > 0 ? '(nothing but drift)' : '(no failure)')}`);
  }
  const anyCause =
    said ??
    causes[0] ??
    report.sections.flatMap((s) => failuresOf(s.bySource[mutantSource]).map((f) => f.message)).find((msg) => !DRIFT.test(msg)) ??
    inExpected[0];
  return { ok: broken.length === 0, failing, why: broken.join('\n'), ...(anyCause !== undefined ? { cause: anyCause } : {}) };
}

/** `pod, service (blocked by pod)`. */
export function formatFailing(failing: readonly FailingCell[]): string {
  return failing.map((f) => (f.status === 'blocked' ? `${f.section} (blocked by ${f.by ?? '?'})` : f.section)).join(', ') || '(none)';
}
