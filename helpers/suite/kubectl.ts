// Runs a kubectl command line exactly as the tutorial prints it (against the
// spec's namespace and cluster), so that what kubectl itself says about the
// text, such as its refusal of `exec POD CMD` without `--`, is what the
// suite reports. Interactive flags are dropped: there is no terminal.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import type { SpecNamespace } from '../kube/spec-namespace.js';

/** kubectl: $KUBECTL, else the local cluster's build (same version as the server), else PATH. */
export function kubectlBinary(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KUBECTL) return env.KUBECTL;
  const cache = env.TUTORIAL_E2E_CACHE ?? '/var/cache/tutorial-e2e';
  const version = env.K8S_VERSION ?? 'v1.36.3';
  const local = join(cache, 'bin', `kubernetes-${version}`, 'kubectl');
  return existsSync(local) ? local : 'kubectl';
}

/** Splits a command line the way a POSIX shell would for simple words and quotes. */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) words.push(m[1] ?? m[2] ?? m[3] ?? '');
  return words;
}

export class KubectlError extends Error {
  override name = 'KubectlError';
}

export async function runKubectlAsWritten(ns: SpecNamespace, line: string, opts: { timeoutMs?: number } = {}): Promise<string> {
  const words = splitWords(line.trim());
  if (words[0] !== 'kubectl') throw new Error(`not a kubectl command: ${line}`);
  const args = words.slice(1).filter((w) => !/^-(it|ti|i|t)$/.test(w) && w !== '--tty' && w !== '--stdin');
  // Global flags first: anything after the text's `--` belongs to the command run in the pod.
  const target = [`--kubeconfig=${ns.kube.kubeconfigPath}`, `--context=${ns.kube.context}`, `--namespace=${ns.name}`];
  const r = await execa(kubectlBinary(), [...target, ...args], {
    reject: false,
    timeout: opts.timeoutMs ?? 30_000,
    stdin: 'ignore',
  });
  if (r.exitCode !== 0) {
    throw new KubectlError(`\`${line}\` failed (exit ${r.exitCode}): ${(r.stderr || r.stdout).trim()}`);
  }
  return r.stdout;
}
