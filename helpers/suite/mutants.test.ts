import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { readTutorial, type Tutorial } from '../tutorial/index.js';
import { reviewedInventory } from './accounting.js';
import { tutorialsRoot } from '../tutorial/test-paths.js';
import { ANSWER_DIR, ANSWERS_ENV } from './exercise-answer.js';
import { answerOf, formatFailing, judgeMutant, loadMutant, loadMutants, makeMutant, MutantFixtureError, mutantSourceName, planMutantRun, type Mutant } from './mutants.js';
import type { Report, Verdict } from './report.js';
import { driftOf, reviewSource } from './reviewed.js';
import { SECTION_IDS, UnknownSectionError } from './sections.js';
import { PROJECT_ROOT } from './sources.js';

const FIXTURES = join(PROJECT_ROOT, 'specs', 'mutants');
const tmp = (prefix: string): string => mkdtempSync(join(tmpdir(), prefix));

const mutant = (expect: Partial<Mutant['expect']> = {}): Mutant => ({
  name: 'm',
  kind: 'behaviour',
  target: 'source',
  description: '',
  base: 'b',
  file: 'f',
  replace: [{ find: 'x', with: 'y' }],
  expect: { failing: ['service'], message: /no endpoint/, ...expect },
});

/**
 * The sections section.ts fails in a source without the cluster: one the
 * reviewed snapshot has and the reader no longer finds, one whose text drifted
 * from the review, one with blocks that cannot be read (filed as section.ts
 * files them: by the reviewed owner of their manifest key, else by heading).
 */
function failingBeforeTheCluster(t: Tutorial, snapshot: string): string[] {
  const review = reviewSource(t, snapshot);
  if (review === undefined) throw new Error(`no reviewed snapshot manifests/${snapshot}`);
  const inv = reviewedInventory(t, review);
  return SECTION_IDS.filter((id) => {
    const reviewed = review.reviewed[id];
    const lost = 'absent' in (review.current[id] ?? { absent: '' }) && reviewed !== undefined && !('absent' in reviewed);
    return lost || driftOf(review, id) !== undefined || (inv.get(id)?.problems.length ?? 0) > 0;
  });
}

