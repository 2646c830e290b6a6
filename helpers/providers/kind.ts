// The `kind` provider (TUTORIAL_E2E_PROVIDER=kind): a kind cluster
// (sigs.k8s.io/kind) on this machine's container engine, as GitHub-hosted
// runners and most laptops have it. It reuses a cluster of its name
// (TUTORIAL_E2E_KIND_CLUSTER, default `tutorial-e2e`) or, when allowed,
// creates one, and deletes only a cluster it created itself (a marker file in
// its state folder says so), never one it found.
//
// Environment:
//   TUTORIAL_E2E_KIND_CLUSTER         the cluster's name (default tutorial-e2e)
//   TUTORIAL_E2E_KIND_IMAGE           the node image (default: kindNodeImage(), from K8S_VERSION)
//   TUTORIAL_E2E_KIND_NODES           1 (default: one control-plane node) or 3 (plus two workers)
//   TUTORIAL_E2E_KIND_REGISTRY_MIRRORS `docker.io=http://kind-registry:5000,registry.k8s.io=...`:
//                                     containerd pulls those registries' images from the mirror
//   TUTORIAL_E2E_KIND_RESTRICT_OOM=1  containerd's restrict_oom_score_adj = true (a node without
//                                     CAP_SYS_RESOURCE, as in a container engine run inside a container)
//   TUTORIAL_E2E_KIND_POD_INTERNET=0  the cluster's pods cannot reach the internet (default: they can,
//                                     through the node's NAT, as on a GitHub-hosted runner)
//   TUTORIAL_E2E_KIND_BIN             the kind binary (default: scripts/kind/install.sh builds the pinned
//                                     KIND_VERSION from its Go module into the cache and prints its path)
//   TUTORIAL_E2E_KIND_STATE           the state folder (see kindStateDir in locate.ts)
//   TUTORIAL_E2E_KIND_ENGINE          host (the machine's Docker) or project (scripts/kind/engine.sh: an
//                                     offline engine, node image and registry, closed to the outside); see
//                                     kind-engine.ts for the default
//
// Three nodes are the course's "cluster of three nodes": the control plane
// runs pods too (its NoSchedule taint is removed after creation), and a node
// that stops answering has its pods replaced within about 30 s instead of
// about 5 minutes (fastNodeLoss below), so the node-loss spec can wait for it.
//
// NodePorts: on Linux the node's InternalIP is its container's IP, which this
// machine routes to (the engine's bridge), so nodeAccess() is the same as for
// the other providers. On macOS and Windows the engine runs in a VM whose
// container IPs the host cannot reach: that would need `extraPortMappings`
// (containerPort = the NodePort, fixed when the cluster is created), which is
// not built; nodeAccess() says so there.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import yaml from 'js-yaml';
import { createKube, type Kube } from '../kube/index.js';
import { REPO_ROOT } from './local.js';
import { kindClusterName, kindStateDir, kubeconfigFor, NoClusterError } from './locate.js';
import { kindEngineName, lacksSysResource, PROJECT_ENGINE_REGISTRY, ProjectEngine, type KindEngineName } from './kind-engine.js';
import { nodeAccessVia } from './node-access.js';
import { closeCoreDns, kubeSystemUidOf, lastLines, pinnedBinary, probeCluster, readMarker, removeOwnFolder, runWithLines, type CreatedMarker } from './owned-cluster.js';
import { StandInLabels } from './registry.js';
import type { ClusterInfo, ClusterProvider, EnsureOptions, KnowsPodNetwork, KnowsStandIns, LoadsImages, ReachesNodePorts, StopsNodes } from './types.js';

/** The Kubernetes version scripts/cluster/versions.sh defaults to (K8S_VERSION). */
export const DEFAULT_K8S_VERSION = 'v1.36.3';

/**
 * kind's own node images, pinned by digest, for the Kubernetes versions its
 * release names. kind v0.33.0 names one: pkg/apis/config/defaults/image.go
 * (its default image). Every other version gets the plain tag
 * `kindest/node:<version>`; where kind published no image for that version,
 * scripts/kind/node-image.sh builds one (`kind build node-image --type release`).
 */
