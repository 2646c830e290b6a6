// Container logs: of one pod (current or previous instance), and of every pod
// a label selects, like `kubectl logs -l app=web --prefix --all-containers`.
import { Writable } from 'node:stream';
import type { V1Pod } from '@kubernetes/client-node';
import type { Kube } from './client.js';
import { paths } from './discovery.js';
import { WaitTimeoutError } from './watch.js';
import type { KubeList, Wire } from './wire.js';

export interface LogOptions {
  container?: string;
  /** The previous (crashed/restarted) instance of the container. */
  previous?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  timestamps?: boolean;
  timeoutMs?: number;
}

/** The log of one container of one pod. An absent previous instance yields a 400 error, as kubectl shows. */
export async function podLogs(kube: Kube, ns: string, pod: string, opts: LogOptions = {}): Promise<string> {
  const res = await kube.raw({
    path: `/api/v1/namespaces/${ns}/pods/${pod}/log`,
    query: {
      container: opts.container,
      previous: opts.previous || undefined,
      tailLines: opts.tailLines,
      sinceSeconds: opts.sinceSeconds,
      timestamps: opts.timestamps || undefined,
    },
    timeoutMs: opts.timeoutMs ?? 20_000,
  });
  if (res.status !== 200) {
    let msg = res.body;
    try {
      msg = (JSON.parse(res.body) as { message?: string }).message ?? res.body;
    } catch {
      /* not JSON: keep the text */
    }
    throw new Error(`logs of ${ns}/${pod}${opts.container ? ` -c ${opts.container}` : ''}${opts.previous ? ' (previous)' : ''}: HTTP ${res.status}: ${msg}`);
  }
  return res.body;
}

export interface ContainerLog {
  pod: string;
  container: string;
  text: string;
}

/**
 * Logs of every container (or one named container) of every pod matching
 * `labelSelector`, in pod-name order. Unlike `kubectl logs -l`, no 10-line
 * default tail: pass tailLines to limit.
 */
export async function logsBySelector(
  kube: Kube,
  ns: string,
  labelSelector: string,
  opts: Omit<LogOptions, 'container'> & { container?: string } = {},
): Promise<ContainerLog[]> {
  const pods = await kube.json<KubeList<Wire<V1Pod>>>({ path: paths.pods(ns), query: { labelSelector }, timeoutMs: 10_000 });
  const out: ContainerLog[] = [];
  const sorted = [...pods.items].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  for (const p of sorted) {
    const name = p.metadata?.name ?? '?';
    const containers = opts.container ? [opts.container] : (p.spec?.containers ?? []).map((c) => c.name);
    for (const c of containers) {
      out.push({ pod: name, container: c, text: await podLogs(kube, ns, name, { ...opts, container: c }) });
    }
  }
  return out;
}

/** Prefixes every line with `[pod/NAME/CONTAINER]`, like `kubectl logs --prefix`. */
export function prefixedLogs(logs: readonly ContainerLog[]): string {
  return logs
    .flatMap((l) =>
      l.text
        .split('\n')
        .filter((line, i, all) => !(i === all.length - 1 && line === ''))
        .map((line) => `[pod/${l.pod}/${l.container}] ${line}`),
    )
    .join('\n');
}

/**
 * Follows a container's log (`kubectl logs -f`) until a line matches
 * `pattern`, and resolves with the log read so far. A line reaches the log a
 * moment after the process wrote it (the runtime copies the container's
 * output to the file the API server reads; a loaded node lags), so reading
 * the log once right after a request can miss it. Fails at the deadline with
 * the last lines it saw.
 */
export async function waitForLogLine(
  kube: Kube,
  ns: string,
  pod: string,
  container: string,
  pattern: RegExp,
  opts: { timeoutMs?: number } = {},
): Promise<string> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  let text = '';
  let found!: () => void;
  const seen = new Promise<void>((resolve) => (found = resolve));
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString('utf8');
      if (pattern.test(text)) found();
      done();
    },
  });
  const awaited = `a line matching ${String(pattern)} in the log of ${ns}/${pod} -c ${container}`;
  let lastProblem: string | undefined;
  const stream = await kube.log.log(ns, pod, container, sink, { follow: true }).catch((err: unknown) => {
    lastProblem = err instanceof Error ? err.message : String(err);
    return undefined;
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  try {
    if (stream === undefined) throw new Error(`${awaited}: the log could not be followed: ${lastProblem ?? '?'}`);
    if ((await Promise.race([seen.then(() => 'seen' as const), deadline])) === 'timeout') {
      const last = text.trimEnd().split('\n').slice(-3).join(' | ') || '(an empty log)';
      throw new WaitTimeoutError(awaited, timeoutMs, last, new Date(), undefined);
    }
    return text;
  } finally {
    clearTimeout(timer);
    stream?.abort();
  }
}
