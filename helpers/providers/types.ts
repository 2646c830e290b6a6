// A ClusterProvider is how the suite gets a cluster to run the tutorial on.
// Specs never care which: they get a kubeconfig/context and ask the provider
// only what differs between clusters (how a NodePort is reached from here,
// how images get onto the nodes).

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
  /** Makes images available to the nodes, for providers whose nodes cannot pull them. */
  loadImages?(refs: readonly string[]): Promise<void>;
  /** Where, from this machine, a Service's NodePort is reached. */
  nodeAccess(nodePort: number): Promise<{ host: string; port: number }>;
  /** Removes the cluster, for providers that own it (a no-op for those that do not). */
  delete(): Promise<void>;
}