export const KIND_RELEASE_IMAGES: Readonly<Record<string, string>> = {
  'v1.37.0': 'kindest/node:v1.37.0@sha256:a1ed56cfb0e7b93589bdf97c8cd566405a265939e3620fc4f5de89adff580ae5',
};

/** The node image: TUTORIAL_E2E_KIND_IMAGE, else kind's digest-pinned image for K8S_VERSION, else `kindest/node:<K8S_VERSION>`. */
export function kindNodeImage(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.TUTORIAL_E2E_KIND_IMAGE?.trim();
  if (explicit) return explicit;
  const version = env.K8S_VERSION?.trim() || DEFAULT_K8S_VERSION;
  if (!/^v\d+\.\d+\.\d+$/.test(version)) throw new Error(`K8S_VERSION="${version}" is not a Kubernetes release such as v1.36.3`);
  return KIND_RELEASE_IMAGES[version] ?? `kindest/node:${version}`;
}

export interface KindConfigOptions {
  /** 1: one control-plane node (it runs the pods too); 3: a control plane and two workers. */
  nodes: 1 | 3;
  /** The host runs cgroup v1: the kubelet of Kubernetes 1.35+ refuses to start there unless `failCgroupV1: false`. */
  cgroupV1: boolean;
  /**
   * containerd's `restrict_oom_score_adj = true`: for nodes without CAP_SYS_RESOURCE (a container
   * engine inside a container), where runc fails on the negative oom_score_adj of sandboxes.
   */
  restrictOomScoreAdj: boolean;
  /** Registry host (`docker.io`, `registry.k8s.io`, `localhost:5001`) to the mirror containerd pulls from (`http://kind-registry:5000`). */
  registryMirrors?: Readonly<Record<string, string>>;
  /** The host folder holding registryHostsFiles(registryMirrors), mounted read-only at /etc/containerd/certs.d in every node. */
  certsDir?: string;
  /**
   * Pods of a node that stops answering are replaced within about 30 s: the node is NotReady after
   * 20 s without a status (node-monitor-grace-period, default 50 s) and its pods tolerate that for
   * 10 s (the API server's default-{not-ready,unreachable}-toleration-seconds, default 300 s).
   */
  fastNodeLoss?: boolean;
}

/** The settings fastNodeLoss changes, in words for a verdict that rests on them. */
export const FAST_NODE_LOSS_WORDS =
  'the suite\'s kind config marks a silent node NotReady after 20 s (node-monitor-grace-period; default 50 s) and evicts its pods 10 s later (default-unreachable-toleration-seconds; default 300 s)';

/** kubeadm's v1beta4 extraArgs are lists of {name, value}: appended with JSON 6902 patches (kind merges YAML patches, which would replace the list). */
function extraArg(component: 'apiServer' | 'controllerManager', name: string, value: string): Record<string, unknown> {
  return { op: 'add', path: `/${component}/extraArgs/-`, value: { name, value } };
}

/** Where containerd looks for hosts.toml files in a node (its registry `config_path`). */
export const NODE_CERTS_DIR = '/etc/containerd/certs.d';

const REGISTRY_HOST = /^[A-Za-z0-9][A-Za-z0-9.-]*(:\d{1,5})?$/;

/**
 * The kind configuration (kind.x-k8s.io/v1alpha4) as YAML. Pure.
 *
 * Registry mirrors: kind v0.33.0's node image writes /etc/containerd/config.toml in containerd's
 * version 2 format (images/base/files/etc/containerd/config.toml), and kind merges
 * containerdConfigPatches into that file, so the patch uses the version 2 table
 * `[plugins."io.containerd.grpc.v1.cri".registry]`; containerd 2.x migrates it to
 * `io.containerd.cri.v1.images` when it loads the file (plugins/cri/images/plugin.go, which moves
 * `registry` over). The mirrors themselves are `config_path` style hosts.toml files (the
 * `registry.mirrors` tables are deprecated since containerd 1.5 and ignored once config_path is set),
 * mounted into each node with extraMounts, so nothing has to be written into the nodes after creation.
 */
