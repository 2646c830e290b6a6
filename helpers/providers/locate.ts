// Where a provider's cluster should be, found without loading the Kubernetes
// client: the kubeconfig path, the context and its server URL, and whether
// anything answers there at TCP level. This is what lets the e2e global setup
// end a run with no cluster within seconds (the client library alone takes
// seconds to load on a busy machine). Node built-ins and js-yaml only.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';

export const PROVIDER_NAMES = ['kubeconfig', 'local', 'kind', 'minikube'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/**
 * TUTORIAL_E2E_PROVIDER chooses how the suite gets a cluster:
 *   kubeconfig (default)  the cluster of $KUBECONFIG (else ~/.kube/config) and its current context,
 *                         or $TUTORIAL_E2E_CONTEXT; never created or deleted by the suite.
 *   local                 the project's own host-process cluster (npm run cluster:up), whose
 *                         kubeconfig is $TUTORIAL_E2E_STATE/kubeconfig (default /var/lib/tutorial-e2e).
 *   kind                  a kind cluster named $TUTORIAL_E2E_KIND_CLUSTER (default tutorial-e2e), reused
 *                         or created (helpers/providers/kind.ts); its kubeconfig is the project's own
 *                         file in kindStateDir(), never ~/.kube/config. Never chosen by default.
 *   minikube              a minikube profile $TUTORIAL_E2E_MINIKUBE_PROFILE (default tutorial-e2e) in a
 *                         MINIKUBE_HOME of the suite's own (minikubeStateDir()), reused or started
 *                         (helpers/providers/minikube.ts). Never chosen by default.
 */
/**
 * TUTORIAL_E2E_PROVIDER when set. Otherwise `kubeconfig` when there is one to
 * use ($KUBECONFIG or ~/.kube/config: a laptop with kind or Minikube), and
 * `local` (the project's own cluster, built here) when there is none.
 */
export function providerNameFromEnv(env: NodeJS.ProcessEnv = process.env): ProviderName {
  const hasKubeconfig =
    (env.KUBECONFIG ?? '').trim() !== '' || fs.existsSync(path.join(env.HOME ?? os.homedir(), '.kube', 'config'));
  const v = (env.TUTORIAL_E2E_PROVIDER ?? '').trim() || (hasKubeconfig ? 'kubeconfig' : 'local');
  if ((PROVIDER_NAMES as readonly string[]).includes(v)) return v as ProviderName;
  throw new Error(`TUTORIAL_E2E_PROVIDER="${v}" is not a provider; use one of: ${PROVIDER_NAMES.join(', ')}`);
}

export function localStateDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.TUTORIAL_E2E_STATE || '/var/lib/tutorial-e2e';
}

/** The kind cluster's name: $TUTORIAL_E2E_KIND_CLUSTER, default `tutorial-e2e`. */
export function kindClusterName(env: NodeJS.ProcessEnv = process.env): string {
  return env.TUTORIAL_E2E_KIND_CLUSTER?.trim() || 'tutorial-e2e';
}

/**
 * Where the kind provider keeps what it owns for a cluster (its kubeconfig, the
 * generated kind config, the marker of a cluster it created):
 * $TUTORIAL_E2E_KIND_STATE, else $TUTORIAL_E2E_STATE/kind/<name> when
 * TUTORIAL_E2E_STATE is set, else ~/.local/state/tutorial-e2e/kind/<name>
 * (writable without root, as on GitHub-hosted runners).
 */
export function kindStateDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.TUTORIAL_E2E_KIND_STATE || ownStateDir('kind', kindClusterName(env), env);
}

/** <TUTORIAL_E2E_STATE>/<tool>/<name>, else the user's state dir (writable without root). */
function ownStateDir(tool: string, name: string, env: NodeJS.ProcessEnv): string {
  if (env.TUTORIAL_E2E_STATE) return path.join(env.TUTORIAL_E2E_STATE, tool, name);
  const stateHome = env.XDG_STATE_HOME || path.join(env.HOME ?? os.homedir(), '.local', 'state');
  return path.join(stateHome, 'tutorial-e2e', tool, name);
}

