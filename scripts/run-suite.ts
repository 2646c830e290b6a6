// The two commands of the README:
//
//   npm run verify -- <tutorial path> [...]   the main job: verify a tutorial on the default cluster
//   npm test                                  the project's tests: unit, then e2e over the sources
//
// Both find the cluster (TUTORIAL_E2E_PROVIDER; without a kubeconfig on this
// machine, the project's own local cluster, built and started here and removed
// again at the end if this run started it), run the section specs, and print
// and save a report per section and source (artifacts/<run>/report.md, .json).
import { existsSync, mkdirSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { providerFromEnv } from '../helpers/providers/from-env.js';
import { runE2e, runJest, stopJestOnSignals } from '../helpers/suite/run-e2e.js';
import { PROJECT_ROOT, sourcePaths } from '../helpers/suite/sources.js';

function usage(): never {
  process.stderr.write('usage: run-suite.ts test | verify <tutorial path> [<tutorial path> ...] [-- <jest args>]\n');
  process.exit(2);
}

async function main(): Promise<number> {
  const [mode, ...rest] = process.argv.slice(2);
  const dashes = rest.indexOf('--');
  const positional = dashes >= 0 ? rest.slice(0, dashes) : rest;
  const jestArgs = dashes >= 0 ? rest.slice(dashes + 1) : [];
  if (mode !== 'test' && mode !== 'verify') usage();
  if (mode === 'verify' && positional.length === 0) usage();

  const env: NodeJS.ProcessEnv = { ...process.env };
  if (mode === 'verify') {
    const paths = positional.map((p) => resolve(p));
    for (const p of paths) if (!existsSync(p)) throw new Error(`tutorial source not found: ${p}`);
    env.TUTORIAL_SOURCES = paths.join(delimiter);
  }
  const sources = sourcePaths(env);
  const run = new Date().toISOString().replace(/[:.]/g, '-');
  const artifacts = join(PROJECT_ROOT, 'artifacts', run);
  mkdirSync(artifacts, { recursive: true });
  env.TUTORIAL_E2E_ARTIFACTS = artifacts;

  const provider = providerFromEnv(env);
  let created = false;
  const removeCluster = async (): Promise<void> => {
    if (created && env.TUTORIAL_E2E_KEEP_CLUSTER !== '1') {
      process.stdout.write('== npm run cluster:down (this run created the cluster)\n');
      await provider.delete();
    }
  };
  // Ctrl-C or a SIGTERM: jest and its workers get the signal too and delete
  // their namespaces; then the cluster goes, if this run made it.
  stopJestOnSignals(removeCluster);

  let code = 0;
  if (mode === 'test') {
    process.stdout.write('== unit tests\n');
    code = await runJest(['--selectProjects', 'unit'], env);
    if (code !== 0) return code;
  }

  // The cluster: found, or (local provider) created for this run only.
  let info;
  try {
    info = await provider.ensure({ create: false, probeTimeoutMs: 5000 });
  } catch (err) {
    if (provider.name !== 'local') throw err;
    process.stdout.write(`== no local cluster yet: npm run cluster:up (removed again after the run)\n`);
    created = true;
    info = await provider.ensure({ create: true });
  }
  env.TUTORIAL_E2E_PROVIDER = provider.name;

  try {
    process.stdout.write(`== e2e: ${sources.length} source(s) on ${provider.name} cluster ${info.server} (Kubernetes ${info.serverVersion})\n`);
    const run = await runE2e(env, artifacts, info.serverVersion, { jestArgs });
    if (run.report === undefined) return run.exitCode;
    process.stdout.write(`\n${run.text}\n\nreport: ${join(artifacts, 'report.md')}\n`);
    code = run.exitCode !== 0 ? run.exitCode : run.report.failed > 0 ? 1 : 0;
  } finally {
    await removeCluster();
  }
  return code;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
