// npm run matrix -- [--versions v1.34.4,v1.37.2] [<tutorial path> ...] [-- <jest args>]
//
// The suite on each Kubernetes version in turn (default: K8S_MATRIX_VERSIONS
// of scripts/cluster/versions.sh), one cluster at a time: build (cached by
// version), cluster:up, the section specs over the sources, cluster:down,
// then the next. The reports go side by side into artifacts/matrix-<run>/
// (matrix.md, matrix.json, report.html; each version's own reports in its
// folder). A version that cannot run on these hosts keeps its column, each
// cell saying why. Exit 1 when any cell FAILED or is blocked.
//
// The local provider only: it owns the cluster it brings up, so it refuses
// to start while one is up (it would have to remove it).
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { execa } from 'execa';
import { LocalProvider } from '../helpers/providers/local.js';
import { formatHtmlReport } from '../helpers/suite/html-report.js';
import { formatMatrix, pickVersions, unverifiableReport, type MatrixColumn } from '../helpers/suite/matrix.js';
import { runE2e, stopJestOnSignals } from '../helpers/suite/run-e2e.js';
import { partOfSection, SECTIONS } from '../helpers/suite/sections.js';
import { PROJECT_ROOT, sourcePaths, tutorialsUnderTest } from '../helpers/suite/sources.js';

