// npm run extract:check -- <tutorial folder or file> [--out manifests/<source-name>]
//
// Re-extracts the tutorial in memory and compares it with the committed
// snapshot. Exit 0 with a one-line summary when they match; exit 1 with the
// added/removed/changed manifests and edits, a unified diff, and the command
// that accepts the change when they do not. Logic: helpers/tutorial/extract-commands.ts.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runExtractCheck } from '../helpers/tutorial/extract-commands.js';
import { sectionsFile } from '../helpers/suite/reviewed.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const result = runExtractCheck(process.argv.slice(2), repoRoot, process.cwd(), sectionsFile);
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.code;
