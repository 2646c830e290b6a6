// The waits specs use, each a `waitFor` over a watch with a deadline and a
// "last seen" formatter, so a timeout reads like a `kubectl describe` line.
import type { CoreV1Event } from '@kubernetes/client-node';
import type { Kube } from './client.js';
import { eventTimestamp } from './diagnostics-format.js';
import { paths } from './discovery.js';
import { deploymentRolloutStatus } from './rollout.js';
import {
  endpointAddresses,
  formatDeploymentState,
  formatEndpoints,
  formatPodState,
  formatReplicaSetState,
  isPodReady,
  totalRestarts,
  type Deployment,
  type EndpointAddresses,
  type EndpointSlice,
  type Pod,
  type ReplicaSet,
} from './state.js';
import { byName, waitFor, type WaitOptions } from './watch.js';
import type { KubeObject, Wire } from './wire.js';

const gone = (kind: string, ns: string, name: string): string => `${kind} ${ns}/${name} does not exist`;

function onePod(ns: string, name: string) {
  return (objs: Pod[]): string => {
    const p = objs[0];
    return p ? formatPodState(p) : gone('pod', ns, name);
  };
}

/** A pod that has finished can never become Ready or Running again (restartPolicy Never/OnFailure done). */
function failIfFinished(p: Pod, awaited: string): void {
  const phase = p.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') {
    throw new Error(`${awaited} will never happen: the pod has finished.\n  state: ${formatPodState(p)}`);
  }
}

/** Waits for the pod's Ready condition to be True; resolves with the pod. Fails at once if the pod finishes. */
export function podReady(kube: Kube, ns: string, name: string, opts: WaitOptions = {}): Promise<Pod> {
  const awaited = `pod ${ns}/${name} to be Ready`;
  return waitFor<Pod, Pod>(
    kube,
    paths.pods(ns),
    ([p]) => {
      if (!p) return undefined;
      if (isPodReady(p)) return p;
      failIfFinished(p, awaited);
      return undefined;
    },
    { ...opts, fieldSelector: byName(name), describe: awaited, lastSeen: onePod(ns, name) },
  );
}

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

/** Waits for the pod to reach a phase; resolves with the pod. */
export function podPhase(kube: Kube, ns: string, name: string, phase: PodPhase, opts: WaitOptions = {}): Promise<Pod> {
  const awaited = `pod ${ns}/${name} to reach phase ${phase}`;
  return waitFor<Pod, Pod>(
    kube,
    paths.pods(ns),
    ([p]) => {
      if (!p) return undefined;
      if (p.status?.phase === phase) return p;
      if (phase !== 'Succeeded' && phase !== 'Failed') failIfFinished(p, awaited);
      return undefined;
    },
    { ...opts, fieldSelector: byName(name), describe: awaited, lastSeen: onePod(ns, name) },
  );
}

export function podRunning(kube: Kube, ns: string, name: string, opts: WaitOptions = {}): Promise<Pod> {
  return podPhase(kube, ns, name, 'Running', opts);
}

/** Waits until the pod's containers (or one container) have restarted at least `count` times in total. */
export function restartCountAtLeast(
  kube: Kube,
  ns: string,
  name: string,
  count: number,
  opts: WaitOptions & { container?: string } = {},
): Promise<Pod> {
  const which = opts.container ? `container ${opts.container} of pod` : 'pod';
  return waitFor<Pod, Pod>(
    kube,
    paths.pods(ns),
    ([p]) => (p && totalRestarts(p, opts.container) >= count ? p : undefined),
    {
      ...opts,
      fieldSelector: byName(name),
      describe: `${which} ${ns}/${name} to have restarted at least ${count} time(s)`,
      lastSeen: onePod(ns, name),
    },
  );
}

export interface Unschedulable {
  /** The PodScheduled condition's reason: `Unschedulable`. */
  reason: string;
  /** The scheduler's explanation, e.g. `0/1 nodes are available: 1 Insufficient cpu.` */
  message: string;
  /** Messages of the pod's FailedScheduling events, newest last (may be empty if events lag). */
  events: string[];
  pod: Pod;
}

/**
 * Waits until the scheduler has given up placing the pod for now
 * (PodScheduled=False, reason Unschedulable); fails at once if it gets scheduled.
 */
export async function podUnschedulable(kube: Kube, ns: string, name: string, opts: WaitOptions = {}): Promise<Unschedulable> {
  const awaited = `pod ${ns}/${name} to be reported unschedulable`;
  const found = await waitFor<Pod, Omit<Unschedulable, 'events'>>(
    kube,
    paths.pods(ns),
    ([p]) => {
      if (!p) return undefined;
      const c = p.status?.conditions?.find((x) => x.type === 'PodScheduled');
      if (c?.status === 'False' && c.reason === 'Unschedulable') {
        return { reason: c.reason, message: c.message ?? '', pod: p };
      }
      if (c?.status === 'True' || p.spec?.nodeName) {
        throw new Error(`${awaited}, but it was scheduled.\n  state: ${formatPodState(p)}`);
      }
      return undefined;
    },
    { ...opts, fieldSelector: byName(name), describe: awaited, lastSeen: onePod(ns, name) },
  );
  const events = await kube.json<{ items: Wire<CoreV1Event>[] }>({
    path: paths.events(ns),
    query: { fieldSelector: `involvedObject.kind=Pod,involvedObject.name=${name},reason=FailedScheduling` },
    timeoutMs: 10_000,
  });
  const messages = events.items
    .sort((a, b) => eventTimestamp(a).localeCompare(eventTimestamp(b)))
    .map((e) => e.message ?? '')
    .filter((m) => m !== '');
  return { ...found, events: messages };
}


