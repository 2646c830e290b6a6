// npm run extract -- <tutorial folder or file> [--out manifests/<source-name>]
//
// Writes the reviewed snapshot of a tutorial under manifests/<source-name>/: one
// YAML file per manifest, named by its key and headed by the tutorial file:line
// it came from, plus index.yaml (manifests with kind/name, and the edits the
// text asks for with their targets), plus sections.yaml (which sections of the
// suite the source has, from which manifests and edits: `verify` holds the
// text to it). Commit the result; `npm run extract:check` tells when the
// tutorial text drifts from it. Logic: helpers/tutorial/extract-commands.ts.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runExtract } from '../helpers/tutorial/extract-commands.js';
import { sectionsFile } from '../helpers/suite/reviewed.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const result = runExtract(process.argv.slice(2), repoRoot, process.cwd(), sectionsFile);
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.code;
