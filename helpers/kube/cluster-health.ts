// Did the cluster itself fail while a test ran? A test that fails because the
// API server restarted, the kubelet went away or the container runtime was
// down says nothing about the tutorial, and its verdict must say "cluster
// fault", not "the text is wrong". By the time a failure is noticed the fault
// may be over (supervisors restart what died), so besides "is it healthy now"
// this reads the traces a fault leaves in the cluster's own state:
//   - the API server's identity lease (kube-system, one per server host,
//     renewed every 10 s): its holder names the server process, and a
//     restarted server takes it over under a new holder, so a baseline taken
//     when the section started tells a restart since;
//   - each node's Ready condition (its last transition; false while the
//     kubelet reports "container runtime is down"; Unknown when the kubelet
//     stops posting status);
//   - the kubelet's "Starting" event on its Node (each kubelet start);
//   - the kubelet answering through the API server's node proxy now.
// Each is one cheap request: this runs only on a failure.
import type { Kube } from './client.js';
import { describeNetworkError } from './client.js';

export interface ClusterFault {
  /** What failed, when known: "api-server", "kubelet", "node", "runtime". */
  component: string;
  /** One line, with times: what was seen. */
  what: string;
}

/** What the probes saw; the pure part (faultsFrom) turns it into faults. */
export interface HealthObservation {
  /** Why /readyz did not answer ok, if it did not. */
  readyzProblem?: string;
  /** The API servers' identity leases: name (one per host) and holder (one per process). */
  apiServerLeases: { name: string; holder?: string }[];
  nodes: {
    name: string;
    ready?: { status?: string; reason?: string; message?: string; lastTransitionTime?: string };
    /** Why the kubelet did not answer /healthz through the node proxy, if it did not. */
    kubeletProblem?: string;
    /** Conditions the kubelet sets when it runs short (DiskPressure, MemoryPressure, PIDPressure) that are True. */
    pressure?: { type: string; message?: string }[];
  }[];
  /** Kubelet "Starting" events on Nodes. */
  kubeletStarts: { node: string; at?: string }[];
  /** Warning events of the failing spec's namespace (when one is named). */
  namespaceWarnings?: { object: string; reason?: string; message?: string; at?: string }[];
}

/**
 * What the kubelet writes on a pod when the container runtime failed under
 * it (the runtime's socket refused, a stream cut): a restarted container the
 * text never asked for, which only these events tell apart from the text's.
 */
const RUNTIME_FAILED = /containerd\.sock|rpc error: code = Unavailable|error reading from server: EOF|transport is closing|container runtime is down/i;

/** What a section saw of the cluster when it started, to tell what changed under it. */
export interface HealthBaseline {
  at: Date;
  /** Identity lease name -> holder, as they were then. */
  apiServers: Record<string, string | undefined>;
}

const after = (t: string | undefined, since: Date): boolean => t !== undefined && Date.parse(t) >= Math.floor(since.getTime() / 1000) * 1000;

/** The faults an observation shows since the baseline was taken (timestamps from the API have whole seconds). */
export function faultsFrom(o: HealthObservation, baseline: HealthBaseline): ClusterFault[] {
  const since = baseline.at;
  const out: ClusterFault[] = [];
  if (o.readyzProblem !== undefined) out.push({ component: 'api-server', what: `the API server is not ready: ${o.readyzProblem}` });
  for (const l of o.apiServerLeases) {
    const before = baseline.apiServers[l.name];
    if (l.name in baseline.apiServers && before !== l.holder) {
      out.push({ component: 'api-server', what: `the API server restarted after ${since.toISOString()} (its identity lease ${l.name} has a new holder)` });
    }
  }
  for (const n of o.nodes) {
    const r = n.ready;
    const why = r?.reason !== undefined || r?.message !== undefined ? `: ${[r.reason, r.message].filter((x) => x !== undefined).join(': ')}` : '';
    if (r?.status !== 'True') {
      out.push({ component: /runtime/i.test(r?.message ?? '') ? 'runtime' : 'node', what: `node ${n.name} is not Ready (Ready=${r?.status ?? 'absent'}${why})` });
    } else if (after(r.lastTransitionTime, since)) {
      out.push({ component: 'node', what: `node ${n.name} was not Ready during the test (Ready again since ${r.lastTransitionTime ?? '?'})` });
    }
    if (n.kubeletProblem !== undefined) out.push({ component: 'kubelet', what: `the kubelet of node ${n.name} does not answer: ${n.kubeletProblem}` });
    // Short of disk, memory or PIDs, the kubelet evicts pods and admits no new ones.
    for (const p of n.pressure ?? []) out.push({ component: 'node', what: `node ${n.name} reports ${p.type}${p.message !== undefined ? `: ${p.message}` : ''} (it evicts pods and admits none)` });
  }
  for (const s of o.kubeletStarts) {
    if (after(s.at, since)) out.push({ component: 'kubelet', what: `the kubelet of node ${s.node} (re)started at ${s.at ?? '?'}` });
  }
  for (const w of o.namespaceWarnings ?? []) {
    const sandboxLost = w.reason === 'SandboxChanged';
    if (after(w.at, since) && (sandboxLost || RUNTIME_FAILED.test(w.message ?? ''))) {
      out.push({ component: 'runtime', what: `the container runtime failed under ${w.object} at ${w.at ?? '?'}: ${w.reason ?? '?'}: ${(w.message ?? '').slice(0, 200)}` });
    }
  }
  return out;
}

