// The `kubeconfig` provider: whatever cluster the user's kubeconfig points at
// (KUBECONFIG, else ~/.kube/config; its current context or TUTORIAL_E2E_CONTEXT).
// The suite never creates or deletes such a cluster: it is someone else's.
import { createKube, type Kube, type KubeTarget } from '../kube/index.js';
import { nodeAccessVia } from './node-access.js';
import type { ClusterInfo, ClusterProvider, EnsureOptions, ReachesNodePorts } from './types.js';

export class KubeconfigProvider implements ClusterProvider, ReachesNodePorts {
  readonly name = 'kubeconfig';
  private kubeBundle?: Kube;

  /** Default target: $KUBECONFIG (else ~/.kube/config) and $TUTORIAL_E2E_CONTEXT (else the current context). */
  constructor(
    private readonly target: KubeTarget = {
      kubeconfigPath: process.env.KUBECONFIG || undefined,
      context: process.env.TUTORIAL_E2E_CONTEXT || undefined,
    },
  ) {}

  /** The client bundle for this cluster (reads the kubeconfig on first use). */
  kube(): Kube {
    this.kubeBundle ??= createKube(this.target);
    return this.kubeBundle;
  }

  async ensure(opts: EnsureOptions = {}): Promise<ClusterInfo> {
    const kube = this.kube();
    const v = await kube.probe(opts.probeTimeoutMs ?? 5000);
    return { kubeconfigPath: kube.kubeconfigPath, context: kube.context, serverVersion: v.gitVersion, server: kube.server };
  }

  nodeAccess(nodePort: number): Promise<{ host: string; port: number }> {
    return nodeAccessVia(this.kube(), nodePort);
  }

  /** Never deletes: the cluster is not ours. */
  async delete(): Promise<void> {}
}