/** The minikube profile: $TUTORIAL_E2E_MINIKUBE_PROFILE, default `tutorial-e2e`. */
export function minikubeProfile(env: NodeJS.ProcessEnv = process.env): string {
  return env.TUTORIAL_E2E_MINIKUBE_PROFILE?.trim() || 'tutorial-e2e';
}

/**
 * The minikube provider's MINIKUBE_HOME, which also holds its kubeconfig and
 * marker: $TUTORIAL_E2E_MINIKUBE_STATE, else <state>/minikube/<profile> as for kind.
 */
export function minikubeStateDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.TUTORIAL_E2E_MINIKUBE_STATE || ownStateDir('minikube', minikubeProfile(env), env);
}

export interface KubeconfigChoice {
  path: string;
  /** Why this path: `KUBECONFIG`, `~/.kube/config (KUBECONFIG unset)`, `$TUTORIAL_E2E_STATE/kubeconfig`. */
  origin: string;
}

export function kubeconfigFor(provider: ProviderName, env: NodeJS.ProcessEnv = process.env): KubeconfigChoice {
  if (provider === 'local') {
    return { path: path.join(localStateDir(env), 'kubeconfig'), origin: '$TUTORIAL_E2E_STATE/kubeconfig, written by npm run cluster:up' };
  }
  if (provider === 'kind') {
    return { path: path.join(kindStateDir(env), 'kubeconfig'), origin: `the kind provider's own file for cluster "${kindClusterName(env)}"` };
  }
  if (provider === 'minikube') {
    return { path: path.join(minikubeStateDir(env), 'kubeconfig'), origin: `the minikube provider's own file for profile "${minikubeProfile(env)}"` };
  }
  if (env.KUBECONFIG && env.KUBECONFIG.trim() !== '') return { path: env.KUBECONFIG, origin: 'KUBECONFIG' };
  return { path: path.join(env.HOME ?? os.homedir(), '.kube', 'config'), origin: '~/.kube/config (KUBECONFIG is unset)' };
}

export interface Located {
  provider: ProviderName;
  kubeconfig: KubeconfigChoice;
  /** The context that will be used (undefined when it could not be determined). */
  context?: string;
  /** Its cluster's server URL. */
  server?: string;
}

/** No cluster to run against. The message is the whole story: what was tried and how to get a cluster. */
export class NoClusterError extends Error {
  override name = 'NoClusterError';
  constructor(
    readonly located: Located,
    readonly problem: string,
  ) {
    super(formatNoCluster(located, problem));
    // Shown as is by jest for a failing global setup: no stack trace under it.
    this.stack = this.message;
  }
}

export function howToGetACluster(provider: ProviderName): string[] {
  const kind = 'kind create cluster   (then KUBECONFIG=~/.kube/config, context kind-kind)';
  if (provider === 'kind') {
    return [
      'npm run verify -- <source>   (creates the kind cluster for the run and deletes it after, or reuses one of that name; needs Docker)',
      'or run npm run verify once with TUTORIAL_E2E_KEEP_CLUSTER=1, then jest directly on the cluster it leaves',
    ];
  }
  if (provider === 'minikube') {
    return [
      'npm run verify -- <source>   (starts the minikube profile for the run and deletes it after, or reuses it when it is up)',
      'or run npm run verify once with TUTORIAL_E2E_KEEP_CLUSTER=1, then jest directly on the profile it leaves',
    ];
  }
  if (provider === 'local') {
    return [
      'npm run cluster:up   (the project\'s local single-node cluster; as root), then run again',
      'or set TUTORIAL_E2E_AUTO_UP=1 to let the run bring it up (takes minutes)',
      `or use another cluster: TUTORIAL_E2E_PROVIDER=kubeconfig with KUBECONFIG (and TUTORIAL_E2E_CONTEXT), e.g. ${kind}`,
    ];
  }
  return [
    'npm run cluster:up   (the project\'s local single-node cluster; as root), then run with TUTORIAL_E2E_PROVIDER=local',
    kind,
    'set KUBECONFIG (and TUTORIAL_E2E_CONTEXT) to a cluster you have',
  ];
}

