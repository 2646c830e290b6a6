// The reviewed snapshot of a tutorial (manifests/<source>/): one YAML file per
// manifest, named by its key, plus index.yaml listing manifests and edits.
// Rendering is pure (tutorial in, path -> content out) so extract and
// extract:check produce byte-identical results and the check can diff them.
import yaml from 'js-yaml';
import type { Edit, ManifestBlock, Tutorial } from './model.js';
import { allEdits, allManifests } from './query.js';

export type SnapshotFiles = Map<string, string>;

export const INDEX_FILE = 'index.yaml';

/** Where a manifest is written inside the snapshot folder. */
export function manifestPath(block: ManifestBlock): string {
  return `${block.key}.yaml`;
}

function where(tutorial: Tutorial, source: { file: string; line: number }): string {
  return `${tutorial.name}/${source.file}:${source.line}`;
}

function objectLabel(object: ManifestBlock['objects'][number]): string {
  return `${object.kind}/${object.metadata.name} (${object.apiVersion})`;
}

function editFields(edit: Edit): Record<string, string | number> {
  switch (edit.change) {
    case 'set-replicas':
      return { replicas: edit.replicas, ...(edit.from === undefined ? {} : { from: edit.from }) };
    case 'change-image':
      return { from: edit.from, to: edit.to };
    case 'replace-file':
      return { replacement: edit.replacement, ...(edit.filename === undefined ? {} : { filename: edit.filename }) };
  }
}

/** One line per edit, used by the index and by the check's summary. */
export function describeEdit(edit: Edit): string {
  const fields = Object.entries(editFields(edit))
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return `${edit.source.file}:${edit.source.line} ${edit.change} ${edit.target} ${fields}`;
}

function manifestFile(tutorial: Tutorial, block: ManifestBlock, origin: string): string {
  const header = [
    `# Extracted from ${where(tutorial, block.source)} by \`npm run extract\`; do not edit by hand.`,
    ...(block.title === undefined ? [] : [`# Block title: ${block.title}`]),
    ...(block.filename !== undefined && block.filename !== block.title ? [`# Saved as: ${block.filename}`] : []),
    `# Origin: ${origin}`,
  ];
  return `${header.join('\n')}\n${block.text}`;
}

function indexFile(tutorial: Tutorial, origin: string): string {
  const manifests = allManifests(tutorial);
  const data = {
    source: tutorial.name,
    documents: tutorial.documents.map((d) => ({
      file: d.file,
      format: d.format,
      manifests: manifests.filter((m) => m.source.file === d.file).length,
    })),
    manifests: manifests.map((m) => ({
      key: m.key,
      file: manifestPath(m),
      source: `${m.source.file}:${m.source.line}`,
      ...(m.title === undefined ? {} : { title: m.title }),
      ...(m.filename === undefined ? {} : { filename: m.filename }),
      objects: m.objects.map(objectLabel),
    })),
    edits: allEdits(tutorial).map((e) => ({
      source: `${e.source.file}:${e.source.line}`,
      change: e.change,
      target: e.target,
      ...editFields(e),
    })),
  };
  const header = [
    `# Manifests and edits extracted from ${tutorial.name} by \`npm run extract\`; do not edit by hand.`,
    `# Origin: ${origin}`,
  ];
  return `${header.join('\n')}\n${yaml.dump(data, { lineWidth: -1, noRefs: true, sortKeys: false })}`;
}

/**
 * All files of the snapshot. `origin` states where the manifests come from and under
 * which terms (see originOf in snapshot-io.ts); it heads every file.
 */
export function renderSnapshot(tutorial: Tutorial, origin: string): SnapshotFiles {
  const files: SnapshotFiles = new Map();
  for (const block of allManifests(tutorial)) files.set(manifestPath(block), manifestFile(tutorial, block, origin));
  files.set(INDEX_FILE, indexFile(tutorial, origin));
  return files;
}