/**
 * Faults that a failure's own error names, for when the cluster's traces no
 * longer show them (the server is back by the time the failure is looked at)
 * or never held them: the API server refusing or dropping connections (our
 * client's words and kubectl's), the API server unable to reach a kubelet.
 */
export function faultsInErrors(messages: readonly string[], server: string): ClusterFault[] {
  const host = server.replace(/^\w+:\/\//, '').replace(/\/.*$/, '');
  const out: ClusterFault[] = [];
  for (const m of messages) {
    const line = m.split('\n').find((l) => l.includes(host) && /refused|ECONNRESET|socket hang up|no answer within|EOF|unexpected end|connection reset/i.test(l));
    if (line !== undefined) out.push({ component: 'api-server', what: `the API server at ${host} failed a request: ${line.trim().slice(0, 300)}` });
    // The image registry unreachable (the local one stopped, or no internet): the
    // pull failed before the image was even looked up, so the name is not the text's fault.
    const registry = /(?:ErrImagePull|ImagePullBackOff)[^\n]*?(?:dial tcp [^\n]*?(?:connection refused|i\/o timeout)|no such host)/.exec(m);
    if (registry !== null) out.push({ component: 'registry', what: `the image registry could not be reached: ${registry[0].trim().slice(0, 300)}` });
    const runtime = /[^\n]*(?:containerd\.sock|rpc error: code = Unavailable)[^\n]*/.exec(m);
    if (runtime !== null) out.push({ component: 'runtime', what: `the container runtime did not answer: ${runtime[0].trim().slice(0, 300)}` });
    const kubelet = /error dialing backend[^\n]*|(?:proxy error|error trying to reach service)[^\n]*:10250[^\n]*/i.exec(m);
    if (kubelet !== null) out.push({ component: 'kubelet', what: `the API server could not reach a kubelet: ${kubelet[0].trim().slice(0, 300)}` });
  }
  return [...new Map(out.map((f) => [f.what, f])).values()];
}

interface Meta {
  name?: string;
  creationTimestamp?: string;
}

type Leases = { items: { metadata?: Meta; spec?: { holderIdentity?: string } }[] };

function leasesRequest(timeoutMs: number): Parameters<Kube['json']>[0] {
  return { path: '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases', query: { labelSelector: 'apiserver.kubernetes.io/identity=kube-apiserver' }, timeoutMs };
}

/** One request: the API servers' identity leases now (a cluster that hides them gives an empty baseline, and no restart is told). */
export async function healthBaseline(kube: Kube, timeoutMs = 3000): Promise<HealthBaseline> {
  const at = new Date();
  const leases = await kube.json<Leases>(leasesRequest(timeoutMs)).catch((): Leases => ({ items: [] }));
  return { at, apiServers: Object.fromEntries(leases.items.map((l) => [l.metadata?.name ?? '?', l.spec?.holderIdentity])) };
}

/** Reads the cluster's health and its traces of faults since `since`; every request has a short deadline. */
export async function observeHealth(kube: Kube, timeoutMs = 3000, namespace?: string): Promise<HealthObservation> {
  const o: HealthObservation = { apiServerLeases: [], nodes: [], kubeletStarts: [] };
  o.readyzProblem = await answersOk(kube, '/readyz', timeoutMs);
  if (o.readyzProblem !== undefined) return o; // nothing else can be asked
  const settle = async <T>(p: Promise<T>): Promise<T | undefined> => p.catch(() => undefined);
  const [leases, nodes, events] = await Promise.all([
    settle(kube.json<Leases>(leasesRequest(timeoutMs))),
    settle(
      kube.json<{ items: { metadata?: Meta; status?: { conditions?: { type?: string; status?: string; reason?: string; message?: string; lastTransitionTime?: string }[] } }[] }>({
        path: '/api/v1/nodes',
        timeoutMs,
      }),
    ),
    settle(
      kube.json<{ items: { involvedObject?: { name?: string }; source?: { component?: string }; reportingComponent?: string; lastTimestamp?: string; eventTime?: string; metadata?: Meta }[] }>({
        path: '/api/v1/events',
        query: { fieldSelector: 'involvedObject.kind=Node,reason=Starting' },
        timeoutMs,
      }),
    ),
  ]);
  if (namespace !== undefined) {
    type Ev = { involvedObject?: { kind?: string; name?: string }; reason?: string; message?: string; lastTimestamp?: string; eventTime?: string; metadata?: Meta };
    const warnings = await settle(
      kube.json<{ items: Ev[] }>({ path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`, query: { fieldSelector: 'type=Warning' }, timeoutMs }),
    );
    o.namespaceWarnings = (warnings?.items ?? []).map((e) => ({
      object: `${(e.involvedObject?.kind ?? '?').toLowerCase()}/${e.involvedObject?.name ?? '?'}`,
      ...(e.reason !== undefined ? { reason: e.reason } : {}),
      ...(e.message !== undefined ? { message: e.message } : {}),
      at: e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp,
    }));
  }
  o.apiServerLeases = (leases?.items ?? []).map((l) => ({ name: l.metadata?.name ?? '?', holder: l.spec?.holderIdentity }));
  o.kubeletStarts = (events?.items ?? [])
    .filter((e) => (e.source?.component ?? e.reportingComponent) === 'kubelet')
    .map((e) => ({ node: e.involvedObject?.name ?? '?', at: e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp }));
  for (const n of nodes?.items ?? []) {
    const name = n.metadata?.name ?? '?';
    const kubeletProblem = await answersOk(kube, `/api/v1/nodes/${encodeURIComponent(name)}/proxy/healthz`, timeoutMs);
    const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
    const pressure = (n.status?.conditions ?? [])
      .filter((c) => c.type?.endsWith('Pressure') === true && c.status === 'True')
      .map((c) => ({ type: c.type ?? '?', ...(c.message !== undefined ? { message: c.message } : {}) }));
    o.nodes.push({
      name,
      ...(ready !== undefined ? { ready } : {}),
      ...(kubeletProblem !== undefined ? { kubeletProblem } : {}),
      ...(pressure.length > 0 ? { pressure } : {}),
    });
  }
  return o;
}

/**
 * Undefined when GET `path` answers 2xx; else why not, after three tries a
 * second apart: one reset keep-alive connection under load is the client's
 * luck, not a fault (seen once in a mutant run of 20 sources, where it hid a
 * real failure behind "cluster fault"). A server that is down stays down.
 */
async function answersOk(kube: Kube, path: string, timeoutMs: number): Promise<string | undefined> {
  let problem: string | undefined;
  for (let attempt = 1; attempt <= 3; attempt++) {
    problem = await answersOkOnce(kube, path, timeoutMs);
    if (problem === undefined) return undefined;
    if (attempt < 3) await new Promise((r) => setTimeout(r, 1000));
  }
  return problem;
}

async function answersOkOnce(kube: Kube, path: string, timeoutMs: number): Promise<string | undefined> {
  try {
    const res = await kube.raw({ path, timeoutMs });
    if (res.status >= 200 && res.status < 300) return undefined;
    const body = res.body.split('\n').filter((l) => /fail|error|refused/i.test(l)).slice(0, 3).join('; ') || res.body.slice(0, 200);
    return `HTTP ${res.status}${body ? `: ${body.trim()}` : ''}`;
  } catch (err) {
    return describeNetworkError(err);
  }
}

/** The cluster faults since the baseline, or an empty list when the cluster was healthy throughout (as far as its traces tell). */
export async function clusterFaultsSince(kube: Kube, baseline: HealthBaseline, opts: { namespace?: string; timeoutMs?: number } = {}): Promise<ClusterFault[]> {
  return faultsFrom(await observeHealth(kube, opts.timeoutMs ?? 3000, opts.namespace), baseline);
}
