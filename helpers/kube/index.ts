// The Kubernetes toolkit: a client, waits on watches, exec, logs, apply,
// diagnostics, handles. Plain Kubernetes: no jest, no providers, no suite
// (see .dependency-cruiser.cjs). See each module for the why.
export { Kube, createKube, loadKubeConfig, defaultKubeconfigPath, describeNetworkError, ClusterUnreachableError, KubeconfigError } from './client.js';
export type { KubeTarget, ServerVersion } from './client.js';
export { KubeHttpError, isNotFound, statusOf } from './http.js';
export type { RawRequest, RawResponse } from './http.js';
export { Discovery, groupVersionPath, paths, resourcePath, splitApiVersion } from './discovery.js';
export type { ServedResource } from './discovery.js';
export {
  API_REPLACEMENTS,
  findReplacement,
  formatSource,
  formatUnserved,
  UnservedApiError,
  withReplacementApiVersion,
} from './deprecations.js';
export type { ApiReplacement, UnservedApi } from './deprecations.js';
export { sourcedObjects } from './manifest.js';
export type { ManifestLike, ManifestSource, SourcedObject } from './manifest.js';
export { applyManifests, applyObjects, ApplyError, deleteApplied, FIELD_MANAGER, preflight } from './apply.js';
export type { AppliedObject, ApplyOptions } from './apply.js';
export {
  isPidAlive,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  MANAGED_SELECTOR,
  newRunId,
  ownershipMetadata,
  runIdentity,
  selectLeftovers,
  SPEC_LABEL,
  testNamespaceName,
} from './ownership.js';
export type { Leftover, LeftoverPolicy, OwnedObjectMeta, RunIdentity } from './ownership.js';
export { createTestNamespace, deleteNamespace, findClusterScopedLeftovers, managedNamespaces, namespacesGone, runNamespaces, sweepLeftovers, whileUnreachable } from './namespace.js';
export type { SweepOptions, SweepResult } from './namespace.js';
export { clusterFaultsSince, faultsFrom, faultsInErrors, healthBaseline, observeHealth } from './cluster-health.js';
export type { ClusterFault, HealthBaseline, HealthObservation } from './cluster-health.js';
export { byName, DEFAULT_WAIT_MS, ListWatch, waitFor, WaitTimeoutError, WatchFailedError } from './watch.js';
export type { NotYet, WaitForOptions, WaitOptions, WatchEvent, WatchQuery } from './watch.js';
export {
  endpointsReady,
  objectGone,
  podPhase,
  podReady,
  podRunning,
  podsMatching,
  podUnschedulable,
  replicaSetReady,
  restartCountAtLeast,
  rolloutComplete,
} from './waits.js';
export type { PodPhase, Unschedulable } from './waits.js';
export { deploymentRolloutStatus, rolloutBounds, scaledValue } from './rollout.js';
export type { RolloutBounds, RolloutStatus } from './rollout.js';
export {
  endpointAddresses,
  formatContainerStatus,
  formatDeploymentState,
  formatEndpoints,
  formatPodState,
  formatReplicaSetState,
  isPodReady,
  totalRestarts,
} from './state.js';
export type { Deployment, EndpointAddresses, EndpointSlice, Pod, ReplicaSet } from './state.js';
export { availabilityTimeline, formatTimeline, labelSelectorString, observeDeploymentPods, observePods } from './observe.js';
export type { AvailabilitySample, Observation } from './observe.js';
export { execInPod, ExecError, exitCodeOf } from './exec.js';
export type { ExecOptions, ExecResult } from './exec.js';
export { podLogs, logsBySelector, prefixedLogs } from './logs.js';
export type { ContainerLog, LogOptions } from './logs.js';
export { portForward } from './port-forward.js';
export type { PortForwardHandle } from './port-forward.js';
export { evictPod } from './eviction.js';
export type { EvictionResult } from './eviction.js';
export { httpFromOutside, httpFromPod, parseCurlInclude } from './http-check.js';
export type { HttpAnswer, NodeAccess } from './http-check.js';
export { artifactsRoot, collectDiagnostics } from './diagnostics.js';
export type { Diagnostics } from './diagnostics.js';
export { formatDiagnosticsSummary, formatEvent, sortEvents } from './diagnostics-format.js';
export { CleanupRegistry, formatCleanupFailures, installSignalCleanup } from './cleanup.js';
export type { CleanupFn, CleanupFailure } from './cleanup.js';
export { allOf, BudgetHandle, DeploymentHandle, NamespaceHandle, PodHandle, PodSet, ReplicaSetHandle, selectorOf, ServiceHandle } from './handles.js';
export { describeRange, imagesOf, inRange, isLive, livePods, named, onImage, onNode, ready, running, runningOrUnschedulable, settledPod } from './pod-range.js';
export type { PodCondition, PodRange } from './pod-range.js';
export { isKind } from './kinds.js';
export type { KindName, Kinds } from './kinds.js';
export { expectedQosClass } from './qos.js';
export type { KubeList, KubeObject, Wire } from './wire.js';
export { objectKey } from './wire.js';
export { budgetAllowsDisruption, evictAll, evictedPodsGone, formatNode, listNodes, nodeInService, nodeReadyIs, nodeReadyStatus, OUT_OF_SERVICE_TAINTS, setUnschedulable } from './nodes.js';
export type { DrainedPod, Node } from './nodes.js';
