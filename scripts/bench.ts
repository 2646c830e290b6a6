// npm run bench [-- --runs N]: the e2e suite's wall time on a warm cluster,
// against the floor the tutorial's manifests impose (helpers/suite/floor.ts).
// The cluster must be up already (npm run cluster:up, or a kubeconfig):
// bringing it up is not part of what is measured.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { providerFromEnv } from '../helpers/providers/from-env.js';
import { criticalPath, sectionFloors, type SectionFloor } from '../helpers/suite/floor.js';
import type { Finding } from '../helpers/suite/section.js';
import { readFindings, runJest } from '../helpers/suite/run-e2e.js';
import { PROJECT_ROOT, tutorialsUnderTest } from '../helpers/suite/sources.js';

interface JestJson {
  numPassedTests: number;
  numFailedTests: number;
  testResults: Array<{ name: string; startTime: number; endTime: number }>;
}

async function main(): Promise<number> {
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 1;
  const provider = providerFromEnv();
  const info = await provider.ensure({ create: false });
  const tutorials = tutorialsUnderTest();
  const walls: number[] = [];
  let lastFindings: Finding[] = [];
  let files: JestJson['testResults'] = [];
  for (let i = 1; i <= runs; i++) {
    const dir = join(PROJECT_ROOT, 'artifacts', `bench-${Date.now()}`);
    mkdirSync(dir, { recursive: true });
    const t0 = performance.now();
    const exitCode = await runJest(
      ['--selectProjects', 'e2e', '--json', `--outputFile=${join(dir, 'jest.json')}`],
      { ...process.env, TUTORIAL_E2E_PROVIDER: provider.name, TUTORIAL_E2E_ARTIFACTS: dir },
      true,
    );
    const wall = (performance.now() - t0) / 1000;
    const json = JSON.parse(readFileSync(join(dir, 'jest.json'), 'utf8')) as JestJson;
    process.stdout.write(`run ${i}/${runs}: ${wall.toFixed(1)} s, ${json.numPassedTests} passed, ${json.numFailedTests} failed (exit ${exitCode})\n`);
    walls.push(wall);
    files = json.testResults;
    lastFindings = readFindings(join(dir, 'findings.jsonl'));
  }

  // A sample that cannot run as written (a placeholder image) imposes no wait.
  const perSource: SectionFloor[][] = tutorials.map((t) =>
    sectionFloors(t).map((f) =>
      lastFindings.some((x) => x.source === t.name && x.section === f.section && x.step === 'run-as-written')
        ? { ...f, seconds: 0, why: 'not runnable as written (known issue)' }
        : f,
    ),
  );
  const floor = criticalPath(perSource);
  process.stdout.write(`\nKubernetes ${info.serverVersion} (${provider.name}), ${tutorials.length} source(s)\n`);
  process.stdout.write('floors per section and source (seconds the manifests impose):\n');
  tutorials.forEach((t, i) => {
    for (const f of perSource[i]!) if (f.seconds > 0) process.stdout.write(`  ${f.section} / ${t.name}: ${f.seconds} s (${f.why})\n`);
  });
  process.stdout.write(`critical path when sections run in parallel: ${floor.section}, ${floor.seconds} s\n`);
  process.stdout.write('slowest spec files (last run):\n');
  for (const f of [...files].sort((a, b) => b.endTime - b.startTime - (a.endTime - a.startTime)).slice(0, 5)) {
    process.stdout.write(`  ${((f.endTime - f.startTime) / 1000).toFixed(1)} s  ${f.name.replace(`${PROJECT_ROOT}/`, '')}\n`);
  }
  const sorted = [...walls].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  process.stdout.write(
    `suite wall time: median ${median.toFixed(1)} s over ${runs} run(s) (min ${sorted[0]!.toFixed(1)}, max ${sorted.at(-1)!.toFixed(1)}); ` +
      `floor ${floor.seconds} s; ratio ${(median / Math.max(floor.seconds, 1)).toFixed(2)}x (goal: at most 1.5x and under 180 s)\n`,
  );
  return 0;
}

main().then(
  (c) => process.exit(c),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
