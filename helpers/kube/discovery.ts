// What the API server serves, asked of the server itself (never assumed from
// its version): the apply preflight checks every manifest's apiVersion/kind
// here before anything is created, and the leftover sweep lists cluster-scoped
// kinds from it.
import type { RawRequest } from './http.js';

/** What discovery needs of the client: JSON GETs (declared here so client.ts, which makes a Discovery, is not imported back). */
interface JsonGetter {
  json<T>(req: RawRequest): Promise<T>;
}

/** `GET /version` of the API server. */
export interface ServerVersion {
  major: string;
  minor: string;
  gitVersion: string;
  platform?: string;
}
import { isNotFound } from './http.js';

export interface ServedResource {
  /** `v1`, `apps/v1`, ... */
  apiVersion: string;
  group: string;
  version: string;
  kind: string;
  /** Plural resource name used in URLs, e.g. `poddisruptionbudgets`. */
  name: string;
  namespaced: boolean;
  verbs: string[];
}

interface APIResourceList {
  groupVersion: string;
  resources: { name: string; kind: string; namespaced: boolean; verbs?: string[] }[];
}
interface APIGroupList {
  groups: { name: string; versions: { groupVersion: string; version: string }[] }[];
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** URL prefix of a group-version: `/api/v1` for the core group, `/apis/<group>/<version>` otherwise. */
export function groupVersionPath(apiVersion: string): string {
  const { group, version } = splitApiVersion(apiVersion);
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

export class Discovery {
  private readonly byGroupVersion = new Map<string, Promise<ServedResource[] | null>>();
  private groupList?: Promise<string[]>;
  private version?: Promise<ServerVersion>;

  constructor(private readonly kube: JsonGetter) {}

  /** Forget everything (e.g. after a CRD was installed). */
  invalidate(): void {
    this.byGroupVersion.clear();
    this.groupList = undefined;
    this.version = undefined;
  }

  serverVersion(): Promise<ServerVersion> {
    this.version ??= this.kube.json<ServerVersion>({ path: '/version', timeoutMs: 10_000 });
    return this.version;
  }

  /** Resources of one group-version, or null when the server does not serve that group-version at all. */
  resourcesOf(apiVersion: string): Promise<ServedResource[] | null> {
    let p = this.byGroupVersion.get(apiVersion);
    if (!p) {
      p = this.fetchGroupVersion(apiVersion);
      this.byGroupVersion.set(apiVersion, p);
      // A failed request is not an answer: do not cache it.
      p.catch(() => this.byGroupVersion.delete(apiVersion));
    }
    return p;
  }

  /** The served resource for apiVersion + kind (top-level resources only, not subresources). */
  async resource(apiVersion: string, kind: string): Promise<ServedResource | undefined> {
    const list = await this.resourcesOf(apiVersion);
    return list?.find((r) => r.kind === kind);
  }

  /** Every served group-version, e.g. ['v1', 'apps/v1', 'policy/v1', ...]. */
  groupVersions(): Promise<string[]> {
    this.groupList ??= (async () => {
      const groups = await this.kube.json<APIGroupList>({ path: '/apis', timeoutMs: 10_000 });
      return ['v1', ...groups.groups.flatMap((g) => g.versions.map((v) => v.groupVersion))];
    })();
    return this.groupList;
  }

  /** The apiVersions under which the server serves a kind of the given group (to say what to use instead). */
  async servedVersionsOfKind(group: string, kind: string): Promise<string[]> {
    const gvs = (await this.groupVersions()).filter((gv) => splitApiVersion(gv).group === group);
    const out: string[] = [];
    for (const gv of gvs) {
      if ((await this.resourcesOf(gv))?.some((r) => r.kind === kind)) out.push(gv);
    }
    return out;
  }

  /** Every top-level resource of every served group-version. */
  async allResources(): Promise<ServedResource[]> {
    const gvs = await this.groupVersions();
    const lists = await Promise.all(gvs.map((gv) => this.resourcesOf(gv)));
    return lists.flatMap((l) => l ?? []);
  }

  private async fetchGroupVersion(apiVersion: string): Promise<ServedResource[] | null> {
    const { group, version } = splitApiVersion(apiVersion);
    try {
      const list = await this.kube.json<APIResourceList>({ path: groupVersionPath(apiVersion), timeoutMs: 10_000 });
      return list.resources
        .filter((r) => !r.name.includes('/'))
        .map((r) => ({
          apiVersion,
          group,
          version,
          kind: r.kind,
          name: r.name,
          namespaced: r.namespaced,
          verbs: r.verbs ?? [],
        }));
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }
}

/**
 * URL path of a resource collection or object: `/apis/apps/v1/namespaces/ns/deployments[/name]`.
 * A namespace is used only for namespaced resources.
 */
export function resourcePath(
  res: Pick<ServedResource, 'apiVersion' | 'name' | 'namespaced'>,
  namespace?: string,
  name?: string,
): string {
  let p = groupVersionPath(res.apiVersion);
  if (res.namespaced) {
    if (!namespace) throw new Error(`${res.name} are namespaced: a namespace is needed`);
    p += `/namespaces/${encodeURIComponent(namespace)}`;
  }
  p += `/${res.name}`;
  if (name !== undefined) p += `/${encodeURIComponent(name)}`;
  return p;
}

/** Collection paths of the kinds the waits use most. */
export const paths = {
  pods: (ns: string): string => `/api/v1/namespaces/${ns}/pods`,
  events: (ns: string): string => `/api/v1/namespaces/${ns}/events`,
  services: (ns: string): string => `/api/v1/namespaces/${ns}/services`,
  namespaces: (): string => '/api/v1/namespaces',
  nodes: (): string => '/api/v1/nodes',
  deployments: (ns: string): string => `/apis/apps/v1/namespaces/${ns}/deployments`,
  replicaSets: (ns: string): string => `/apis/apps/v1/namespaces/${ns}/replicasets`,
  endpointSlices: (ns: string): string => `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`,
  podDisruptionBudgets: (ns: string): string => `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets`,
} as const;
