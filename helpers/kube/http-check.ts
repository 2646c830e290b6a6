// "Does this URL answer, and with what": from inside the cluster (curl run in
// a pod, the way a tutorial's reader checks a Service from a bastion pod) and
// from outside it (a NodePort reached at the address the provider names).
import type { Kube } from './client.js';
import { execInPod } from './exec.js';

export interface HttpAnswer {
  /** `HTTP/1.1 200 OK`; undefined when no answer came (see error). */
  statusLine?: string;
  status?: number;
  /** Header names lowercased; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
  /** Why there is no answer: curl's message (connection refused, timeout, ...) or fetch's. */
  error?: string;
}

/**
 * Splits `curl -i` output into status line, headers and body. Interim answers
 * (100 Continue) are skipped: the last header block before the body wins.
 */
export function parseCurlInclude(raw: string): Pick<HttpAnswer, 'statusLine' | 'status' | 'headers' | 'body'> {
  let rest = raw;
  for (;;) {
    const m = /\r?\n\r?\n/.exec(rest);
    const headBlock = m ? rest.slice(0, m.index) : rest;
    const body = m ? rest.slice(m.index + m[0].length) : '';
    const lines = headBlock.split(/\r?\n/);
    const statusLine = lines[0] ?? '';
    const sm = /^HTTP\/[\d.]+\s+(\d{3})/.exec(statusLine);
    if (!sm) return { headers: {}, body: raw };
    const status = Number(sm[1]);
    if (status >= 100 && status < 200 && status !== 101 && m) {
      rest = body;
      continue;
    }
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const i = line.indexOf(':');
      if (i <= 0) continue;
      const k = line.slice(0, i).trim().toLowerCase();
      const v = line.slice(i + 1).trim();
      headers[k] = headers[k] !== undefined ? `${headers[k]}, ${v}` : v;
    }
    return { statusLine: statusLine.trim(), status, headers, body };
  }
}

/**
 * Runs `curl -sS -i URL` in a pod's container (the pod must have curl) and
 * returns the answer. A refused or timed-out request is an answer with `error`,
 * not an exception: tutorials show failures too.
 */
export async function httpFromPod(
  kube: Kube,
  ns: string,
  pod: string,
  url: string,
  opts: { container?: string; timeoutMs?: number; extraArgs?: string[] } = {},
): Promise<HttpAnswer> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const maxTime = Math.max(1, Math.floor(timeoutMs / 1000) - 2);
  const res = await execInPod(kube, ns, pod, ['curl', '-sS', '-i', '--max-time', String(maxTime), ...(opts.extraArgs ?? []), url], {
    container: opts.container,
    timeoutMs,
  });
  if (res.exitCode !== 0) {
    return { headers: {}, body: res.stdout, error: `curl exit ${res.exitCode}: ${res.stderr.trim()}` };
  }
  return parseCurlInclude(res.stdout);
}

/** Something that knows how a NodePort is reached from this machine (a ClusterProvider). */
export interface NodeAccess {
  nodeAccess(nodePort: number): Promise<{ host: string; port: number }>;
}

/** GETs http://<node>:<nodePort><path> from this process, with a deadline. */
export async function httpFromOutside(
  provider: NodeAccess,
  nodePort: number,
  path = '/',
  opts: { timeoutMs?: number } = {},
): Promise<HttpAnswer & { url: string }> {
  const { host, port } = await provider.nodeAccess(nodePort);
  const h = host.includes(':') ? `[${host}]` : host;
  const url = `http://${h}:${port}${path.startsWith('/') ? path : `/${path}`}`;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000), redirect: 'manual' });
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => (headers[k] = v));
    return { url, statusLine: `HTTP/1.1 ${res.status} ${res.statusText}`.trim(), status: res.status, headers, body: await res.text() };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    return { url, headers: {}, body: '', error: e.cause?.code ?? e.cause?.message ?? e.message };
  }
}
