// The `minikube` provider (TUTORIAL_E2E_PROVIDER=minikube): the cluster the
// blog walkthrough itself ran on, minikube's docker driver with containerd.
// It starts a profile of its own (TUTORIAL_E2E_MINIKUBE_PROFILE, default
// `tutorial-e2e`) in a MINIKUBE_HOME of its own (never ~/.minikube), reuses it
// when it is up, and deletes only a profile it started itself.
//
// On the project's engine (kind-engine.ts: this machine, no registry, no
// internet) minikube runs offline:
//   - minikube itself is built from its Go module (scripts/minikube/install.sh);
//   - its node is a stand-in for kicbase (scripts/kind/node-image.sh --for
//     minikube): Kubernetes binaries and control-plane images already inside,
//     so `--preload=false --cache-images=false` leave nothing to download;
//   - `--cni=bridge` (minikube's own conflist; kindnet's image is not here);
//   - `--network=kind --static-ip`: the node sits on the engine's closed
//     bridge, whose registry the node's containerd pulls the suite's images
//     from (hosts.toml files, put in the node by minikube's own file sync:
//     $MINIKUBE_HOME/.minikube/files/...);
//   - kubeadm seeded in minikube's binary cache: minikube asks it which
//     image tags a version it does not know uses (v1.38.1 knows up to v1.35.1;
//     later versions start with --force), instead of trying to download it;
//   - `--install-addons=false`: storage-provisioner's image is not here and no
//     tutorial step needs a StorageClass;
//   - CoreDNS answers cluster names only, as on the other providers.
// On a machine's own Docker (TUTORIAL_E2E_MINIKUBE_ENGINE=host), it is a plain
// `minikube start --driver=docker --container-runtime=containerd`.
//
// Environment:
//   TUTORIAL_E2E_MINIKUBE_PROFILE  the profile (default tutorial-e2e)
//   TUTORIAL_E2E_MINIKUBE_BIN      the minikube binary (default: scripts/minikube/install.sh builds the pinned one)
//   TUTORIAL_E2E_MINIKUBE_ENGINE   host or project, as TUTORIAL_E2E_KIND_ENGINE (kind-engine.ts)
//   TUTORIAL_E2E_MINIKUBE_STATE    the state folder (MINIKUBE_HOME, kubeconfig, marker; see minikubeStateDir)
//   K8S_VERSION                    the Kubernetes version (default scripts/cluster/versions.sh's)
import fs from 'node:fs';
import path from 'node:path';
import { createKube, type Kube } from '../kube/index.js';
import { DEFAULT_K8S_VERSION, hostIsCgroupV1, registryHostsFiles } from './kind.js';
import { kindEngineName, PROJECT_ENGINE_REGISTRY, ProjectEngine, type KindEngineName } from './kind-engine.js';
import { localCacheDir, REPO_ROOT } from './local.js';
import { kubeconfigFor, minikubeProfile, minikubeStateDir, NoClusterError } from './locate.js';
import { closeCoreDns, kubeSystemUidOf, lastLines, pinnedBinary, probeCluster, readMarker, removeOwnFolder, runWithLines, type CreatedMarker } from './owned-cluster.js';
import { StandInLabels } from './registry.js';
import type { ClusterInfo, ClusterProvider, EnsureOptions, KnowsPodNetwork, KnowsStandIns, LoadsImages, ReachesNodePorts } from './types.js';

/** The address the node gets on the project engine's bridge (10.230.0.0/24): outside the /25 docker hands out, away from .1 and .253. */
export const MINIKUBE_NODE_IP = '10.230.0.200';
/** The newest Kubernetes the pinned minikube (v1.38.1) knows (pkg/minikube/constants NewestKubernetesVersion): later ones need --force. */
export const MINIKUBE_NEWEST_KUBERNETES = 'v1.35.1';

export interface MinikubeStartOptions {
  profile: string;
  kubernetesVersion: string;
  /** The offline kicbase stand-in on the project's engine; undefined on a machine's own Docker. */
  baseImage?: string;
  /** The docker network to join, with the node's fixed address on it. */
  network?: { name: string; ip: string };
  /** The host runs cgroup v1: kubelet 1.35+ refuses to start there unless fail-cgroupv1=false. */
  cgroupV1: boolean;
  /** minikube runs as root: its docker driver refuses to unless --force (DRV_AS_ROOT). */
  root?: boolean;
}

