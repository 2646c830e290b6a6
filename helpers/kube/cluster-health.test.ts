import { faultsFrom, faultsInErrors, type HealthObservation } from './cluster-health.js';

const baseline = { at: new Date('2026-12-01T02:00:00.500Z'), apiServers: { 'apiserver-abc': 'apiserver-abc_1111' } };
const healthy = (): HealthObservation => ({
  apiServerLeases: [{ name: 'apiserver-abc', holder: 'apiserver-abc_1111' }],
  nodes: [{ name: 'n1', ready: { status: 'True', reason: 'KubeletReady', lastTransitionTime: '2026-12-01T01:00:00Z' } }],
  kubeletStarts: [{ node: 'n1', at: '2026-12-01T01:00:00Z' }],
});

describe('faultsFrom: what the cluster\'s traces say happened since a section started', () => {
  test('a cluster healthy throughout has no fault', () => {
    expect(faultsFrom(healthy(), baseline)).toEqual([]);
  });

  test('an API server that does not answer /readyz', () => {
    const o: HealthObservation = { readyzProblem: 'connection refused (nothing listens there)', apiServerLeases: [], nodes: [], kubeletStarts: [] };
    expect(faultsFrom(o, baseline)).toEqual([{ component: 'api-server', what: 'the API server is not ready: connection refused (nothing listens there)' }]);
  });

  test('an API server restarted since: its identity lease has a new holder', () => {
    const o = healthy();
    o.apiServerLeases = [{ name: 'apiserver-abc', holder: 'apiserver-abc_2222' }];
    expect(faultsFrom(o, baseline).map((f) => f.component)).toEqual(['api-server']);
    // No baseline of that lease (the cluster hid it): nothing is claimed.
    expect(faultsFrom(o, { ...baseline, apiServers: {} })).toEqual([]);
  });

  test('a node not Ready now, with the runtime named when the kubelet says so', () => {
    const o = healthy();
    o.nodes = [{ name: 'n1', ready: { status: 'False', reason: 'KubeletNotReady', message: 'container runtime is down' } }];
    expect(faultsFrom(o, baseline)).toEqual([{ component: 'runtime', what: 'node n1 is not Ready (Ready=False: KubeletNotReady: container runtime is down)' }]);
  });

  test('a node Ready again, but its Ready condition changed during the section (same second counts)', () => {
    const o = healthy();
    o.nodes = [{ name: 'n1', ready: { status: 'True', lastTransitionTime: '2026-12-01T02:00:00Z' } }];
    expect(faultsFrom(o, baseline)[0]?.what).toBe('node n1 was not Ready during the test (Ready again since 2026-12-01T02:00:00Z)');
  });

  test('a node short of disk: the kubelet evicts pods', () => {
    const o = healthy();
    o.nodes = o.nodes.map((n) => ({ ...n, pressure: [{ type: 'DiskPressure', message: 'kubelet has disk pressure' }] }));
    expect(faultsFrom(o, baseline)).toEqual([{ component: 'node', what: 'node n1 reports DiskPressure: kubelet has disk pressure (it evicts pods and admits none)' }]);
  });

  test('a pod whose container the runtime failed (its socket refused, a stream cut), since the section started', () => {
    const o = healthy();
    o.namespaceWarnings = [
      { object: 'pod/web-1', reason: 'Failed', message: 'Error: error reading from server: EOF', at: '2026-12-01T02:04:08Z' },
      { object: 'pod/web-2', reason: 'Failed', message: 'Error: error reading from server: EOF', at: '2026-12-01T01:04:08Z' },
      { object: 'pod/web-3', reason: 'BackOff', message: 'Back-off restarting failed container', at: '2026-12-01T02:04:09Z' },
      { object: 'pod/web-4', reason: 'SandboxChanged', message: 'Pod sandbox changed, it will be killed and re-created.', at: '2026-12-01T02:04:10Z' },
    ];
    expect(faultsFrom(o, baseline).map((f) => f.what)).toEqual([
      'the container runtime failed under pod/web-1 at 2026-12-01T02:04:08Z: Failed: Error: error reading from server: EOF',
      'the container runtime failed under pod/web-4 at 2026-12-01T02:04:10Z: SandboxChanged: Pod sandbox changed, it will be killed and re-created.',
    ]);
  });

  test('a kubelet that restarted since, or does not answer through the node proxy', () => {
    const o = healthy();
    o.kubeletStarts.push({ node: 'n1', at: '2026-12-01T02:03:00Z' });
    o.nodes = o.nodes.map((n) => ({ ...n, kubeletProblem: 'HTTP 502' }));
    expect(faultsFrom(o, baseline).map((f) => f.what)).toEqual([
      'the kubelet of node n1 does not answer: HTTP 502',
      'the kubelet of node n1 (re)started at 2026-12-01T02:03:00Z',
    ]);
  });
});

describe('faultsInErrors: what a failure\'s own error says of the cluster', () => {
  const server = 'https://10.217.0.1:6443';

  test('the API server refusing a request, in our client\'s words and in kubectl\'s', () => {
    const f = faultsInErrors(
      ['connect ECONNREFUSED 10.217.0.1:6443', 'kubectl get pods: The connection to the server 10.217.0.1:6443 was refused - did you specify the right host or port?'],
      server,
    );
    expect(f.map((x) => x.component)).toEqual(['api-server', 'api-server']);
    expect(f[1]?.what).toContain('was refused');
  });

  test('a runtime the kubelet cannot reach', () => {
    const f = faultsInErrors(['error: unable to upgrade connection: rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial unix /run/x/containerd.sock: connect: connection refused"'], server);
    expect(f.map((x) => x.component)).toEqual(['runtime']);
  });

  test('a kubelet the API server cannot reach (exec, logs, port-forward)', () => {
    const f = faultsInErrors(['error: unable to upgrade connection: error dialing backend: dial tcp 10.217.0.1:10250: connect: connection refused'], server);
    expect(f.map((x) => x.component)).toContain('kubelet');
  });

  test('a registry that cannot be reached, but not an image that does not exist', () => {
    const refused =
      'will never happen: container nginx (image nginx:1.25): ErrImagePull: failed to pull and unpack image "docker.io/library/nginx:1.25": failed to resolve reference: Get "http://127.0.0.1:5000/v2/library/nginx/manifests/1.25": dial tcp 127.0.0.1:5000: connect: connection refused';
    expect(faultsInErrors([refused], server).map((f) => f.component)).toEqual(['registry']);
    const missing = 'will never happen: container nginx (image nginx:9.9): ErrImagePull: failed to pull and unpack image "docker.io/library/nginx:9.9": not found';
    expect(faultsInErrors([missing], server)).toEqual([]);
  });

  test('a refused NodePort or a tutorial\'s own failure is no cluster fault', () => {
    expect(faultsInErrors(['GET http://10.217.0.1:30000/: connection refused', 'expected 3 Ready pods, saw 2', 'connect ECONNREFUSED 10.218.0.5:80'], server)).toEqual([]);
  });
});
