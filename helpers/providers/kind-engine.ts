// The container engine kind's nodes run on. Two kinds:
//
//  - `host`: the machine's own Docker (a laptop, a GitHub-hosted runner): kind
//    finds it as usual, pulls kindest/node, and the cluster's pods reach the
//    internet through the node's NAT unless said otherwise.
//  - `project`: on a machine with no engine and no internet (the project's own
//    hosts), scripts/kind/engine.sh starts Debian's dockerd under the project's
//    roots, closed to the outside, with a read-only registry on its bridge that
//    serves the suite's images; scripts/kind/node-image.sh builds the node
//    image offline. Whatever this process brought up, it takes down again.
//
// TUTORIAL_E2E_KIND_ENGINE=host|project chooses; by default `host` when a
// Docker engine is configured or listening (DOCKER_HOST, /var/run/docker.sock),
// else `project` where the project can start one (Linux, root).
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';

export type KindEngineName = 'host' | 'project';

/** The scripts of the project's engine, relative to the repository root. */
export const ENGINE_SCRIPT = 'scripts/kind/engine.sh';
export const NODE_IMAGE_SCRIPT = 'scripts/kind/node-image.sh';

/**
 * Where the project's engine serves the suite's images to the nodes: its
 * read-only registry on the kind bridge's gateway (scripts/kind/engine.sh).
 */
export const PROJECT_ENGINE_REGISTRY = 'http://10.230.0.1:5000';

/** The registries whose images containerd in a node pulls from the project's registry (the local cluster's list: scripts/cluster/up.sh). */
export const MIRRORED_REGISTRIES = ['docker.io', 'registry.k8s.io', 'us-docker.pkg.dev'] as const;

/** Which engine, from TUTORIAL_E2E_KIND_ENGINE or what the machine has. */
export function kindEngineName(
  env: NodeJS.ProcessEnv = process.env,
  has: { dockerSocket: boolean; root: boolean; linux: boolean } = {
    dockerSocket: fs.existsSync('/var/run/docker.sock'),
    root: process.getuid?.() === 0,
    linux: process.platform === 'linux',
  },
): KindEngineName {
  const v = env.TUTORIAL_E2E_KIND_ENGINE?.trim();
  if (v === 'host' || v === 'project') return v;
  if (v) throw new Error(`TUTORIAL_E2E_KIND_ENGINE="${v}": use host (the machine's Docker) or project (scripts/kind/engine.sh)`);
  if ((env.DOCKER_HOST ?? '').trim() !== '' || has.dockerSocket) return 'host';
  return has.linux && has.root ? 'project' : 'host';
}

