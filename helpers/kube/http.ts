// Plain HTTP(S) requests to the API server with the kubeconfig's credentials.
//
// Used where the generated client gets in the way: the reachability probe
// (needs a hard timeout), discovery, server-side apply of arbitrary objects
// (the generated serializer drops unknown fields, which would silently change
// a tutorial's manifest) and the list half of list-then-watch.
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

export interface RawRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below the server URL, e.g. `/api/v1/namespaces`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: string;
  contentType?: string;
  /** Hard deadline for the whole exchange (connect, headers, body). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A non-2xx answer, carrying the server's Status (reason, message) when it sent one. */
export class KubeHttpError extends Error {
  override name = 'KubeHttpError';
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly reason: string | undefined,
    readonly serverMessage: string | undefined,
    readonly body: string,
  ) {
    super(`${method} ${path}: HTTP ${status}${reason ? ` ${reason}` : ''}${serverMessage ? `: ${serverMessage}` : ''}`);
  }
}

/** True for a 404 from either this module or the generated client (ApiException.code). */
export function isNotFound(err: unknown): boolean {
  return statusOf(err) === 404;
}

/** The HTTP status of an API error from this module or from the generated client. */
export function statusOf(err: unknown): number | undefined {
  if (err instanceof KubeHttpError) return err.status;
  if (typeof err === 'object' && err !== null) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'number') return code;
    const statusCode = (err as { statusCode?: unknown }).statusCode;
    if (typeof statusCode === 'number') return statusCode;
  }
  return undefined;
}

export function buildUrl(server: string, path: string, query?: RawRequest['query']): URL {
  const url = new URL(server.replace(/\/+$/, '') + path);
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined) url.searchParams.set(k, String(v));
  }
  return url;
}

export async function rawRequest(kc: KubeConfig, req: RawRequest): Promise<RawResponse> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error(`kubeconfig has no cluster for context "${kc.getCurrentContext()}"`);
  const url = buildUrl(cluster.server, req.path, req.query);
  const method = req.method ?? 'GET';
  const opts: https.RequestOptions = { method, headers: {} };
  // Fills in CA, client certificate, bearer token (including exec plugins) and an agent.
  await kc.applyToHTTPSOptions(opts);
  const headers = (opts.headers ?? {}) as http.OutgoingHttpHeaders;
  headers['Accept'] = 'application/json';
  if (req.body !== undefined) {
    headers['Content-Type'] = req.contentType ?? 'application/json';
    headers['Content-Length'] = Buffer.byteLength(req.body);
  }
  opts.headers = headers;
  const isHttps = url.protocol === 'https:';
  // The kubeconfig's agent is an https.Agent; a plain-http server (rare: a proxy) needs none.
  if (!isHttps) delete opts.agent;
  const signals = [req.signal, req.timeoutMs !== undefined ? AbortSignal.timeout(req.timeoutMs) : undefined].filter(
    (s): s is AbortSignal => s !== undefined,
  );
  const signal = signals.length > 0 ? AbortSignal.any(signals) : undefined;
  if (signal) opts.signal = signal;

  return new Promise<RawResponse>((resolve, reject) => {
    const request = (isHttps ? https : http).request(url, opts, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    request.on('error', (err) => {
      if (signal?.aborted && req.timeoutMs !== undefined && !req.signal?.aborted) {
        reject(new Error(`${method} ${url.origin}${req.path}: no answer within ${req.timeoutMs} ms`, { cause: err }));
      } else {
        reject(ownRealm(err));
      }
    });
    if (req.body !== undefined) request.write(req.body);
    request.end();
  });
}

/**
 * Node's own errors (a refused connection) come from outside the vm context
 * jest runs a spec file in, so they fail `instanceof Error` there; p-retry
 * then refuses to retry them ("Non-error was thrown") and a wait that should
 * ride out a restarting API server fails at once. Re-made here, with their
 * code, as errors of the caller's realm.
 */
function ownRealm(err: Error): Error {
  if (err instanceof Error) return err;
  const e = err as { message?: unknown; code?: unknown };
  const made = new Error(typeof e.message === 'string' ? e.message : String(err), { cause: err });
  if (typeof e.code === 'string') Object.assign(made, { code: e.code });
  return made;
}

/** Sends a request and parses the JSON answer; a non-2xx answer throws KubeHttpError. */
export async function requestJson<T>(kc: KubeConfig, req: RawRequest): Promise<T> {
  const res = await rawRequest(kc, req);
  if (res.status < 200 || res.status >= 300) {
    let reason: string | undefined;
    let message: string | undefined;
    try {
      const status = JSON.parse(res.body) as { reason?: string; message?: string };
      reason = status.reason;
      message = status.message;
    } catch {
      message = res.body.slice(0, 500) || undefined;
    }
    throw new KubeHttpError(req.method ?? 'GET', req.path, res.status, reason, message, res.body);
  }
  return (res.body ? JSON.parse(res.body) : {}) as T;
}