export function kindConfig(o: KindConfigOptions): string {
  const mirrors = Object.keys(o.registryMirrors ?? {});
  if (mirrors.length > 0 && !o.certsDir) throw new Error('kindConfig: registry mirrors need certsDir (the host folder of their hosts.toml files)');
  const extraMounts = mirrors.length > 0 && o.certsDir ? [{ hostPath: o.certsDir, containerPath: NODE_CERTS_DIR, readOnly: true }] : [];
  const node = (role: 'control-plane' | 'worker'): Record<string, unknown> => ({ role, ...(extraMounts.length > 0 ? { extraMounts } : {}) });
  const nodes = o.nodes === 3 ? [node('control-plane'), node('worker'), node('worker')] : [node('control-plane')];
  // registryPullQPS 0 (no limit): the suite starts many pods of `:latest` images at once, and
  // kubelet's default limit (5/s, burst 10) refuses some with "pull QPS exceeded" for a 10 s back-off.
  const kubeadmConfigPatches = [`kind: KubeletConfiguration\nregistryPullQPS: 0\n${o.cgroupV1 ? 'failCgroupV1: false\n' : ''}`];
  const containerd: string[] = [];
  if (o.restrictOomScoreAdj) containerd.push('[plugins."io.containerd.grpc.v1.cri"]\n  restrict_oom_score_adj = true\n');
  if (mirrors.length > 0) containerd.push(`[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "${NODE_CERTS_DIR}"\n`);
  const json6902 =
    o.fastNodeLoss === true
      ? [
          {
            group: 'kubeadm.k8s.io',
            version: 'v1beta4',
            kind: 'ClusterConfiguration',
            patch: yaml.dump(
              [
                extraArg('apiServer', 'default-not-ready-toleration-seconds', '10'),
                extraArg('apiServer', 'default-unreachable-toleration-seconds', '10'),
                extraArg('controllerManager', 'node-monitor-grace-period', '20s'),
              ],
              { lineWidth: -1 },
            ),
          },
        ]
      : [];
  const config = {
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    nodes,
    ...(kubeadmConfigPatches.length > 0 ? { kubeadmConfigPatches } : {}),
    ...(json6902.length > 0 ? { kubeadmConfigPatchesJSON6902: json6902 } : {}),
    ...(containerd.length > 0 ? { containerdConfigPatches: containerd } : {}),
  };
  return `# Generated by tutorial-e2e (helpers/providers/kind.ts, kindConfig).\n${yaml.dump(config, { lineWidth: -1, noRefs: true })}`;
}

/** The upstream a registry host name stands for in hosts.toml (`docker.io` is served by registry-1.docker.io). */
function upstreamOf(host: string): string {
  return host === 'docker.io' ? 'https://registry-1.docker.io' : `https://${host}`;
}

/**
 * The hosts.toml files of the mirrors, by path relative to certsDir (`docker.io/hosts.toml`). Pure.
 * `mirrorOnly`: the mirror is the registry's `server` too, so containerd never falls back to the
 * internet (the project's closed engine); otherwise the upstream registry is the fallback.
 */
export function registryHostsFiles(mirrors: Readonly<Record<string, string>>, opts: { mirrorOnly?: boolean } = {}): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [host, endpoint] of Object.entries(mirrors)) {
    if (!REGISTRY_HOST.test(host)) throw new Error(`registry mirror: "${host}" is not a registry host name such as docker.io or localhost:5001`);
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw new Error(`registry mirror for ${host}: "${endpoint}" is not a URL such as http://kind-registry:5000`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`registry mirror for ${host}: "${endpoint}" is not http(s)`);
    const mirror = `${url.protocol}//${url.host}${url.pathname.replace(/\/$/, '')}`;
    files[`${host}/hosts.toml`] = [
      '# Generated by tutorial-e2e (helpers/providers/kind.ts): pull through the mirror, then the registry itself.',
      `server = "${opts.mirrorOnly === true ? mirror : upstreamOf(host)}"`,
      '',
      `[host."${mirror}"]`,
      '  capabilities = ["pull", "resolve"]',
      '',
    ].join('\n');
  }
  return files;
}

