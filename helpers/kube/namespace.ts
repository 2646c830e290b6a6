// A namespace per spec: everything a spec applies lives in it, so deleting it
// cleans up, and concurrent specs (or runs) cannot see each other's objects.
// The namespace carries who made it (run id, host, pid) so the next run can
// tell a leftover of a dead run from the namespace of a live one.
import type { V1Namespace } from '@kubernetes/client-node';
import pRetry from 'p-retry';
import type { Kube } from './client.js';
import { paths, resourcePath } from './discovery.js';
import { isNotFound, statusOf } from './http.js';
import {
  isPidAlive,
  MANAGED_SELECTOR,
  RUN_ID_ANNOTATION,
  ownershipMetadata,
  runIdentity,
  selectLeftovers,
  testNamespaceName,
  type Leftover,
  type OwnedObjectMeta,
} from './ownership.js';
import { objectGone } from './waits.js';
import { byName, waitFor, type WaitOptions } from './watch.js';
import type { KubeList, KubeObject, Wire } from './wire.js';

/**
 * Creates `tte-<spec>-<random>` with the suite's labels and annotations, and
 * waits for its `default` ServiceAccount (pods created before it exists are
 * rejected, a race the Kubernetes e2e framework also waits out).
 */
export async function createTestNamespace(kube: Kube, spec: string, opts: WaitOptions = {}): Promise<string> {
  const own = ownershipMetadata(spec);
  for (let attempt = 1; ; attempt++) {
    const name = testNamespaceName(spec);
    try {
      await kube.json({
        method: 'POST',
        path: paths.namespaces(),
        body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...own } }),
        timeoutMs: 15_000,
      });
    } catch (err) {
      if (statusOf(err) === 409 && attempt < 3) continue; // name taken: draw another
      throw err;
    }
    await waitFor<KubeObject, true>(kube, `/api/v1/namespaces/${name}/serviceaccounts`, (sas) => sas.length > 0 || undefined, {
      timeoutMs: opts.timeoutMs ?? 30_000,
      signal: opts.signal,
      fieldSelector: byName('default'),
      describe: `the default ServiceAccount of namespace ${name}`,
      lastSeen: () => 'not created yet (is kube-controller-manager running?)',
    });
    return name;
  }
}

/**
 * Retries a request the API server did not answer at all (refused, reset,
 * timed out: a restarting server), for up to about 45 s; an answer, even an
 * error, is final. What the suite created must still be deleted after a
 * short outage, or the run leaves it to the next run's sweep.
 */
export function whileUnreachable<T>(request: () => Promise<T>): Promise<T> {
  return pRetry(request, { retries: 20, minTimeout: 500, maxTimeout: 3000, maxRetryTime: 45_000, shouldRetry: ({ error }) => statusOf(error) === undefined });
}

/** Deletes a namespace and (unless wait is false) waits until it is gone. */
export async function deleteNamespace(kube: Kube, name: string, opts: WaitOptions & { wait?: boolean } = {}): Promise<void> {
  try {
    // A spec's pods have nothing to shut down gracefully, and some never
    // would (the tutorial's bastion runs `sleep infinity`, which ignores
    // SIGTERM): without this every namespace takes the 30 s grace period.
    await whileUnreachable(() =>
      kube.json({
        method: 'DELETE',
        path: `/api/v1/namespaces/${name}/pods`,
        query: { gracePeriodSeconds: 0 },
        timeoutMs: 15_000,
      }),
    );
    await whileUnreachable(() => kube.json({ method: 'DELETE', path: `/api/v1/namespaces/${name}`, timeoutMs: 15_000 }));
  } catch (err) {
    if (isNotFound(err)) return;
    throw err;
  }
  if (opts.wait === false) return;
  await objectGone(kube, paths.namespaces(), name, { timeoutMs: opts.timeoutMs ?? 120_000, signal: opts.signal, what: `namespace ${name}` });
}

/** Every namespace carrying the suite's managed-by label, whichever run made it. */
export async function managedNamespaces(kube: Kube): Promise<Wire<V1Namespace>[]> {
  const list = await kube.json<KubeList<Wire<V1Namespace>>>({
    path: paths.namespaces(),
    query: { labelSelector: MANAGED_SELECTOR },
    timeoutMs: 15_000,
  });
  return list.items;
}

/** The namespaces a run made (by its run id annotation), and whether each is being deleted. */
export async function runNamespaces(kube: Kube, runId: string): Promise<{ name: string; deleting: boolean }[]> {
  return (await managedNamespaces(kube))
    .filter((n) => n.metadata?.annotations?.[RUN_ID_ANNOTATION] === runId)
    .map((n) => ({ name: n.metadata?.name ?? '?', deleting: n.metadata?.deletionTimestamp !== undefined }));
}

/**
 * Waits, on one watch of the suite's namespaces, until none of `names` is
 * left; on the deadline names those still there and what they are waiting for
 * (their status conditions say which content or finalizer remains).
 */
