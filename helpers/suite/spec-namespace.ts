// The jest glue a spec stands on:
//
//   const ns = useSpecNamespace('pod');
//
// at the top of a describe gives the spec a fresh namespace (created in
// beforeAll): a handle that carries its client (`ns.pod('web').ready()`), the
// provider, a cleanup registry, and an apply() into the namespace. When a
// test (or hook) fails, the namespace's events, pod states and logs are
// written to artifacts/<spec>/<time>/ and a summary is added to that test's
// failure message. afterAll runs the cleanup registry (last in, first out),
// which ends by deleting the namespace (the global teardown waits until the
// run's namespaces are gone). SIGINT/SIGTERM run the same cleanup, then exit.
//
// How a failure is noticed: jest 30's circus runner gives hooks no test
// status, so the e2e test environment (specs/setup/environment.ts) records
// every `test_fn_failure` and `hook_failure` event on the file's global
// (see failures.ts); afterEach/afterAll read it. This sees failures of any
// test, however it was declared (test, it, test.each, ...), which wrapping
// `test` would not.
import { existsSync, readFileSync } from 'node:fs';
import {
  applyObjects,
  CleanupRegistry,
  clusterFaultsSince,
  collectDiagnostics,
  createTestNamespace,
  faultsInErrors,
  deleteApplied,
  deleteNamespace,
  formatCleanupFailures,
  healthBaseline,
  installSignalCleanup,
  NamespaceHandle,
  sourcedObjects,
  type AppliedObject,
  type ApplyOptions,
  type ClusterFault,
  type Diagnostics,
  type HealthBaseline,
  type Kube,
  type ManifestLike,
  type SourcedObject,
} from '../kube/index.js';
import { imagesOf } from '../tutorial/index.js';
import { providerFromEnv, type ClusterInfo, type ClusterProvider } from '../providers/index.js';
import { appendToError, failureLog } from './failures.js';
import { interruptedMarker } from './records.js';

export interface SpecCluster {
  kube: Kube;
  provider: ClusterProvider;
  info: ClusterInfo;
}

let cluster: Promise<SpecCluster> | undefined;

/**
 * The cluster of this run, as the e2e global setup resolved it (it exports
 * KUBECONFIG, TUTORIAL_E2E_CONTEXT and TUTORIAL_E2E_PROVIDER to the workers).
 * Never creates a cluster. Memoized per test file.
 */
export function specCluster(): Promise<SpecCluster> {
  cluster ??= (async () => {
    const provider = providerFromEnv();
    const info = await provider.ensure({ create: false });
    return { kube: provider.kube(), provider, info };
  })();
  cluster.catch(() => (cluster = undefined));
  return cluster;
}

function isManifestLike(x: ManifestLike | SourcedObject): x is ManifestLike {
  return 'objects' in x && Array.isArray(x.objects);
}

function need<T>(spec: string, v: T | undefined, what: string): T {
  if (v === undefined) throw new Error(`useSpecNamespace('${spec}'): ${what} is available from beforeAll on`);
  return v;
}

interface State {
  cluster?: SpecCluster;
  namespace?: string;
  /** The cluster's health traces when the spec started: what a failure's fault check compares with. */
  baseline?: HealthBaseline;
}

/** A spec's namespace: a handle on it (pods, workloads, services) plus what the harness adds. */
export class SpecNamespace extends NamespaceHandle {
  /** Undo steps run in afterAll, newest first; the namespace deletion is the last. */
  readonly cleanup = new CleanupRegistry();

  constructor(
    private readonly spec: string,
    private readonly state: State,
    private readonly onApplied?: (applied: { keys: string[]; images: string[] }, dryRun: boolean) => void,
  ) {
    super(() => ({ kube: need(spec, state.cluster, 'the cluster').kube, name: need(spec, state.namespace, 'the namespace') }));
  }

  get provider(): ClusterProvider {
    return need(this.spec, this.state.cluster, 'the cluster').provider;
  }

  get info(): ClusterInfo {
    return need(this.spec, this.state.cluster, 'the cluster').info;
  }

  /**
   * Discovery preflight, then server-side apply into the namespace. Accepts
   * tutorial manifest blocks or sourced objects. Cluster-scoped objects are
   * labelled as the suite's and registered for deletion.
   */
  async apply(manifests: readonly ManifestLike[] | readonly SourcedObject[], opts: Omit<ApplyOptions, 'namespace' | 'spec'> = {}): Promise<AppliedObject[]> {
    const kube = this.kube;
    const items: SourcedObject[] = manifests.flatMap((m: ManifestLike | SourcedObject) => (isManifestLike(m) ? sourcedObjects([m]) : [m]));
    // Told before the server answers: a manifest the server refuses was still submitted as written.
    const keys = [...new Set(items.flatMap((i) => (i.source?.key !== undefined ? [i.source.key] : [])))];
    this.onApplied?.({ keys, images: [...new Set(imagesOf(items.map((i) => i.object)))] }, opts.dryRun === true);
    const applied = await applyObjects(kube, items, { ...opts, namespace: this.name, spec: this.spec });
    for (const a of applied) {
      if (!a.namespace) this.cleanup.add(`delete ${a.resource.kind} ${a.name}`, () => deleteApplied(kube, a));
    }
    return applied;
  }

