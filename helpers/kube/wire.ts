// Objects as they travel on the wire.
//
// The typed API classes of @kubernetes/client-node turn timestamps into Date
// objects, and their serializer drops fields the client's models do not know.
// Watches, raw lists and server-side apply here use plain JSON instead, so an
// object is exactly what the API server sent (or what the tutorial wrote).
// `Wire<V1Pod>` keeps the generated field names and turns every Date into the
// RFC 3339 string that is really there.
import type { V1ObjectMeta } from '@kubernetes/client-node';

export type Wire<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

/** Any Kubernetes object in JSON form: what a manifest or the server holds. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: Wire<V1ObjectMeta>;
  [field: string]: unknown;
}

/** A list response in JSON form. */
export interface KubeList<T> {
  apiVersion?: string;
  kind?: string;
  metadata?: { resourceVersion?: string; continue?: string };
  items: T[];
}

/** `namespace/name` (or just `name` for cluster-scoped objects). */
export function objectKey(obj: { metadata?: { name?: string; namespace?: string } }): string {
  const m = obj.metadata ?? {};
  return m.namespace ? `${m.namespace}/${m.name ?? '?'}` : (m.name ?? '?');
}
