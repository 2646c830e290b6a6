// One-line descriptions of an object's current state, for "last seen" in wait
// timeouts and for the diagnostics summary. They name what a person looks at
// in `kubectl describe`: phase, conditions with reasons, container states with
// reasons and exit codes, restart counts.
import type { V1Deployment, V1Endpoint, V1EndpointSlice, V1Pod, V1ContainerStatus, V1ReplicaSet } from '@kubernetes/client-node';
import type { Wire } from './wire.js';

export type Pod = Wire<V1Pod>;
export type Deployment = Wire<V1Deployment>;
export type ReplicaSet = Wire<V1ReplicaSet>;
export type EndpointSlice = Wire<V1EndpointSlice>;
type ContainerStatus = Wire<V1ContainerStatus>;

function clip(text: string, max = 160): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

export function formatCondition(c: { type?: string; status?: string; reason?: string; message?: string }): string {
  const why = [c.reason, c.message ? `"${clip(c.message, 120)}"` : undefined].filter(Boolean).join(' ');
  return `${c.type ?? '?'}=${c.status ?? '?'}${why ? ` (${why})` : ''}`;
}

/** `nginx: waiting (ImagePullBackOff: "Back-off pulling image ..."), restarts=2, last terminated: Error exit 1` */
export function formatContainerStatus(cs: ContainerStatus): string {
  const parts: string[] = [];
  const st = cs.state ?? {};
  if (st.waiting) {
    parts.push(`waiting (${st.waiting.reason ?? '?'}${st.waiting.message ? `: "${clip(st.waiting.message, 120)}"` : ''})`);
  } else if (st.running) {
    parts.push(`running${cs.ready ? ', ready' : ', not ready'}${cs.started === false ? ', not started' : ''}`);
  } else if (st.terminated) {
    const t = st.terminated;
    parts.push(
      `terminated (${t.reason ?? '?'}, exit ${t.exitCode}${t.signal ? `, signal ${t.signal}` : ''}${
        t.message ? `: "${clip(t.message, 120)}"` : ''
      })`,
    );
  } else {
    parts.push('no state yet');
  }
  parts.push(`restarts=${cs.restartCount}`);
  const last = cs.lastState?.terminated;
  if (last) parts.push(`last terminated: ${last.reason ?? '?'} exit ${last.exitCode}`);
  return `${cs.name}: ${parts.join(', ')}`;
}

/** The pod's state in one line: phase, node, conditions, every container's state. */
export function formatPodState(pod: Pod): string {
  const m = pod.metadata ?? {};
  const s = pod.status ?? {};
  const head = [`pod ${m.name ?? '?'}: phase=${s.phase ?? '(none)'}`];
  if (s.reason) head.push(`reason=${s.reason}${s.message ? ` "${clip(s.message, 120)}"` : ''}`);
  if (pod.spec?.nodeName) head.push(`node=${pod.spec.nodeName}`);
  if (m.deletionTimestamp) head.push('terminating');
  const parts = [head.join(', ')];
  const conds = s.conditions ?? [];
  if (conds.length > 0) parts.push(`conditions: ${conds.map(formatCondition).join(', ')}`);
  const statuses = [...(s.initContainerStatuses ?? []).map((c) => ({ ...c, name: `init:${c.name}` })), ...(s.containerStatuses ?? [])];
  if (statuses.length > 0) parts.push(`containers: ${statuses.map(formatContainerStatus).join('; ')}`);
  return parts.join('; ');
}

export function isPodReady(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export function totalRestarts(pod: Pod, container?: string): number {
  return (pod.status?.containerStatuses ?? [])
    .filter((c) => container === undefined || c.name === container)
    .reduce((n, c) => n + c.restartCount, 0);
}

export function formatDeploymentState(d: Deployment): string {
  const s = d.status ?? {};
  const parts = [
    `deployment ${d.metadata?.name ?? '?'}: generation=${d.metadata?.generation ?? '?'} observed=${s.observedGeneration ?? '?'}`,
    `replicas: desired=${d.spec?.replicas ?? 1} current=${s.replicas ?? 0} updated=${s.updatedReplicas ?? 0} ` +
      `ready=${s.readyReplicas ?? 0} available=${s.availableReplicas ?? 0} unavailable=${s.unavailableReplicas ?? 0}`,
  ];
  if (s.conditions?.length) parts.push(`conditions: ${s.conditions.map(formatCondition).join(', ')}`);
  return parts.join('; ');
}

export function formatReplicaSetState(rs: ReplicaSet): string {
  const s: Partial<NonNullable<ReplicaSet['status']>> = rs.status ?? {};
  const parts = [
    `replicaset ${rs.metadata?.name ?? '?'}: desired=${rs.spec?.replicas ?? 1} current=${s.replicas ?? 0} ` +
      `ready=${s.readyReplicas ?? 0} available=${s.availableReplicas ?? 0} ` +
      `generation=${rs.metadata?.generation ?? '?'} observed=${s.observedGeneration ?? '?'}`,
  ];
  if (s.conditions?.length) parts.push(`conditions: ${s.conditions.map(formatCondition).join(', ')}`);
  return parts.join('; ');
}

/** Ready and not-ready addresses across a Service's EndpointSlices. */
export interface EndpointAddresses {
  ready: string[];
  notReady: string[];
  ports: { name?: string; port?: number; protocol?: string }[];
}

/**
 * An EndpointSlice as the server sends it. The generated model makes
 * `endpoints` (and an endpoint's `addresses`) required, but Go writes an empty
 * list as null: a Service that selects no pod has `"endpoints": null`.
 */
type WireEndpointSlice = Omit<EndpointSlice, 'endpoints'> & {
  endpoints?: (Omit<Wire<V1Endpoint>, 'addresses'> & { addresses?: string[] | null })[] | null;
};

export function endpointAddresses(slices: readonly WireEndpointSlice[]): EndpointAddresses {
  const out: EndpointAddresses = { ready: [], notReady: [], ports: [] };
  for (const sl of slices) {
    for (const ep of sl.endpoints ?? []) {
      // The API says a nil `ready` is unknown and should be read as ready.
      const ready = ep.conditions?.ready !== false;
      (ready ? out.ready : out.notReady).push(...(ep.addresses ?? []));
    }
    for (const p of sl.ports ?? []) {
      if (!out.ports.some((q) => q.name === p.name && q.port === p.port)) {
        out.ports.push({ name: p.name, port: p.port, protocol: p.protocol });
      }
    }
  }
  out.ready.sort();
  out.notReady.sort();
  return out;
}

export function formatEndpoints(slices: readonly EndpointSlice[]): string {
  if (slices.length === 0) return 'no EndpointSlices';
  const a = endpointAddresses(slices);
  return (
    `${slices.length} EndpointSlice(s): ready=[${a.ready.join(', ')}] notReady=[${a.notReady.join(', ')}] ` +
    `ports=[${a.ports.map((p) => `${p.name ? `${p.name}:` : ''}${p.port ?? '?'}/${p.protocol ?? 'TCP'}`).join(', ')}]`
  );
}
