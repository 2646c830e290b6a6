// The client bundle every helper takes: one kubeconfig + context, the typed
// APIs specs use directly, the streaming helpers (exec, port-forward, logs,
// watch) and a raw JSON channel for what the typed APIs do badly.
import fs from 'node:fs';
import type http from 'node:http';
import type https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import {
  AppsV1Api,
  CoreV1Api,
  DiscoveryV1Api,
  Exec,
  KubeConfig,
  KubernetesObjectApi,
  Log,
  PolicyV1Api,
  PortForward,
  Watch,
} from '@kubernetes/client-node';
import { Discovery, type ServerVersion } from './discovery.js';
import { rawRequest, requestJson, statusOf, type RawRequest } from './http.js';

export interface KubeTarget {
  /** A kubeconfig file (or a `:`-separated list, like KUBECONFIG). Default: $KUBECONFIG, else ~/.kube/config. */
  kubeconfigPath?: string;
  /** Context to use. Default: the kubeconfig's current-context (providers pass $TUTORIAL_E2E_CONTEXT here). */
  context?: string;
}

/** The kubeconfig could not be read or names no usable context. */
export class KubeconfigError extends Error {
  override name = 'KubeconfigError';
  constructor(
    message: string,
    readonly kubeconfigPath: string,
    readonly context: string | undefined,
  ) {
    super(message);
  }
}

/** The API server did not answer /version in time, or refused us. */
export class ClusterUnreachableError extends Error {
  override name = 'ClusterUnreachableError';
  constructor(
    readonly kubeconfigPath: string,
    readonly context: string,
    readonly server: string,
    readonly reason: string,
  ) {
    super(`cannot reach the cluster of context "${context}" at ${server} (kubeconfig ${kubeconfigPath}): ${reason}`);
  }
}

export type { ServerVersion } from './discovery.js';

/** Where the kubeconfig comes from when the caller does not say: the same rules kubectl follows. */
export function defaultKubeconfigPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KUBECONFIG && env.KUBECONFIG.trim() !== '') return env.KUBECONFIG;
  return path.join(env.HOME ?? os.homedir(), '.kube', 'config');
}

export function loadKubeConfig(target: KubeTarget = {}): { kc: KubeConfig; kubeconfigPath: string; context: string } {
  const kubeconfigPath = target.kubeconfigPath ?? defaultKubeconfigPath();
  const wanted = target.context || undefined;
  // kubectl merges every file of a KUBECONFIG list and ignores missing ones.
  const files = kubeconfigPath.split(path.delimiter).filter((f) => f !== '');
  const [first, ...rest] = files.filter((f) => fs.existsSync(f));
  if (first === undefined) {
    throw new KubeconfigError(`no kubeconfig file at ${kubeconfigPath}`, kubeconfigPath, wanted);
  }
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(first);
    for (const f of rest) {
      const more = new KubeConfig();
      more.loadFromFile(f);
      kc.mergeConfig(more, true);
    }
  } catch (err) {
    throw new KubeconfigError(
      `cannot read kubeconfig ${kubeconfigPath}: ${(err as Error).message}`,
      kubeconfigPath,
      wanted,
    );
  }
  const context = wanted ?? kc.getCurrentContext();
  if (!context) {
    throw new KubeconfigError(
      `kubeconfig ${kubeconfigPath} has no current-context (set TUTORIAL_E2E_CONTEXT to one of: ${
        kc.getContexts().map((c) => c.name).join(', ') || 'none'
      })`,
      kubeconfigPath,
      undefined,
    );
  }
  if (!kc.getContextObject(context)) {
    throw new KubeconfigError(
      `kubeconfig ${kubeconfigPath} has no context "${context}" (it has: ${
        kc.getContexts().map((c) => c.name).join(', ') || 'none'
      })`,
      kubeconfigPath,
      context,
    );
  }
  kc.setCurrentContext(context);
  reuseConnections(kc);
  if (!kc.getCurrentCluster()) {
    throw new KubeconfigError(`context "${context}" in ${kubeconfigPath} names no known cluster`, kubeconfigPath, context);
  }
  return { kc, kubeconfigPath, context };
}

type AgentOptions = https.AgentOptions & { proxy?: string };

/**
 * The client library makes a new HTTPS agent for every request, hence a new
 * TCP connection and TLS handshake each time, on both ends. A run sends
 * thousands of requests to an API server that shares the machine's CPU with
 * the pods under test, so the connections are kept and reused instead: one
 * keep-alive agent per distinct set of TLS settings, for the typed APIs, the
 * raw JSON channel, watches and the WebSocket streams alike.
 */
