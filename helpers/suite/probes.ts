// The mechanics of the health-check section: watching a Pod's readiness
// through a Service from before it starts, making a probe's own request, and
// telling a restart the spec caused from a restart loop (a probe that fails
// on its own), naming the probe's last complaint.
import type { V1Probe } from '@kubernetes/client-node';
import { WaitTimeoutError, type EndpointAddresses, type Pod, type PodHandle, type ServiceHandle, type Wire } from '../kube/index.js';
import { deadAfter } from './floor.js';
import type { SpecNamespace } from './spec-namespace.js';

type Probe = Wire<V1Probe>;

/** When the container running now started (ms since the epoch), from the pod's status. */
export function containerStartedAt(p: Pod): number | undefined {
  const at = p.status?.containerStatuses?.[0]?.state?.running?.startedAt;
  return at === undefined ? undefined : Date.parse(at);
}

/** Seconds from the container's start to the pod's Ready condition (1 s resolution). */
export function secondsToReady(p: Pod): number {
  const ready = p.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime;
  const started = containerStartedAt(p);
  if (ready === undefined || started === undefined) throw new Error(`pod ${p.metadata?.name ?? '?'} has no start time or Ready condition yet`);
  return (Date.parse(ready) - started) / 1000;
}

export interface ReadinessWatch {
  readonly service: ServiceHandle;
  /** Creates the Service and starts watching; call before the Pod exists. */
  start(): Promise<void>;
  /** Resolves once the Pod was seen listed as not ready (and nothing ready), as it must be before its probe passes. */
  notReadyAtFirst(): Promise<EndpointAddresses>;
}

/**
 * A Service over the Pod's labels (the suite's, not the text's) shows whether
 * the Pod receives traffic. It exists, and is watched, before the Pod starts,
 * so that the Pod's first start is seen.
 */
export function readinessWatch(ns: SpecNamespace, labels: Record<string, string>, name = 'readiness-probe-check'): ReadinessWatch {
  const service = ns.service(name);
  let seen: Promise<{ addresses: EndpointAddresses } | { error: Error }> | undefined;
  return {
    service,
    async start() {
      await ns.kube.json({
        method: 'POST',
        path: `/api/v1/namespaces/${ns.name}/services`,
        body: JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: labels, ports: [{ port: 80 }] } }),
        timeoutMs: 15_000,
      });
      const watching = new AbortController();
      ns.cleanup.add('stop watching the readiness Service', () => watching.abort());
      seen = service
        .endpoints((a) => a.notReady.length === 1 && a.ready.length === 0, 'to list the Pod as not ready while its readiness probe has not passed', {
          signal: watching.signal,
        })
        .then(
          (addresses) => ({ addresses }),
          (error: unknown) => ({ error: error instanceof Error ? error : new Error(String(error)) }),
        );
    },
    async notReadyAtFirst() {
      if (seen === undefined) throw new Error(`readinessWatch(${name}): start() was not called`);
      const r = await seen;
      if ('error' in r) throw r.error;
      return r.addresses;
    },
  };
}

/** The URL an httpGet probe requests, from inside the container. */
export function probeUrl(probe: Probe | undefined, what: string): string {
  const get = probe?.httpGet;
  if (get === undefined) throw new Error(`${what} has no httpGet probe`);
  return `http://localhost:${get.port}${get.path ?? '/'}`;
}

/** The probe's own request, made from inside the container, must succeed (2xx/3xx), else the probe fails on its own. */
export async function expectProbePasses(pod: PodHandle, probe: Probe | undefined, when: string): Promise<void> {
  const url = probeUrl(probe, `pod ${pod.name}`);
  const r = await pod.statusOf(url).catch(async (err: unknown) => {
    // The container is not there to ask: the kubelet is restarting it. Say why, if its probe is the cause.
    const unhealthy = (await pod.events()).filter((e) => e.reason === 'Unhealthy' && /Liveness/.test(e.message ?? '')).map((e) => e.message);
    if (unhealthy.length === 0) throw err;
    throw new Error(
      `the liveness probe's GET ${url} could not be made ${when}: the container is being restarted, its liveness probe failing on its own, a restart loop. ` +
        `Last probe failure: ${unhealthy.at(-1) ?? ''}`,
      { cause: err },
    );
  });
  if (!(r.code >= 200 && r.code < 400)) {
    throw new Error(`the liveness probe's GET ${url} answers ${r.said} ${when}: the probe fails on its own, a restart loop`);
  }
}

/** Fails, naming the probe's last complaint, when the container restarted more than `count` times. */
export async function expectNoRestartSince(pod: PodHandle, count: number, why: string): Promise<void> {
  const restarts = await pod.restarts();
  if (restarts <= count) return;
  const unhealthy = (await pod.events()).filter((e) => e.reason === 'Unhealthy').map((e) => e.message);
  throw new Error(
    `container of ${pod.name} restarted on its own (${restarts} restarts, ${count} before the step): ${why}, a restart loop. ` +
      `Last probe failure: ${unhealthy.at(-1) ?? '(no event)'}`,
  );
}

/**
 * No restart loop after a restart: a liveness probe that still failed would
 * restart the container again within initialDelaySeconds + periodSeconds x
 * failureThreshold of its start; watched that long (+2 s for the timestamps'
 * 1 s resolution), no further restart.
 */
export async function expectNoRestartLoop(pod: PodHandle, liveness: Probe | undefined, restarts: number, startedAt: number): Promise<void> {
  const window = (liveness?.initialDelaySeconds ?? 0) + deadAfter(liveness) + 2;
  const again = await pod.restartsAtLeast(restarts + 1, { timeoutMs: Math.max(1_000, startedAt + window * 1000 - Date.now()) }).catch((err: unknown) => {
    if (err instanceof WaitTimeoutError) return undefined;
    throw err;
  });
  if (again !== undefined) {
    throw new Error(
      `container of ${pod.name} restarted again (more than ${restarts} restarts) after coming back Ready: its liveness probe keeps failing, a restart loop`,
    );
  }
}
