// npm run test:mutants [-- <name> ...]: sensitivity. Copies each base source a
// fixture of specs/mutants/*.yaml names and breaks the copy as the fixture
// says, then verifies every pristine base and every mutant in ONE e2e run on
// the current cluster (each mutant a source of its own, held to its base's
// reviewed snapshot), and judges each mutant by its column of the report
// against its base's column (helpers/suite/mutants.ts, judgeMutant): exactly
// the sections it breaks fail, for the reason it names; every other section is
// as in the base. Names select fixtures (then only their bases run beside
// them). The cluster must be up (npm run cluster:up, or a kubeconfig).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { providerFromEnv } from '../helpers/providers/from-env.js';
import { formatFailing, judgeMutant, loadMutants, mutantSourceName, planMutantRun } from '../helpers/suite/mutants.js';
import type { Report } from '../helpers/suite/report.js';
import { runE2e, stopJestOnSignals } from '../helpers/suite/run-e2e.js';
import { PROJECT_ROOT } from '../helpers/suite/sources.js';

const FIXTURES = join(PROJECT_ROOT, 'specs', 'mutants');
const SOURCES_ROOT = resolve(process.env.TUTORIAL_MUTANT_SOURCES ?? join(PROJECT_ROOT, '..', 'shared', 'tutorials'));

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** The sections a pristine base fails: every mutant of it is judged against that column, so it must be clean. */
function baseFailures(report: Report, base: string): string[] {
  return report.sections.flatMap((s) => {
    const v = s.bySource[base];
    return v?.status === 'failed' || v?.status === 'blocked' ? [`${s.section} (${v.failures[0]?.message ?? v.status})`] : [];
  });
}

async function main(): Promise<number> {
  const mutants = loadMutants(FIXTURES, process.argv.slice(2));
  if (mutants.length === 0) throw new Error(`no mutant fixture in ${FIXTURES}`);
  const provider = providerFromEnv();
  const info = await provider.ensure({ create: false });
  const dir = mkdtempSync(join(tmpdir(), 'tutorial-e2e-mutants-'));
  stopJestOnSignals(() => {
    rmSync(dir, { recursive: true, force: true });
    return Promise.resolve();
  });
  const run = new Date().toISOString().replace(/[:.]/g, '-');
  const artifacts = join(PROJECT_ROOT, 'artifacts', `mutants-${run}`);
  try {
    const plan = planMutantRun(mutants, SOURCES_ROOT, dir);
    const bases = plan.sources.filter((s) => s.mutant === undefined).map((s) => s.name);
    out(
      `== mutants: ${mutants.length} fixture(s) on ${bases.length} base source(s) (${bases.join(', ')}): ` +
        `one e2e run of ${plan.sources.length} sources on the ${provider.name} cluster (Kubernetes ${info.serverVersion})`,
    );
    out(`   jest runs quietly; its records grow in ${join(artifacts, 'records.jsonl')}`);
    const t0 = performance.now();
    // The section specs only: the fixtures break what those check. The reader's commands typed as
    // written (specs/reader) are their own check of the text, run by `npm test` on the real sources.
    out('   (the section specs only: specs/reader, the commands typed as written, is not part of the mutant run)');
    const r = await runE2e({ ...process.env, ...plan.env, TUTORIAL_E2E_PROVIDER: provider.name }, artifacts, info.serverVersion, {
      quiet: true,
      jestArgs: ['--testPathIgnorePatterns', '/specs/reader/'],
    });
    const wall = `${((performance.now() - t0) / 1000).toFixed(0)} s`;
    if (r.report === undefined) {
      out(`FAIL: the e2e run produced no report (jest exit ${r.exitCode}); see ${artifacts}`);
      out(`mutants: 0 passed, ${mutants.length} failed`);
      out(`run: ${wall}; artifacts: ${artifacts}`);
      return 1;
    }
    const report = r.report;
    for (const base of bases) {
      const failed = baseFailures(report, base);
      if (failed.length > 0) out(`note: base ${base} itself fails ${failed.join('; ')}: every mutant of it is judged against that column`);
    }
    let passed = 0;
    let failed = 0;
    for (const m of mutants) {
      const v = judgeMutant(m, report, { mutantSource: mutantSourceName(m), baseSource: m.base });
      if (v.ok) passed++;
      else failed++;
      out(`${v.ok ? 'PASS' : 'FAIL'} ${m.name} (${m.kind}; ${m.base}): ${m.description}`);
      out(`     failed: ${formatFailing(v.failing)}`);
      out(`     cause:  ${v.cause ?? '(no failure)'}`.slice(0, 400));
      if (!v.ok) for (const line of v.why.split('\n')) out(`     why:    ${line}`.slice(0, 600));
    }
    out(`mutants: ${passed} passed, ${failed} failed`);
    out(`run: ${wall} (one e2e run, ${plan.sources.length} sources); artifacts: ${artifacts}`);
    return failed === 0 ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (c) => process.exit(c),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