/**
 * Waits until a Deployment has rolled out, by kubectl's rule (observedGeneration,
 * updated, old pending termination, available); fails at once on ProgressDeadlineExceeded.
 */
export function rolloutComplete(kube: Kube, ns: string, name: string, opts: WaitOptions = {}): Promise<Deployment> {
  let lastMessage = '';
  return waitFor<Deployment, Deployment>(
    kube,
    paths.deployments(ns),
    ([d]) => {
      if (!d) return undefined;
      const st = deploymentRolloutStatus(d);
      lastMessage = st.message;
      if (st.failed) throw new Error(`${st.failed}\n  state: ${formatDeploymentState(d)}`);
      return st.done ? d : undefined;
    },
    {
      ...opts,
      fieldSelector: byName(name),
      describe: `deployment ${ns}/${name} to finish its rollout`,
      lastSeen: ([d]) => (d ? `${formatDeploymentState(d)}; kubectl would say: ${lastMessage}` : gone('deployment', ns, name)),
    },
  );
}

/** Waits until the ReplicaSet has observed its spec and has exactly `ready` ready replicas. */
export function replicaSetReady(kube: Kube, ns: string, name: string, ready: number, opts: WaitOptions = {}): Promise<ReplicaSet> {
  return waitFor<ReplicaSet, ReplicaSet>(
    kube,
    paths.replicaSets(ns),
    ([rs]) => {
      if (!rs) return undefined;
      const s: Partial<NonNullable<ReplicaSet['status']>> = rs.status ?? {};
      const observed = (s.observedGeneration ?? 0) >= (rs.metadata?.generation ?? 0);
      return observed && (s.readyReplicas ?? 0) === ready ? rs : undefined;
    },
    {
      ...opts,
      fieldSelector: byName(name),
      describe: `replicaset ${ns}/${name} to have ${ready} ready replica(s)`,
      lastSeen: ([rs]) => (rs ? formatReplicaSetState(rs) : gone('replicaset', ns, name)),
    },
  );
}

/**
 * Waits until the Service's EndpointSlices satisfy `predicate` (default: at
 * least one ready address); resolves with the addresses.
 */
export function endpointsReady(
  kube: Kube,
  ns: string,
  service: string,
  opts: WaitOptions & { predicate?: (a: EndpointAddresses) => boolean; describe?: string } = {},
): Promise<EndpointAddresses> {
  const predicate = opts.predicate ?? ((a: EndpointAddresses) => a.ready.length > 0);
  return waitFor<EndpointSlice, EndpointAddresses>(
    kube,
    paths.endpointSlices(ns),
    (slices) => {
      const a = endpointAddresses(slices);
      return predicate(a) ? a : undefined;
    },
    {
      ...opts,
      labelSelector: `kubernetes.io/service-name=${service}`,
      describe: `service ${ns}/${service} endpoints ${opts.describe ?? 'to have a ready address'}`,
      lastSeen: formatEndpoints,
    },
  );
}

/**
 * Waits until an object no longer exists. `collectionPath` is the list path of
 * its kind (see `paths` and `resourcePath`), e.g. paths.pods(ns).
 */
export async function objectGone(
  kube: Kube,
  collectionPath: string,
  name: string,
  opts: WaitOptions & { what?: string } = {},
): Promise<void> {
  const what = opts.what ?? `${collectionPath.split('/').pop() ?? 'object'} ${name}`;
  await waitFor<KubeObject, true>(kube, collectionPath, (objs) => objs.length === 0 || undefined, {
    ...opts,
    fieldSelector: byName(name),
    describe: `${what} to be gone`,
    lastSeen: ([o]) => {
      if (!o) return 'gone';
      const m = o.metadata ?? {};
      const fin = m.finalizers?.length ? `, finalizers: ${m.finalizers.join(', ')}` : '';
      const phase = (o as { status?: { phase?: string } }).status?.phase;
      return `still there${m.deletionTimestamp ? `, deleting since ${m.deletionTimestamp}` : ', not being deleted'}${
        phase ? `, phase ${phase}` : ''
      }${fin}`;
    },
  });
}

/** Pods matching a label selector, waited until `predicate(pods)` holds (e.g. "3 Ready"). */
export function podsMatching(
  kube: Kube,
  ns: string,
  labelSelector: string,
  predicate: (pods: Pod[]) => boolean,
  opts: WaitOptions & { describe: string },
): Promise<Pod[]> {
  return waitFor<Pod, Pod[]>(kube, paths.pods(ns), (pods) => (predicate(pods) ? pods : undefined), {
    ...opts,
    labelSelector,
    describe: `pods ${labelSelector} in ${ns} ${opts.describe}`,
    lastSeen: (pods) => (pods.length === 0 ? 'no pods' : pods.map(formatPodState).join(' | ')),
  });
}
