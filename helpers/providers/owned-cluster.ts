// What the providers that create their own cluster (kind, minikube) share:
// the marker that says a cluster is theirs to delete, the removal of their
// own state folder, and CoreDNS closed to everything past the machine.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { rolloutComplete, type Kube } from '../kube/index.js';
import { REPO_ROOT } from './local.js';
import type { ClusterInfo } from './types.js';

/** The marker of a cluster this provider created: what delete() checks before it deletes anything. */
export interface CreatedMarker {
  cluster: string;
  /** The kube-system namespace's UID right after creation: a cluster recreated by someone else under the same name has another. */
  kubeSystemUid?: string;
  image: string;
  createdAt: string;
}

/** Removes the provider's state folder, then its parents up to `tutorial-e2e` while they are empty. */
export function removeOwnFolder(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  let parent = path.dirname(dir);
  for (let i = 0; i < 2 && /tutorial-e2e/.test(parent); i++) {
    try {
      fs.rmdirSync(parent);
    } catch {
      return; // not empty, or not there
    }
    parent = path.dirname(parent);
  }
}

export function readMarker(file: string): CreatedMarker | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as CreatedMarker;
  } catch {
    return undefined;
  }
}

export function lastLines(text: string, n = 5): string {
  return text.trim().split('\n').slice(-n).join(' | ');
}

/**
 * Puts `corefile` into kube-system/coredns and restarts CoreDNS with it
 * (a changed template annotation, as `kubectl rollout restart` does).
 */
export async function closeCoreDns(kube: Kube, corefile: string): Promise<void> {
  const patch = async (p: string, body: object): Promise<void> => {
    await kube.json({ method: 'PATCH', path: p, contentType: 'application/merge-patch+json', body: JSON.stringify(body), timeoutMs: 15_000 });
  };
  await patch('/api/v1/namespaces/kube-system/configmaps/coredns', { data: { Corefile: corefile } });
  await patch('/apis/apps/v1/namespaces/kube-system/deployments/coredns', {
    spec: { template: { metadata: { annotations: { 'tutorial-e2e/corefile': new Date().toISOString() } } } },
  });
  await rolloutComplete(kube, 'kube-system', 'coredns', { timeoutMs: 120_000 });
}

/** The cluster answers at the kubeconfig: its identity. */
export async function probeCluster(kube: Kube, timeoutMs: number): Promise<ClusterInfo> {
  const v = await kube.probe(timeoutMs);
  return { kubeconfigPath: kube.kubeconfigPath, context: kube.context, serverVersion: v.gitVersion, server: kube.server };
}

/** kube-system's UID (a cluster's identity), or undefined when there is no kubeconfig yet or the API does not answer. */
export async function kubeSystemUidOf(kube: () => Kube, kubeconfigPath: string): Promise<string | undefined> {
  if (!fs.existsSync(kubeconfigPath)) return undefined;
  try {
    const ns = await kube().json<{ metadata?: { uid?: string } }>({ path: '/api/v1/namespaces/kube-system', timeoutMs: 10_000 });
    return ns.metadata?.uid;
  } catch {
    return undefined;
  }
}

/**
 * The tool's binary: the one the environment variable names, else the pinned
 * one the project's install script builds (once, cached) and prints last.
 */
export async function pinnedBinary(env: NodeJS.ProcessEnv, variable: string, script: readonly string[], tool: string): Promise<string> {
  const explicit = env[variable]?.trim();
  if (explicit) return explicit;
  const rel = path.join(...script);
  const r = await execa('bash', [path.join(REPO_ROOT, rel)], { env, reject: false, stderr: 'inherit' });
  const bin = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.exitCode !== 0 || bin === '') throw new Error(`${rel} could not build ${tool} (exit ${r.exitCode ?? '?'}); set ${variable} to a ${tool} binary`);
  return bin;
}

/** Runs a tool with its output (stdout and stderr together) handed over line by line as it comes, and kept. */
export async function runWithLines(bin: string, args: readonly string[], env: NodeJS.ProcessEnv, onOutput?: (line: string) => void): Promise<{ exitCode: number; output: string }> {
  const child = execa(bin, args, { env, stdin: 'ignore', all: true, lines: true, reject: false });
  const seen: string[] = [];
  for await (const line of child.iterable({ from: 'all' })) {
    seen.push(line);
    onOutput?.(line);
  }
  const res = await child;
  return { exitCode: res.exitCode ?? 1, output: seen.join('\n') };
}
