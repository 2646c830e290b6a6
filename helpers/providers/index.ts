export type { ClusterInfo, ClusterProvider, EnsureOptions } from './types.js';
export { KubeconfigProvider } from './kubeconfig.js';
export { LocalProvider, REPO_ROOT } from './local.js';
export { providerFromEnv } from './from-env.js';
export {
  formatNoCluster,
  howToGetACluster,
  kubeconfigFor,
  localStateDir,
  locateCluster,
  NoClusterError,
  PROVIDER_NAMES,
  providerNameFromEnv,
  tcpProblem,
  type KubeconfigChoice,
  type Located,
  type ProviderName,
} from './locate.js';
export { nodeAccessVia, pickNodeAddress } from './node-access.js';
