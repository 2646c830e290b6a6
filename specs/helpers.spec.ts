// The helpers themselves, against the real cluster: namespace, apply with
// preflight, waits, exec, logs, port-forward, eviction, HTTP checks, rollout
// observation and cleanup. No mocks: if these pass, specs can stand on them.
import {
  deploymentRolloutStatus,
  endpointsReady,
  evictPod,
  execInPod,
  formatTimeline,
  httpFromPod,
  logsBySelector,
  objectGone,
  observeDeploymentPods,
  paths,
  podLogs,
  podReady,
  portForward,
  rolloutBounds,
  rolloutComplete,
  UnservedApiError,
  waitFor,
  WaitTimeoutError,
  withReplacementApiVersion,
  type KubeObject,
  type Pod,
  type SourcedObject,
} from '../helpers/kube/index.js';
import { nodePortAnswers } from '../helpers/suite/node-port.js';
import { useSpecNamespace } from '../helpers/suite/spec-namespace.js';

const IMAGE = 'nginx:1.21';
const here = (line: number, key: string): SourcedObject['source'] => ({ file: 'specs/helpers.spec.ts', line, key });

const webPod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    terminationGracePeriodSeconds: 1,
    containers: [
      {
        name: 'nginx',
        image: IMAGE,
        ports: [{ containerPort: 80 }],
        readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 1 },
      },
    ],
  },
};

const webService: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web' },
  spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 80 }] },
};

// As an old tutorial writes it; the server no longer serves policy/v1beta1.
const oldPdb: KubeObject = {
  apiVersion: 'policy/v1beta1',
  kind: 'PodDisruptionBudget',
  metadata: { name: 'web-pdb' },
  spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } },
};

