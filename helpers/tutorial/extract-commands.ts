// What `npm run extract` and `npm run extract:check` do, as functions that
// return their output and exit code instead of touching process: the scripts
// stay three-line wrappers and the tests run the real logic in-process.
// Both read strictly: a block the reader cannot read fails the command with its
// file:line instead of quietly leaving a manifest out of the snapshot.
import path from 'node:path';
import { TutorialSourceError } from './errors.js';
import { readTutorial } from './read-tutorial.js';
import { compareSnapshots, formatComparison } from './snapshot-diff.js';
import { defaultSnapshotDir, ExtractError, originOf, parseExtractArgs, readSnapshotDir, writeSnapshotDir } from './snapshot-io.js';
import type { Tutorial } from './model.js';
import { renderSnapshot, type SnapshotFiles } from './snapshot.js';

export interface CommandResult {
  /** 0 success, 1 a problem explained in stderr (bad source, drift, bad arguments), 2 a bug. */
  code: number;
  stdout: string;
  stderr: string;
}

function shown(dir: string, cwd: string): string {
  return path.relative(cwd, dir) || '.';
}

/** Runs a command body, turning expected problems into exit 1 and anything else into exit 2 with its stack. */
function guard(name: string, body: () => CommandResult): CommandResult {
  try {
    return body();
  } catch (error) {
    if (error instanceof TutorialSourceError || error instanceof ExtractError) {
      return { code: 1, stdout: '', stderr: `${name}: ${error.message}\n` };
    }
    return { code: 2, stdout: '', stderr: `${name}: unexpected error\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n` };
  }
}

/**
 * Files a caller adds to the snapshot beside the reader's own (the suite adds
 * sections.yaml: which of its sections the source has); compared like the rest.
 */
export type ExtraSnapshotFiles = (tutorial: Tutorial) => SnapshotFiles;

function snapshotOf(tutorial: Tutorial, extra: ExtraSnapshotFiles | undefined): SnapshotFiles {
  const files = renderSnapshot(tutorial, originOf(tutorial.root, tutorial.name));
  for (const [file, text] of extra?.(tutorial) ?? []) files.set(file, text);
  return files;
}

/** `extract <path> [--out dir]`: writes the snapshot of the tutorial. */
export function runExtract(argv: readonly string[], repoRoot: string, cwd = process.cwd(), extra?: ExtraSnapshotFiles): CommandResult {
  return guard('extract', () => {
    const args = parseExtractArgs(argv);
    const tutorial = readTutorial(path.resolve(cwd, args.source), { strict: true });
    const dir = path.resolve(cwd, args.out ?? defaultSnapshotDir(repoRoot, tutorial.name));
    const files = snapshotOf(tutorial, extra);
    writeSnapshotDir(dir, files);
    const others = [...files.keys()].filter((f) => !f.includes('/')).sort();
    return { code: 0, stdout: `extract: ${tutorial.name}: wrote ${files.size - others.length} manifests and ${others.join(', ')} to ${shown(dir, cwd)}\n`, stderr: '' };
  });
}

/** `extract:check <path> [--out dir]`: compares a fresh extraction with the committed snapshot. */
export function runExtractCheck(argv: readonly string[], repoRoot: string, cwd = process.cwd(), extra?: ExtraSnapshotFiles): CommandResult {
  return guard('extract:check', () => {
    const args = parseExtractArgs(argv);
    const tutorial = readTutorial(path.resolve(cwd, args.source), { strict: true });
    const dir = path.resolve(cwd, args.out ?? defaultSnapshotDir(repoRoot, tutorial.name));
    const extracted = snapshotOf(tutorial, extra);
    const comparison = compareSnapshots(readSnapshotDir(dir), extracted);
    const acceptCommand = `npm run extract -- ${args.source}${args.out === undefined ? '' : ` --out ${args.out}`}`;
    const report = formatComparison(comparison, { source: tutorial.name, snapshotDir: shown(dir, cwd), acceptCommand });
    return comparison.equal ? { code: 0, stdout: report, stderr: '' } : { code: 1, stdout: '', stderr: report };
  });
}
