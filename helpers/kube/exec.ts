// Non-interactive exec in a pod's container, as `kubectl exec POD -c C -- CMD`
// does it (WebSocket, channel protocol v5 when the server offers it), with a
// deadline and the exit code read from the server's final Status.
import { Readable, Writable } from 'node:stream';
import type { V1Pod, V1Status } from '@kubernetes/client-node';
import type { Kube } from './client.js';
import type { Wire } from './wire.js';

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface ExecOptions {
  /** Container name; default: the pod's kubectl.kubernetes.io/default-container, else its first container. */
  container?: string;
  /** Deadline for the whole command (default 30 s). */
  timeoutMs?: number;
  /** Text fed to the command's standard input (then closed). */
  stdin?: string;
}

/** The command could not be run, or did not end in time (not: it ran and exited non-zero). */
export class ExecError extends Error {
  override name = 'ExecError';
  constructor(
    message: string,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(message);
  }
}

/**
 * What execInPod uses of the exec WebSocket (the `ws` package's WebSocket). The
 * client declares it through isomorphic-ws, whose types need @types/ws, which
 * is not installed: the declared type does not resolve, so it is named here.
 */
interface ExecSocket {
  readonly readyState: number;
  readonly CLOSED: number;
  close(): void;
  on(event: 'close', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

class Collector extends Writable {
  private readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.chunks.push(Buffer.from(chunk));
    cb();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** The exit code in an exec's final Status: Success is 0, NonZeroExitCode carries it in details.causes. */
export function exitCodeOf(status: Pick<V1Status, 'status' | 'reason' | 'details'>): number | undefined {
  if (status.status === 'Success') return 0;
  if (status.reason === 'NonZeroExitCode') {
    const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
    const n = Number(cause?.message);
    return Number.isInteger(n) ? n : undefined;
  }
  return undefined;
}

export async function defaultContainer(kube: Kube, ns: string, pod: string): Promise<string> {
  const p = await kube.json<Wire<V1Pod>>({ path: `/api/v1/namespaces/${ns}/pods/${pod}`, timeoutMs: 10_000 });
  const annotated = p.metadata?.annotations?.['kubectl.kubernetes.io/default-container'];
  const first = p.spec?.containers[0]?.name;
  const name = annotated ?? first;
  if (!name) throw new Error(`pod ${ns}/${pod} has no containers`);
  return name;
}

/** Runs `command` (argv, no shell) in a container and returns its output and exit code. */
export async function execInPod(kube: Kube, ns: string, pod: string, command: string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const container = opts.container ?? (await defaultContainer(kube, ns, pod));
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const stdout = new Collector();
  const stderr = new Collector();
  const what = `exec in ${ns}/${pod} -c ${container}: ${command.join(' ')}`;
  let status: V1Status | undefined;
  const stdin = opts.stdin !== undefined ? Readable.from([Buffer.from(opts.stdin)]) : null;
  const onStatus = (s: V1Status): void => {
    status = s;
  };
  const ws = (await kube.exec.exec(ns, pod, container, command, stdout, stderr, stdin, false, onStatus).catch((err: unknown) => {
    // The WebSocket upgrade was refused (no such pod or container, pod not running, forbidden).
    const why = (err as { message?: string } | null | undefined)?.message ?? String(err);
    throw new ExecError(`${what}: could not start: ${why}`, '', '');
  })) as ExecSocket;
  return new Promise<ExecResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.close();
      reject(
        new ExecError(
          `${what}: no exit within ${timeoutMs} ms\n  stdout so far: ${stdout.text().slice(-500)}\n  stderr so far: ${stderr.text().slice(-500)}`,
          stdout.text(),
          stderr.text(),
        ),
      );
    }, timeoutMs);
    const settle = (): void => {
      clearTimeout(timer);
      if (!status) {
        reject(new ExecError(`${what}: connection closed without an exit status`, stdout.text(), stderr.text()));
        return;
      }
      const code = exitCodeOf(status);
      if (code === undefined) {
        reject(
          new ExecError(
            `${what}: could not run: ${status.message ?? status.reason ?? 'unknown failure'}`,
            stdout.text(),
            stderr.text(),
          ),
        );
        return;
      }
      resolve({ stdout: stdout.text(), stderr: stderr.text(), exitCode: code });
    };
    if (ws.readyState === ws.CLOSED) settle();
    else ws.on('close', settle);
    ws.on('error', (err: Error) => {
      clearTimeout(timer);
      reject(new ExecError(`${what}: ${err.message}`, stdout.text(), stderr.text()));
    });
  });
}