describe('helpers against the cluster', () => {
  const ns = useSpecNamespace('helpers');

  test('the namespace is the suite\'s, labelled and annotated', async () => {
    expect(ns.name).toMatch(/^tte-helpers-[a-z0-9]{6}$/);
    const got = await ns.kube.core.readNamespace({ name: ns.name });
    expect(got.metadata?.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'tutorial-e2e', 'tutorial-e2e/spec': 'helpers' });
    expect(Object.keys(got.metadata?.annotations ?? {})).toEqual(
      expect.arrayContaining(['tutorial-e2e/run-id', 'tutorial-e2e/host', 'tutorial-e2e/pid']),
    );
  });

  test('the preflight refuses an unserved API before applying anything', async () => {
    const configMap: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'first' }, data: { a: '1' } };
    const err = await ns
      .apply([
        { object: configMap, source: here(1, 'helpers/configmap') },
        { object: oldPdb, source: here(55, 'helpers/pdb') },
      ])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnservedApiError);
    const msg = (err as Error).message;
    expect(msg).toContain('specs/helpers.spec.ts:55 (manifest "helpers/pdb")');
    expect(msg).toContain('policy/v1beta1');
    expect(msg).toContain('Replacement: policy/v1 PodDisruptionBudget');
    expect(msg).toContain(ns.info.serverVersion);
    // Nothing was applied: the ConfigMap listed first does not exist.
    await expect(ns.kube.core.readNamespacedConfigMap({ name: 'first', namespace: ns.name })).rejects.toMatchObject({ code: 404 });
  });

  test('apply, then wait for the pod to be Ready', async () => {
    const applied = await ns.apply([{ object: webPod, source: here(34, 'helpers/pod') }, { object: webService, source: here(50, 'helpers/svc') }]);
    expect(applied.map((a) => `${a.resource.kind}/${a.name}`)).toEqual(['Pod/web', 'Service/web']);
    const pod = await podReady(ns.kube, ns.name, 'web', { timeoutMs: 90_000 });
    expect(pod.status?.podIP).toBeTruthy();
  });

  test('exec returns stdout, stderr and the exit code', async () => {
    const ok = await execInPod(ns.kube, ns.name, 'web', ['sh', '-c', 'echo out; echo err >&2; exit 3'], { container: 'nginx' });
    expect(ok).toEqual({ stdout: 'out\n', stderr: 'err\n', exitCode: 3 });
    const zero = await execInPod(ns.kube, ns.name, 'web', ['cat', '/etc/hostname']);
    expect(zero.exitCode).toBe(0);
    expect(zero.stdout.trim()).toBe('web');
  });

  test('HTTP from inside the cluster: curl in the pod', async () => {
    // kube-proxy programs the Service a moment after its endpoints are ready (about a second on kind).
    await ns.service('web').reachableFrom(ns.pod('web'));
    const answer = await httpFromPod(ns.kube, ns.name, 'web', `http://web.${ns.name}.svc/`);
    expect(answer.error).toBeUndefined();
    expect(answer.statusLine).toMatch(/^HTTP\/1\.1 200/);
    expect(answer.headers['server']).toMatch(/^nginx\//); // the local stand-in for nginx:1.21 may be another 1.x
    expect(answer.body).toContain('Welcome to nginx!');
  });

  test('logs, by pod and by label selector', async () => {
    const text = await podLogs(ns.kube, ns.name, 'web', { container: 'nginx' });
    expect(text).toContain('GET / HTTP/1.1');
    const all = await logsBySelector(ns.kube, ns.name, 'app=web');
    expect(all.map((l) => `${l.pod}/${l.container}`)).toEqual(['web/nginx']);
  });

  test('port-forward to a free local port', async () => {
    const pf = await portForward(ns.kube, ns.name, 'web', 80);
    try {
      const res = await fetch(pf.url, { signal: AbortSignal.timeout(10_000) });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('Welcome to nginx!');
    } finally {
      await pf.close();
    }
  });

  test('a Service: ready endpoints, and its NodePort from outside the cluster', async () => {
    const endpoints = await endpointsReady(ns.kube, ns.name, 'web', { timeoutMs: 60_000 });
    expect(endpoints.ready).toHaveLength(1);
    const svc = await ns.kube.core.readNamespacedService({ name: 'web', namespace: ns.name });
    const nodePort = svc.spec?.ports?.[0]?.nodePort;
    expect(nodePort).toBeGreaterThanOrEqual(30000);
    if (nodePort === undefined) throw new Error('the Service web has no NodePort');
    // kube-proxy programs the NodePort a moment after the endpoints are ready (about a second on kind).
    const answer = await nodePortAnswers(ns, nodePort);
    expect(answer.error).toBeUndefined();
    expect(answer.status).toBe(200);
  });

  test('a wait that times out says what it waited for and what it saw last', async () => {
    const err = await waitFor<Pod, true>(ns.kube, paths.pods(ns.name), () => undefined, {
      timeoutMs: 1500,
      fieldSelector: 'metadata.name=web',
      describe: 'something that never happens',
      lastSeen: ([p]) => (p ? `pod web phase=${p.status?.phase ?? '?'}` : 'no pod'),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect((err as Error).message).toMatch(/timed out after 1\.5s waiting for something that never happens\n {2}last seen .*: pod web phase=Running/);
  });

  test('eviction: refused by the budget (as policy/v1), allowed without it', async () => {
    const { object: pdb } = withReplacementApiVersion(oldPdb);
    expect(pdb.apiVersion).toBe('policy/v1');
    await ns.apply([{ object: pdb, source: here(55, 'helpers/pdb') }]);
    // The disruption controller must have computed the budget before it can refuse.
    await waitFor<KubeObject, true>(
      ns.kube,
      paths.podDisruptionBudgets(ns.name),
      ([b]) => ((b?.status as { currentHealthy?: number } | undefined)?.currentHealthy === 1 ? true : undefined),
      { fieldSelector: 'metadata.name=web-pdb', describe: 'the budget to count the pod', timeoutMs: 60_000 },
    );
    const refused = await evictPod(ns.kube, ns.name, 'web');
    expect(refused).toMatchObject({ allowed: false, status: 429 });
    if (!refused.allowed) expect(refused.message).toMatch(/disruption budget/);

    await ns.kube.policy.deleteNamespacedPodDisruptionBudget({ name: 'web-pdb', namespace: ns.name });
    await objectGone(ns.kube, paths.podDisruptionBudgets(ns.name), 'web-pdb', { timeoutMs: 30_000 });
    expect(await evictPod(ns.kube, ns.name, 'web')).toEqual({ allowed: true });
    await objectGone(ns.kube, paths.pods(ns.name), 'web', { timeoutMs: 60_000 });
  });

  test('a rolling update, observed: availability never below what the strategy allows', async () => {
    const deployment: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'roll' },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'roll' } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        template: {
          metadata: { labels: { app: 'roll' } },
          spec: {
            terminationGracePeriodSeconds: 1,
            containers: [{ name: 'nginx', image: IMAGE, readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 1 } }],
          },
        },
      },
    };
    await ns.apply([{ object: deployment, source: here(180, 'helpers/deployment') }]);
    const done = await rolloutComplete(ns.kube, ns.name, 'roll', { timeoutMs: 90_000 });
    expect(deploymentRolloutStatus(done).done).toBe(true);

    const bounds = rolloutBounds(3, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    const seen = await observeDeploymentPods(ns.kube, ns.name, 'roll', async () => {
      // A template change (same image: no pull needed) starts a rollout.
      const changed = structuredClone(deployment) as { spec: { template: { metadata: { annotations?: Record<string, string> } } } };
      changed.spec.template.metadata.annotations = { 'tutorial-e2e/restarted-at': new Date().toISOString() };
      await ns.apply([{ object: changed as unknown as KubeObject, source: here(180, 'helpers/deployment') }]);
      return rolloutComplete(ns.kube, ns.name, 'roll', { timeoutMs: 90_000 });
    });
    expect(seen.events.length).toBeGreaterThan(0);
    // Availability is what the strategy promises of pods. maxSurge is not
    // checked here: the Deployment controller keeps it on the ReplicaSets'
    // replica counts, and a new ReplicaSet's pod may be created a moment before
    // the old ReplicaSet's controller marks its pod for deletion (measured: 5
    // active pods for 3 replicas + 1 surge, for a few milliseconds).
    if (seen.minAvailable < bounds.minAvailable) {
      throw new Error(`availability fell below ${bounds.minAvailable}:\n${formatTimeline(seen.timeline)}`);
    }
    expect(seen.minAvailable).toBeGreaterThanOrEqual(bounds.minAvailable);
  });
});