export async function namespacesGone(kube: Kube, names: readonly string[], opts: WaitOptions = {}): Promise<void> {
  if (names.length === 0) return;
  const wanted = new Set(names);
  type Ns = KubeObject & { status?: { phase?: string; conditions?: { type?: string; status?: string; message?: string }[] } };
  await waitFor<Ns, true>(kube, paths.namespaces(), (all) => !all.some((n) => wanted.has(n.metadata?.name ?? '')) || undefined, {
    ...opts,
    labelSelector: MANAGED_SELECTOR,
    describe: `the run's ${names.length} namespace(s) to be gone`,
    lastSeen: (all) =>
      all
        .filter((n) => wanted.has(n.metadata?.name ?? ''))
        .map((n) => {
          const why = (n.status?.conditions ?? []).filter((c) => c.status === 'True').map((c) => `${c.type ?? '?'}: ${c.message ?? '?'}`);
          return `${n.metadata?.name ?? '?'} ${n.status?.phase ?? '?'}${why.length > 0 ? ` (${why.join('; ')})` : ''}`;
        })
        .join(', ') || 'all gone',
  });
}

function ownedMeta(o: KubeObject): OwnedObjectMeta {
  const m = o.metadata ?? {};
  return {
    name: m.name ?? '?',
    labels: m.labels,
    annotations: m.annotations,
    creationTimestamp: m.creationTimestamp,
    deletionTimestamp: m.deletionTimestamp,
  };
}

export interface SweepOptions {
  /** Leftovers older than this are deleted whoever made them. Default: $TUTORIAL_E2E_LEFTOVER_MAX_AGE_MIN minutes, else 180. */
  maxAgeMs?: number;
  /** Only report, delete nothing. */
  dryRun?: boolean;
  /** Also look for cluster-scoped objects carrying the suite's labels. Default true. */
  clusterScoped?: boolean;
}

export interface SweepResult {
  namespaces: Leftover[];
  clusterScoped: (Leftover & { kind: string; path: string })[];
}

function defaultMaxAgeMs(): number {
  const min = Number(process.env.TUTORIAL_E2E_LEFTOVER_MAX_AGE_MIN);
  return (Number.isFinite(min) && min > 0 ? min : 180) * 60_000;
}

/**
 * Deletes what earlier runs left behind: managed namespaces (and labelled
 * cluster-scoped objects) whose run's process is gone from this host, or that
 * are older than the age bound. Does not wait for namespaces to finish
 * terminating: the next run's namespaces have other names.
 */
export async function sweepLeftovers(kube: Kube, opts: SweepOptions = {}): Promise<SweepResult> {
  const id = runIdentity();
  const policy = { host: id.host, currentRunId: id.runId, isAlive: isPidAlive, now: new Date(), maxAgeMs: opts.maxAgeMs ?? defaultMaxAgeMs() };
  const namespaces = selectLeftovers((await managedNamespaces(kube)).map((n) => ownedMeta(n as KubeObject)), policy);
  if (!opts.dryRun) {
    for (const ns of namespaces) await deleteNamespace(kube, ns.name, { wait: false });
  }
  const clusterScoped: SweepResult['clusterScoped'] = [];
  if (opts.clusterScoped !== false) {
    for (const found of await findClusterScopedLeftovers(kube, policy)) {
      clusterScoped.push(found);
      if (!opts.dryRun) {
        try {
          await kube.json({ method: 'DELETE', path: found.path, timeoutMs: 15_000 });
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }
    }
  }
  return { namespaces, clusterScoped };
}

/**
 * Cluster-scoped objects carrying the suite's managed-by label that a dead or
 * too-old run left. Lists every listable cluster-scoped kind with the label
 * selector (namespaces excluded: sweepLeftovers handles those).
 */
export async function findClusterScopedLeftovers(
  kube: Kube,
  policy: Parameters<typeof selectLeftovers>[1],
): Promise<(Leftover & { kind: string; path: string })[]> {
  const resources = (await kube.discovery.allResources()).filter(
    (r) => !r.namespaced && r.verbs.includes('list') && r.verbs.includes('delete') && !(r.group === '' && r.kind === 'Namespace'),
  );
  // The same kind is often served by several versions: list it once, preferring the first listed.
  const seen = new Set<string>();
  const out: (Leftover & { kind: string; path: string })[] = [];
  for (const r of resources) {
    const key = `${r.group}/${r.kind}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let items: KubeObject[];
    try {
      items = (
        await kube.json<KubeList<KubeObject>>({ path: resourcePath(r), query: { labelSelector: MANAGED_SELECTOR }, timeoutMs: 15_000 })
      ).items;
    } catch {
      continue; // a kind we may not list, or an aggregated API that is down: not ours to judge
    }
    for (const l of selectLeftovers(items.map(ownedMeta), policy)) {
      out.push({ ...l, kind: `${r.apiVersion} ${r.kind}`, path: resourcePath(r, undefined, l.name) });
    }
  }
  return out;
}
