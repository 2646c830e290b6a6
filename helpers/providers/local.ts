// The `local` provider: the project's own single-node cluster, run as host
// processes by scripts/cluster (npm run cluster:up / cluster:down). Its
// kubeconfig is $TUTORIAL_E2E_STATE/kubeconfig once it is up. Images come
// from the local registry that cluster:up starts, so there is no loadImages.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { ClusterUnreachableError, createKube, type Kube } from '../kube/client.js';
import { kubeconfigFor, localStateDir, NoClusterError } from './locate.js';
import { nodeAccessVia } from './node-access.js';
import type { ClusterInfo, ClusterProvider, EnsureOptions } from './types.js';

/** The repository root (where package.json and its cluster:* scripts are). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export class LocalProvider implements ClusterProvider {
  readonly name = 'local';
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
      ...(onOutput ? { stdout: 'pipe', stderr: 'pipe', lines: true } : { stdout: 'inherit', stderr: 'inherit' }),
      reject: false,
    });
    if (onOutput) {
      for await (const line of child.iterable({ from: 'all' })) onOutput(String(line));
    }
    const res = await child;
    if (res.exitCode !== 0) {
      throw new Error(`npm run ${script} failed (exit ${res.exitCode ?? res.signal ?? '?'}); see its output above`);
    }
  }
}
