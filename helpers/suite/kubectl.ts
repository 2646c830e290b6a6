// Runs a kubectl command line exactly as the tutorial prints it (against the
// spec's namespace and cluster), so that what kubectl itself says about the
// text, such as its refusal of `exec POD CMD` without `--`, is what the
// suite reports. Interactive flags are dropped: there is no terminal.
import { execa } from 'execa';
import { localKubectl, type ClusterInfo } from '../providers/index.js';
import type { SpecNamespace } from './spec-namespace.js';

/** kubectl: $KUBECTL, else the local build of the server's version (client = server), else PATH. */
export function kubectlBinary(info: Pick<ClusterInfo, 'serverVersion'>, env: NodeJS.ProcessEnv = process.env): string {
  return env.KUBECTL || localKubectl(info.serverVersion, env) || 'kubectl';
}

/** Splits a command line the way a POSIX shell would for simple words and quotes. */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) words.push(m[1] ?? m[2] ?? m[3] ?? '');
  return words;
}

/** `kubectl exec POD COMMAND` as kubectl has required it since 1.31: `kubectl exec POD -- COMMAND`. */
export function withDoubleDash(line: string): string {
  return line.replace(/(kubectl exec(?: -it| -i| -t)* \S+) (?!--)/, '$1 -- ');
}

export class KubectlError extends Error {
  override name = 'KubectlError';
}

export interface KubectlOutcome {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a kubectl line against the spec's namespace; a non-zero exit is an
 * outcome, not an error: for commands the text runs to show that something
 * does not succeed (`kubectl rollout status` of a rollout that cannot finish).
 */
export async function kubectlOutcome(ns: SpecNamespace, line: string, opts: { timeoutMs?: number } = {}): Promise<KubectlOutcome> {
  const words = splitWords(line.trim());
  if (words[0] !== 'kubectl') throw new Error(`not a kubectl command: ${line}`);
  const args = words.slice(1).filter((w) => !/^-(it|ti|i|t)$/.test(w) && w !== '--tty' && w !== '--stdin');
  // Global flags first: anything after the text's `--` belongs to the command run in the pod.
  const target = [`--kubeconfig=${ns.kube.kubeconfigPath}`, `--context=${ns.kube.context}`, `--namespace=${ns.name}`];
  const r = await execa(kubectlBinary(ns.info), [...target, ...args], {
    reject: false,
    timeout: opts.timeoutMs ?? 30_000,
    stdin: 'ignore',
  });
  const exitCode = r.exitCode ?? (r.timedOut ? 124 : 1);
  return { exitCode, stdout: r.stdout, stderr: r.timedOut ? `${r.stderr}\n(killed after ${opts.timeoutMs ?? 30_000} ms)`.trim() : r.stderr };
}

export async function runKubectlAsWritten(ns: SpecNamespace, line: string, opts: { timeoutMs?: number } = {}): Promise<string> {
  const r = await kubectlOutcome(ns, line, opts);
  if (r.exitCode !== 0) {
    throw new KubectlError(`\`${line}\` failed (exit ${r.exitCode}): ${(r.stderr || r.stdout).trim()}`);
  }
  return r.stdout;
}
