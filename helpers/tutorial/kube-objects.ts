// Small, read-only views into the objects tutorials use, shared by the query
// helpers and the edit logic.

type Json = Record<string, unknown>;

/** Any object in JSON form with a kind: a manifest of the text, or what the server holds. */
export interface ObjectLike {
  kind?: string;
  [field: string]: unknown;
}

function asRecord(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/** Pod specs inside an object: a Pod's own, or the template of a workload (Deployment, ReplicaSet, Job, CronJob...). */
export function podSpecsOf(object: ObjectLike): Json[] {
  const spec = asRecord(object['spec']);
  if (spec === undefined) return [];
  if (object.kind === 'Pod') return [spec];
  const template = asRecord(asRecord(spec['template'])?.['spec']);
  const jobTemplate = asRecord(asRecord(asRecord(asRecord(spec['jobTemplate'])?.['spec'])?.['template'])?.['spec']);
  return [template, jobTemplate].filter((s): s is Json => s !== undefined);
}

/** Container entries (init containers included) of every pod spec in the object. */
export function containersOf(object: ObjectLike): Json[] {
  return podSpecsOf(object).flatMap((spec) =>
    ['initContainers', 'containers'].flatMap((field) => {
      const list = spec[field];
      return Array.isArray(list) ? list.map(asRecord).filter((c): c is Json => c !== undefined) : [];
    }),
  );
}

export function imagesOf(objects: readonly ObjectLike[]): string[] {
  return objects.flatMap((object) =>
    containersOf(object)
      .map((container) => container['image'])
      .filter((image): image is string => typeof image === 'string'),
  );
}

/** `spec.replicas` when the object declares it (Deployment, ReplicaSet, StatefulSet...). */
export function replicasOf(object: ObjectLike): number | undefined {
  const replicas = asRecord(object['spec'])?.['replicas'];
  return typeof replicas === 'number' ? replicas : undefined;
}
