// Picks the provider from the environment (see locate.ts for the variables).
import { KindProvider } from './kind.js';
import { KubeconfigProvider } from './kubeconfig.js';
import { LocalProvider } from './local.js';
import { MinikubeProvider } from './minikube.js';
import { providerNameFromEnv } from './locate.js';
import type { ClusterProvider } from './types.js';

/**
 * TUTORIAL_E2E_PROVIDER=kubeconfig (default): $KUBECONFIG or ~/.kube/config,
 *   context $TUTORIAL_E2E_CONTEXT or the current one; never created/deleted.
 * TUTORIAL_E2E_PROVIDER=local: the project's cluster (npm run cluster:up),
 *   kubeconfig at $TUTORIAL_E2E_STATE/kubeconfig (default /var/lib/tutorial-e2e).
 * TUTORIAL_E2E_PROVIDER=kind: a kind cluster named $TUTORIAL_E2E_KIND_CLUSTER
 *   (default tutorial-e2e), reused or created; deleted only if it created it (kind.ts).
 * TUTORIAL_E2E_PROVIDER=minikube: a minikube profile $TUTORIAL_E2E_MINIKUBE_PROFILE
 *   (default tutorial-e2e), reused or started; deleted only if it started it (minikube.ts).
 */
export function providerFromEnv(env: NodeJS.ProcessEnv = process.env): ClusterProvider {
  const name = providerNameFromEnv(env);
  switch (name) {
    case 'local':
      return new LocalProvider(env);
    case 'kind':
      return new KindProvider(env);
    case 'minikube':
      return new MinikubeProvider(env);
    case 'kubeconfig':
      return new KubeconfigProvider({
        kubeconfigPath: env.KUBECONFIG || undefined,
        context: env.TUTORIAL_E2E_CONTEXT || undefined,
      });
  }
}
