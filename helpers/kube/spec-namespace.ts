// The jest glue a spec stands on:
//
//   const ns = useSpecNamespace('pod');
//
// at the top of a describe gives the spec a fresh namespace (created in
// beforeAll), its client bundle and provider, a cleanup registry, and an
// apply() into the namespace. When a test (or hook) fails, the namespace's
// events, pod states and logs are written to artifacts/<spec>/<time>/ and a
// summary is added to that test's failure message. afterAll runs the cleanup
// registry (last in, first out), which ends by deleting the namespace (the
// global teardown waits until the run's namespaces are gone). SIGINT/SIGTERM run the same cleanup, then exit.
//
// How a failure is noticed: jest 30's circus runner gives hooks no test
// status, so the e2e test environment (specs/setup/environment.ts) records
// every `test_fn_failure` and `hook_failure` event on the file's global
// (see failures.ts); afterEach/afterAll read it. This sees failures of any
// test, however it was declared (test, it, test.each, ...), which wrapping
// `test` would not.
import type { ClusterInfo, ClusterProvider } from '../providers/types.js';
import { providerFromEnv } from '../providers/from-env.js';
import { applyObjects, deleteApplied, type AppliedObject, type ApplyOptions } from './apply.js';
import { CleanupRegistry, formatCleanupFailures, installSignalCleanup } from './cleanup.js';
import type { Kube } from './client.js';
import { collectDiagnostics, type Diagnostics } from './diagnostics.js';
import { appendToError, failureLog } from './failures.js';
import { sourcedObjects, type ManifestLike, type SourcedObject } from './manifest.js';
import { createTestNamespace, deleteNamespace } from './namespace.js';

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

export interface SpecNamespace {
  /** The namespace name (`tte-<spec>-<random>`). Available from beforeAll on. */
  readonly name: string;
  readonly kube: Kube;
  readonly provider: ClusterProvider;
  readonly info: ClusterInfo;
  /** Undo steps run in afterAll, newest first; the namespace deletion is the last. */
  readonly cleanup: CleanupRegistry;
  /**
   * Discovery preflight, then server-side apply into the namespace. Accepts
   * tutorial manifest blocks or sourced objects. Cluster-scoped objects are
   * labelled as the suite's and registered for deletion.
   */
  apply(manifests: readonly ManifestLike[] | readonly SourcedObject[], opts?: Omit<ApplyOptions, 'namespace' | 'spec'>): Promise<AppliedObject[]>;
  /** Collects diagnostics now (they are collected automatically on failure). */
  diagnostics(testName?: string): Promise<Diagnostics>;
}

function isManifestLike(x: ManifestLike | SourcedObject): x is ManifestLike {
  return 'objects' in x && Array.isArray((x as ManifestLike).objects);
}

export interface UseSpecNamespaceOptions {
  /** Keep the namespace when a test failed, to look at it (also TUTORIAL_E2E_KEEP_ON_FAILURE=1). */
  keepOnFailure?: boolean;
}

export function useSpecNamespace(spec: string, opts: UseSpecNamespaceOptions = {}): SpecNamespace {
  const registry = new CleanupRegistry();
  let c: SpecCluster | undefined;
  let namespace: string | undefined;
  let uninstallSignals: (() => void) | undefined;
  let failed = false;
  const keep = opts.keepOnFailure ?? process.env.TUTORIAL_E2E_KEEP_ON_FAILURE === '1';

  const need = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`useSpecNamespace('${spec}'): ${what} is available from beforeAll on`);
    return v;
  };

  async function attachDiagnostics(): Promise<void> {
    const log = failureLog();
    const fresh = log.filter((f) => !f.handled);
    if (fresh.length === 0) return;
    for (const f of fresh) f.handled = true;
    failed = true;
    if (!c || !namespace) return; // failed before the namespace existed: nothing to look at
    let summary: string;
    try {
      summary = (await collectDiagnostics(c.kube, namespace, { spec, testName: fresh.map((f) => f.name).join('; ') })).summary;
    } catch (err) {
      summary = `(diagnostics of namespace ${namespace} could not be collected: ${(err as Error).message})`;
    }
    for (const f of fresh) {
      if (!appendToError(f.error, summary) && !f.amend?.(summary)) process.stderr.write(`${f.name}: ${summary}\n`);
    }
  }

  beforeAll(async () => {
    failureLog(); // fail fast, and clearly, without the e2e environment
    c = await specCluster();
    uninstallSignals = installSignalCleanup(registry);
    namespace = await createTestNamespace(c.kube, spec);
    const ns = namespace;
    const kube = c.kube;
    registry.add(`delete namespace ${ns}`, async () => {
      if (failed && keep) {
        process.stderr.write(`tutorial-e2e: kept namespace ${ns} of failed spec "${spec}" (the next run sweeps it)\n`);
        return;
      }
      // Not waited for here: the namespace controller takes about 5 s, which
      // would hold the spec file that long for every source. The e2e global
      // teardown waits until every namespace of the run is gone.
      await deleteNamespace(kube, ns, { wait: false });
    });
  }, 60_000);

  afterEach(attachDiagnostics, 120_000);

  afterAll(async () => {
    await attachDiagnostics(); // failures of beforeAll/afterAll hooks
    try {
      const failures = await registry.runAll({ stepTimeoutMs: 160_000 });
      if (failures.length > 0) throw new Error(formatCleanupFailures(failures));
    } finally {
      uninstallSignals?.();
    }
  }, 200_000);

  return {
    get name() {
      return need(namespace, 'the namespace');
    },
    get kube() {
      return need(c, 'the cluster').kube;
    },
    get provider() {
      return need(c, 'the cluster').provider;
    },
    get info() {
      return need(c, 'the cluster').info;
    },
    cleanup: registry,
    async apply(manifests, applyOpts = {}) {
      const kube = need(c, 'the cluster').kube;
      const items: SourcedObject[] =
        manifests.length > 0 && isManifestLike(manifests[0]!)
          ? sourcedObjects(manifests as readonly ManifestLike[])
          : [...(manifests as readonly SourcedObject[])];
      const applied = await applyObjects(kube, items, { ...applyOpts, namespace: need(namespace, 'the namespace'), spec });
      for (const a of applied) {
        if (!a.namespace) registry.add(`delete ${a.resource.kind} ${a.name}`, () => deleteApplied(kube, a));
      }
      return applied;
    },
    diagnostics(testName?: string) {
      return collectDiagnostics(need(c, 'the cluster').kube, need(namespace, 'the namespace'), { spec, testName });
    },
  };
}
