import { providerFromEnv } from './from-env.js';
import { kubeconfigFor, locateCluster, minikubeProfile, minikubeStateDir, NoClusterError } from './locate.js';
import { laterThan, MinikubeProvider, minikubeStartArgs, runsMinikube } from './minikube.js';
import { knowsPodNetwork, knowsStandIns, loadsImages, reachesNodePorts, stopsNodes } from './types.js';

describe('minikubeStartArgs (pure)', () => {
  const offline = { baseImage: 'tutorial-e2e/minikube-node:v1.36.3-abc', network: { name: 'kind', ip: '10.230.0.200' } };

  test('on the project engine: the stand-in kicbase, nothing to download, the closed bridge, a fixed address', () => {
    const args = minikubeStartArgs({ profile: 'p', kubernetesVersion: 'v1.36.3', cgroupV1: true, ...offline });
    expect(args.slice(0, 3)).toEqual(['start', '--profile', 'p']);
    for (const a of [
      '--driver=docker',
      '--container-runtime=containerd',
      '--kubernetes-version=v1.36.3',
      '--base-image=tutorial-e2e/minikube-node:v1.36.3-abc',
      '--preload=false',
      '--cache-images=false',
      '--cni=bridge',
      '--install-addons=false',
      '--network=kind',
      '--static-ip=10.230.0.200',
      '--extra-config=kubelet.fail-cgroupv1=false',
    ]) {
      expect(args).toContain(a);
    }
  });

  test('--force past the newest version minikube v1.38.1 knows (v1.35.1), where it would look the version up online, and as root', () => {
    expect(minikubeStartArgs({ profile: 'p', kubernetesVersion: 'v1.36.3', cgroupV1: false })).toContain('--force');
    expect(minikubeStartArgs({ profile: 'p', kubernetesVersion: 'v1.37.2', cgroupV1: false })).toContain('--force');
    expect(minikubeStartArgs({ profile: 'p', kubernetesVersion: 'v1.35.1', cgroupV1: false })).not.toContain('--force');
    expect(minikubeStartArgs({ profile: 'p', kubernetesVersion: 'v1.34.4', cgroupV1: false })).not.toContain('--force');
    // As root the docker driver refuses to start without it (DRV_AS_ROOT), whatever the version.
    expect(minikubeStartArgs({ profile: 'p', kubernetesVersion: 'v1.34.4', cgroupV1: false, root: true })).toContain('--force');
  });

  test("on a machine's own Docker: minikube's own kicbase, preload and CNI; no cgroup v1 flag on a v2 host", () => {
    const args = minikubeStartArgs({ profile: 'p', kubernetesVersion: 'v1.34.4', cgroupV1: false });
    expect(args.some((a) => /^--(base-image|preload|cache-images|cni|network|static-ip|extra-config)=/.test(a))).toBe(false);
  });

  test('a version minikube would have to look up online is refused, naming the variable', () => {
    expect(() => minikubeStartArgs({ profile: 'p', kubernetesVersion: 'v1.36', cgroupV1: false })).toThrow(/K8S_VERSION="v1.36" is not a Kubernetes release/);
    expect(() => minikubeStartArgs({ profile: 'p', kubernetesVersion: 'latest', cgroupV1: false })).toThrow(/K8S_VERSION/);
  });

  test('laterThan compares releases part by part, not as text', () => {
    expect(laterThan('v1.36.3', 'v1.35.1')).toBe(true);
    expect(laterThan('v1.35.10', 'v1.35.9')).toBe(true);
    expect(laterThan('v1.35.1', 'v1.35.1')).toBe(false);
    expect(laterThan('v1.9.0', 'v1.10.0')).toBe(false);
  });
});

describe('where the minikube provider keeps its profile', () => {
  test('profile and MINIKUBE_HOME: explicit, under TUTORIAL_E2E_STATE, else the user state dir; never ~/.minikube', () => {
    expect(minikubeProfile({})).toBe('tutorial-e2e');
    expect(minikubeProfile({ TUTORIAL_E2E_MINIKUBE_PROFILE: ' walk ' })).toBe('walk');
    expect(minikubeStateDir({ TUTORIAL_E2E_MINIKUBE_STATE: '/x' })).toBe('/x');
    expect(minikubeStateDir({ TUTORIAL_E2E_STATE: '/s', TUTORIAL_E2E_MINIKUBE_PROFILE: 'walk' })).toBe('/s/minikube/walk');
    expect(minikubeStateDir({ HOME: '/h' })).toBe('/h/.local/state/tutorial-e2e/minikube/tutorial-e2e');
    expect(kubeconfigFor('minikube', { HOME: '/h', KUBECONFIG: '/elsewhere' }).path).toBe('/h/.local/state/tutorial-e2e/minikube/tutorial-e2e/kubeconfig');
  });

  test('no profile started yet: a NoClusterError that says how to get one', () => {
    let err: unknown;
    try {
      locateCluster('minikube', { HOME: '/nonexistent-home' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NoClusterError);
    expect((err as Error).message).toMatch(/no minikube profile "tutorial-e2e" started by this suite yet/);
    expect((err as Error).message).toMatch(/starts the minikube profile for the run/);
  });
});

describe('MinikubeProvider abilities', () => {
  test('on the project engine: NodePorts at minikube ip, stand-ins known, pods closed off, its own CLI, image loading; no node stops', () => {
    const p = providerFromEnv({ TUTORIAL_E2E_PROVIDER: 'minikube', TUTORIAL_E2E_MINIKUBE_ENGINE: 'project', HOME: '/nonexistent-home' });
    expect(p).toBeInstanceOf(MinikubeProvider);
    expect(reachesNodePorts(p)).toBe(true);
    expect(knowsStandIns(p)).toBe(true);
    expect(runsMinikube(p)).toBe(true);
    expect(knowsPodNetwork(p) && p.podsReachTheInternet).toBe(false);
    expect(loadsImages(p)).toBe(true);
    expect(stopsNodes(p)).toBe(false);
  });

  test("on a machine's own Docker its pods reach the internet, as the walkthrough's did", () => {
    const p = new MinikubeProvider({ TUTORIAL_E2E_MINIKUBE_ENGINE: 'host', HOME: '/nonexistent-home' });
    expect(p.podsReachTheInternet).toBe(true);
  });

  test('ensure without leave to create fails fast with the NoClusterError run-suite turns into a minikube start', async () => {
    const p = new MinikubeProvider({ TUTORIAL_E2E_MINIKUBE_ENGINE: 'host', HOME: '/nonexistent-home' });
    await expect(p.ensure({ create: false })).rejects.toBeInstanceOf(NoClusterError);
  });
});
