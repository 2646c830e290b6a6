// File-system side of the snapshot: reading and writing manifests/<source>/,
// the origin statement, and the command-line arguments both scripts share.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { INDEX_FILE, type SnapshotFiles } from './snapshot.js';

const LICENSE_FILES = ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'COPYING'];

/**
 * What the snapshot says about where its manifests come from. With a LICENSE next
 * to the text (Cybozu: MIT), its name and copyright line are quoted; without one
 * (the blog), the files are marked as reference data.
 */
export function originOf(root: string, name: string): string {
  for (const candidate of LICENSE_FILES) {
    const file = path.join(root, candidate);
    if (!fs.existsSync(file)) continue;
    const lines = fs
      .readFileSync(file, 'utf8')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '');
    const licence = lines[0] ?? 'a licence';
    const copyright = lines.find((l) => /^copyright\b/i.test(l));
    return `tutorial text of ${name}, distributed under ${licence}${copyright === undefined ? '' : ` (${copyright})`}; see ${candidate} in the source folder.`;
  }
  return `tutorial text of ${name}, which states no licence: reference data for this test suite only, not for redistribution.`;
}

/** Every file under the snapshot folder, by POSIX relative path; empty when the folder does not exist. */
export function readSnapshotDir(dir: string): SnapshotFiles {
  const files: SnapshotFiles = new Map();
  const walk = (current: string): void => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) files.set(path.relative(dir, full).split(path.sep).join('/'), fs.readFileSync(full, 'utf8'));
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return files;
}

/**
 * Replaces the snapshot folder's content with `files`. Refuses a non-empty folder
 * without index.yaml, so a mistyped --out never wipes unrelated files.
 */
export function writeSnapshotDir(dir: string, files: SnapshotFiles): void {
  const existing = readSnapshotDir(dir);
  if (existing.size > 0 && !existing.has(INDEX_FILE)) {
    throw new ExtractError(`${dir} has files but no ${INDEX_FILE}: it does not look like a snapshot folder; refusing to overwrite it`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  for (const [relative, content] of files) {
    const target = path.join(dir, ...relative.split('/'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }
}

export interface ExtractArgs {
  source: string;
  out?: string;
}

export const USAGE = 'usage: <tutorial folder or .adoc/.md file> [--out manifests/<source-name>]';

/** A problem the scripts explain in one message (exit 1), as opposed to a bug (stack trace, exit 2). */
export class ExtractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExtractError';
  }
}

/** Bad command line: printed with the usage line. */
export class UsageError extends ExtractError {
  constructor(problem: string) {
    super(`${problem}\n${USAGE}`);
    this.name = 'UsageError';
  }
}

/** `<path> [--out dir]`; throws with the usage line on anything else. */
export function parseExtractArgs(argv: readonly string[]): ExtractArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: { out: { type: 'string' } }, allowPositionals: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const [source, ...extra] = parsed.positionals;
  if (source === undefined) throw new UsageError('missing the tutorial path');
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  return { source, ...(parsed.values.out === undefined ? {} : { out: parsed.values.out }) };
}

/** Default snapshot folder of a source: manifests/<source-name>/ in the repository. */
export function defaultSnapshotDir(repoRoot: string, sourceName: string): string {
  return path.join(repoRoot, 'manifests', sourceName);
}