/** The `export NAME=value` lines a script printed, as a map. Pure. */
export function parseExports(stdout: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const m = /^\s*(?:export\s+)?([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) out[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return out;
}

/** The host's capability bounding set lacks CAP_SYS_RESOURCE (bit 24): runc in a node then cannot set negative oom_score_adj. */
export function lacksSysResource(status = safeRead('/proc/self/status')): boolean {
  const hex = /^CapBnd:\s*([0-9a-f]+)$/m.exec(status ?? '')?.[1];
  if (hex === undefined) return false;
  return (BigInt(`0x${hex}`) & (1n << 24n)) === 0n;
}

function safeRead(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** What the project's engine gives a cluster it creates. */
export interface PreparedEngine {
  /** The offline node image (scripts/kind/node-image.sh). */
  image: string;
  /** Registry host -> the engine's registry; `server` is the mirror itself, so nothing is pulled from the internet. */
  mirrors: Record<string, string>;
}

/** The project's engine (scripts/kind/engine.sh), driven from TypeScript. */
export class ProjectEngine {
  private dockerEnv?: Record<string, string>;
  /** This process started the engine (then release() stops it). */
  private startedHere = false;

  constructor(
    private readonly repoRoot: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** The environment kind and docker need to reach the engine (DOCKER_HOST). */
  async envForKind(): Promise<NodeJS.ProcessEnv> {
    if (this.dockerEnv === undefined) {
      const r = await this.script(ENGINE_SCRIPT, ['env'], { quiet: true });
      // Values may name variables of this environment (`PATH=<engine>/usr/bin:$PATH`).
      this.dockerEnv = Object.fromEntries(
        Object.entries(parseExports(r)).map(([k, v]) => [k, v.replace(/\$\{?([A-Z_][A-Z0-9_]*)\}?/g, (_, name: string) => this.env[name] ?? '')]),
      );
      if (this.dockerEnv.DOCKER_HOST === undefined) throw new Error(`${ENGINE_SCRIPT} env printed no DOCKER_HOST (it printed: ${r.trim() || 'nothing'})`);
    }
    return { ...this.env, ...this.dockerEnv };
  }

  /** dockerd answers. */
  async running(): Promise<boolean> {
    const r = await execa('bash', [path.join(this.repoRoot, ENGINE_SCRIPT), 'status'], { env: this.env, reject: false, stdin: 'ignore' });
    return r.exitCode === 0;
  }

  /**
   * Everything a cluster needs, each step cached by version: the local
   * cluster's builds, the engine's packages, the suite's images in the local
   * registry, the engine up (with its bridge registry), the node image
   * (kind's, or with `minikube` the stand-in for minikube's kicbase).
   */
  async prepare(onOutput: (line: string) => void, nodeImageFor: 'kind' | 'minikube' = 'kind'): Promise<PreparedEngine> {
    // The node image is made of the local cluster's builds (kubeadm, kubelet, containerd, CNI plugins, images).
    await this.script(path.join('scripts', 'cluster', 'install-deps.sh'), [], { onOutput });
    await this.script(path.join('scripts', 'cluster', 'build.sh'), [], { onOutput });
    await this.script(ENGINE_SCRIPT, ['install'], { onOutput });
    await this.buildImages(onOutput);
    if (!(await this.running())) {
      await this.script(ENGINE_SCRIPT, ['up'], { onOutput });
      this.startedHere = true;
    }
    const out = await this.script(NODE_IMAGE_SCRIPT, [this.env.K8S_VERSION?.trim() || '', '--for', nodeImageFor].filter((a) => a !== ''), { onOutput });
    const image = out.trim().split('\n').at(-1)?.trim() ?? '';
    if (image === '') throw new Error(`${NODE_IMAGE_SCRIPT} printed no image reference`);
    return { image, mirrors: Object.fromEntries(MIRRORED_REGISTRIES.map((r) => [r, PROJECT_ENGINE_REGISTRY])) };
  }

  /** Stops the engine if this process started it (scripts/kind/engine.sh down: its containers, network, mounts, bridge, rules). */
  async release(onOutput?: (line: string) => void): Promise<void> {
    if (!this.startedHere) return;
    await this.script(ENGINE_SCRIPT, ['down'], { ...(onOutput ? { onOutput } : {}) });
    this.startedHere = false;
  }

  /**
   * The suite's images (scripts/images/build.sh all, cached), pushed to the
   * local registry, whose storage the engine's registry serves. The local
   * registry runs only for the build when nothing else had started it.
   */
  private async buildImages(onOutput: (line: string) => void): Promise<void> {
    const registry = path.join('scripts', 'images', 'registry.sh');
    const wasRunning = (await execa('bash', [path.join(this.repoRoot, registry), 'status'], { env: this.env, reject: false, stdin: 'ignore' })).exitCode === 0;
    if (!wasRunning) await this.script(registry, ['start'], { onOutput });
    try {
      await this.script(path.join('scripts', 'images', 'build.sh'), ['all'], { onOutput });
    } finally {
      // Started for the build only: stopped, and its config and log removed (no trace of the build).
      if (!wasRunning) await this.script(registry, ['stop', '--forget'], { onOutput });
    }
  }

  /** Runs a project script; rejects with its last lines. Resolves with its stdout. */
  private async script(rel: string, args: readonly string[], opts: { onOutput?: (line: string) => void; quiet?: boolean }): Promise<string> {
    const child = execa('bash', [path.join(this.repoRoot, rel), ...args], {
      env: this.env,
      stdin: 'ignore',
      reject: false,
      cwd: this.repoRoot,
    });
    const tail: string[] = [];
    const keep = (line: string): void => {
      tail.push(line);
      if (tail.length > 8) tail.shift();
    };
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter((l) => l !== '')) {
        keep(line);
        if (opts.quiet !== true) opts.onOutput?.(line);
      }
    });
    const r = await child;
    const stdout = typeof r.stdout === 'string' ? r.stdout : '';
    if (opts.quiet !== true) for (const line of stdout.split('\n').filter((l) => l !== '')) opts.onOutput?.(line);
    if (r.exitCode !== 0) {
      throw new Error(`${rel} ${args.join(' ')} failed (exit ${r.exitCode ?? r.signal ?? '?'}): ${[...tail, ...stdout.split('\n').slice(-3)].filter((l) => l.trim() !== '').slice(-6).join(' | ')}`);
    }
    return stdout;
  }
}
