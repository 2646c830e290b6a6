// The files the text has the reader save, as they are at a given point of
// the text: `kubectl apply -f nginx-deployment.yaml` applies the newest
// manifest saved under that name before the command, with the edits the prose
// asked for on it before the command (the image changed, replicas set).
import { dump } from 'js-yaml';
import type { Command, Edit, ManifestBlock, Tutorial } from '../tutorial/index.js';
import { allManifests, editsFor, manifestAfterEdits } from '../tutorial/query.js';

type Position = readonly [number, number];

function positionOf(t: Tutorial, source: { file: string; line: number }): Position {
  return [t.documents.findIndex((d) => d.file === source.file), source.line];
}

const before = (a: Position, b: Position): boolean => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

/** The files a command names with `-f`/`--filename` (as typed). */
export function filesNamedBy(words: readonly string[]): string[] {
  const files: string[] = [];
  for (const [i, w] of words.entries()) {
    if ((w === '-f' || w === '--filename') && words[i + 1] !== undefined) files.push(words[i + 1] ?? '');
    else if (w.startsWith('--filename=')) files.push(w.slice('--filename='.length));
    else if (/^-f\S/.test(w)) files.push(w.slice(2));
  }
  return files;
}

export interface SavedFile {
  name: string;
  /** The block the reader saved it from, and the edits made to it since. */
  block: ManifestBlock;
  edits: Edit[];
  /** The file's content at that point. */
  text: string;
}

/** The file `name` as the reader has it when they type `command`; undefined when the text gives no such file before it. */
export function savedFileAt(t: Tutorial, name: string, command: Command): SavedFile | undefined {
  const at = positionOf(t, command.source);
  const block = allManifests(t)
    .filter((b) => (b.filename ?? b.title) === name && before(positionOf(t, b.source), at))
    .at(-1);
  if (block === undefined) return undefined;
  const edits = editsFor(t, block.key).filter((e) => e.change !== 'replace-file' && before(positionOf(t, e.source), at));
  const last = edits.at(-1);
  const text = last === undefined ? block.text : manifestAfterEdits(t, block.key, { through: last }).map((o) => dump(o, { lineWidth: -1, noRefs: true })).join('---\n');
  return { name, block, edits, text };
}
