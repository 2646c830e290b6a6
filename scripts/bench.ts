// npm run bench [-- --runs N]: the e2e suite's wall time on a warm cluster,
// against the floor the tutorial's manifests impose (helpers/suite/floor.ts).
// The cluster must be up already (npm run cluster:up, or a kubeconfig):
// bringing it up is not part of what is measured.
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { providerFromEnv } from '../helpers/providers/from-env.js';
import { criticalPath, type SectionFloor } from '../helpers/suite/floor.js';
import { readRecords, type RunRecord } from '../helpers/suite/records.js';
import { runE2e, stopJestOnSignals, type JestResults } from '../helpers/suite/run-e2e.js';
import { sectionFloors } from '../helpers/suite/sections.js';
import { PROJECT_ROOT, tutorialsUnderTest } from '../helpers/suite/sources.js';

async function main(): Promise<number> {
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 1;
  const provider = providerFromEnv();
  const info = await provider.ensure({ create: false });
  const tutorials = tutorialsUnderTest();
  const walls: number[] = [];
  let lastRecords: RunRecord[] = [];
  let files: JestResults['testResults'] = [];
  stopJestOnSignals();
  let clean = 0;
  const busyShares: number[] = [];
  for (let i = 1; i <= runs; i++) {
    const dir = join(PROJECT_ROOT, 'artifacts', `bench-${Date.now()}`);
    const cpu0 = cpuTimes();
    const t0 = performance.now();
    const run = await runE2e({ ...process.env, TUTORIAL_E2E_PROVIDER: provider.name }, dir, info.serverVersion, { quiet: true });
    const wall = (performance.now() - t0) / 1000;
    const busy = cpuBusy(cpu0, cpuTimes());
    if (busy !== undefined) busyShares.push(busy);
    const passed = run.report?.passed ?? 0;
    const failed = run.report?.failed ?? 0;
    process.stdout.write(`run ${i}/${runs}: ${wall.toFixed(1)} s, ${passed} passed, ${failed} failed (exit ${run.exitCode})${failed > 0 ? `: ${dir}/report.md` : ''}\n`);
    walls.push(wall);
    if (run.exitCode === 0 && failed === 0 && run.report !== undefined) clean++;
    if (run.jest === undefined) continue;
    files = run.jest.testResults;
    lastRecords = readRecords(join(dir, 'records.jsonl'));
  }

  // A sample that cannot run as written (a placeholder image) imposes no wait.
  const perSource: SectionFloor[][] = tutorials.map((t) =>
    sectionFloors(t).map((f) =>
      lastRecords.some((x) => x.type === 'known-issue' && x.source === t.name && x.section === f.section && x.step === 'run-as-written')
        ? { ...f, seconds: 0, why: 'not runnable as written (known issue)' }
        : f,
    ),
  );
  const floor = criticalPath(perSource);
  process.stdout.write(`\nKubernetes ${info.serverVersion} (${provider.name}), ${tutorials.length} source(s)\n`);
  process.stdout.write('floors per section and source (seconds the manifests impose):\n');
  tutorials.forEach((t, i) => {
    for (const f of perSource[i] ?? []) if (f.seconds > 0) process.stdout.write(`  ${f.section} / ${t.name}: ${f.seconds} s (${f.why})\n`);
  });
  process.stdout.write(`critical path when sections run in parallel: ${floor.section}, ${floor.seconds} s\n`);
  process.stdout.write('slowest spec files (last run):\n');
  for (const f of [...files].sort((a, b) => b.endTime - b.startTime - (a.endTime - a.startTime)).slice(0, 5)) {
    process.stdout.write(`  ${((f.endTime - f.startTime) / 1000).toFixed(1)} s  ${f.name.replace(`${PROJECT_ROOT}/`, '')}\n`);
  }
  const sorted = [...walls].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const min = sorted[0];
  const max = sorted.at(-1);
  if (median === undefined || min === undefined || max === undefined) throw new Error(`no run to time (--runs ${runs})`);
  process.stdout.write(
    `suite wall time: median ${median.toFixed(1)} s over ${runs} run(s) (min ${min.toFixed(1)}, max ${max.toFixed(1)}); ` +
      `floor ${floor.seconds} s; ratio ${(median / Math.max(floor.seconds, 1)).toFixed(2)}x (goal: at most 1.5x and under 180 s)\n`,
  );
  if (busyShares.length > 0) {
    const avg = busyShares.reduce((a, b) => a + b, 0) / busyShares.length;
    process.stdout.write(
      `machine CPU busy during the runs: ${(avg * 100).toFixed(0)}% of ${cpus().length} core(s) ` +
        '(near 100%: the suite is bound by CPU, not by what the manifests make it wait for)\n',
    );
  }
  process.stdout.write(`clean runs (exit 0, no failed test): ${clean}/${runs}\n`);
  return clean === runs ? 0 : 1;
}

/** The machine's CPU counters (Linux /proc/stat, first line): busy and total jiffies. */
function cpuTimes(): { busy: number; total: number } | undefined {
  if (!existsSync('/proc/stat')) return undefined;
  const f = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const idle = (f[3] ?? 0) + (f[4] ?? 0); // idle + iowait
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

function cpuBusy(a: ReturnType<typeof cpuTimes>, b: ReturnType<typeof cpuTimes>): number | undefined {
  if (a === undefined || b === undefined || b.total === a.total) return undefined;
  return (b.busy - a.busy) / (b.total - a.total);
}

main().then(
  (c) => process.exit(c),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
