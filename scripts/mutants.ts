// npm run test:mutants [-- <name> ...]: runs every section of each mutant
// source (specs/mutants/*.yaml) on the current cluster and checks that exactly
// the section the mutant breaks fails, with a message naming the cause.
// The cluster must be up (npm run cluster:up, or a kubeconfig).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { providerFromEnv } from '../helpers/providers/from-env.js';
import { judgeMutant, loadMutant, makeMutant } from '../helpers/suite/mutants.js';
import { runE2e, stopJestOnSignals } from '../helpers/suite/run-e2e.js';
import { PROJECT_ROOT } from '../helpers/suite/sources.js';

const FIXTURES = join(PROJECT_ROOT, 'specs', 'mutants');
const SOURCES_ROOT = resolve(process.env.TUTORIAL_MUTANT_SOURCES ?? join(PROJECT_ROOT, '..', 'shared', 'tutorials'));

async function main(): Promise<number> {
  const only = process.argv.slice(2);
  const mutants = readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => loadMutant(join(FIXTURES, f)))
    .filter((m) => only.length === 0 || only.includes(m.name));
  const provider = providerFromEnv();
  const info = await provider.ensure({ create: false });
  const dir = mkdtempSync(join(tmpdir(), 'tutorial-e2e-mutants-'));
  stopJestOnSignals(async () => rmSync(dir, { recursive: true, force: true }));
  const run = new Date().toISOString().replace(/[:.]/g, '-');
  let passed = 0;
  let failed = 0;
  try {
    for (const m of mutants) {
      const t0 = performance.now();
      const source = makeMutant(m, SOURCES_ROOT, dir);
      const artifacts = join(PROJECT_ROOT, 'artifacts', `mutants-${run}`, m.name);
      const r = await runE2e({ ...process.env, TUTORIAL_SOURCES: source, TUTORIAL_E2E_PROVIDER: provider.name }, artifacts, info.serverVersion, {
        quiet: true,
      });
      const secs = ((performance.now() - t0) / 1000).toFixed(0);
      if (r.report === undefined) {
        failed++;
        process.stdout.write(`FAIL mutant ${m.name} (${secs} s): the e2e run produced no results (exit ${r.exitCode}); see ${artifacts}\n`);
        continue;
      }
      const verdict = judgeMutant(m, r.report);
      if (verdict.ok) passed++;
      else failed++;
      process.stdout.write(
        `${verdict.ok ? 'PASS' : 'FAIL'} mutant ${m.name} (${secs} s): ${m.description}\n` +
          `     failing: [${verdict.failing.join(', ')}]; ${verdict.ok ? 'said' : 'but'}: ${verdict.why.slice(0, 300)}\n`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`mutants: ${passed} passed, ${failed} failed\n`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (c) => process.exit(c),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
