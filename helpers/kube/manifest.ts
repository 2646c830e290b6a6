// Objects to apply, each with where the tutorial wrote it, so every error can
// point at the text (file:line, manifest key) rather than at an object name.
import type { KubeObject } from './wire.js';

/** Where a manifest object comes from in the tutorial. */
export interface ManifestSource {
  /** Tutorial file, relative to the tutorial root. */
  file: string;
  /** 1-based line of the manifest block (its first content line). */
  line?: number;
  /** The manifest block's key (`<document>/<section>/<n>`). */
  key?: string;
  /** 1-based position of the object in a multi-document block, when there are several. */
  objectIndex?: number;
}

export interface SourcedObject {
  object: KubeObject;
  source?: ManifestSource;
}

/**
 * The shape of a tutorial manifest block (helpers/tutorial's ManifestBlock),
 * declared structurally so this module does not depend on the reader's internals.
 */
export interface ManifestLike {
  key: string;
  source: { file: string; line: number };
  objects: readonly object[];
}

/** Flattens manifest blocks into objects that remember their block and position. */
export function sourcedObjects(blocks: readonly ManifestLike[]): SourcedObject[] {
  return blocks.flatMap((b) =>
    b.objects.map((o, i) => ({
      object: o as KubeObject,
      source: {
        file: b.source.file,
        line: b.source.line,
        key: b.key,
        ...(b.objects.length > 1 ? { objectIndex: i + 1 } : {}),
      },
    })),
  );
}
