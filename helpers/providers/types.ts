// A ClusterProvider is how the suite gets a cluster to run the tutorial on.
// Specs never care which: they get a client and ask the provider only what
// differs between clusters. What only some clusters can do is an ability of
// its own (an interface with a guard, as kubernetes-sigs/e2e-framework does
// it), so a provider says what it can by what it implements: today reaching
// NodePorts from this machine; kind adds loading images (LoadsImages).
import type { Kube } from '../kube/index.js';

export interface ClusterInfo {
  kubeconfigPath: string;
  context: string;
  /** The API server's gitVersion, e.g. `v1.36.3`. */
  serverVersion: string;
  /** The API server URL. */
  server: string;
}

export interface EnsureOptions {
  /**
   * May ensure() create a cluster when none is there? Default true for
   * providers that can; the e2e global setup passes false unless
   * TUTORIAL_E2E_AUTO_UP=1 (creating one takes minutes, failing takes seconds).
   */
  create?: boolean;
  /** Deadline of the reachability probe (GET /version); default 5 s. */
  probeTimeoutMs?: number;
  /** Receives the creation script's output line by line (default: this process's stdout/stderr). */
  onOutput?: (line: string) => void;
}

export interface ClusterProvider {
  readonly name: string;
  /** Finds (or, if allowed, creates) the cluster and checks it answers. */
  ensure(opts?: EnsureOptions): Promise<ClusterInfo>;
  /** The client of the cluster (one keep-alive connection pool per provider). */
  kube(): Kube;
  /** Removes the cluster, for providers that own it (a no-op for those that do not). */
  delete(): Promise<void>;
}

/** Ability: a Service's NodePort can be reached from this machine. */
export interface ReachesNodePorts {
  /** Where, from this machine, a Service's NodePort is reached. */
  nodeAccess(nodePort: number): Promise<{ host: string; port: number }>;
}

export function reachesNodePorts(p: ClusterProvider): p is ClusterProvider & ReachesNodePorts {
  return typeof (p as Partial<ReachesNodePorts>).nodeAccess === 'function';
}

/** Ability: the provider knows whether the cluster's pods can reach the internet (the local cluster is closed by design). */
export interface KnowsPodNetwork {
  readonly podsReachTheInternet: boolean;
}

export function knowsPodNetwork(p: ClusterProvider): p is ClusterProvider & KnowsPodNetwork {
  return typeof (p as Partial<KnowsPodNetwork>).podsReachTheInternet === 'boolean';
}

/** Ability: the provider knows which images are local stand-ins for the ones a tutorial names, and for what. */
export interface KnowsStandIns {
  /** The image a reference stands in for (e.g. `docker.io/library/nginx`), with how it was built; undefined for a real image. */
  standInFor(image: string): Promise<{ for: string; description: string } | undefined>;
}

export function knowsStandIns(p: ClusterProvider): p is ClusterProvider & KnowsStandIns {
  return typeof (p as Partial<KnowsStandIns>).standInFor === 'function';
}

/** Ability: images of this machine's container engine can be loaded into the cluster's nodes (kind: `kind load docker-image`). */
export interface LoadsImages {
  /** Loads each image (a reference the engine has, e.g. `nginx:1.27`) into every node; rejects naming the images that failed. */
  loadImages(images: readonly string[]): Promise<void>;
}

export function loadsImages(p: ClusterProvider): p is ClusterProvider & LoadsImages {
  return typeof (p as Partial<LoadsImages>).loadImages === 'function';
}

/** Ability: a node can be stopped and started again as a whole machine would be (kind: its node container). */
export interface StopsNodes {
  /** Stops the node (its kubelet and every pod on it go away at once, as when a machine dies); resolves once it has stopped. */
  stopNode(node: string): Promise<void>;
  /** Starts a stopped node again; resolves once its container runs (the caller waits for the Node to be Ready). */
  startNode(node: string): Promise<void>;
  /** What about the cluster the verdict of a node-loss test rests on (e.g. eviction timeouts shortened by the suite's config). */
  readonly nodeLossSettings: string;
}

export function stopsNodes(p: ClusterProvider): p is ClusterProvider & StopsNodes {
  return typeof (p as Partial<StopsNodes>).stopNode === 'function' && typeof (p as Partial<StopsNodes>).startNode === 'function';
}
