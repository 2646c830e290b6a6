// Picks the provider from the environment (see locate.ts for the variables).
import { KubeconfigProvider } from './kubeconfig.js';
import { LocalProvider } from './local.js';
import { providerNameFromEnv } from './locate.js';
import type { ClusterProvider } from './types.js';

/**
 * TUTORIAL_E2E_PROVIDER=kubeconfig (default): $KUBECONFIG or ~/.kube/config,
 *   context $TUTORIAL_E2E_CONTEXT or the current one; never created/deleted.
 * TUTORIAL_E2E_PROVIDER=local: the project's cluster (npm run cluster:up),
 *   kubeconfig at $TUTORIAL_E2E_STATE/kubeconfig (default /var/lib/tutorial-e2e).
 */
export function providerFromEnv(env: NodeJS.ProcessEnv = process.env): ClusterProvider {
  const name = providerNameFromEnv(env);
  switch (name) {
    case 'local':
      return new LocalProvider(env);
    case 'kubeconfig':
      return new KubeconfigProvider({
        kubeconfigPath: env.KUBECONFIG || undefined,
        context: env.TUTORIAL_E2E_CONTEXT || undefined,
      });
  }
}
