// The `local` provider: the project's own single-node cluster, run as host
// processes by scripts/cluster (npm run cluster:up / cluster:down). Its
// kubeconfig is $TUTORIAL_E2E_STATE/kubeconfig once it is up. Images come
// from the local registry that cluster:up starts, so there is no loadImages.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { ClusterUnreachableError, createKube, type Kube } from '../kube/index.js';
import { kubeconfigFor, localStateDir, NoClusterError } from './locate.js';
import { nodeAccessVia } from './node-access.js';
import { StandInLabels } from './registry.js';
import type { ClusterInfo, ClusterProvider, EnsureOptions, KnowsPodNetwork, KnowsStandIns, ReachesNodePorts } from './types.js';

/** Where scripts/cluster/build.sh caches its builds (scripts/cluster/versions.sh says the same default). */
export function localCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.TUTORIAL_E2E_CACHE ?? '/var/cache/tutorial-e2e';
}

/** The kubectl the local build of a Kubernetes version (`v1.36.3`) made, if it is there. */
export function localKubectl(serverVersion: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const built = path.join(localCacheDir(env), 'bin', `kubernetes-${serverVersion}`, 'kubectl');
  return fs.existsSync(built) ? built : undefined;
}

/** The registry cluster:up serves every image from (containerd mirrors docker.io and registry.k8s.io to it). */
const LOCAL_REGISTRY = 'http://127.0.0.1:5000';

/** The repository root (where package.json and its cluster:* scripts are). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export class LocalProvider implements ClusterProvider, ReachesNodePorts, KnowsPodNetwork, KnowsStandIns {
  readonly name = 'local';
  /** Pods reach nothing past the machine: TTE-ISOLATE drops their forwarding, and cluster DNS answers cluster names only. */
  readonly podsReachTheInternet = false;
  private readonly standIns = new StandInLabels(LOCAL_REGISTRY);
  readonly kubeconfigPath: string;
  private kubeBundle?: Kube;

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {
    this.kubeconfigPath = kubeconfigFor('local', env).path;
  }

  get stateDir(): string {
    return localStateDir(this.env);
  }

  kube(): Kube {
    // Its kubeconfig's current context; TUTORIAL_E2E_CONTEXT is for the kubeconfig provider.
    this.kubeBundle ??= createKube({ kubeconfigPath: this.kubeconfigPath });
    return this.kubeBundle;
  }

  /** Healthy = the kubeconfig exists and the API server answers /readyz with 200. */
  async healthy(timeoutMs = 5000): Promise<{ ok: true } | { ok: false; why: string }> {
    if (!fs.existsSync(this.kubeconfigPath)) return { ok: false, why: `no ${this.kubeconfigPath}` };
    this.kubeBundle = undefined; // the file may have been rewritten by cluster:up
    try {
      const kube = this.kube();
      await kube.probe(timeoutMs);
      const res = await kube.raw({ path: '/readyz', timeoutMs });
      return res.status === 200 ? { ok: true } : { ok: false, why: `/readyz answered HTTP ${res.status}: ${res.body.trim().slice(-300)}` };
    } catch (err) {
      return { ok: false, why: err instanceof ClusterUnreachableError ? err.reason : (err as Error).message };
    }
  }

  async ensure(opts: EnsureOptions = {}): Promise<ClusterInfo> {
    let health = await this.healthy(opts.probeTimeoutMs);
    if (!health.ok) {
      if (opts.create === false) {
        throw new NoClusterError(
          { provider: 'local', kubeconfig: kubeconfigFor('local', this.env), context: undefined },
          `the local cluster is not up or not healthy: ${health.why}`,
        );
      }
      await this.runScript('cluster:up', opts.onOutput);
      health = await this.healthy();
      if (!health.ok) throw new Error(`npm run cluster:up finished but the cluster is not healthy: ${health.why}`);
    }
    const kube = this.kube();
    const v = await kube.probe(opts.probeTimeoutMs ?? 5000);
    return { kubeconfigPath: kube.kubeconfigPath, context: kube.context, serverVersion: v.gitVersion, server: kube.server };
  }

  nodeAccess(nodePort: number): Promise<{ host: string; port: number }> {
    return nodeAccessVia(this.kube(), nodePort);
  }

  /** Every image comes from the local registry, whose images say what they stand in for in their labels (scripts/images). */
  standInFor(image: string): Promise<{ for: string; description: string } | undefined> {
    return this.standIns.of(image);
  }

  async delete(): Promise<void> {
    await this.runScript('cluster:down');
    this.kubeBundle = undefined;
  }

  /** Runs an npm script of this repository, streaming its output (it can take many minutes). */
  private async runScript(script: string, onOutput?: (line: string) => void): Promise<void> {
    const child = execa('npm', ['run', '--silent', script], {
      cwd: REPO_ROOT,
      env: { ...this.env, TUTORIAL_E2E_STATE: this.stateDir },
      stdin: 'ignore',
      ...(onOutput ? { stdout: 'pipe', stderr: 'pipe', all: true, lines: true } : { stdout: 'inherit', stderr: 'inherit' }),
      reject: false,
    });
    if (onOutput) {
      for await (const line of child.iterable({ from: 'all' })) onOutput(line);
    }
    const res = await child;
    if (res.exitCode !== 0) {
      throw new Error(`npm run ${script} failed (exit ${res.exitCode ?? res.signal ?? '?'}); see its output above`);
    }
  }
}
