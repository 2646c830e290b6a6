// The two commands of the README:
//
//   npm run verify -- <tutorial path> [...]   the main job: verify a tutorial on the default cluster
//   npm test                                  the project's tests: unit, then e2e over the sources
//
// Both find the cluster (TUTORIAL_E2E_PROVIDER; without a kubeconfig on this
// machine, the project's own local cluster, built and started here and removed
// again at the end if this run started it; TUTORIAL_E2E_PROVIDER=kind: a kind
// cluster, reused or created and then deleted by the same rule), run the section specs, and print
// and save a report per section and source (artifacts/<run>/report.md, .json,
// junit.xml, report.html), and end with a one-screen summary table.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { providerFromEnv } from '../helpers/providers/from-env.js';
import { kindClusterName, minikubeProfile, NoClusterError } from '../helpers/providers/locate.js';
import { carryOverPlan, type RunBasis } from '../helpers/suite/carry-over.js';
import type { Report } from '../helpers/suite/report.js';
import { nodesForPods } from '../helpers/suite/nodes.js';
import { runE2e, runJest, stopJestOnSignals } from '../helpers/suite/run-e2e.js';
import { PROJECT_ROOT, sourcePaths } from '../helpers/suite/sources.js';
import { suiteDigest } from '../helpers/suite/suite-digest.js';
import { formatSummaryTable } from '../helpers/suite/summary-table.js';

/** What removing a cluster this run created is called, per provider (else the local cluster's). */
const DELETE_WORDS: Readonly<Record<string, string>> = { kind: 'kind delete cluster', minikube: 'minikube delete' };

function usage(): never {
  process.stderr.write(
    'usage: run-suite.ts test | verify <tutorial path> [--name <source name>] [<tutorial path> [--name ...] ...] [--since <earlier report.json>] [-- <jest args>]\n',
  );
  process.exit(2);
}

/** Removes `--opt <value>` (or `--opt=<value>`) from args and returns the value. */
function takeOption(args: string[], opt: string): string | undefined {
  const i = args.findIndex((a) => a === opt || a.startsWith(`${opt}=`));
  if (i < 0) return undefined;
  const arg = args[i] ?? '';
  const value = arg === opt ? args[i + 1] : arg.slice(opt.length + 1);
  if (value === undefined || value === '') usage();
  args.splice(i, arg === opt ? 2 : 1);
  return value;
}

/**
 * `--since <earlier report.json>`: the verdicts of that run this one may
 * carry over (carry-over.ts), written for the specs to find; says which, or
 * why none.
 */
function planCarryOver(file: string, now: RunBasis, artifacts: string, env: NodeJS.ProcessEnv): void {
  if (!existsSync(file)) throw new Error(`--since ${file}: no such report (give the report.json of an earlier run)`);
  let earlier: Report;
  try {
    earlier = JSON.parse(readFileSync(file, 'utf8')) as Report;
  } catch (err) {
    throw new Error(`--since ${file}: not a report.json: ${(err as Error).message}`);
  }
  const plan = carryOverPlan(earlier, now, file);
  if ('refused' in plan) {
    process.stdout.write(`== --since: ${plan.refused}\n`);
    return;
  }
  const carryFile = join(artifacts, 'carry.json');
  writeFileSync(carryFile, `${JSON.stringify(plan.cells, null, 2)}\n`);
  env.TUTORIAL_E2E_CARRY = carryFile;
  process.stdout.write(`== --since: ${plan.cells.length} verdict(s) of the run of ${earlier.run?.date ?? '?'} may carry over (a section whose content key is among them is not run)\n`);
}

/** `<path> [--name <name>] ...`: each --name names the path before it (its snapshot and known issues go by that name). */
function namedSources(args: readonly string[]): Array<{ path: string; name?: string }> {
  const out: Array<{ path: string; name?: string }> = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--name') {
      const name = args[i + 1];
      const last = out.at(-1);
      if (name === undefined || last === undefined || last.name !== undefined) usage();
      last.name = name;
      i++;
    } else if (arg.startsWith('--name=')) {
      const last = out.at(-1);
      if (last === undefined || last.name !== undefined) usage();
      last.name = arg.slice('--name='.length);
    } else {
      out.push({ path: resolve(arg) });
    }
  }
  return out;
}

async function main(): Promise<number> {
  const [mode, ...rest] = process.argv.slice(2);
  const dashes = rest.indexOf('--');
  const positional = dashes >= 0 ? rest.slice(0, dashes) : rest;
  const jestArgs = dashes >= 0 ? rest.slice(dashes + 1) : [];
  const since = takeOption(positional, '--since');
  if (mode !== 'test' && mode !== 'verify') usage();
  if (mode === 'verify' && positional.length === 0) usage();

  const env: NodeJS.ProcessEnv = { ...process.env };
  if (mode === 'verify') {
    const named = namedSources(positional);
    for (const { path } of named) if (!existsSync(path)) throw new Error(`tutorial source not found: ${path}`);
    env.TUTORIAL_SOURCES = named.map((s) => s.path).join(delimiter);
    env.TUTORIAL_SOURCE_NAMES = named.map((s) => s.name ?? '').join(delimiter);
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
      process.stdout.write(`== ${DELETE_WORDS[provider.name] ?? 'npm run cluster:down'} (this run created the cluster)\n`);
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

  // The cluster: found, or (local and kind providers) created for this run only.
  let info;
  try {
    info = await provider.ensure({ create: false, probeTimeoutMs: 5000 });
  } catch (err) {
    // kind, minikube: only when there is no cluster of that name (not when kind, minikube or the engine failed).
    if (provider.name !== 'local' && !((provider.name === 'kind' || provider.name === 'minikube') && err instanceof NoClusterError)) throw err;
    process.stdout.write(
      provider.name === 'kind'
        ? `== no kind cluster "${kindClusterName(env)}" yet: kind create cluster (deleted again after the run)\n`
        : provider.name === 'minikube'
          ? `== no minikube profile "${minikubeProfile(env)}" yet: minikube start (deleted again after the run)\n`
          : `== no local cluster yet: npm run cluster:up (removed again after the run)\n`,
    );
    created = true;
    try {
      info = await provider.ensure({ create: true });
    } catch (createErr) {
      // Half made (kind created, a later step failed): removed again, as after a run.
      await removeCluster().catch((e: unknown) => process.stderr.write(`removing the half-made cluster failed too: ${String(e)}\n`));
      throw createErr;
    }
  }
  env.TUTORIAL_E2E_PROVIDER = provider.name;
  if (since !== undefined) {
    const now = { serverVersion: info.serverVersion, provider: provider.name, nodes: (await nodesForPods(provider.kube())).length, suite: suiteDigest() };
    planCarryOver(resolve(since), now, artifacts, env);
  }

  try {
    process.stdout.write(`== e2e: ${sources.length} source(s) on ${provider.name} cluster ${info.server} (Kubernetes ${info.serverVersion})\n`);
    const run = await runE2e(env, artifacts, info.serverVersion, { jestArgs });
    if (run.report === undefined) return run.exitCode;
    process.stdout.write(`\n${run.text ?? ''}\n\nreport: ${join(artifacts, 'report.md')}\n`);
    process.stdout.write(`junit:  ${join(artifacts, 'junit.xml')}\nhtml:   ${join(artifacts, 'report.html')}\n`);
    process.stdout.write(`\n${formatSummaryTable(run.report, { wallMs: run.wallMs, width: process.stdout.columns })}\n`);
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