/** `docker.io=http://r:5000,registry.k8s.io=http://r:5000` (TUTORIAL_E2E_KIND_REGISTRY_MIRRORS) as a map. Pure. */
export function parseRegistryMirrors(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of (text ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const eq = item.indexOf('=');
    if (eq <= 0 || eq === item.length - 1) throw new Error(`TUTORIAL_E2E_KIND_REGISTRY_MIRRORS: "${item}" is not <registry host>=<mirror URL>`);
    out[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  return out;
}

export interface KindCreateArgs {
  name: string;
  image: string;
  configPath: string;
  kubeconfigPath: string;
  /** How long kind waits for the control plane to be Ready (default 120s). */
  wait?: string;
}

/** The arguments of `kind create cluster`. Pure. */
export function kindCreateArgs(a: KindCreateArgs): string[] {
  return ['create', 'cluster', '--name', a.name, '--image', a.image, '--config', a.configPath, '--kubeconfig', a.kubeconfigPath, '--wait', a.wait ?? '120s'];
}

/**
 * The cluster names `kind get clusters` printed (one a line on stdout; "No kind
 * clusters found." is logged on stderr, but is dropped here too should the two be merged). Pure.
 */
export function parseKindClusters(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^No kind clusters found\.?$/i.test(l) && !/\s/.test(l));
}

/** The node count of TUTORIAL_E2E_KIND_NODES: 1 (default) or 3. */
export function kindNodeCount(env: NodeJS.ProcessEnv = process.env): 1 | 3 {
  const v = env.TUTORIAL_E2E_KIND_NODES?.trim() || '1';
  if (v === '1') return 1;
  if (v === '3') return 3;
  throw new Error(`TUTORIAL_E2E_KIND_NODES="${v}": use 1 (one control-plane node) or 3 (a control plane and two workers)`);
}

/** The host's cgroup version is v1 (no unified hierarchy at /sys/fs/cgroup). Only meaningful on Linux, where the engine shares the host's kernel. */
export function hostIsCgroupV1(root = '/sys/fs/cgroup'): boolean {
  return process.platform === 'linux' && fs.existsSync(root) && !fs.existsSync(path.join(root, 'cgroup.controllers'));
}

export interface KindResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs kind with arguments; onOutput receives its output line by line when given. Injected by tests. */
export type KindRunner = (args: readonly string[], onOutput?: (line: string) => void) => Promise<KindResult>;

export class KindProvider implements ClusterProvider, ReachesNodePorts, KnowsPodNetwork, LoadsImages, StopsNodes, KnowsStandIns {
  readonly name = 'kind';
  /** Whose container engine the nodes run on (kind-engine.ts). */
  readonly engineName: KindEngineName;
  /** The project's engine, when the nodes run on it. */
  private readonly engine?: ProjectEngine;
  /** The project's engine serves every image from the suite's registry (PROJECT_ENGINE_REGISTRY). */
  private readonly standIns?: StandInLabels;
  readonly clusterName: string;
  readonly stateDir: string;
  readonly kubeconfigPath: string;
  /** Pods reach the internet through the node's NAT, unless TUTORIAL_E2E_KIND_POD_INTERNET=0 says the machine has none. */
  readonly podsReachTheInternet: boolean;
  private kubeBundle?: Kube;
  private kindBin?: Promise<string>;
  /** This process created the cluster (the marker may not hold its UID if the API did not answer right after). */
  private createdHere = false;

  constructor(
    private readonly env: NodeJS.ProcessEnv = process.env,
    runner?: KindRunner,
  ) {
    this.clusterName = kindClusterName(env);
    this.stateDir = kindStateDir(env);
    this.kubeconfigPath = kubeconfigFor('kind', env).path;
    this.engineName = kindEngineName(env);
    if (this.engineName === 'project') {
      this.engine = new ProjectEngine(REPO_ROOT, env);
      this.standIns = new StandInLabels(PROJECT_ENGINE_REGISTRY);
    }
    // The project's engine is closed by design; a host's Docker gives pods the internet through the node's NAT.
    this.podsReachTheInternet = this.engineName === 'project' ? false : env.TUTORIAL_E2E_KIND_POD_INTERNET?.trim() !== '0';
    this.kind = runner ?? ((args, onOutput) => this.runKind(args, onOutput));
  }

  private readonly kind: KindRunner;

  get markerPath(): string {
    return path.join(this.stateDir, 'created-by-tutorial-e2e.json');
  }

  get configPath(): string {
    return path.join(this.stateDir, 'kind-config.yaml');
  }

  kube(): Kube {
    this.kubeBundle ??= createKube({ kubeconfigPath: this.kubeconfigPath });
    return this.kubeBundle;
  }

  /** The cluster names kind knows on this machine's engine. */
  async clusters(): Promise<string[]> {
    const r = await this.kind(['get', 'clusters']);
    if (r.exitCode !== 0) throw new Error(`kind get clusters failed (exit ${r.exitCode}): ${lastLines(r.stderr || r.stdout)}`);
    return parseKindClusters(r.stdout);
  }

  async ensure(opts: EnsureOptions = {}): Promise<ClusterInfo> {
    const probeMs = opts.probeTimeoutMs ?? 5000;
    // Fast path (every jest worker): the kubeconfig this provider wrote answers.
    if (fs.existsSync(this.kubeconfigPath)) {
      const info = await this.probe(probeMs).catch(() => undefined);
      if (info) return info;
    }
    if (this.engine !== undefined && !(await this.engine.running())) {
      if (opts.create === false) {
        throw new NoClusterError(
          { provider: 'kind', kubeconfig: kubeconfigFor('kind', this.env), context: `kind-${this.clusterName}` },
          `the project's kind engine is not running (scripts/kind/engine.sh status), so there is no kind cluster "${this.clusterName}"`,
        );
      }
      fs.rmSync(this.markerPath, { force: true });
      await this.create(opts.onOutput);
      return this.probe(30_000);
    }
    const existing = (await this.clusters()).includes(this.clusterName);
    if (existing) {
      // Reused (ours from an earlier run, or someone else's): its kubeconfig, written to our own file.
      const r = await this.kind(['get', 'kubeconfig', '--name', this.clusterName]);
      if (r.exitCode !== 0) throw new Error(`kind get kubeconfig --name ${this.clusterName} failed (exit ${r.exitCode}): ${lastLines(r.stderr || r.stdout)}`);
      this.writeKubeconfig(r.stdout);
      return this.probe(probeMs);
    }
    // No such cluster: a marker left from a cluster deleted by hand is stale.
    fs.rmSync(this.markerPath, { force: true });
    if (opts.create === false) {
      throw new NoClusterError(
        { provider: 'kind', kubeconfig: kubeconfigFor('kind', this.env), context: `kind-${this.clusterName}` },
        `there is no kind cluster named "${this.clusterName}" (kind get clusters)`,
      );
    }
    await this.create(opts.onOutput);
    return this.probe(30_000);
  }

  private async create(onOutput?: (line: string) => void): Promise<void> {
    fs.mkdirSync(this.stateDir, { recursive: true });
    const say = onOutput ?? ((line: string) => process.stdout.write(`${line}\n`));
    const prepared = this.engine === undefined ? undefined : await this.engine.prepare(say);
    const mirrors = prepared?.mirrors ?? parseRegistryMirrors(this.env.TUTORIAL_E2E_KIND_REGISTRY_MIRRORS);
    const certsDir = path.join(this.stateDir, 'certs.d');
    if (Object.keys(mirrors).length > 0) {
      fs.rmSync(certsDir, { recursive: true, force: true });
      for (const [rel, text] of Object.entries(registryHostsFiles(mirrors, { mirrorOnly: prepared !== undefined }))) {
        fs.mkdirSync(path.dirname(path.join(certsDir, rel)), { recursive: true });
        fs.writeFileSync(path.join(certsDir, rel), text);
      }
    }
    const nodes = kindNodeCount(this.env);
    const config = kindConfig({
      nodes,
      cgroupV1: hostIsCgroupV1(),
      restrictOomScoreAdj: this.env.TUTORIAL_E2E_KIND_RESTRICT_OOM === '1' || lacksSysResource(),
      registryMirrors: mirrors,
      certsDir,
      fastNodeLoss: nodes === 3,
    });
    fs.writeFileSync(this.configPath, config);
    const image = this.env.TUTORIAL_E2E_KIND_IMAGE?.trim() || prepared?.image || kindNodeImage(this.env);
    const args = kindCreateArgs({ name: this.clusterName, image, configPath: this.configPath, kubeconfigPath: this.kubeconfigPath });
    const r = await this.kind(args, say);
    if (r.exitCode !== 0) {
      throw new Error(
        `kind ${args.join(' ')} failed (exit ${r.exitCode}): ${lastLines(r.stderr || r.stdout)}\n` +
          `(no node image ${image}? kind publishes images for some patch releases only: scripts/kind/node-image.sh builds one, ` +
          'or set TUTORIAL_E2E_KIND_IMAGE)',
      );
    }
    this.createdHere = true;
    this.kubeBundle = undefined;
    const marker: CreatedMarker = { cluster: this.clusterName, image, createdAt: new Date().toISOString() };
    const uid = await this.kubeSystemUid();
    if (uid !== undefined) marker.kubeSystemUid = uid;
    fs.writeFileSync(this.markerPath, `${JSON.stringify(marker, null, 2)}\n`);
    await this.afterCreate(nodes, say);
  }

  /**
   * What kind's own steps leave as the suite needs it: on three nodes the
   * control plane takes pods too (the course's three-node cluster); on the
   * project's closed engine, CoreDNS answers cluster names only, as on the
   * local cluster (scripts/cluster/Corefile), instead of forwarding the rest
   * to the node's resolver.
   */
  protected async afterCreate(nodes: 1 | 3, say: (line: string) => void): Promise<void> {
    const kube = this.kube();
    if (nodes === 3) {
      const list = await kube.json<{ items: Array<{ metadata?: { name?: string }; spec?: { taints?: Array<{ key?: string; effect?: string }> } }> }>({
        path: '/api/v1/nodes',
        query: { labelSelector: 'node-role.kubernetes.io/control-plane' },
        timeoutMs: 15_000,
      });
      for (const n of list.items) {
        const taints = n.spec?.taints ?? [];
        const kept = taints.filter((t) => t.key !== 'node-role.kubernetes.io/control-plane');
        if (kept.length === taints.length) continue;
        await kube.json({
          method: 'PATCH',
          path: `/api/v1/nodes/${n.metadata?.name ?? ''}`,
          contentType: 'application/merge-patch+json',
          body: JSON.stringify({ spec: { taints: kept } }),
          timeoutMs: 15_000,
        });
        say(`kind: node ${n.metadata?.name ?? '?'} (control plane) now takes pods too: the course's cluster of three nodes`);
      }
    }
    if (this.engine !== undefined) {
      await closeCoreDns(kube, fs.readFileSync(path.join(REPO_ROOT, 'scripts', 'cluster', 'Corefile'), 'utf8'));
      say('kind: CoreDNS answers cluster names only (scripts/cluster/Corefile): nothing is forwarded past the machine');
    }
  }

  nodeAccess(nodePort: number): Promise<{ host: string; port: number }> {
    if (process.platform !== 'linux') {
      return Promise.reject(
        new Error(
          `kind on ${process.platform}: its nodes' container IPs are not reachable from this machine; NodePort ${nodePort} would need ` +
            'extraPortMappings in the kind config (not built: the kind provider supports Linux hosts)',
        ),
      );
    }
    return nodeAccessVia(this.kube(), nodePort);
  }

  /** What the node-loss spec's verdict rests on: the eviction timeouts this provider's three-node config shortens. */
  get nodeLossSettings(): string {
    return kindNodeCount(this.env) === 3 ? FAST_NODE_LOSS_WORDS : 'kind defaults: pods of a lost node are replaced after about 5 minutes';
  }

  /** `docker stop` of the node's container: its kubelet and pods end at once, as when a machine dies. */
  async stopNode(node: string): Promise<void> {
    await this.docker(['stop', '--time', '5', node]);
  }

  async startNode(node: string): Promise<void> {
    await this.docker(['start', node]);
  }

  /** On the project's engine every image comes from the suite's registry, whose labels say what a stand-in stands in for (scripts/images). */
  standInFor(image: string): Promise<{ for: string; description: string } | undefined> {
    return this.standIns === undefined ? Promise.resolve(undefined) : this.standIns.of(image);
  }

  private async docker(args: readonly string[]): Promise<void> {
    const env = this.engine === undefined ? this.env : await this.engine.envForKind();
    const r = await execa('docker', args, { env, stdin: 'ignore', reject: false });
    if (r.exitCode !== 0) throw new Error(`docker ${args.join(' ')} failed (exit ${r.exitCode ?? '?'}): ${lastLines(r.stderr || r.stdout)}`);
  }

  async loadImages(images: readonly string[]): Promise<void> {
    if (images.length === 0) return;
    const r = await this.kind(['load', 'docker-image', '--name', this.clusterName, ...images]);
    if (r.exitCode !== 0) throw new Error(`kind load docker-image ${images.join(' ')} failed (exit ${r.exitCode}): ${lastLines(r.stderr || r.stdout)}`);
  }

  /** Deletes the cluster only if this provider created it (its marker, and the same cluster: kube-system's UID); never one it reused. */
  async delete(): Promise<void> {
    try {
      await this.deleteCluster();
    } finally {
      // The project's engine goes too, if this process started it (all it made: scripts/kind/engine.sh down),
      // also when kind create itself failed: every cluster on an engine this process started is this process's.
      await this.engine?.release();
    }
  }

  private async deleteCluster(): Promise<void> {
    const marker = readMarker(this.markerPath);
    if (marker?.cluster !== this.clusterName) return;
    if (!(await this.clusters()).includes(this.clusterName)) {
      fs.rmSync(this.markerPath, { force: true });
      return;
    }
    const uid = await this.kubeSystemUid();
    if (!this.createdHere && (uid === undefined || marker.kubeSystemUid === undefined)) {
      // Not verifiable now (the API does not answer): keep the marker, delete nothing.
      process.stderr.write(`tutorial-e2e: cannot tell whether kind cluster "${this.clusterName}" is the one this suite created (its API does not answer); not deleting it\n`);
      return;
    }
    if (uid !== undefined && marker.kubeSystemUid !== undefined && uid !== marker.kubeSystemUid) {
      // Recreated by someone else under the same name: not ours to delete.
      process.stderr.write(`tutorial-e2e: kind cluster "${this.clusterName}" is not the one this suite created; not deleting it\n`);
      fs.rmSync(this.markerPath, { force: true });
      return;
    }
    const r = await this.kind(['delete', 'cluster', '--name', this.clusterName, '--kubeconfig', this.kubeconfigPath]);
    if (r.exitCode !== 0) throw new Error(`kind delete cluster --name ${this.clusterName} failed (exit ${r.exitCode}): ${lastLines(r.stderr || r.stdout)}`);
    // Everything this provider wrote for the cluster (kubeconfig, kind config, hosts.toml files, marker).
    removeOwnFolder(this.stateDir);
    this.kubeBundle = undefined;
    this.createdHere = false;
  }

  /** The cluster answers at the kubeconfig: its identity. Protected: tests replace it. */
  protected async probe(timeoutMs: number): Promise<ClusterInfo> {
    this.kubeBundle = undefined; // the file may have been rewritten
    return probeCluster(this.kube(), timeoutMs);
  }

  /** kube-system's UID (a cluster's identity), or undefined when the API does not answer. Protected: tests replace it. */
  protected kubeSystemUid(): Promise<string | undefined> {
    return kubeSystemUidOf(() => this.kube(), this.kubeconfigPath);
  }

  private writeKubeconfig(text: string): void {
    fs.mkdirSync(path.dirname(this.kubeconfigPath), { recursive: true });
    fs.writeFileSync(this.kubeconfigPath, text, { mode: 0o600 });
    this.kubeBundle = undefined;
  }

  /** TUTORIAL_E2E_KIND_BIN, else the pinned kind scripts/kind/install.sh builds (once) and prints. */
  private binary(): Promise<string> {
    this.kindBin ??= pinnedBinary(this.env, 'TUTORIAL_E2E_KIND_BIN', ['scripts', 'kind', 'install.sh'], 'kind');
    return this.kindBin;
  }

  private async runKind(args: readonly string[], onOutput?: (line: string) => void): Promise<KindResult> {
    const bin = await this.binary();
    const env = this.engine === undefined ? this.env : await this.engine.envForKind();
    if (onOutput) {
      const r = await runWithLines(bin, args, env, onOutput);
      return { exitCode: r.exitCode, stdout: r.output, stderr: '' };
    }
    const res = await execa(bin, args, { env, stdin: 'ignore', reject: false });
    return { exitCode: res.exitCode ?? 1, stdout: res.stdout, stderr: res.stderr };
  }
}