/** Whether `a` (vX.Y.Z) is a later release than `b`. Pure. */
export function laterThan(a: string, b: string): boolean {
  const n = (v: string): number[] => v.replace(/^v/, '').split('.').map((x) => Number.parseInt(x, 10) || 0);
  const [x, y] = [n(a), n(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0);
  return false;
}

/** `minikube start` arguments. Pure. */
export function minikubeStartArgs(o: MinikubeStartOptions): string[] {
  if (!/^v\d+\.\d+\.\d+$/.test(o.kubernetesVersion)) throw new Error(`K8S_VERSION="${o.kubernetesVersion}" is not a Kubernetes release such as v1.36.3 (minikube looks a shorter one up online)`);
  const args = ['start', '--profile', o.profile, '--driver=docker', '--container-runtime=containerd', `--kubernetes-version=${o.kubernetesVersion}`];
  // --force: as root, the docker driver stops (DRV_AS_ROOT) without it; and for a version past minikube's
  // list, minikube looks the version up on the internet and stops when it cannot.
  if (o.root === true || laterThan(o.kubernetesVersion, MINIKUBE_NEWEST_KUBERNETES)) args.push('--force');
  if (o.baseImage !== undefined) {
    args.push(`--base-image=${o.baseImage}`, '--preload=false', '--cache-images=false', '--cni=bridge', '--install-addons=false');
  }
  if (o.network !== undefined) args.push(`--network=${o.network.name}`, `--static-ip=${o.network.ip}`);
  if (o.cgroupV1) args.push('--extra-config=kubelet.fail-cgroupv1=false');
  args.push('--memory=2200mb', '--wait=apiserver,system_pods,node_ready');
  return args;
}

/** Ability: minikube's own commands against the cluster (the walkthrough's `minikube ip`, as nodeAccess, and `minikube service --url`). */
export interface MinikubeCli extends ReachesNodePorts {
  /** The environment in which `minikube` (on PATH) runs against this provider's profile, as the walkthrough types it. */
  minikubeEnv(): Promise<NodeJS.ProcessEnv>;
  /** `minikube service <name> --url -n <namespace>`: the URL(s) minikube prints for a Service. */
  serviceUrls(namespace: string, name: string): Promise<string[]>;
}

export function runsMinikube(p: ClusterProvider): p is ClusterProvider & MinikubeCli {
  return typeof (p as Partial<MinikubeCli>).serviceUrls === 'function';
}

export class MinikubeProvider implements ClusterProvider, ReachesNodePorts, KnowsPodNetwork, KnowsStandIns, LoadsImages, MinikubeCli {
  readonly name = 'minikube';
  readonly engineName: KindEngineName;
  private readonly engine?: ProjectEngine;
  private readonly standIns?: StandInLabels;
  readonly profile: string;
  /** MINIKUBE_HOME: minikube keeps its profiles, machines and caches under <this>/.minikube. */
  readonly stateDir: string;
  readonly kubeconfigPath: string;
  readonly podsReachTheInternet: boolean;
  private kubeBundle?: Kube;
  private bin?: Promise<string>;
  private createdHere = false;
  /** How long the last `minikube start` and `minikube delete` took, in seconds (scripts/minikube/measure.ts). */
  readonly timings: { start?: number; delete?: number } = {};

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {
    this.profile = minikubeProfile(env);
    this.stateDir = minikubeStateDir(env);
    this.kubeconfigPath = kubeconfigFor('minikube', env).path;
    this.engineName = kindEngineName({ ...env, TUTORIAL_E2E_KIND_ENGINE: env.TUTORIAL_E2E_MINIKUBE_ENGINE ?? env.TUTORIAL_E2E_KIND_ENGINE });
    if (this.engineName === 'project') {
      this.engine = new ProjectEngine(REPO_ROOT, env);
      this.standIns = new StandInLabels(PROJECT_ENGINE_REGISTRY);
    }
    this.podsReachTheInternet = this.engineName !== 'project';
  }

  get markerPath(): string {
    return path.join(this.stateDir, 'created-by-tutorial-e2e.json');
  }

  private get kubernetesVersion(): string {
    return this.env.K8S_VERSION?.trim() || DEFAULT_K8S_VERSION;
  }

  kube(): Kube {
    this.kubeBundle ??= createKube({ kubeconfigPath: this.kubeconfigPath });
    return this.kubeBundle;
  }

  async ensure(opts: EnsureOptions = {}): Promise<ClusterInfo> {
    const probeMs = opts.probeTimeoutMs ?? 5000;
    if (fs.existsSync(this.kubeconfigPath)) {
      const info = await this.probe(probeMs).catch(() => undefined);
      if (info) return info;
    }
    if (opts.create === false) {
      throw new NoClusterError(
        { provider: 'minikube', kubeconfig: kubeconfigFor('minikube', this.env), context: this.profile },
        `no minikube profile "${this.profile}" of this suite answers (MINIKUBE_HOME ${this.stateDir})`,
      );
    }
    await this.create(opts.onOutput);
    return this.probe(30_000);
  }

  private async create(onOutput?: (line: string) => void): Promise<void> {
    fs.mkdirSync(this.stateDir, { recursive: true });
    const say = onOutput ?? ((line: string) => process.stdout.write(`${line}\n`));
    const prepared = this.engine === undefined ? undefined : await this.engine.prepare(say, 'minikube');
    if (prepared !== undefined) {
      // minikube copies $MINIKUBE_HOME/.minikube/files/<path> to /<path> in the node before kubeadm runs.
      const certs = path.join(this.stateDir, '.minikube', 'files', 'etc', 'containerd', 'certs.d');
      fs.rmSync(certs, { recursive: true, force: true });
      for (const [rel, text] of Object.entries(registryHostsFiles(prepared.mirrors, { mirrorOnly: true }))) {
        fs.mkdirSync(path.dirname(path.join(certs, rel)), { recursive: true });
        fs.writeFileSync(path.join(certs, rel), text);
      }
      this.seedKubeadm();
    }
    const args = minikubeStartArgs({
      profile: this.profile,
      kubernetesVersion: this.kubernetesVersion,
      ...(prepared !== undefined ? { baseImage: prepared.image, network: { name: 'kind', ip: MINIKUBE_NODE_IP } } : {}),
      cgroupV1: hostIsCgroupV1(),
      root: process.getuid?.() === 0,
    });
    // The marker goes first: a start stopped halfway (Ctrl-C, a failed step) leaves a profile that delete() must remove too.
    const marker: CreatedMarker = { cluster: this.profile, image: prepared?.image ?? 'kicbase (minikube default)', createdAt: new Date().toISOString() };
    fs.writeFileSync(this.markerPath, `${JSON.stringify(marker, null, 2)}\n`);
    this.createdHere = true;
    const started = Date.now();
    const r = await this.minikube(args, say);
    if (r.exitCode !== 0) throw new Error(`minikube ${args.join(' ')} failed (exit ${r.exitCode}): ${lastLines(r.output)}`);
    this.timings.start = (Date.now() - started) / 1000;
    say(`minikube: profile ${this.profile} started in ${this.timings.start.toFixed(1)} s`);
    this.kubeBundle = undefined;
    const uid = await this.kubeSystemUid();
    if (uid !== undefined) marker.kubeSystemUid = uid;
    fs.writeFileSync(this.markerPath, `${JSON.stringify(marker, null, 2)}\n`);
    if (this.engine !== undefined) {
      await closeCoreDns(this.kube(), fs.readFileSync(path.join(REPO_ROOT, 'scripts', 'cluster', 'Corefile'), 'utf8'));
      say('minikube: CoreDNS answers cluster names only (scripts/cluster/Corefile): nothing is forwarded past the machine');
    }
  }

  /** kubeadm of the version, where minikube looks for it before downloading it (download.Binary's cache path). */
  private seedKubeadm(): void {
    const built = path.join(localCacheDir(this.env), 'bin', `kubernetes-${this.kubernetesVersion}`, 'kubeadm');
    const seeded = path.join(this.stateDir, '.minikube', 'cache', 'linux', 'amd64', this.kubernetesVersion, 'kubeadm');
    fs.mkdirSync(path.dirname(seeded), { recursive: true });
    fs.rmSync(seeded, { force: true });
    fs.symlinkSync(built, seeded);
  }

  /** `minikube ip`: the address the walkthrough opens NodePorts at. */
  async nodeAccess(nodePort: number): Promise<{ host: string; port: number }> {
    const r = await this.minikube(['ip', '--profile', this.profile]);
    const host = r.output.trim().split('\n').at(-1)?.trim() ?? '';
    if (r.exitCode !== 0 || !/^[\d.]+$/.test(host)) throw new Error(`minikube ip --profile ${this.profile} failed (exit ${r.exitCode}): ${lastLines(r.output)}`);
    return { host, port: nodePort };
  }

  async serviceUrls(namespace: string, name: string): Promise<string[]> {
    const args = ['service', name, '--url', '--namespace', namespace, '--profile', this.profile];
    const r = await this.minikube(args);
    const urls = r.output.split('\n').map((l) => l.trim()).filter((l) => /^https?:\/\//.test(l));
    if (r.exitCode !== 0 || urls.length === 0) throw new Error(`minikube ${args.join(' ')} printed no URL (exit ${r.exitCode}): ${lastLines(r.output)}`);
    return urls;
  }

  async minikubeEnv(): Promise<NodeJS.ProcessEnv> {
    const bin = await this.binary();
    const base = this.engine === undefined ? this.env : await this.engine.envForKind();
    return {
      ...base,
      PATH: `${path.dirname(bin)}${path.delimiter}${base.PATH ?? ''}`,
      MINIKUBE_HOME: this.stateDir,
      // Flags read from the environment: MINIKUBE_<FLAG> (viper), so a command typed as written names this profile.
      MINIKUBE_PROFILE: this.profile,
      MINIKUBE_WANTUPDATENOTIFICATION: 'false',
      MINIKUBE_IN_STYLE: 'false',
      KUBECONFIG: this.kubeconfigPath,
    };
  }

  /** `minikube image load`: from the engine's images into the node's containerd. */
  async loadImages(images: readonly string[]): Promise<void> {
    if (images.length === 0) return;
    const r = await this.minikube(['image', 'load', '--profile', this.profile, ...images]);
    if (r.exitCode !== 0) throw new Error(`minikube image load ${images.join(' ')} failed (exit ${r.exitCode}): ${lastLines(r.output)}`);
  }

  standInFor(image: string): Promise<{ for: string; description: string } | undefined> {
    return this.standIns === undefined ? Promise.resolve(undefined) : this.standIns.of(image);
  }

  /**
   * Deletes the profile only if this provider started it (its marker; and, once the API answered,
   * the same kube-system UID), also one whose start did not finish; then the engine if this
   * process started it.
   */
  async delete(): Promise<void> {
    try {
      await this.deleteProfile();
    } finally {
      await this.engine?.release();
    }
  }

  private async deleteProfile(): Promise<void> {
    const marker = readMarker(this.markerPath);
    if (marker?.cluster !== this.profile) return;
    const uid = await this.kubeSystemUid();
    if (!this.createdHere && uid !== undefined && marker.kubeSystemUid !== undefined && uid !== marker.kubeSystemUid) {
      process.stderr.write(`tutorial-e2e: minikube profile "${this.profile}" is not the one this suite started; not deleting it\n`);
      return;
    }
    const started = Date.now();
    const r = await this.minikube(['delete', '--profile', this.profile]);
    if (r.exitCode !== 0) throw new Error(`minikube delete --profile ${this.profile} failed (exit ${r.exitCode}): ${lastLines(r.output)}`);
    this.timings.delete = (Date.now() - started) / 1000;
    process.stderr.write(`minikube: profile ${this.profile} deleted in ${this.timings.delete.toFixed(1)} s\n`);
    // MINIKUBE_HOME (certificates, keys, logs, the seeded kubeadm), kubeconfig, marker.
    removeOwnFolder(this.stateDir);
    this.kubeBundle = undefined;
    this.createdHere = false;
  }

  private async probe(timeoutMs: number): Promise<ClusterInfo> {
    this.kubeBundle = undefined; // minikube start rewrites the file
    return probeCluster(this.kube(), timeoutMs);
  }

  private kubeSystemUid(): Promise<string | undefined> {
    return kubeSystemUidOf(() => this.kube(), this.kubeconfigPath);
  }

  /** TUTORIAL_E2E_MINIKUBE_BIN, else the pinned minikube scripts/minikube/install.sh builds (once) and prints. */
  private binary(): Promise<string> {
    this.bin ??= pinnedBinary(this.env, 'TUTORIAL_E2E_MINIKUBE_BIN', ['scripts', 'minikube', 'install.sh'], 'minikube');
    return this.bin;
  }

  /** Runs minikube against this provider's MINIKUBE_HOME and kubeconfig; stdout and stderr as one text. */
  private async minikube(args: readonly string[], onOutput?: (line: string) => void): Promise<{ exitCode: number; output: string }> {
    return runWithLines(await this.binary(), args, await this.minikubeEnv(), onOutput);
  }
}
