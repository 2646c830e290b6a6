import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { kubeconfigFor, locateCluster, NoClusterError, providerNameFromEnv, tcpProblem } from './locate.js';
import { pickNodeAddress } from './node-access.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tte-locate-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function kubeconfig(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

const two = kubeconfig(
  'two',
  `apiVersion: v1
kind: Config
current-context: a
contexts:
- name: a
  context: {cluster: ca, user: u}
- name: b
  context: {cluster: cb, user: u}
clusters:
- name: ca
  cluster: {server: "https://127.0.0.1:6443"}
- name: cb
  cluster: {server: "https://127.0.0.1:7443"}
users:
- name: u
  user: {token: t}
`,
);

describe('providerNameFromEnv', () => {
  test('kubeconfig by default, local, kind or minikube on request, anything else refused', () => {
    expect(providerNameFromEnv({ KUBECONFIG: '/some/kubeconfig' })).toBe('kubeconfig');
    // No kubeconfig anywhere: the project's own cluster.
    expect(providerNameFromEnv({ HOME: '/nonexistent-home' })).toBe('local');
    expect(providerNameFromEnv({ TUTORIAL_E2E_PROVIDER: 'local' })).toBe('local');
    expect(providerNameFromEnv({ TUTORIAL_E2E_PROVIDER: 'kind' })).toBe('kind');
    expect(providerNameFromEnv({ TUTORIAL_E2E_PROVIDER: 'minikube' })).toBe('minikube');
    expect(() => providerNameFromEnv({ TUTORIAL_E2E_PROVIDER: 'k3d' })).toThrow(/not a provider; use one of: kubeconfig, local, kind, minikube/);
  });

  test('where each provider looks for its kubeconfig', () => {
    expect(kubeconfigFor('local', { TUTORIAL_E2E_STATE: '/s' }).path).toBe('/s/kubeconfig');
    expect(kubeconfigFor('local', {}).path).toBe('/var/lib/tutorial-e2e/kubeconfig');
    expect(kubeconfigFor('kubeconfig', { KUBECONFIG: '/k' })).toEqual({ path: '/k', origin: 'KUBECONFIG' });
    expect(kubeconfigFor('kubeconfig', { HOME: '/home/x' }).path).toBe('/home/x/.kube/config');
  });
});

describe('locateCluster', () => {
  test('current context, or TUTORIAL_E2E_CONTEXT', () => {
    expect(locateCluster('kubeconfig', { KUBECONFIG: two })).toMatchObject({ context: 'a', server: 'https://127.0.0.1:6443' });
    expect(locateCluster('kubeconfig', { KUBECONFIG: two, TUTORIAL_E2E_CONTEXT: 'b' })).toMatchObject({ context: 'b', server: 'https://127.0.0.1:7443' });
  });

  test('a missing file: one message with the path, its origin and how to get a cluster', () => {
    const missing = path.join(dir, 'nope');
    const err = (() => {
      try {
        locateCluster('kubeconfig', { KUBECONFIG: missing });
      } catch (e) {
        return e;
      }
    })() as NoClusterError;
    expect(err).toBeInstanceOf(NoClusterError);
    expect(err.message).toContain(`kubeconfig: ${missing}  (from KUBECONFIG)`);
    expect(err.message).toContain(`problem:    no kubeconfig file at ${missing}`);
    expect(err.message).toContain('npm run cluster:up');
    expect(err.message).toContain('kind create cluster');
    expect(err.stack).toBe(err.message);
  });

  test('the local provider says its cluster is not up', () => {
    expect(() => locateCluster('local', { TUTORIAL_E2E_STATE: dir })).toThrow(/the local cluster is not up \(no .*kubeconfig\)/);
  });

  test('an unknown context names the ones there are', () => {
    expect(() => locateCluster('kubeconfig', { KUBECONFIG: two, TUTORIAL_E2E_CONTEXT: 'zzz' })).toThrow(/no context "zzz" \(it has: a, b\)/);
  });

  test('no current context', () => {
    const p = kubeconfig('nocur', 'apiVersion: v1\nkind: Config\ncontexts: []\nclusters: []\n');
    expect(() => locateCluster('kubeconfig', { KUBECONFIG: p })).toThrow(/no current-context; set TUTORIAL_E2E_CONTEXT/);
  });
});

describe('tcpProblem', () => {
  test('refused', async () => {
    expect(await tcpProblem('https://127.0.0.1:1', 2000)).toBe('connection refused at 127.0.0.1:1 (no API server listens there)');
  });

  test('something listening', async () => {
    const server = net.createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      expect(await tcpProblem(`https://127.0.0.1:${port}`, 2000)).toBeUndefined();
    } finally {
      server.close();
    }
  });
});

describe('pickNodeAddress', () => {
  const node = (name: string, ready: boolean, ip?: string, unschedulable = false) => ({
    metadata: { name },
    spec: { unschedulable },
    status: {
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      addresses: ip ? [{ type: 'Hostname', address: name }, { type: 'InternalIP', address: ip }] : [],
    },
  });

  test('the first Ready, schedulable node with an InternalIP', () => {
    expect(pickNodeAddress([node('a', false, '10.0.0.1'), node('b', true, '10.0.0.2', true), node('c', true, '10.0.0.3')])).toEqual({
      node: 'c',
      address: '10.0.0.3',
    });
    expect(pickNodeAddress([node('a', true)])).toBeUndefined();
  });
});
