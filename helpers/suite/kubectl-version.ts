// The version of the kubectl client the suite runs the text's kubectl lines
// with. Some breakages of a tutorial are kubectl's own (e.g. `kubectl exec POD
// CMD` without `--`, removed in kubectl 1.31), so known issues key them on
// the client's version, which need not be the server's ($KUBECTL, PATH).
import { execa } from 'execa';

export class KubectlVersionError extends Error {
  override name = 'KubectlVersionError';
}

/**
 * The client's gitVersion (`v1.36.3`) from the output of `kubectl version
 * --client -o json`; an error saying what is missing otherwise.
 */
export function parseKubectlVersionJson(text: string): string {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new KubectlVersionError(`not JSON (${(err as Error).message}): ${excerpt(text)}`);
  }
  const client = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>).clientVersion : undefined;
  const gitVersion = typeof client === 'object' && client !== null ? (client as Record<string, unknown>).gitVersion : undefined;
  if (typeof gitVersion !== 'string') throw new KubectlVersionError(`no clientVersion.gitVersion in: ${excerpt(text)}`);
  if (!/^v?\d+\.\d+/.test(gitVersion)) throw new KubectlVersionError(`clientVersion.gitVersion "${gitVersion}" is not a version such as v1.36.3`);
  return gitVersion;
}

function excerpt(text: string): string {
  const t = text.trim();
  if (t === '') return '(empty output)';
  return t.length > 200 ? `${t.slice(0, 200)}...` : t;
}

/**
 * Runs `<binary> version --client -o json` (no cluster is contacted) and
 * returns the client's gitVersion (`v1.36.3`). Fails with an error naming the
 * binary when it cannot be run, times out (10 s), exits non-zero or prints
 * no version.
 */
export async function kubectlClientVersion(binary: string, opts: { timeoutMs?: number } = {}): Promise<string> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const command = `${binary} version --client -o json`;
  const r = await execa(binary, ['version', '--client', '-o', 'json'], { reject: false, timeout: timeoutMs, stdin: 'ignore' });
  if (r.failed) {
    const why = r.timedOut
      ? `timed out after ${timeoutMs / 1000} s`
      : r.exitCode !== undefined
        ? `exit ${r.exitCode}: ${excerpt(r.stderr || r.stdout)}`
        : r.cause instanceof Error
          ? r.cause.message // e.g. spawn kubectl ENOENT: no such binary
          : (r.shortMessage ?? `killed by ${r.signal ?? 'a signal'}`);
    throw new KubectlVersionError(`cannot get the kubectl client version: \`${command}\` failed (${why}); set KUBECTL to a working kubectl`);
  }
  try {
    return parseKubectlVersionJson(r.stdout);
  } catch (err) {
    throw new KubectlVersionError(`cannot get the kubectl client version from \`${command}\`: ${(err as Error).message}`);
  }
}