const say = (line: string): void => {
  process.stdout.write(`[matrix ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};

function usage(): never {
  process.stderr.write('usage: npm run matrix -- [--versions v1.34.4,v1.35.4,...] [<tutorial path> ...] [-- <jest args>]\n');
  process.exit(2);
}

/** The pinned matrix of scripts/cluster/versions.sh (the one place versions are pinned). */
async function pinnedVersions(): Promise<string[]> {
  const r = await execa('bash', ['-c', 'source scripts/cluster/versions.sh && echo "$K8S_MATRIX_VERSIONS"'], { cwd: PROJECT_ROOT, env: { ...process.env, K8S_MATRIX_VERSIONS: '' } });
  return r.stdout.trim().split(/\s+/);
}

function parseArgs(argv: readonly string[]): { versions?: string; sources: string[]; jestArgs: string[] } {
  const dashes = argv.indexOf('--');
  const own = dashes >= 0 ? argv.slice(0, dashes) : [...argv];
  const jestArgs = dashes >= 0 ? argv.slice(dashes + 1) : [];
  let versions: string | undefined;
  const sources: string[] = [];
  for (let i = 0; i < own.length; i++) {
    const a = own[i] ?? '';
    if (a === '--versions') versions = own[++i] ?? usage();
    else if (a.startsWith('--versions=')) versions = a.slice('--versions='.length);
    else if (a.startsWith('-')) usage();
    else sources.push(resolve(a));
  }
  return { ...(versions !== undefined ? { versions } : {}), sources, jestArgs };
}

const lastLines = (text: string, n = 3): string =>
  text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-n)
    .join(' / ');

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const versions = pickVersions(args.versions, await pinnedVersions());
  const env: NodeJS.ProcessEnv = { ...process.env, TUTORIAL_E2E_PROVIDER: 'local' };
  if (args.sources.length > 0) {
    for (const p of args.sources) if (!existsSync(p)) throw new Error(`tutorial source not found: ${p}`);
    env.TUTORIAL_SOURCES = args.sources.join(delimiter);
  }
  const sources = tutorialsUnderTest(env).map((t) => t.name);
  const up = await new LocalProvider(env).healthy();
  if (up.ok) throw new Error('a local cluster is up: the matrix brings up and removes one cluster per version; run `npm run cluster:down` first');

  const run = `matrix-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  const out = join(PROJECT_ROOT, 'artifacts', run);
  mkdirSync(out, { recursive: true });
  let current: LocalProvider | undefined;
  stopJestOnSignals(async () => {
    await current?.delete();
  });
  say(`${versions.length} version(s) (${versions.join(', ')}) x ${sources.length} source(s) (${sourcePaths(env).length} paths); artifacts ${out}`);

  const columns: MatrixColumn[] = [];
  for (const version of versions) {
    const dir = join(out, version);
    mkdirSync(dir, { recursive: true });
    const venv: NodeJS.ProcessEnv = { ...env, K8S_VERSION: version };
    const phases: MatrixColumn['phases'] = [];
    const t0 = performance.now();
    const timed = async <T>(phase: string, fn: () => Promise<T>): Promise<T> => {
      const p0 = performance.now();
      try {
        return await fn();
      } finally {
        phases.push({ phase, seconds: (performance.now() - p0) / 1000 });
      }
    };
    const column = (report: MatrixColumn['report']): MatrixColumn => ({ version, report, seconds: (performance.now() - t0) / 1000, phases });
    const cannot = (reason: string): void => {
      say(`${version}: could not run here: ${reason}`);
      columns.push(column(unverifiableReport(version, sources, reason)));
    };

    say(`${version}: build (cached by version)`);
    const build = await timed('build', () => execa('bash', ['scripts/cluster/build.sh'], { cwd: PROJECT_ROOT, env: venv, reject: false, all: true }));
    writeFileSync(join(dir, 'build.log'), build.all);
    if (build.exitCode !== 0) {
      cannot(`its build failed (exit ${String(build.exitCode ?? build.signal)}): ${lastLines(build.all)} (${join(dir, 'build.log')})`);
      continue;
    }
    say(`${version}: cluster:up`);
    const provider = new LocalProvider(venv);
    current = provider;
    try {
      const upLog = join(dir, 'cluster-up.log');
      let info;
      try {
        info = await timed('cluster:up', () => provider.ensure({ create: true, onOutput: (l) => appendFileSync(upLog, `${l}\n`) }));
      } catch (err) {
        const log = existsSync(upLog) ? await execa('tail', ['-n', '3', upLog]).then((r) => r.stdout.replace(/\n/g, ' / ')) : '';
        cannot(`the cluster did not come up on this host: ${err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err)}${log === '' ? '' : `; its log ends: ${log}`} (${upLog})`);
        continue;
      }
      say(`${version}: the suite (${SECTIONS.length} sections x ${sources.length} sources; jest's output in ${join(dir, 'jest.log')})`);
      const e2e = await timed('suite', () => runE2e({ ...venv, TUTORIAL_E2E_PROVIDER: 'local' }, dir, info.serverVersion, { quiet: true, jestArgs: args.jestArgs }));
      if (e2e.report === undefined) cannot(`the e2e run produced no report (jest exit ${e2e.exitCode}; ${join(dir, 'jest.log')})`);
      else {
        columns.push(column(e2e.report));
        say(`${version}: ${e2e.report.passed} passed, ${e2e.report.failed} failed`);
      }
    } finally {
      say(`${version}: cluster:down`);
      await timed('cluster:down', () => provider.delete());
      current = undefined;
      const last = columns.at(-1);
      if (last?.version === version) last.seconds = (performance.now() - t0) / 1000;
    }
  }

  const text = formatMatrix(columns);
  writeFileSync(join(out, 'matrix.md'), `${text}\n`);
  writeFileSync(join(out, 'matrix.json'), `${JSON.stringify(columns, null, 2)}\n`);
  writeFileSync(join(out, 'report.html'), formatHtmlReport(columns.map((c) => ({ version: c.version, report: c.report })), { partOf: partOfSection }));
  process.stdout.write(`\n${text}\n\nmatrix: ${join(out, 'matrix.md')}\nhtml:   ${join(out, 'report.html')}\n`);
  const bad = columns.some((c) => c.report.sections.some((s) => Object.values(s.bySource).some((v) => v.status === 'failed' || v.status === 'blocked')));
  const ran = columns.filter((c) => c.report.passed + c.report.failed > 0).length;
  if (ran === 0) say('no version could run here: nothing was verified');
  return bad || ran === 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`matrix: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
