// Group/versions Kubernetes has stopped serving, and what replaced them.
//
// Tutorials outlive API versions. When a manifest names one the server no
// longer serves, the suite must say so plainly (file:line, what is missing,
// what to use instead) rather than fail with a bare 404 halfway through an
// apply. Sources: the Kubernetes deprecated API migration guide.
import type { ManifestSource } from './manifest.js';
import type { KubeObject } from './wire.js';

export interface ApiReplacement {
  /** Removed apiVersion, e.g. `policy/v1beta1`. */
  from: string;
  kind: string;
  /** apiVersion serving the same kind instead, or undefined when nothing replaces it. */
  to?: string;
  /** Kubernetes minor release that stopped serving `from`, e.g. `1.25`. */
  removedIn: string;
  /**
   * True when a manifest keeps working with only its apiVersion changed (fields
   * and meaning the same or compatible); false when fields must be rewritten.
   */
  sameSchema: boolean;
  /** What else changes, in a sentence. */
  note?: string;
}

const APPS_WORKLOADS_NOTE = 'apps/v1 requires spec.selector, and it must match the pod template labels';

export const API_REPLACEMENTS: readonly ApiReplacement[] = [
  {
    from: 'policy/v1beta1',
    kind: 'PodDisruptionBudget',
    to: 'policy/v1',
    removedIn: '1.25',
    sameSchema: true,
    note: 'in policy/v1 an empty spec.selector selects every pod in the namespace (in v1beta1 it selected none)',
  },
  {
    from: 'policy/v1beta1',
    kind: 'PodSecurityPolicy',
    removedIn: '1.25',
    sameSchema: false,
    note: 'no replacement object: use Pod Security Admission (namespace labels pod-security.kubernetes.io/*)',
  },
  ...(['Deployment', 'ReplicaSet', 'DaemonSet'] as const).map((kind) => ({
    from: 'extensions/v1beta1',
    kind,
    to: 'apps/v1',
    removedIn: '1.16',
    sameSchema: true,
    note: APPS_WORKLOADS_NOTE,
  })),
  ...(['Deployment', 'StatefulSet'] as const).map((kind) => ({
    from: 'apps/v1beta1',
    kind,
    to: 'apps/v1',
    removedIn: '1.16',
    sameSchema: true,
    note: APPS_WORKLOADS_NOTE,
  })),
  ...(['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet'] as const).map((kind) => ({
    from: 'apps/v1beta2',
    kind,
    to: 'apps/v1',
    removedIn: '1.16',
    sameSchema: true,
    note: APPS_WORKLOADS_NOTE,
  })),
  {
    from: 'extensions/v1beta1',
    kind: 'NetworkPolicy',
    to: 'networking.k8s.io/v1',
    removedIn: '1.16',
    sameSchema: true,
  },
  ...(['networking.k8s.io/v1beta1', 'extensions/v1beta1'] as const).map((from) => ({
    from,
    kind: 'Ingress',
    to: 'networking.k8s.io/v1',
    removedIn: '1.22',
    sameSchema: false,
    note: 'spec.backend became spec.defaultBackend, serviceName/servicePort became service.name/service.port.{number,name}, and every path needs a pathType',
  })),
  {
    from: 'networking.k8s.io/v1beta1',
    kind: 'IngressClass',
    to: 'networking.k8s.io/v1',
    removedIn: '1.22',
    sameSchema: true,
  },
  ...(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'] as const).map((kind) => ({
    from: 'rbac.authorization.k8s.io/v1beta1',
    kind,
    to: 'rbac.authorization.k8s.io/v1',
    removedIn: '1.22',
    sameSchema: true,
  })),
  { from: 'batch/v1beta1', kind: 'CronJob', to: 'batch/v1', removedIn: '1.25', sameSchema: true },
  {
    from: 'discovery.k8s.io/v1beta1',
    kind: 'EndpointSlice',
    to: 'discovery.k8s.io/v1',
    removedIn: '1.25',
    sameSchema: false,
    note: 'topology became nodeName/zone per endpoint',
  },
  {
    from: 'autoscaling/v2beta1',
    kind: 'HorizontalPodAutoscaler',
    to: 'autoscaling/v2',
    removedIn: '1.25',
    sameSchema: false,
    note: 'metric targets moved: targetAverageUtilization became target: {type: Utilization, averageUtilization}',
  },
  {
    from: 'autoscaling/v2beta2',
    kind: 'HorizontalPodAutoscaler',
    to: 'autoscaling/v2',
    removedIn: '1.26',
    sameSchema: true,
  },
];

