// npm run soak [-- --runs N] [--minutes M]: N consecutive full runs of the e2e suite on one
// warm cluster (it must be up already), each with its verdicts compared with
// the first run's, its wall time, and at the end the drift (first ten runs
// against the last ten) and the host's inventory compared with the one taken
// before the first run (scripts/cluster/inventory.sh: processes, mounts,
// network, packet filter rules, cgroups), plus the suite's objects left in the
// cluster. Reliability is a count over many runs, not one green run. With
// --minutes, no run starts that would end past the budget (judged by the
// slowest run so far), and the summary says how many ran.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { managedNamespaces } from '../helpers/kube/index.js';
import { providerFromEnv } from '../helpers/providers/from-env.js';
import type { Report } from '../helpers/suite/report.js';
import { runE2e, stopJestOnSignals } from '../helpers/suite/run-e2e.js';
import { PROJECT_ROOT } from '../helpers/suite/sources.js';

/** The verdict table of a run, one line per section and source: what must not change from run to run. */
function verdicts(report: Report): string[] {
  return report.sections.flatMap((s) => Object.entries(s.bySource).map(([source, v]) => `${s.section} / ${source}: ${v.status}`));
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);

async function main(): Promise<number> {
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 50;
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs takes a positive whole number, not ${process.argv[runsArg + 1] ?? ''}`);
  const minutesArg = process.argv.indexOf('--minutes');
  const budgetEnd = minutesArg >= 0 ? Date.now() + Number(process.argv[minutesArg + 1]) * 60_000 : Infinity;
  const provider = providerFromEnv();
  const info = await provider.ensure({ create: false });
  const inventory = join(PROJECT_ROOT, 'scripts', 'cluster', 'inventory.sh');
  const local = provider.name === 'local';
  const tmp = mkdtempSync(join(tmpdir(), 'tte-soak-'));
  const before = join(tmp, 'inventory-before');
  if (local) execFileSync('bash', [inventory, 'snapshot', before]);
  stopJestOnSignals(() => {
    rmSync(tmp, { recursive: true, force: true });
    return Promise.resolve();
  });

  const soakDir = join(PROJECT_ROOT, 'artifacts', `soak-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  const walls: number[] = [];
  let green = 0;
  let first: string[] | undefined;
  const lines: string[] = [];
  const say = (line: string): void => {
    lines.push(line);
    process.stdout.write(`${line}\n`);
  };
  say(`soak: ${runs} run(s) on ${provider.name} cluster (Kubernetes ${info.serverVersion}); artifacts ${soakDir}`);
  let ran = 0;
  for (let i = 1; i <= runs; i++) {
    if (Date.now() + Math.max(0, ...walls) * 1000 > budgetEnd) {
      say(`time budget reached: stopping after ${ran} of ${runs} run(s)`);
      break;
    }
    ran++;
    const dir = join(soakDir, `run-${String(i).padStart(2, '0')}`);
    const t0 = performance.now();
    const run = await runE2e({ ...process.env, TUTORIAL_E2E_PROVIDER: provider.name }, dir, info.serverVersion, { quiet: true });
    const wall = (performance.now() - t0) / 1000;
    walls.push(wall);
    const table = run.report ? verdicts(run.report) : [];
    first ??= table;
    const changed = table.filter((v) => !first?.includes(v));
    const ok = run.exitCode === 0 && run.report !== undefined && run.report.failed === 0 && changed.length === 0;
    if (ok) green++;
    say(
      `run ${i}/${runs}: ${wall.toFixed(1)} s, ${run.report?.passed ?? 0} passed, ${run.report?.failed ?? 0} failed, exit ${run.exitCode}` +
        (changed.length > 0 ? `; verdicts that differ from run 1: ${changed.join('; ')}` : '') +
        (ok ? '' : `; see ${dir}/report.md`),
    );
  }

  const sorted = [...walls].sort((a, b) => a - b);
  const k = Math.min(10, Math.floor(ran / 2));
  say(`\nruns green: ${green}/${ran}`);
  say(`wall time: median ${quantile(sorted, 0.5).toFixed(1)} s, p90 ${quantile(sorted, 0.9).toFixed(1)} s, slowest ${(sorted.at(-1) ?? 0).toFixed(1)} s (run ${walls.indexOf(sorted.at(-1) ?? 0) + 1})`);
  if (k > 0) {
    const a = mean(walls.slice(0, k));
    const b = mean(walls.slice(-k));
    say(`drift: mean of the first ${k} runs ${a.toFixed(1)} s, of the last ${k} ${b.toFixed(1)} s (${(((b - a) / a) * 100).toFixed(1)}%)`);
  }

  // What the runs left: the suite's objects in the cluster, and the host's state.
  const kube = provider.kube();
  const left = await managedNamespaces(kube);
  say(`suite namespaces left in the cluster: ${left.length}`);
  let inventoryOk = true;
  if (local) {
    try {
      say(execFileSync('bash', [inventory, 'compare', before], { encoding: 'utf8' }).trim());
    } catch (err) {
      inventoryOk = false;
      say(String((err as { stdout?: string }).stdout ?? err).trim());
    }
  } else {
    say('host inventory: not compared (only the local provider runs on this host)');
  }
  writeFileSync(join(soakDir, 'soak.txt'), `${lines.join('\n')}\n`);
  rmSync(tmp, { recursive: true, force: true });
  return green === ran && left.length === 0 && inventoryOk ? 0 : 1;
}

main().then(
  (c) => process.exit(c),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
