// Handles: a namespace that carries its client, and the objects in it, so a
// caller says `ns.pod('web').ready()` or `ns.pods('app=web').settle({count: 3,
// all: running})` instead of passing (kube, namespace, name) to every helper.
// Each method is one of the toolkit's waits or calls; handles add no state of
// their own besides the names, so they are cheap to make and safe to share.
//
// The namespace and client are read through a function at each call: the
// suite's spec namespace only exists from its beforeAll on, while its handles
// are made when the spec is declared.
import type { CoreV1Event, V1Service } from '@kubernetes/client-node';
import type { Kube } from './client.js';
import { paths } from './discovery.js';
import { evictPod, type EvictionResult } from './eviction.js';
import { ExecError, execInPod, type ExecOptions, type ExecResult } from './exec.js';
import { httpFromPod, type HttpAnswer } from './http-check.js';
import { isNotFound } from './http.js';
import { podLogs, logsBySelector, waitForLogLine, type ContainerLog, type LogOptions } from './logs.js';
import { observeDeploymentPods, type Observation } from './observe.js';
import { portForward, type PortForwardHandle } from './port-forward.js';
import { describeRange, formatPods, inRange, livePods, type PodRange } from './pod-range.js';
import { formatPodState, isPodReady, totalRestarts, type Deployment, type EndpointAddresses, type Pod, type ReplicaSet } from './state.js';
import {
  endpointsReady,
  objectGone,
  podRunning,
  podUnschedulable,
  replicaSetReady,
  restartCountAtLeast,
  rolloutComplete,
  type Unschedulable,
} from './waits.js';
import { ImagePullTracker } from './image-pull.js';
import { byName, waitFor, WaitTimeoutError, type WaitOptions } from './watch.js';
import type { KubeList, Wire } from './wire.js';

interface Where {
  kube: Kube;
  name: string;
}

