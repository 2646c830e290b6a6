// Typed views of objects by kind. A manifest from a tutorial, or an object
// from the server, is plain JSON of any kind; a kind guard narrows it to the
// wire form of that kind (`Wire<V1Pod>`: the generated field names, with
// RFC 3339 strings where the typed client would have Dates), so callers read
// `pod.spec.containers` without casts.
import type { V1Deployment, V1Pod, V1PodDisruptionBudget, V1ReplicaSet, V1Service } from '@kubernetes/client-node';
import type { Wire } from './wire.js';

export interface Kinds {
  Pod: Wire<V1Pod>;
  Deployment: Wire<V1Deployment>;
  ReplicaSet: Wire<V1ReplicaSet>;
  Service: Wire<V1Service>;
  PodDisruptionBudget: Wire<V1PodDisruptionBudget>;
}

export type KindName = keyof Kinds;

/** Is `o` of this kind? Narrows it to the kind's wire type, keeping what `o` already was. */
export function isKind<O extends { kind?: unknown }, K extends KindName>(o: O, kind: K): o is O & Kinds[K] {
  return o.kind === kind;
}