function reuseConnections(kc: KubeConfig): void {
  const target = kc as unknown as { createAgent(cluster: unknown, opts: AgentOptions): http.Agent };
  const make = target.createAgent.bind(kc);
  const agents = new Map<string, http.Agent>();
  target.createAgent = (cluster: unknown, opts: AgentOptions) => {
    const c = cluster as { server?: string; proxyUrl?: string } | null;
    const key = [c?.server, c?.proxyUrl, ...Object.entries(opts).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${text(v)}`)].join('\n');
    let agent = agents.get(key);
    if (agent === undefined) {
      agent = make(cluster, { ...opts, keepAlive: true });
      agents.set(key, agent);
    }
    return agent;
  };
}

/** An agent option as text: certificates and keys are Buffers or strings (or lists of them). */
function text(v: unknown): string {
  if (Buffer.isBuffer(v)) return v.toString('base64');
  if (Array.isArray(v)) return v.map(text).join(',');
  return String(v);
}

/** Everything a helper needs to talk to one cluster. */
export class Kube {
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly policy: PolicyV1Api;
  /** discovery.k8s.io: EndpointSlices. */
  readonly discoveryV1: DiscoveryV1Api;
  readonly objects: KubernetesObjectApi;
  readonly exec: Exec;
  readonly portForward: PortForward;
  readonly log: Log;
  readonly watch: Watch;
  /** What the server serves (API groups, versions, kinds), cached per bundle. */
  readonly discovery: Discovery;

  constructor(
    readonly kc: KubeConfig,
    readonly kubeconfigPath: string,
    readonly context: string,
  ) {
    this.core = kc.makeApiClient(CoreV1Api);
    this.apps = kc.makeApiClient(AppsV1Api);
    this.policy = kc.makeApiClient(PolicyV1Api);
    this.discoveryV1 = kc.makeApiClient(DiscoveryV1Api);
    this.objects = KubernetesObjectApi.makeApiClient(kc);
    this.exec = new Exec(kc);
    this.portForward = new PortForward(kc);
    this.log = new Log(kc);
    this.watch = new Watch(kc);
    this.discovery = new Discovery(this);
  }

  get server(): string {
    return this.kc.getCurrentCluster()?.server ?? '(no server)';
  }

  /** GET/POST/... a path and parse the JSON answer (plain objects, no Date conversion). */
  json<T>(req: RawRequest): Promise<T> {
    return requestJson<T>(this.kc, req);
  }

  raw(req: RawRequest): ReturnType<typeof rawRequest> {
    return rawRequest(this.kc, req);
  }

  /**
   * Fast reachability check: GET /version with a hard timeout. Throws
   * ClusterUnreachableError naming the kubeconfig, context and server URL.
   */
  async probe(timeoutMs = 5000): Promise<ServerVersion> {
    try {
      return await this.json<ServerVersion>({ path: '/version', timeoutMs });
    } catch (err) {
      throw new ClusterUnreachableError(this.kubeconfigPath, this.context, this.server, describeNetworkError(err));
    }
  }
}

export function createKube(target: KubeTarget = {}): Kube {
  const { kc, kubeconfigPath, context } = loadKubeConfig(target);
  return new Kube(kc, kubeconfigPath, context);
}

/** A short human reason for a failed request: "connection refused", "HTTP 401 Unauthorized", ... */
export function describeNetworkError(err: unknown): string {
  const status = statusOf(err);
  if (status === 401 || status === 403) return `the server rejected the credentials (HTTP ${status})`;
  // Anything can be thrown, null and undefined included.
  const e = err as { code?: unknown; message?: unknown; cause?: unknown } | null | undefined;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const cause = e?.cause as { code?: unknown } | null | undefined;
  const causeCode = typeof cause?.code === 'string' ? cause.code : undefined;
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused (nothing listens there)',
    ENOTFOUND: 'host name not found',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    ECONNRESET: 'connection reset',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS: self-signed certificate not trusted by the kubeconfig',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS: certificate not trusted by the kubeconfig',
    ERR_TLS_CERT_ALTNAME_INVALID: 'TLS: certificate does not match the server name',
  };
  const c = code ?? causeCode;
  if (c && known[c]) return known[c];
  return e && typeof e.message === 'string' ? e.message : String(err);
}