describe('the fixtures in specs/mutants', () => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.yaml'));

  test('all load, and cover every section of the table', () => {
    const all = loadMutants(FIXTURES);
    expect(all.map((m) => `${m.name}.yaml`)).toEqual([...files].sort());
    const covered = new Set(all.flatMap((m) => m.expect.failing));
    expect(SECTION_IDS.filter((id) => !covered.has(id))).toEqual([]);
    // The accounting fixtures the brief of this suite names.
    expect(all.filter((m) => m.kind === 'accounting').map((m) => m.name)).toEqual(
      expect.arrayContaining(['kind-typo', 'replicas-sentence-reworded', 'prose-edit-mismatch', 'known-issue-stops-failing']),
    );
  });

  // The real sources are read-only inputs beside the project; without them there is nothing to apply to.
  const haveSources = existsSync(tutorialsRoot);
  if (!haveSources) process.stdout.write(`mutants.test.ts: skipping the fixtures' application: no tutorial sources at ${tutorialsRoot}\n`);
  const maybe = haveSources ? test.each(files) : test.skip.each(files);

  maybe('%s applies to its real base exactly once, and the copy reads as it intends', (f) => {
    const m = loadMutant(join(FIXTURES, f));
    const dir = tmp('mutants-');
    try {
      const out = makeMutant(m, tutorialsRoot, dir);
      expect(out).toBe(join(dir, mutantSourceName(m)));
      const broken = m.target === 'answer' ? join(answerOf(out), m.file) : join(out, m.file);
      const before = readFileSync(m.target === 'answer' ? join(ANSWER_DIR, m.file) : join(tutorialsRoot, m.base, m.file), 'utf8');
      const after = readFileSync(broken, 'utf8');
      // An answer's mutant leaves the text as it is.
      if (m.target === 'answer') expect(readFileSync(join(out, 'exercise.adoc'), 'utf8')).toBe(readFileSync(join(tutorialsRoot, m.base, 'exercise.adoc'), 'utf8'));
      expect(after).not.toBe(before);
      for (const r of m.replace) expect(after.split(r.with).length - 1).toBeGreaterThanOrEqual(1);
      // The base reads cleanly; the copy does too, unless the fixture means a reader problem.
      expect(readTutorial(join(tutorialsRoot, m.base)).problems).toEqual([]);
      const problems = readTutorial(out).problems.map((p) => `${p.file}:${p.line}: ${p.problem}`);
      const intended = m.expect.readerProblem;
      if (intended === undefined) expect(problems).toEqual([]);
      else expect(problems.some((p) => intended.test(p))).toBe(true);
      // What the harness fails before anything runs on the cluster, held to the
      // base's reviewed snapshot as the run holds it: every such section is expected.
      expect(failingBeforeTheCluster(readTutorial(out), m.base).filter((id) => !m.expect.failing.includes(id))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('loading a fixture', () => {
  const write = (text: string): string => {
    const file = join(tmp('fixture-'), 'a-mutant.yaml');
    writeFileSync(file, text);
    return file;
  };
  const body = 'description: d\nbase: src\nfile: a.md\nreplace:\n  - find: "x: 1"\n    with: "x: 2"\n';

  test('kind defaults to behaviour; accounting is accepted; readerProblem is a regular expression', () => {
    const m = loadMutant(write(`${body}expect:\n  failing: [pod]\n  message: "boom"\n`));
    expect(m).toMatchObject({ name: 'a-mutant', kind: 'behaviour', base: 'src', expect: { failing: ['pod'], message: /boom/ } });
    expect(m.expect.readerProblem).toBeUndefined();
    const a = loadMutant(write(`kind: accounting\n${body}expect:\n  failing: [deployment]\n  message: "x"\n  readerProblem: "nginx:1\\\\.20"\n`));
    expect(a.kind).toBe('accounting');
    expect(a.expect.readerProblem?.test('uses image nginx:1.20')).toBe(true);
  });

  test.each([
    ['an unknown kind', `kind: typo\n${body}expect:\n  failing: [pod]\n  message: "x"\n`, /"kind" must be one of behaviour, accounting/],
    ['an unknown field', `${body}expected:\n  failing: [pod]\n`, /unknown field\(s\) expected/],
    ['no section', `${body}expect:\n  failing: []\n  message: "x"\n`, /non-empty list of section ids/],
    ['a bad regular expression', `${body}expect:\n  failing: [pod]\n  message: "("\n`, /"expect.message": Invalid regular expression/],
    ['a replacement that changes nothing', 'description: d\nbase: src\nfile: a.md\nreplace:\n  - find: a\n    with: a\nexpect:\n  failing: [pod]\n  message: "x"\n', /breaks nothing/],
  ])('%s is an error naming the fixture', (_what, text, error) => {
    const file = write(text);
    expect(() => loadMutant(file)).toThrow(MutantFixtureError);
    expect(() => loadMutant(file)).toThrow(error);
    expect(() => loadMutant(file)).toThrow(file);
  });

  test('an unknown section id is the section table error, naming the fixture and the ids there are', () => {
    const file = write(`${body}expect:\n  failing: [pods]\n  message: "x"\n`);
    expect(() => loadMutant(file)).toThrow(UnknownSectionError);
    expect(() => loadMutant(file)).toThrow(`${file}: expect.failing: unknown section(s) "pods"; the sections are: pod, pod-to-pod`);
  });

  test('selecting an unknown fixture by name lists the names there are', () => {
    const file = write(`${body}expect:\n  failing: [pod]\n  message: "x"\n`);
    const dir = join(file, '..');
    expect(loadMutants(dir, ['a-mutant']).map((m) => m.name)).toEqual(['a-mutant']);
    expect(() => loadMutants(dir, ['nope'])).toThrow(/no mutant fixture named nope .*there are: a-mutant/);
  });
});

describe('making mutants', () => {
  const root = (): string => {
    const r = tmp('mutant-src-');
    for (const base of ['src', 'other']) {
      mkdirSync(join(r, base));
      writeFileSync(join(r, base, 'a.md'), 'x: 1\ny: 1\n');
    }
    return r;
  };

  test('a find that is not exactly once names the fixture and the fix', () => {
    const r = tmp('mutant-src-');
    mkdirSync(join(r, 'src'));
    writeFileSync(join(r, 'src', 'a.md'), 'x: 1\nx: 1\n');
    const m = { ...mutant(), name: 'twice', base: 'src', file: 'a.md', replace: [{ find: 'x: 1', with: 'x: 2' }] };
    expect(() => makeMutant(m, r, tmp('out-'))).toThrow(MutantFixtureError);
    expect(() => makeMutant(m, r, tmp('out-'))).toThrow(/occurs 2 times in src\/a.md .*update the fixture/);
  });

  test('a replacement is taken literally ($& stays as written)', () => {
    const m = { ...mutant(), base: 'src', file: 'a.md', replace: [{ find: 'x: 1', with: 'x: $&' }] };
    expect(readFileSync(join(makeMutant(m, root(), tmp('out-')), 'a.md'), 'utf8')).toBe('x: $&\ny: 1\n');
  });

  test('one run: each base once and pristine, then each mutant as a source of its own held to its base snapshot', () => {
    const r = root();
    const dir = tmp('out-');
    const a = { ...mutant(), name: 'a', base: 'src', file: 'a.md', replace: [{ find: 'x: 1', with: 'x: 2' }] };
    const b = { ...mutant(), name: 'b', base: 'other', file: 'a.md', replace: [{ find: 'y: 1', with: 'y: 2' }] };
    const c = { ...mutant(), name: 'c', base: 'src', file: 'a.md', replace: [{ find: 'y: 1', with: 'y: 3' }] };
    const plan = planMutantRun([a, b, c], r, dir);
    expect(plan.sources.map((s) => [s.name, s.snapshot])).toEqual([
      ['src', undefined],
      ['other', undefined],
      ['src-mutant-a', 'src'],
      ['other-mutant-b', 'other'],
      ['src-mutant-c', 'src'],
    ]);
    expect(plan.env.TUTORIAL_SOURCES.split(delimiter)).toEqual([join(r, 'src'), join(r, 'other'), join(dir, 'src-mutant-a'), join(dir, 'other-mutant-b'), join(dir, 'src-mutant-c')]);
    expect(plan.env.TUTORIAL_SOURCE_SNAPSHOTS.split(delimiter)).toEqual(['', '', 'src', 'other', 'src']);
    expect(plan.env.TUTORIAL_SOURCE_NAMES.split(delimiter)).toEqual(['src', 'other', 'src-mutant-a', 'other-mutant-b', 'src-mutant-c']);
    // The bases are left as they are; each copy carries its own break only.
    expect(readFileSync(join(r, 'src', 'a.md'), 'utf8')).toBe('x: 1\ny: 1\n');
    expect(readFileSync(join(dir, 'src-mutant-a', 'a.md'), 'utf8')).toBe('x: 2\ny: 1\n');
    expect(readFileSync(join(dir, 'src-mutant-c', 'a.md'), 'utf8')).toBe('x: 1\ny: 3\n');
    expect(() => planMutantRun([{ ...a, base: 'missing' }], r, tmp('out-'))).toThrow(/base source missing not found/);
    expect(plan.env[ANSWERS_ENV]).toBe('');
  });

  test("a mutant of the Exercise's answer copies the source as it is and breaks a copy of the answer, named for that source alone", () => {
    const r = root();
    const dir = tmp('out-');
    const answers = tmp('answer-');
    writeFileSync(join(answers, 'frontend.yaml'), 'port: 80\n');
    const m = { ...mutant(), name: 'port', target: 'answer' as const, base: 'src', file: 'frontend.yaml', replace: [{ find: 'port: 80', with: 'port: 8080' }] };
    const out = makeMutant(m, r, dir, answers);
    expect(readFileSync(join(out, 'a.md'), 'utf8')).toBe('x: 1\ny: 1\n');
    expect(readFileSync(join(answerOf(out), 'frontend.yaml'), 'utf8')).toBe('port: 8080\n');
    expect(readFileSync(join(answers, 'frontend.yaml'), 'utf8')).toBe('port: 80\n');
    const plan = planMutantRun([{ ...m, target: 'answer', file: 'frontend-with-probes.yaml', replace: [{ find: 'periodSeconds: 2\n', with: 'periodSeconds: 4\n' }] }], r, tmp('out-'));
    const mutantCopy = plan.sources[1]?.path ?? '';
    expect(plan.env[ANSWERS_ENV]).toBe(`src-mutant-port=${answerOf(mutantCopy)}`);
    expect(readFileSync(join(answerOf(mutantCopy), 'frontend-with-probes.yaml'), 'utf8')).not.toBe(readFileSync(join(ANSWER_DIR, 'frontend-with-probes.yaml'), 'utf8'));
  });
});

describe('judging a mutant by its column against its base column', () => {
  const verified: Verdict = { status: 'verified', tests: 3 };
  const failed = (...messages: string[]): Verdict => ({ status: 'failed', tests: 3, failures: messages.map((message, i) => ({ test: `t${i}`, message })) });
  const blocked = (by: string, message = `could not build the context, the context section ${by} builds: boom`): Verdict => ({
    status: 'blocked',
    by,
    what: 'its Pod',
    tests: 3,
    failures: [{ test: 't', message }],
  });
  const knownIssue = (...issues: string[]): Verdict => ({
    status: 'known-issue',
    tests: 3,
    findings: issues.map((issue) => ({ type: 'known-issue', section: 's', source: 'src', serverVersion: 'v1.36.3', step: 'apply-as-written', issue, cause: 'c', error: 'e' })),
  });
  const absent: Verdict = { status: 'absent', reason: 'no such manifest' };
  const SECTIONS = ['pod', 'pod-to-pod', 'service', 'health-checks', 'volume'];
  /** A report of two columns: `b` (the base) and `b-mutant-m`; sections not given are verified in both. */
  const report = (mutantCol: Record<string, Verdict>, baseCol: Record<string, Verdict> = {}): Report => ({
    serverVersion: 'v1.36.3',
    sources: ['b', 'b-mutant-m'],
    passed: 1,
    failed: 1,
    sections: SECTIONS.map((section) => ({
      section,
      title: section,
      bySource: { b: baseCol[section] ?? verified, 'b-mutant-m': mutantCol[section] ?? baseCol[section] ?? verified },
    })),
  });
  const cols = { mutantSource: 'b-mutant-m', baseSource: 'b' };
  const drift = 'Error: the text of section service changed since it was reviewed in manifests/b:';

  test('passes when exactly the expected sections fail, one of them saying the cause', () => {
    const v = judgeMutant(mutant(), report({ service: failed(drift, 'Error: no endpoint for my-first-service') }), cols);
    expect(v).toEqual({ ok: true, failing: [{ section: 'service', status: 'failed' }], why: '', cause: 'Error: no endpoint for my-first-service' });
  });

  test('(a) a section blocked by an expected one counts as failing with it; blocked by another does not', () => {
    const m = mutant({ failing: ['pod', 'pod-to-pod', 'service'], message: /never happen/ });
    const v = judgeMutant(m, report({ pod: failed('pod to be Ready will never happen'), 'pod-to-pod': blocked('pod'), service: blocked('pod') }), cols);
    expect(v.ok).toBe(true);
    expect(formatFailing(v.failing)).toBe('pod, pod-to-pod (blocked by pod), service (blocked by pod)');

    const w = judgeMutant(mutant({ failing: ['service'] }), report({ service: blocked('pod', 'no endpoint') }), cols);
    expect(w.ok).toBe(false);
    expect(w.why).toMatch(/^\(a\) service is blocked by pod, which is not expected to fail/);
  });

  test('(a) an unexpected failure, or an expected section that does not fail, is named', () => {
    const v = judgeMutant(mutant(), report({ service: failed('no endpoint'), volume: failed('Error: not mounted') }), cols);
    expect(v.ok).toBe(false);
    expect(v.why).toBe('(a) volume failed but is not expected to: Error: not mounted');
    const w = judgeMutant(mutant({ failing: ['pod', 'service'] }), report({ service: failed('no endpoint') }), cols);
    expect(w.why).toBe('(a) pod was expected to fail but is verified');
    const x = judgeMutant(mutant({ failing: ['pod', 'service'] }), report({ service: failed('no endpoint'), pod: absent }), cols);
    expect(x.why).toBe('(a) pod was expected to fail but is absent');
  });

  test('(a) an expected failure proves nothing when the base fails there too', () => {
    const v = judgeMutant(mutant(), report({ service: failed('no endpoint') }, { service: failed('Error: flaky') }), cols);
    expect(v.ok).toBe(false);
    expect(v.why).toMatch(/^\(a\) service fails in the base b too \(failed: Error: flaky\), so its failure proves nothing$/);
    const w = judgeMutant(mutant(), report({ service: failed('no endpoint'), volume: failed('x') }, { volume: failed('x') }), cols);
    expect(w.why).toMatch(/volume failed but is not expected to: x \(the base b fails it too: the base is broken, not the mutant\)/);
  });

  test('(b) every other section has the base column verdict: verified, absent, known issue with the same ids', () => {
    const base = { 'health-checks': knownIssue('exec-without-dash'), volume: absent };
    const ok = judgeMutant(mutant(), report({ service: failed('no endpoint') }, base), cols);
    expect(ok.ok).toBe(true);

    const fixed = judgeMutant(mutant(), report({ service: failed('no endpoint'), 'health-checks': verified }, base), cols);
    expect(fixed.why).toBe('(b) health-checks is verified here but known-issue exec-without-dash in the base b');
    const other = judgeMutant(mutant(), report({ service: failed('no endpoint'), 'health-checks': knownIssue('exec-without-dash', 'placeholder') }, base), cols);
    expect(other.why).toBe('(b) health-checks is known-issue exec-without-dash, placeholder here but known-issue exec-without-dash in the base b');
    const found = judgeMutant(mutant(), report({ service: failed('no endpoint'), volume: verified }, base), cols);
    expect(found.why).toBe('(b) volume is verified here but absent in the base b');
    const lost = judgeMutant(mutant(), report({ service: failed('no endpoint'), pod: absent }, base), cols);
    expect(lost.why).toBe('(b) pod is absent here but verified in the base b');
  });

  test('(c) the message must be said by an expected section, and not only by its drift check', () => {
    const elsewhere = judgeMutant(mutant(), report({ service: failed(drift, 'Error: timeout') }), cols);
    expect(elsewhere.ok).toBe(false);
    expect(elsewhere.why).toBe('(c) no failure of service (drift checks aside) says /no endpoint/; they say: Error: timeout');
    expect(elsewhere.cause).toBe('Error: timeout');

    const onlyDrift = judgeMutant(mutant({ message: /changed since it was reviewed/ }), report({ service: failed(drift) }), cols);
    expect(onlyDrift.why).toBe('(c) no failure of service (drift checks aside) says /changed since it was reviewed/; they say: (nothing but drift)');

    const inBlocked = judgeMutant(mutant({ failing: ['pod', 'service'], message: /no endpoint/ }), report({ pod: failed(drift), service: blocked('pod', 'no endpoint') }), cols);
    expect(inBlocked.ok).toBe(true);
  });

  test('(a) expect.tests: exactly that step fails; steps blocked by it and the drift check aside', () => {
    const steps = (...fs: Array<[string, string]>): Verdict => ({ status: 'failed', tests: 4, failures: fs.map(([test, message]) => ({ test, message })) });
    const m = mutant({ failing: ['service'], message: /never Ready/, tests: /^step 2 / });
    const ok = judgeMutant(m, report({ service: steps(['step 2 (x:6): probes', 'Error: never Ready'], ['step 3 (x:8): killall', 'Error: blocked by step 2 (probes), which failed'], ['its text is as reviewed', drift]) }), cols);
    expect(ok.why).toBe('');
    const more = judgeMutant(m, report({ service: steps(['step 2 (x:6): probes', 'Error: never Ready'], ['step 4 (x:10): undo', 'Error: not back']) }), cols);
    expect(more.why).toBe('(a) "step 4 (x:10): undo" failed too (Error: not back), but only /^step 2 / may fail (or be blocked by it)');
    const other = judgeMutant(m, report({ service: steps(['step 1 (x:3): deploy', 'Error: never Ready']) }), cols);
    expect(other.why).toMatch(/^\(a\) no failed test matches \/\^step 2 \/; failed: step 1 \(x:3\): deploy\n/);
  });

  test('every broken rule is said, and a missing column is named', () => {
    const v = judgeMutant(mutant(), report({ pod: failed('Error: boom'), 'health-checks': absent }), cols);
    expect(v.why.split('\n')).toEqual([
      '(a) pod failed but is not expected to: Error: boom',
      '(a) service was expected to fail but is verified',
      '(b) health-checks is absent here but verified in the base b',
      '(c) no failure of service (drift checks aside) says /no endpoint/; they say: (no failure)',
    ]);
    expect(v.cause).toBe('Error: boom');
    const none = judgeMutant(mutant(), report({}), { mutantSource: 'b-mutant-x', baseSource: 'b' });
    expect(none).toMatchObject({ ok: false, failing: [], why: 'the report has no column for b-mutant-x (its sources: b, b-mutant-m)' });
  });
});
