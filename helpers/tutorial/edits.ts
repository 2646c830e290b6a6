// Which manifest an edit request changes, and what the manifest looks like
// after it. Targets are searched among the manifests shown EARLIER in the same
// document, newest first, because that is the file the reader has on disk.
import { containersOf, imagesOf, replicasOf } from './kube-objects.js';
import type { Edit, KubeObject, ManifestBlock } from './model.js';

/** A manifest as it stands at some point of the reading: the block plus edits applied so far. */
export interface ManifestState {
  block: ManifestBlock;
  objects: KubeObject[];
}

/**
 * Picks the manifest a set-replicas or change-image request refers to: the newest
 * earlier manifest that has the field with the old value the text states (the old
 * image; the old replica count when given); when the paragraph names a file, a
 * manifest saved under that name wins.
 */
export function findEditTarget(
  states: readonly ManifestState[],
  request: { change: 'set-replicas'; from?: number } | { change: 'change-image'; from: string },
  namedFile: string | undefined,
): ManifestState | undefined {
  const fits = (state: ManifestState): boolean =>
    request.change === 'set-replicas'
      ? state.objects.some((o) => replicasOf(o) !== undefined && (request.from === undefined || replicasOf(o) === request.from))
      : imagesOf(state.objects).includes(request.from);
  const newestFirst = [...states].reverse();
  return (
    newestFirst.find((s) => fits(s) && namedFile !== undefined && s.block.filename === namedFile) ??
    newestFirst.find(fits)
  );
}

/**
 * The file a whole-file replacement rewrites: the newest earlier manifest saved under
 * the same name, else one declaring the same first object (kind and name).
 */
export function findReplacedManifest(
  states: readonly ManifestState[],
  replacement: ManifestBlock,
): ManifestState | undefined {
  const newestFirst = [...states].reverse();
  const first = replacement.objects[0];
  return (
    newestFirst.find((s) => replacement.filename !== undefined && s.block.filename === replacement.filename) ??
    newestFirst.find(
      (s) => first !== undefined && s.objects.some((o) => o.kind === first.kind && o.metadata.name === first.metadata.name),
    )
  );
}

/**
 * Applies an edit to a manifest's objects without touching the input. A replace-file
 * edit needs the replacement's objects (look them up by `edit.replacement`).
 */
export function applyEdit(
  objects: readonly KubeObject[],
  edit: Edit,
  replacementObjects?: readonly KubeObject[],
): KubeObject[] {
  if (edit.change === 'replace-file') {
    if (replacementObjects === undefined) {
      throw new Error(`applyEdit: the replace-file edit at ${edit.source.file}:${edit.source.line} needs the objects of ${edit.replacement}`);
    }
    return structuredClone([...replacementObjects]);
  }
  const copy = structuredClone([...objects]);
  for (const object of copy) {
    if (edit.change === 'set-replicas') {
      if (replicasOf(object) !== undefined) (object['spec'] as Record<string, unknown>)['replicas'] = edit.replicas;
    } else {
      for (const container of containersOf(object)) {
        if (container['image'] === edit.from) container['image'] = edit.to;
      }
    }
  }
  return copy;
}

/**
 * The manifest a request most likely meant when none fits (the old value in the text
 * and in the manifest disagree): the newest earlier one with the field at all, saved
 * under the named file if any is. Only used to explain the problem.
 */
export function nearestCandidate(
  states: readonly ManifestState[],
  change: 'set-replicas' | 'change-image',
  namedFile: string | undefined,
): ManifestState | undefined {
  const hasField = (state: ManifestState): boolean =>
    change === 'set-replicas'
      ? state.objects.some((o) => replicasOf(o) !== undefined)
      : imagesOf(state.objects).length > 0;
  const newestFirst = [...states].reverse();
  return (
    newestFirst.find((s) => hasField(s) && namedFile !== undefined && s.block.filename === namedFile) ??
    newestFirst.find(hasField)
  );
}