/** Labels as a selector string (`app=web,tier=front`); a string is taken as it is. */
export function selectorOf(labels: string | Readonly<Record<string, string>>): string {
  return typeof labels === 'string'
    ? labels
    : Object.entries(labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
}

export class NamespaceHandle {
  /** `where` is read at each call (see the file's comment). */
  constructor(private readonly where: () => Where) {}

  static of(kube: Kube, name: string): NamespaceHandle {
    return new NamespaceHandle(() => ({ kube, name }));
  }

  get kube(): Kube {
    return this.where().kube;
  }

  get name(): string {
    return this.where().name;
  }

  pod(name: string): PodHandle {
    return new PodHandle(this, name);
  }

  /** The pods a label selector picks (a `key=value,...` string or a label map). */
  pods(selector: string | Readonly<Record<string, string>>): PodSet {
    return new PodSet(this, selectorOf(selector));
  }

  deployment(name: string): DeploymentHandle {
    return new DeploymentHandle(this, name);
  }

  replicaSet(name: string): ReplicaSetHandle {
    return new ReplicaSetHandle(this, name);
  }

  service(name: string): ServiceHandle {
    return new ServiceHandle(this, name);
  }

  budget(name: string): BudgetHandle {
    return new BudgetHandle(this, name);
  }

  /** A JSON merge patch of one object, by its path under the namespace (`pods/web`, `deployments/web/scale`). */
  async mergePatch(kind: 'pods' | 'services' | 'deployments' | 'replicasets', name: string, patch: object, subresource?: string): Promise<void> {
    const group = kind === 'pods' || kind === 'services' ? '/api/v1' : '/apis/apps/v1';
    await this.kube.json({
      method: 'PATCH',
      path: `${group}/namespaces/${this.name}/${kind}/${name}${subresource ? `/${subresource}` : ''}`,
      contentType: 'application/merge-patch+json',
      body: JSON.stringify(patch),
      timeoutMs: 15_000,
    });
  }
}

export class PodHandle {
  constructor(
    private readonly ns: NamespaceHandle,
    readonly name: string,
  ) {}

  private get what(): string {
    return `pod ${this.ns.name}/${this.name}`;
  }

  read(): Promise<Pod> {
    return this.ns.kube.json<Pod>({ path: `${paths.pods(this.ns.name)}/${this.name}`, timeoutMs: 15_000 });
  }

  /**
   * Waits until the pod is Ready. Fails at once, not at the deadline, when it
   * has finished or a container's image cannot be pulled (a placeholder image
   * never appears).
   */
  ready(opts: WaitOptions = {}): Promise<Pod> {
    const awaited = `${this.what} to be Ready`;
    const pulls = new ImagePullTracker();
    return waitFor<Pod, Pod>(
      this.ns.kube,
      paths.pods(this.ns.name),
      ([p]) => {
        if (p === undefined) return undefined;
        if (isPodReady(p)) return p;
        const phase = p.status?.phase;
        if (phase === 'Succeeded' || phase === 'Failed') {
          throw new Error(`${awaited} will never happen: the pod has finished.\n  state: ${formatPodState(p)}`);
        }
        const blocker = pulls.blocker(p.status?.containerStatuses);
        if (blocker !== undefined) throw new Error(`${awaited} will never happen: ${blocker}`);
        return undefined;
      },
      { timeoutMs: 60_000, ...opts, fieldSelector: byName(this.name), describe: awaited, lastSeen: ([p]) => (p ? formatPodState(p) : 'no such pod') },
    );
  }

  running(opts: WaitOptions = {}): Promise<Pod> {
    return podRunning(this.ns.kube, this.ns.name, this.name, opts);
  }

  /** Waits until a container (the first, or `container`) has terminated; resolves with the pod. */
  terminated(opts: WaitOptions & { container?: string } = {}): Promise<Pod> {
    const which = opts.container ?? 'its first container';
    return waitFor<Pod, Pod>(
      this.ns.kube,
      paths.pods(this.ns.name),
      ([p]) => {
        const cs = (p?.status?.containerStatuses ?? []).find((c, i) => (opts.container === undefined ? i === 0 : c.name === opts.container));
        return cs?.state?.terminated ? p : undefined;
      },
      { ...opts, fieldSelector: byName(this.name), describe: `${which} of ${this.what} to terminate`, lastSeen: ([p]) => (p ? formatPodState(p) : 'no such pod') },
    );
  }

  /** The pod's IP, once it has one. */
  async ip(): Promise<string> {
    const ip = (await this.read()).status?.podIP;
    if (!ip) throw new Error(`${this.what} has no IP yet`);
    return ip;
  }

  /** Runs a command (argv, no shell) in the pod's default container, or `opts.container`. */
  /**
   * Runs a command (argv, no shell) in the pod's default container, or
   * `opts.container`. When the command cannot even start there (the
   * container is not running), the error says what state the pod is in.
   */
  async exec(command: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
    try {
      return await execInPod(this.ns.kube, this.ns.name, this.name, [...command], opts);
    } catch (err) {
      if (!(err instanceof ExecError) || !/could not (start|run)/.test(err.message)) throw err;
      // The kubelet reports a container that stopped a moment after exec finds it stopped: give
      // the pod's status a few seconds to say so, then name the state it is in.
      const state = await this.containerStopped(opts.container, 10_000).then(formatPodState, (e: unknown) =>
        e instanceof WaitTimeoutError ? `its status still says running: ${e.lastSeen}` : `(its state could not be read: ${e instanceof Error ? e.message : String(e)})`,
      );
      throw new ExecError(`${err.message} (${state})`, err.stdout, err.stderr);
    }
  }

  /** Waits until the container (default: the first) is not running and ready: stopped, restarting, or failing its readiness. */
  private containerStopped(container: string | undefined, timeoutMs: number): Promise<Pod> {
    return waitFor<Pod, Pod>(
      this.ns.kube,
      paths.pods(this.ns.name),
      ([p]) => {
        const cs = (p?.status?.containerStatuses ?? []).find((c, i) => (container === undefined ? i === 0 : c.name === container));
        return p !== undefined && (cs?.state?.running === undefined || !cs.ready) ? p : undefined;
      },
      { timeoutMs, fieldSelector: byName(this.name), describe: `the status of ${this.what} to show its container stopped`, lastSeen: ([p]) => (p ? formatPodState(p) : 'no such pod') },
    );
  }

  /** A GET of `url` made with curl from inside this pod (a refused request is an answer with `error`). */
  http(url: string, opts: { container?: string; timeoutMs?: number } = {}): Promise<HttpAnswer> {
    return httpFromPod(this.ns.kube, this.ns.name, this.name, url, opts);
  }

  /** The HTTP status code of a GET made from inside the pod (`curl -w %{http_code}`), e.g. a probe's own request. */
  async statusOf(url: string, opts: { container?: string } = {}): Promise<{ code: number; said: string }> {
    const r = await this.exec(['curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', url], opts);
    return { code: Number(r.stdout.trim()), said: r.stdout.trim() || r.stderr.trim() };
  }

  logs(opts: LogOptions = {}): Promise<string> {
    return podLogs(this.ns.kube, this.ns.name, this.name, opts);
  }

  /** Follows the log of a container (default: the first) until a line matches; resolves with the log so far (logs.ts, waitForLogLine). */
  async logLine(pattern: RegExp, opts: { container?: string; timeoutMs?: number } = {}): Promise<string> {
    const container = opts.container ?? (await this.read()).spec?.containers[0]?.name;
    if (container === undefined) throw new Error(`${this.what} has no container to read the log of`);
    return waitForLogLine(this.ns.kube, this.ns.name, this.name, container, pattern, opts);
  }

  /** Forwards a free local port to `remotePort` of the pod, like `kubectl port-forward`. */
  portForward(remotePort: number): Promise<PortForwardHandle> {
    return portForward(this.ns.kube, this.ns.name, this.name, remotePort);
  }

  /** Waits until its containers have restarted at least `count` times in total. */
  restartsAtLeast(count: number, opts: WaitOptions & { container?: string } = {}): Promise<Pod> {
    return restartCountAtLeast(this.ns.kube, this.ns.name, this.name, count, opts);
  }

  async restarts(): Promise<number> {
    return totalRestarts(await this.read());
  }

  /** Waits until the scheduler reports it cannot place the pod; fails at once if it is scheduled. */
  unschedulable(opts: WaitOptions = {}): Promise<Unschedulable> {
    return podUnschedulable(this.ns.kube, this.ns.name, this.name, opts);
  }

  /** The pod's events, oldest first. */
  async events(): Promise<Wire<CoreV1Event>[]> {
    const list = await this.ns.kube.json<KubeList<Wire<CoreV1Event>>>({
      path: paths.events(this.ns.name),
      query: { fieldSelector: `involvedObject.name=${this.name}` },
      timeoutMs: 15_000,
    });
    return list.items;
  }

  /** Waits until the pod's events include every reason (the kubelet records them asynchronously). */
  async eventReasons(reasons: readonly string[], opts: WaitOptions = {}): Promise<void> {
    type Event = Wire<CoreV1Event> & { metadata?: { name?: string } };
    const mine = (events: Event[]): Set<string | undefined> =>
      new Set(events.filter((e) => e.involvedObject.name === this.name).map((e) => e.reason));
    await waitFor<Event, true>(
      this.ns.kube,
      paths.events(this.ns.name),
      (events) => {
        const seen = mine(events);
        if (reasons.every((r) => seen.has(r))) return true;
        // The kubelet's "Failed" (a pull or a container create that failed) ends the
        // wait for Pulled/Created/Started at once: it says why they will not come.
        const failed = events.find((e) => e.involvedObject.name === this.name && e.reason === 'Failed' && !reasons.includes('Failed'));
        if (failed !== undefined) throw new Error(`events of ${this.what} with reasons ${reasons.join(', ')} will not all come: Failed: ${failed.message ?? ''}`);
        return undefined;
      },
      {
      timeoutMs: 30_000,
      ...opts,
      describe: `events of ${this.what} with reasons ${reasons.join(', ')}`,
      lastSeen: (events) => `reasons seen: ${[...mine(events)].join(', ') || '(none)'}`,
      },
    );
  }

  async delete(): Promise<void> {
    await this.ns.kube.json({ method: 'DELETE', path: `${paths.pods(this.ns.name)}/${this.name}`, timeoutMs: 15_000 });
  }

  /** Asks for its eviction, as `kubectl drain` does: a PodDisruptionBudget may refuse (429). */
  evict(): Promise<EvictionResult> {
    return evictPod(this.ns.kube, this.ns.name, this.name);
  }

  /** Sets labels (a null value removes the label). */
  relabel(labels: Record<string, string | null>): Promise<void> {
    return this.ns.mergePatch('pods', this.name, { metadata: { labels } });
  }
}

export class PodSet {
  constructor(
    private readonly ns: NamespaceHandle,
    readonly selector: string,
  ) {}

  /** The pods the selector picks now, including those being deleted. */
  async list(): Promise<Pod[]> {
    const l = await this.ns.kube.json<KubeList<Pod>>({ path: paths.pods(this.ns.name), query: { labelSelector: this.selector }, timeoutMs: 15_000 });
    return l.items;
  }

  /**
   * Waits, on a watch, until the live pods (not being deleted) lie in the
   * range; resolves with them. The timeout says the range and every pod's state.
   */
  settle(range: PodRange, opts: WaitOptions = {}): Promise<Pod[]> {
    return waitFor<Pod, Pod[]>(this.ns.kube, paths.pods(this.ns.name), (pods) => (inRange(pods, range) ? livePods(pods) : undefined), {
      ...opts,
      labelSelector: this.selector,
      describe: `pods ${this.selector} in ${this.ns.name}: ${describeRange(range)}`,
      lastSeen: formatPods,
    });
  }

  /** Their logs, like `kubectl logs -l <selector> --prefix --all-containers`. */
  logs(opts: LogOptions = {}): Promise<ContainerLog[]> {
    return logsBySelector(this.ns.kube, this.ns.name, this.selector, opts);
  }
}

export class DeploymentHandle {
  constructor(
    private readonly ns: NamespaceHandle,
    readonly name: string,
  ) {}

  read(): Promise<Deployment> {
    return this.ns.kube.json<Deployment>({ path: `${paths.deployments(this.ns.name)}/${this.name}`, timeoutMs: 15_000 });
  }

  /** Waits until it has rolled out, by kubectl's rule; fails at once on ProgressDeadlineExceeded. */
  rolledOut(opts: WaitOptions = {}): Promise<Deployment> {
    return rolloutComplete(this.ns.kube, this.ns.name, this.name, opts);
  }

  /** Runs `action` while watching the Deployment's pods: every change seen, and the availability over time. */
  observePods<R>(action: () => Promise<R>): Promise<Observation<R>> {
    return observeDeploymentPods(this.ns.kube, this.ns.name, this.name, action);
  }

  scale(replicas: number): Promise<void> {
    return this.ns.mergePatch('deployments', this.name, { spec: { replicas } }, 'scale');
  }

  /** The ReplicaSets it owns. */
  async replicaSets(): Promise<ReplicaSet[]> {
    const l = await this.ns.kube.json<KubeList<ReplicaSet>>({ path: paths.replicaSets(this.ns.name), timeoutMs: 15_000 });
    return l.items.filter((rs) => (rs.metadata?.ownerReferences ?? []).some((o) => o.kind === 'Deployment' && o.name === this.name));
  }
}

export class ReplicaSetHandle {
  constructor(
    private readonly ns: NamespaceHandle,
    readonly name: string,
  ) {}

  /** Waits until it has observed its spec and has exactly `replicas` ready replicas. */
  ready(replicas: number, opts: WaitOptions = {}): Promise<ReplicaSet> {
    return replicaSetReady(this.ns.kube, this.ns.name, this.name, replicas, opts);
  }

  /** Deletes it with its pods (foreground propagation) and waits until it is gone. */
  async deleteWithPods(opts: WaitOptions = {}): Promise<void> {
    await this.ns.kube.json({
      method: 'DELETE',
      path: `${paths.replicaSets(this.ns.name)}/${this.name}`,
      query: { propagationPolicy: 'Foreground' },
      timeoutMs: 15_000,
    });
    await objectGone(this.ns.kube, paths.replicaSets(this.ns.name), this.name, { ...opts, what: `ReplicaSet ${this.name}` });
  }
}

export class ServiceHandle {
  constructor(
    private readonly ns: NamespaceHandle,
    readonly name: string,
  ) {}

  read(): Promise<Wire<V1Service>> {
    return this.ns.kube.json({ path: `${paths.services(this.ns.name)}/${this.name}`, timeoutMs: 15_000 });
  }

  /** Waits until its EndpointSlices satisfy `predicate`; `says` completes "endpoints ...". */
  endpoints(predicate: (a: EndpointAddresses) => boolean, says: string, opts: WaitOptions & { signal?: AbortSignal } = {}): Promise<EndpointAddresses> {
    return endpointsReady(this.ns.kube, this.ns.name, this.name, { ...opts, predicate, describe: says });
  }

  /**
   * Waits until the Service accepts a TCP connection made from inside `from`
   * (a pod with curl). Ready endpoints are not enough: kube-proxy programs
   * each node's rules a moment later (about a second on kind), and a
   * connection tried before that is refused, or hangs on a conntrack entry
   * made without the Service's NAT. Each try is a new connection (its own
   * source port, `--connect-timeout 1`), so a failed one leaves nothing
   * behind; tries are 200 ms apart, as no API object tells when the rules
   * are in place. Resolves with the tries it took.
   */
  async reachableFrom(from: PodHandle, opts: WaitOptions & { port?: number } = {}): Promise<{ tries: number; ms: number }> {
    const svc = await this.read();
    const ip = svc.spec?.clusterIP;
    const port = opts.port ?? svc.spec?.ports?.[0]?.port;
    if (ip === undefined || ip === 'None' || port === undefined) throw new Error(`Service ${this.ns.name}/${this.name} has no cluster IP and port to connect to (clusterIP ${ip ?? 'unset'})`);
    const started = Date.now();
    const deadline = started + (opts.timeoutMs ?? 30_000);
    let tries = 0;
    let last = '';
    for (;;) {
      tries++;
      const r = await from.exec(['curl', '-s', '-o', '/dev/null', '--connect-timeout', '1', '-m', '3', '-w', '%{http_code}', `http://${ip}:${port}/`]);
      // 7: refused, 28: no answer in time. Anything else reached a server (an HTTP error, or not HTTP at all).
      if (r.exitCode !== 7 && r.exitCode !== 28) return { tries, ms: Date.now() - started };
      last = `curl exit ${r.exitCode}${r.stderr.trim() ? `: ${r.stderr.trim()}` : ''}`;
      if (Date.now() >= deadline || opts.signal?.aborted === true) {
        throw new Error(`timed out after ${((Date.now() - started) / 1000).toFixed(1)} s waiting for Service ${this.ns.name}/${this.name} (${ip}:${port}) to accept a connection from pod ${from.name}: ${tries} tries, last: ${last}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Deletes it; a Service already gone is fine. */
  async delete(): Promise<void> {
    await this.ns.kube.json({ method: 'DELETE', path: `${paths.services(this.ns.name)}/${this.name}`, timeoutMs: 15_000 }).catch((err: unknown) => {
      if (!isNotFound(err)) throw err;
    });
  }
}

type Budget = { metadata?: { name?: string }; status?: { disruptionsAllowed?: number; currentHealthy?: number } };

export class BudgetHandle {
  constructor(
    private readonly ns: NamespaceHandle,
    readonly name: string,
  ) {}

  /** Waits until the PodDisruptionBudget's status says it allows `allowed` disruptions with `healthy` healthy pods. */
  allows(allowed: number, healthy: number, opts: WaitOptions = {}): Promise<Budget> {
    return waitFor<Budget & { metadata?: { name?: string } }, Budget>(
      this.ns.kube,
      paths.podDisruptionBudgets(this.ns.name),
      ([b]) => (b?.status?.disruptionsAllowed === allowed && b.status.currentHealthy === healthy ? b : undefined),
      {
        ...opts,
        fieldSelector: byName(this.name),
        describe: `budget ${this.name} to allow ${allowed} disruption(s) with ${healthy} healthy`,
        lastSeen: ([b]) => (b ? `disruptionsAllowed=${b.status?.disruptionsAllowed ?? '?'} currentHealthy=${b.status?.currentHealthy ?? '?'}` : 'no budget'),
      },
    );
  }
}

/**
 * Waits for all of them (testcontainers' `Wait.forAll`): resolves with every
 * result, or fails naming every wait that failed, not only the first.
 */
export async function allOf<T extends readonly unknown[]>(waits: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(waits);
  const failed = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed.length === 1) throw failed[0]?.reason;
  if (failed.length > 1) {
    // A rejection reason can be anything: an Error, a string, undefined.
    const message = (f: PromiseRejectedResult): string => (f.reason as { message?: string } | null | undefined)?.message ?? String(f.reason);
    throw new Error(`${failed.length} of ${settled.length} waits failed:\n${failed.map((f) => `- ${message(f)}`).join('\n')}`);
  }
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
