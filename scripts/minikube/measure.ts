// Figures for the minikube provider on this machine (root; no other cluster
// or kind engine running): RUNS times, the provider's own path as a run takes
// it: ensure() with leave to create (the engine up, the cached builds and
// node image checked, `minikube start`), then delete() (`minikube delete`,
// then the engine down). `minikube start` and `minikube delete` alone are
// the provider's own timings of them.
// Prints a Markdown table (median, min, max seconds) on stdout; progress and
// minikube's output on stderr.
//
// Usage: npx tsx scripts/minikube/measure.ts [--runs N]    (default 3; K8S_VERSION from the environment)
import { MinikubeProvider } from '../../helpers/providers/minikube.js';

const runsAt = process.argv.indexOf('--runs');
const runs = runsAt >= 0 ? Number(process.argv[runsAt + 1]) : 3;
const samples = new Map<string, number[]>();
const add = (label: string, seconds: number): void => void samples.set(label, [...(samples.get(label) ?? []), seconds]);
async function main(): Promise<void> {
  const provider = new MinikubeProvider({ ...process.env, TUTORIAL_E2E_MINIKUBE_ENGINE: 'project' });
  for (let i = 1; i <= runs; i++) {
    process.stderr.write(`[measure] run ${i}/${runs}: ensure (create), then delete\n`);
    let t = Date.now();
    // A start that fails is deleted too (its marker is written first), and the engine goes down.
    const info = await provider.ensure({ create: true, onOutput: (line) => process.stderr.write(`${line}\n`) }).catch(async (err: unknown) => {
      await provider.delete();
      throw err;
    });
    add('ensure(): engine up, builds and node image checked, `minikube start`, CoreDNS closed', (Date.now() - t) / 1000);
    if (provider.timings.start !== undefined) add('`minikube start` alone', provider.timings.start);
    process.stderr.write(`[measure] up: ${info.server}, Kubernetes ${info.serverVersion}\n`);
    t = Date.now();
    await provider.delete();
    if (provider.timings.delete !== undefined) add('`minikube delete` alone', provider.timings.delete);
    add('delete(): `minikube delete`, then the engine down', (Date.now() - t) / 1000);
  }
  const stats = (v: number[]): string => {
    const s = [...v].sort((a, b) => a - b);
    return [s[Math.floor((s.length - 1) / 2)] ?? 0, s[0] ?? 0, s.at(-1) ?? 0].map((x) => x.toFixed(1)).join(' | ');
  };
  process.stdout.write(`| step (Kubernetes ${process.env.K8S_VERSION ?? 'v1.36.3'}, ${runs} runs) | median s | min s | max s |\n|---|---|---|---|\n`);
  for (const [label, v] of samples) process.stdout.write(`| ${label} | ${stats(v)} |\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
