// The suite's own version, as a verdict depends on it: a digest of the files
// that decide what a run checks and how (the harness, the specs, the known
// issues, the reviewed snapshots, the suite's manifests, the locked
// dependencies). Unit tests and documents are left out: they change no
// verdict. A verdict carried over from an earlier run (carry-over.ts) needs
// the same digest, so any change of the suite re-verifies everything.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { PROJECT_ROOT } from './project-root.js';

const TREES = ['helpers', 'specs', 'manifests'];
const FILES = ['package-lock.json', 'jest.config.ts', 'tsconfig.json'];
const LEFT_OUT = /\.test\.ts$|\.md$/;

function filesUnder(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : LEFT_OUT.test(n) ? [] : [p];
  });
}

/** sha256 (16 hex digits) of the suite's files that decide verdicts, by relative path and content. */
export function suiteDigest(root = PROJECT_ROOT): string {
  const files = [...TREES.flatMap((t) => filesUnder(join(root, t))), ...FILES.map((f) => join(root, f))]
    .map((p) => relative(root, p).split(sep).join('/'))
    .sort();
  const h = createHash('sha256');
  for (const f of files) {
    let content: Buffer;
    try {
      content = readFileSync(join(root, f));
    } catch {
      continue; // an optional file (tsconfig.json in a trimmed checkout)
    }
    h.update(`${f}\0${content.length}\0`);
    h.update(content);
  }
  return h.digest('hex').slice(0, 16);
}