export function findReplacement(apiVersion: string, kind: string): ApiReplacement | undefined {
  return API_REPLACEMENTS.find((r) => r.from === apiVersion && r.kind === kind);
}

/** One manifest object whose apiVersion/kind the server does not serve. */
export interface UnservedApi {
  apiVersion: string;
  kind: string;
  name?: string;
  source?: ManifestSource;
  replacement?: ApiReplacement;
  /** apiVersions under which this server does serve the kind (same group), if any. */
  servedAs: string[];
}

export function formatSource(source: ManifestSource | undefined): string {
  if (!source) return '(manifest of unknown origin)';
  const where = source.line !== undefined ? `${source.file}:${source.line}` : source.file;
  const extra = [
    source.key ? `manifest "${source.key}"` : undefined,
    source.objectIndex !== undefined ? `object ${source.objectIndex}` : undefined,
  ].filter((x) => x !== undefined);
  return extra.length > 0 ? `${where} (${extra.join(', ')})` : where;
}

export function formatUnserved(miss: UnservedApi, serverVersion: string): string {
  const { group, version } = splitGv(miss.apiVersion);
  const lines = [
    `${formatSource(miss.source)}: ${miss.kind}${miss.name ? ` "${miss.name}"` : ''} uses apiVersion ${miss.apiVersion}, ` +
      `which the cluster (Kubernetes ${serverVersion}) does not serve: ` +
      `no kind ${miss.kind} in group "${group || 'core'}" version "${version}".`,
  ];
  const r = miss.replacement;
  if (r?.to) {
    lines.push(
      `  Replacement: ${r.to} ${r.kind} (${r.from} ${r.kind} was removed in Kubernetes ${r.removedIn})` +
        `${r.note ? `; ${r.note}` : ''}.`,
    );
  } else if (r) {
    lines.push(`  Removed in Kubernetes ${r.removedIn}, with no replacement${r.note ? `: ${r.note}` : ''}.`);
  }
  if (miss.servedAs.length > 0) lines.push(`  This cluster serves ${miss.kind} as: ${miss.servedAs.join(', ')}.`);
  return lines.join('\n');
}

/**
 * Thrown by the apply preflight before anything was created, when one or
 * more manifests name an apiVersion/kind the server does not serve.
 */
export class UnservedApiError extends Error {
  override name = 'UnservedApiError';
  constructor(
    readonly misses: UnservedApi[],
    readonly serverVersion: string,
  ) {
    super(
      `${misses.length === 1 ? 'a manifest uses an API' : `${misses.length} manifests use APIs`} ` +
        `this cluster does not serve (nothing was applied):\n` +
        misses.map((m) => formatUnserved(m, serverVersion)).join('\n'),
    );
  }
}

/**
 * The same object under the apiVersion that replaced its removed one (e.g. a
 * policy/v1beta1 PodDisruptionBudget as policy/v1). Only for moves where the
 * fields kept their meaning: otherwise the manifest needs rewriting by a
 * person, and this throws saying what changed.
 */
export function withReplacementApiVersion<T extends KubeObject>(obj: T): { object: T; replacement: ApiReplacement } {
  const apiVersion = obj.apiVersion ?? '';
  const kind = obj.kind ?? '';
  const replacement = findReplacement(apiVersion, kind);
  if (!replacement) throw new Error(`no known replacement for ${apiVersion} ${kind}`);
  if (!replacement.to) {
    throw new Error(`${apiVersion} ${kind} was removed in ${replacement.removedIn} with no replacement: ${replacement.note ?? ''}`);
  }
  if (!replacement.sameSchema) {
    throw new Error(
      `${apiVersion} ${kind} -> ${replacement.to} is not a rename only (${replacement.note ?? 'fields changed'}); ` +
        'rewrite the manifest instead',
    );
  }
  const copy = structuredClone(obj);
  copy.apiVersion = replacement.to;
  return { object: copy, replacement };
}

function splitGv(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}