  /** Collects diagnostics now (they are collected automatically on failure). */
  diagnostics(testName?: string): Promise<Diagnostics> {
    return collectDiagnostics(this.kube, this.name, { spec: this.spec, testName });
  }
}

export interface UseSpecNamespaceOptions {
  /** Which failed tests are this namespace's (default: all): where one file has several namespaces, the diagnostics of each go to its own tests. */
  owns?: (testName: string) => boolean;
  /** Told the manifest keys and container images of every apply (for the report's accounting and stand-in marks). */
  onApplied?: (applied: { keys: string[]; images: string[] }, dryRun: boolean) => void;
  /** Told when failed tests ran while the cluster itself failed (the failures' messages say so too). */
  onClusterFault?: (faults: ClusterFault[], tests: string[]) => void;
  /** Keep the namespace when a test failed, to look at it (also TUTORIAL_E2E_KEEP_ON_FAILURE=1). */
  keepOnFailure?: boolean;
}

export function useSpecNamespace(spec: string, opts: UseSpecNamespaceOptions = {}): SpecNamespace {
  const state: State = {};
  const ns = new SpecNamespace(spec, state, opts.onApplied);
  let uninstallSignals: (() => void) | undefined;
  let failed = false;
  const keep = opts.keepOnFailure ?? process.env.TUTORIAL_E2E_KEEP_ON_FAILURE === '1';

  async function attachDiagnostics(): Promise<void> {
    const log = failureLog();
    const fresh = log.filter((f) => !f.handled && (opts.owns?.(f.name) ?? true));
    if (fresh.length === 0) return;
    for (const f of fresh) f.handled = true;
    failed = true;
    await tellClusterFaults(fresh);
    if (!state.cluster || !state.namespace) return; // failed before the namespace existed: nothing to look at
    let summary: string;
    try {
      summary = (await collectDiagnostics(state.cluster.kube, state.namespace, { spec, testName: fresh.map((f) => f.name).join('; ') })).summary;
    } catch (err) {
      summary = `(diagnostics of namespace ${state.namespace} could not be collected: ${(err as Error).message})`;
    }
    for (const f of fresh) {
      if (!appendToError(f.error, summary) && !f.amend?.(summary)) process.stderr.write(`${f.name}: ${summary}\n`);
    }
  }

  /**
   * Before the namespace's own diagnostics: did the cluster fail under these
   * tests? If so their failures are no finding on the tutorial, and the
   * first line of the message says so (the report's verdict comes from the
   * record). The check has short deadlines: the cluster may still be down.
   */
  async function tellClusterFaults(fresh: readonly { name: string; error: unknown; amend?: (text: string) => boolean }[]): Promise<void> {
    if (state.baseline === undefined) return;
    const kube = state.cluster?.kube ?? providerFromEnv().kube();
    let faults: ClusterFault[];
    try {
      faults = await clusterFaultsSince(kube, state.baseline, state.namespace !== undefined ? { namespace: state.namespace } : {});
    } catch (err) {
      faults = [{ component: 'unknown', what: `the cluster's health could not be read: ${(err as Error).message}` }];
    }
    const messages = fresh.map((f) => (f.error instanceof Error ? `${f.error.message}\n${f.error.stack ?? ''}` : String(f.error)));
    faults.push(...faultsInErrors(messages, kube.server));
    if (faults.length === 0) return;
    opts.onClusterFault?.(faults, fresh.map((f) => f.name));
    const text = `CLUSTER FAULT: the cluster failed while this ran, so this failure is no finding on the tutorial:\n${faults.map((f) => `  - ${f.what}`).join('\n')}`;
    for (const f of fresh) {
      if (!appendToError(f.error, text) && !f.amend?.(text)) process.stderr.write(`${f.name}: ${text}\n`);
    }
  }

  beforeAll(async () => {
    failureLog(); // fail fast, and clearly, without the e2e environment
    // Taken first: a cluster that is down now is a fault of this section's beforeAll too.
    state.baseline = { at: new Date(), apiServers: {} };
    const interrupted = interruptedMarker();
    if (existsSync(interrupted)) throw new Error(`the run was interrupted (${readFileSync(interrupted, 'utf8').trim()}): this spec creates nothing`);
    const c = await specCluster();
    state.baseline = await healthBaseline(c.kube);
    state.cluster = c;
    uninstallSignals = installSignalCleanup(ns.cleanup);
    const name = await createTestNamespace(c.kube, spec);
    state.namespace = name;
    ns.cleanup.add(`delete namespace ${name}`, async () => {
      if (failed && keep) {
        process.stderr.write(`tutorial-e2e: kept namespace ${name} of failed spec "${spec}" (the next run sweeps it)\n`);
        return;
      }
      // Not waited for here: the namespace controller takes about 5 s, which
      // would hold the spec file that long for every source. The e2e global
      // teardown waits until every namespace of the run is gone.
      await deleteNamespace(c.kube, name, { wait: false });
    });
  }, 60_000);

  afterEach(attachDiagnostics, 120_000);

  afterAll(async () => {
    await attachDiagnostics(); // failures of beforeAll/afterAll hooks
    try {
      const failures = await ns.cleanup.runAll({ stepTimeoutMs: 160_000 });
      if (failures.length > 0) throw new Error(formatCleanupFailures(failures));
    } finally {
      uninstallSignals?.();
    }
  }, 200_000);

  return ns;
}
