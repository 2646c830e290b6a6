// Applying a tutorial's manifests: first a discovery preflight over every
// object (so a removed API is reported with file:line and its replacement
// before anything exists on the cluster), then server-side apply of each
// object, in the order given, into the spec's namespace.
//
// Objects are sent as the JSON the tutorial wrote (not through the generated
// client's models, which drop fields they do not know), with a field manager
// so later edits by the suite merge like `kubectl apply --server-side` does.
import type { Kube } from './client.js';
import { findReplacement, formatSource, UnservedApiError, type UnservedApi } from './deprecations.js';
import { resourcePath, splitApiVersion, type ServedResource } from './discovery.js';
import { isNotFound, KubeHttpError } from './http.js';
import { sourcedObjects, type ManifestLike, type ManifestSource, type SourcedObject } from './manifest.js';
import { ownershipMetadata } from './ownership.js';
import type { KubeObject } from './wire.js';

export const FIELD_MANAGER = 'tutorial-e2e';

export interface ApplyOptions {
  /** Namespace for namespaced objects; a namespace written in the manifest is replaced (specs are isolated). */
  namespace: string;
  fieldManager?: string;
  /** Take over fields another manager owns (kubectl apply --server-side --force-conflicts). Default true. */
  force?: boolean;
  dryRun?: boolean;
  /** Spec name: cluster-scoped objects get the suite's ownership labels so sweeps can find them. */
  spec?: string;
  timeoutMs?: number;
}

export interface AppliedObject {
  /** The object as the server returned it after apply. */
  object: KubeObject;
  source?: ManifestSource;
  resource: ServedResource;
  /** Set for namespaced objects. */
  namespace?: string;
  name: string;
  /** URL path of the object. */
  path: string;
  /** The manifest named another namespace, replaced by the spec's. */
  namespaceReplaced?: string;
}

/** A manifest object that cannot be applied as written (missing kind, name, ...) or that the server rejected. */
export class ApplyError extends Error {
  override name = 'ApplyError';
  constructor(
    message: string,
    readonly source: ManifestSource | undefined,
    readonly status?: number,
  ) {
    super(message);
  }
}

function label(o: KubeObject): string {
  return `${o.kind ?? '?'} "${o.metadata?.name ?? '?'}"`;
}

/**
 * Checks every object's apiVersion/kind against the server's discovery before
 * anything is applied. Throws UnservedApiError listing every miss (with
 * file:line, the server version and the replacement where known).
 */
export async function preflight(kube: Kube, items: readonly SourcedObject[]): Promise<ServedResource[]> {
  const misses: UnservedApi[] = [];
  const found: ServedResource[] = [];
  for (const { object: o, source } of items) {
    if (!o.apiVersion || !o.kind) {
      throw new ApplyError(`${formatSource(source)}: object without apiVersion or kind: ${JSON.stringify(o).slice(0, 200)}`, source);
    }
    if (!o.metadata?.name) {
      throw new ApplyError(`${formatSource(source)}: ${o.kind} without metadata.name (apply needs a name)`, source);
    }
    const res = await kube.discovery.resource(o.apiVersion, o.kind);
    if (res) {
      found.push(res);
      continue;
    }
    const { group } = splitApiVersion(o.apiVersion);
    misses.push({
      apiVersion: o.apiVersion,
      kind: o.kind,
      name: o.metadata.name,
      source,
      replacement: findReplacement(o.apiVersion, o.kind),
      servedAs: await kube.discovery.servedVersionsOfKind(group, o.kind),
    });
  }
  if (misses.length > 0) {
    const version = await kube.discovery.serverVersion();
    throw new UnservedApiError(misses, version.gitVersion);
  }
  return found;
}

/** Preflight, then server-side apply of each object in order. Resolves with what the server stored. */
export async function applyObjects(kube: Kube, items: readonly SourcedObject[], opts: ApplyOptions): Promise<AppliedObject[]> {
  const resources = await preflight(kube, items);
  const applied: AppliedObject[] = [];
  for (const [i, item] of items.entries()) {
    // preflight() returned one resource per item and refused objects without a name.
    const res = resources[i];
    if (!res) throw new Error(`applyObjects: preflight returned no resource for item ${i}`);
    const obj = structuredClone(item.object);
    const meta = (obj.metadata ??= {});
    const name = meta.name;
    if (!name) {
      throw new ApplyError(`${formatSource(item.source)}: ${obj.kind ?? '?'} without metadata.name (apply needs a name)`, item.source);
    }
    let namespaceReplaced: string | undefined;
    if (res.namespaced) {
      if (meta.namespace && meta.namespace !== opts.namespace) namespaceReplaced = meta.namespace;
      meta.namespace = opts.namespace;
    } else {
      delete meta.namespace;
      if (opts.spec) {
        const own = ownershipMetadata(opts.spec);
        meta.labels = { ...(meta.labels ?? {}), ...own.labels };
        meta.annotations = { ...(meta.annotations ?? {}), ...own.annotations };
      }
    }
    const path = resourcePath(res, opts.namespace, name);
    try {
      const stored = await kube.json<KubeObject>({
        method: 'PATCH',
        path,
        query: {
          fieldManager: opts.fieldManager ?? FIELD_MANAGER,
          force: opts.force ?? true,
          dryRun: opts.dryRun ? 'All' : undefined,
        },
        contentType: 'application/apply-patch+yaml', // JSON is YAML
        body: JSON.stringify(obj),
        timeoutMs: opts.timeoutMs ?? 30_000,
      });
      applied.push({
        object: stored,
        source: item.source,
        resource: res,
        namespace: res.namespaced ? opts.namespace : undefined,
        name,
        path,
        ...(namespaceReplaced ? { namespaceReplaced } : {}),
      });
    } catch (err) {
      const status = err instanceof KubeHttpError ? err.status : undefined;
      const why = err instanceof KubeHttpError ? `${err.reason ?? `HTTP ${err.status}`}: ${err.serverMessage ?? ''}` : (err as Error).message;
      throw new ApplyError(
        `${formatSource(item.source)}: the server rejected ${label(obj)} (${obj.apiVersion ?? '?'}): ${why}` +
          (applied.length > 0 ? `\n  already applied: ${applied.map((a) => label(a.object)).join(', ')}` : ''),
        item.source,
        status,
      );
    }
  }
  return applied;
}

/** applyObjects for tutorial manifest blocks (each object remembers its block's file:line and key). */
export function applyManifests(kube: Kube, blocks: readonly ManifestLike[], opts: ApplyOptions): Promise<AppliedObject[]> {
  return applyObjects(kube, sourcedObjects(blocks), opts);
}

/** Deletes an applied object; an object already gone is fine. */
export async function deleteApplied(
  kube: Kube,
  obj: Pick<AppliedObject, 'path'>,
  opts: { propagationPolicy?: 'Background' | 'Foreground' | 'Orphan'; gracePeriodSeconds?: number } = {},
): Promise<void> {
  try {
    await kube.json({
      method: 'DELETE',
      path: obj.path,
      body: JSON.stringify({
        apiVersion: 'v1',
        kind: 'DeleteOptions',
        propagationPolicy: opts.propagationPolicy ?? 'Background',
        ...(opts.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: opts.gracePeriodSeconds } : {}),
      }),
      timeoutMs: 30_000,
    });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}