export function formatNoCluster(l: Located, problem: string): string {
  return [
    'tutorial-e2e: no reachable Kubernetes cluster; no e2e spec was run.',
    `  provider:   ${l.provider}${l.provider === 'kubeconfig' ? ' (default; TUTORIAL_E2E_PROVIDER=local for the project\'s cluster)' : ''}`,
    `  kubeconfig: ${l.kubeconfig.path}  (from ${l.kubeconfig.origin})`,
    `  context:    ${l.context ?? '(none)'}`,
    ...(l.server ? [`  server:     ${l.server}`] : []),
    `  problem:    ${problem}`,
    'To get a cluster:',
    ...howToGetACluster(l.provider).map((s) => `  - ${s}`),
  ].join('\n');
}

interface RawKubeconfig {
  'current-context'?: string;
  contexts?: { name?: string; context?: { cluster?: string } }[];
  clusters?: { name?: string; cluster?: { server?: string } }[];
}

/**
 * Finds the kubeconfig, context and server a provider would use. Throws
 * NoClusterError when the file is missing or names no usable context.
 */
export function locateCluster(provider: ProviderName, env: NodeJS.ProcessEnv = process.env): Located {
  const kubeconfig = kubeconfigFor(provider, env);
  const wanted = env.TUTORIAL_E2E_CONTEXT?.trim() || undefined;
  const base: Located = { provider, kubeconfig, context: wanted };
  const files = kubeconfig.path.split(path.delimiter).filter((f) => f !== '');
  const existing = files.filter((f) => fs.existsSync(f));
  if (existing.length === 0) {
    throw new NoClusterError(
      base,
      provider === 'local'
        ? `the local cluster is not up (no ${kubeconfig.path})`
        : provider === 'kind'
          ? `no kind cluster "${kindClusterName(env)}" set up by this suite yet (no ${kubeconfig.path})`
          : provider === 'minikube'
            ? `no minikube profile "${minikubeProfile(env)}" started by this suite yet (no ${kubeconfig.path})`
            : `no kubeconfig file at ${kubeconfig.path}`,
    );
  }
  // kubectl's merge rule: the first file to set a value wins.
  let current: string | undefined;
  const contexts = new Map<string, string | undefined>();
  const clusters = new Map<string, string | undefined>();
  for (const f of existing) {
    let doc: RawKubeconfig;
    try {
      doc = yaml.load(fs.readFileSync(f, 'utf8')) ?? {};
    } catch (err) {
      throw new NoClusterError(base, `cannot read ${f}: ${(err as Error).message.split('\n')[0] ?? ''}`);
    }
    current ??= doc['current-context'] || undefined;
    for (const c of doc.contexts ?? []) if (c.name && !contexts.has(c.name)) contexts.set(c.name, c.context?.cluster);
    for (const c of doc.clusters ?? []) if (c.name && !clusters.has(c.name)) clusters.set(c.name, c.cluster?.server);
  }
  const context = wanted ?? current;
  const names = [...contexts.keys()].join(', ') || 'none';
  if (!context) throw new NoClusterError(base, `the kubeconfig has no current-context; set TUTORIAL_E2E_CONTEXT to one of: ${names}`);
  if (!contexts.has(context)) {
    throw new NoClusterError({ ...base, context }, `the kubeconfig has no context "${context}" (it has: ${names})`);
  }
  const clusterName = contexts.get(context);
  const server = clusterName ? clusters.get(clusterName) : undefined;
  if (!server) throw new NoClusterError({ ...base, context }, `context "${context}" names no cluster with a server URL`);
  return { provider, kubeconfig, context, server };
}

/**
 * Whether anything accepts a TCP connection at the server URL's host:port
 * within the timeout. Resolves with the reason it does not, or undefined.
 */
export function tcpProblem(server: string, timeoutMs: number): Promise<string | undefined> {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    return Promise.resolve(`the server URL "${server}" is not a URL`);
  }
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (why: string | undefined): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(why);
    };
    const timer = setTimeout(() => done(`no answer from ${host}:${port} within ${timeoutMs} ms`), timeoutMs);
    socket.once('connect', () => done(undefined));
    socket.once('error', (err: NodeJS.ErrnoException) =>
      done(
        err.code === 'ECONNREFUSED'
          ? `connection refused at ${host}:${port} (no API server listens there)`
          : `${host}:${port}: ${err.code ?? err.message}`,
      ),
    );
  });
}
