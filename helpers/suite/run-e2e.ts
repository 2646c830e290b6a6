// Runs the e2e project once (in a child jest) and turns its results and the
// records the harness wrote (records.ts) into a Report. Used by `npm test`,
// `npm run verify` and the mutant runner.
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { writeReadableReports } from './readable-reports.js';
import { suiteDigest } from './suite-digest.js';
import { buildReport, formatReport, type JestJson, type Report } from './report.js';
import { readRecords } from './records.js';
import { PROJECT_ROOT } from './sources.js';
import { NODE_LOSS_MIN_NODES, nodesForPods } from './nodes.js';
import { providerFromEnv } from '../providers/index.js';

export const JEST_ARGS = ['--experimental-vm-modules', join(PROJECT_ROOT, 'node_modules', 'jest', 'bin', 'jest.js')];

/**
 * Runs jest at a lower CPU priority than the cluster: on a small machine the
 * test driver must not starve the system under test (the blog's health-check
 * sample gives its liveness probe 1 s; a starved kubelet or nginx misses it
 * and restarts the container on its own).
 */
export async function runJest(args: string[], env: NodeJS.ProcessEnv, logFile?: string): Promise<number> {
  // Quiet (a log file given): jest's output goes there, the evidence of a run nobody watched.
  const log = logFile === undefined ? undefined : createWriteStream(logFile, { flags: 'a' });
  // In a process group of its own, so that a signal this runner gets reaches
  // jest and every worker (whose cleanup then deletes their namespaces) even
  // when it was sent to this process alone, e.g. by PID: see stopJestOnSignals.
  const child = execa('nice', ['-n', '10', 'node', ...JEST_ARGS, ...args], {
    cwd: PROJECT_ROOT,
    env,
    stdio: log === undefined ? 'inherit' : 'pipe',
    all: log !== undefined,
    buffer: false,
    reject: false,
    detached: true,
  });
  running.add(child);
  if (log !== undefined) child.all?.pipe(log);
  try {
    const r = await child;
    return r.exitCode ?? 1;
  } finally {
    running.delete(child);
    log?.end();
  }
}

const running = new Set<ReturnType<typeof execa>>();

/**
 * On SIGINT or SIGTERM: passes the signal on to the jest runs in progress
 * (their whole process groups), waits up to `graceMs` for them to end, runs
 * `then` (e.g. removing a cluster this run created) and exits 130 or 143.
 */
export function stopJestOnSignals(then: () => Promise<void> = async () => {}, graceMs = 60_000): void {
  let stopping = false;
  const onSignal = (sig: NodeJS.Signals): void => {
    // A Ctrl-C reaches this process more than once (the terminal, and a parent passing it on).
    if (stopping) return;
    stopping = true;
    const children = [...running];
    for (const c of children) {
      try {
        if (c.pid !== undefined) process.kill(-c.pid, sig);
      } catch {
        // already gone
      }
    }
    const ended = Promise.allSettled(children);
    const deadline = new Promise((r) => setTimeout(r, graceMs).unref());
    void Promise.race([ended, deadline])
      .then(then)
      .finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** jest's --json output: what the report reads, and when each file started and ended (ms since the epoch). */
export interface JestResults {
  testResults: Array<JestJson['testResults'][number] & { startTime: number; endTime: number }>;
}

export interface E2eRun {
  exitCode: number;
  /** jest's own results (per file, per test), when it wrote them. */
  jest?: JestResults;
  report?: Report;
  text?: string;
  /** The e2e run's wall time. */
  wallMs?: number;
}

/** One e2e run with its own artifacts folder; the reports are written there too (report.md, .json, junit.xml, report.html). */
export async function runE2e(
  env: NodeJS.ProcessEnv,
  artifacts: string,
  serverVersion: string,
  opts: { jestArgs?: string[]; quiet?: boolean } = {},
): Promise<E2eRun> {
  mkdirSync(artifacts, { recursive: true });
  rmSync(join(artifacts, 'records.jsonl'), { force: true });
  rmSync(join(artifacts, 'interrupted'), { force: true });
  const jsonFile = join(artifacts, 'jest.json');
  const startedAt = new Date();
  // The suite as it was when the run began (report.json's run: a later `verify --since` compares it).
  const suite = suiteDigest();
  const exitCode = await runJest(
    ['--selectProjects', 'e2e', '--json', `--outputFile=${jsonFile}`, ...(opts.jestArgs ?? [])],
    { ...env, TUTORIAL_E2E_ARTIFACTS: artifacts },
    opts.quiet === true ? join(artifacts, 'jest.log') : undefined,
  );
  if (!existsSync(jsonFile)) return { exitCode: exitCode || 1 };
  const jest = JSON.parse(readFileSync(jsonFile, 'utf8')) as JestResults;
  // Then the tests that stop a node, alone: on a cluster too small for them the
  // section's main spec has said they are not verifiable here.
  let lossCode = 0;
  const nodes = await nodesForPodsCount(env);
  if (nodes >= NODE_LOSS_MIN_NODES) {
    const lossFile = join(artifacts, 'jest-node-loss.json');
    lossCode = await runJest(
      ['--selectProjects', 'e2e-node-loss', '--runInBand', '--passWithNoTests', '--json', `--outputFile=${lossFile}`, ...(opts.jestArgs ?? [])],
      { ...env, TUTORIAL_E2E_ARTIFACTS: artifacts },
      opts.quiet === true ? join(artifacts, 'jest.log') : undefined,
    );
    if (!existsSync(lossFile)) return { exitCode: lossCode || 1 };
    jest.testResults.push(...(JSON.parse(readFileSync(lossFile, 'utf8')) as JestResults).testResults);
  }
  const wallMs = Date.now() - startedAt.getTime();
  const report = buildReport(jest, readRecords(join(artifacts, 'records.jsonl')), serverVersion);
  report.run = { serverVersion, provider: env.TUTORIAL_E2E_PROVIDER ?? 'unknown', nodes, suite, date: startedAt.toISOString() };
  const text = formatReport(report);
  writeFileSync(join(artifacts, 'report.md'), `${text}\n`);
  writeFileSync(join(artifacts, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeReadableReports(artifacts, report, jest, { startedAt, wallMs, env });
  return { exitCode: exitCode || lossCode, jest, report, text, wallMs };
}

/** The run's cluster's nodes that take pods (0 when it cannot be asked: the e2e run has said why). */
async function nodesForPodsCount(env: NodeJS.ProcessEnv): Promise<number> {
  try {
    const provider = providerFromEnv(env);
    await provider.ensure({ create: false });
    return (await nodesForPods(provider.kube())).length;
  } catch {
    return 0;
  }
}
