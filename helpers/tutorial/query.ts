// Questions the specs ask of a tutorial: which manifest is this, what does it
// look like after the edits the text asks for, which commands run in a pod.
import { applyEdit } from './edits.js';
import { imagesOf } from './kube-objects.js';
import type {
  Block,
  BlockProblem,
  Command,
  Document,
  Edit,
  KubeObject,
  ManifestBlock,
  Section,
  Tutorial,
  TranscriptBlock,
} from './model.js';

export { sectionOf } from './block-sections.js';

export function allBlocks(tutorial: Tutorial): Block[] {
  return tutorial.documents.flatMap((d) => d.sections.flatMap((s) => s.blocks));
}

export function allManifests(tutorial: Tutorial): ManifestBlock[] {
  return allBlocks(tutorial).filter((b): b is ManifestBlock => b.kind === 'manifest');
}

export function allEdits(tutorial: Tutorial): Edit[] {
  return allBlocks(tutorial).filter((b): b is Edit => b.kind === 'edit');
}

export interface ManifestFilter {
  kind?: string;
  name?: string;
  apiVersion?: string;
  /** A container image used by any object of the manifest, as written (before edits). */
  image?: string;
  /** Document file, relative to the tutorial root (`more-introduction-to-kubernetes.adoc`). */
  documentFile?: string;
  /** Exact section title, or any title in its heading path. */
  sectionTitle?: string;
  /** Block title or the file it is saved as (`nginx-pod.yaml`). */
  filename?: string;
}

function sectionByKey(tutorial: Tutorial): Map<string, Section> {
  return new Map(tutorial.documents.flatMap((d) => d.sections.map((s) => [s.key, s] as const)));
}

/** Manifests matching every given field, in reading order. */
export function findManifests(tutorial: Tutorial, filter: ManifestFilter = {}): ManifestBlock[] {
  const sections = sectionByKey(tutorial);
  return allManifests(tutorial).filter((block) => {
    const objects = block.objects;
    if (filter.kind !== undefined && !objects.some((o) => o.kind === filter.kind)) return false;
    if (filter.name !== undefined && !objects.some((o) => o.metadata.name === filter.name)) return false;
    if (filter.apiVersion !== undefined && !objects.some((o) => o.apiVersion === filter.apiVersion)) return false;
    if (filter.image !== undefined && !imagesOf(objects).includes(filter.image)) return false;
    if (filter.documentFile !== undefined && block.source.file !== filter.documentFile) return false;
    if (filter.filename !== undefined && block.filename !== filter.filename && block.title !== filter.filename) return false;
    if (filter.sectionTitle !== undefined && !(sections.get(block.sectionKey)?.headingPath ?? []).includes(filter.sectionTitle)) {
      return false;
    }
    return true;
  });
}

/** The one manifest with this key; throws (listing the keys) when there is none. */
export function getManifest(tutorial: Tutorial, key: string): ManifestBlock {
  const manifests = allManifests(tutorial);
  const found = manifests.find((m) => m.key === key);
  if (found === undefined) {
    throw new Error(`no manifest ${key} in ${tutorial.name}; keys are:\n  ${manifests.map((m) => m.key).join('\n  ')}`);
  }
  return found;
}

export function findSection(
  tutorial: Tutorial,
  query: { key?: string; title?: string; anchor?: string; documentFile?: string },
): Section | undefined {
  return tutorial.documents
    .filter((d) => query.documentFile === undefined || d.file === query.documentFile)
    .flatMap((d) => d.sections)
    .find(
      (s) =>
        (query.key === undefined || s.key === query.key) &&
        (query.title === undefined || s.title === query.title) &&
        (query.anchor === undefined || s.anchor === query.anchor),
    );
}

/**
 * Problems of the blocks that sit under a section (Tutorial.problems with its key), in
 * reading order; with `includeSubsections`, also those of the sections nested in it
 * (the following sections of the same document with a deeper level). Throws for a key
 * that is no section of the tutorial, so a typo cannot pass as "no problems".
 */
export function problemsIn(tutorial: Tutorial, sectionKey: string, options: { includeSubsections?: boolean } = {}): BlockProblem[] {
  const document = tutorial.documents.find((d) => d.sections.some((s) => s.key === sectionKey));
  if (document === undefined) {
    const keys = tutorial.documents.flatMap((d) => d.sections.map((s) => s.key));
    throw new Error(`problemsIn: no section ${sectionKey} in ${tutorial.name}; keys are:\n  ${keys.join('\n  ')}`);
  }
  const keys = new Set([sectionKey]);
  if (options.includeSubsections === true) {
    const start = document.sections.findIndex((s) => s.key === sectionKey);
    const level = document.sections[start]?.level ?? 0;
    for (const section of document.sections.slice(start + 1)) {
      if (section.level <= level) break;
      keys.add(section.key);
    }
  }
  return tutorial.problems.filter((p) => keys.has(p.sectionKey));
}

export function documentOf(tutorial: Tutorial, block: Block): Document {
  const document = tutorial.documents.find((d) => d.file === block.source.file);
  if (document === undefined) throw new Error(`block at ${block.source.file}:${block.source.line} is not from ${tutorial.name}`);
  return document;
}

/** Edits the text asks for on this manifest, in reading order. */
export function editsFor(tutorial: Tutorial, key: string): Edit[] {
  return allEdits(tutorial).filter((e) => e.target === key);
}

/**
 * The manifest's objects after the edits the text asks for on it, in order; with
 * `through`, only up to and including that edit (e.g. replicas 4 before the later 3).
 */
export function manifestAfterEdits(tutorial: Tutorial, key: string, options: { through?: Edit } = {}): KubeObject[] {
  let objects: KubeObject[] = structuredClone(getManifest(tutorial, key).objects);
  for (const edit of editsFor(tutorial, key)) {
    const replacement = edit.change === 'replace-file' ? getManifest(tutorial, edit.replacement).objects : undefined;
    objects = applyEdit(objects, edit, replacement);
    if (edit === options.through) break;
  }
  return objects;
}

export interface CommandFilter {
  where?: 'host' | 'pod';
  pod?: string;
  /** Substring of the command text. */
  includes?: string;
  documentFile?: string;
}

/** Commands of all transcripts, in reading order, with the transcript they belong to. */
export function findCommands(tutorial: Tutorial, filter: CommandFilter = {}): Array<{ command: Command; transcript: TranscriptBlock }> {
  return allBlocks(tutorial)
    .filter((b): b is TranscriptBlock => b.kind === 'transcript')
    .filter((t) => filter.documentFile === undefined || t.source.file === filter.documentFile)
    .flatMap((transcript) => transcript.commands.map((command) => ({ command, transcript })))
    .filter(
      ({ command }) =>
        (filter.where === undefined || command.context.where === filter.where) &&
        (filter.pod === undefined || (command.context.where === 'pod' && command.context.pod === filter.pod)) &&
        (filter.includes === undefined || command.text.includes(filter.includes)),
    );
}
