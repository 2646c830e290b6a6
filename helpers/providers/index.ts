export type { ClusterInfo, ClusterProvider, EnsureOptions, KnowsPodNetwork, KnowsStandIns, LoadsImages, ReachesNodePorts, StopsNodes } from './types.js';
export { knowsPodNetwork, knowsStandIns, loadsImages, reachesNodePorts, stopsNodes } from './types.js';
export { imageLabels, parseImageRef } from './registry.js';
export { KubeconfigProvider } from './kubeconfig.js';
export { LocalProvider, localCacheDir, localKubectl, REPO_ROOT } from './local.js';
export { KindProvider, kindConfig, kindCreateArgs, kindNodeImage, parseKindClusters, registryHostsFiles, type KindConfigOptions } from './kind.js';
export { providerFromEnv } from './from-env.js';
export { MINIKUBE_NODE_IP, MinikubeProvider, minikubeStartArgs, runsMinikube, type MinikubeCli } from './minikube.js';
export {
  formatNoCluster,
  howToGetACluster,
  kindClusterName,
  kindStateDir,
  minikubeProfile,
  minikubeStateDir,
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
