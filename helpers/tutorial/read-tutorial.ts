// Entry point: a tutorial folder or one tutorial file -> Tutorial.
//
// Which files of a folder are tutorial text (the rule, kept deliberately simple):
//  1. Only files at the folder's top level are read. Subfolders hold assets
//     (`images/`) or derived copies that can drift from the text (Cybozu's stale
//     `manifests/`), never the text itself in the sources we verify.
//  2. If any AsciiDoc file (.adoc/.asciidoc/.asc) is there, the AsciiDoc files are
//     the tutorial: a project that writes its course in AsciiDoc keeps Markdown only
//     for the repository's landing page (README.md).
//  3. Otherwise every Markdown file (.md/.markdown) is, except repository furniture
//     (README, CHANGELOG, CONTRIBUTING, CODE_OF_CONDUCT, SECURITY, LICENSE).
//  Other files (LICENSE, images, YAML) are ignored in a folder; passed alone, any
//  file that is not AsciiDoc or Markdown is an error.
//
// Problems of the source as a whole (no such path, no tutorial file, an unreadable,
// binary or oversized file, an unterminated block, an Asciidoctor error) throw a
// TutorialSourceError. A block that cannot be read (bad YAML, a manifest without
// metadata.name, an edit request that matches no manifest) is left out and listed
// in Tutorial.problems under its section, unless `strict` asks for the old throw.
import fs from 'node:fs';
import path from 'node:path';
import { parseAsciiDoc } from './asciidoc.js';
import { buildDocument } from './build-document.js';
import { TutorialSourceError } from './errors.js';
import { parseMarkdown } from './markdown.js';
import type { BlockProblem, Document, Format, Tutorial } from './model.js';
import { documentSlug, uniqueName } from './slug.js';
import { maxSourceBytes, readSourceText, readable } from './source-file.js';

const FORMATS: ReadonlyArray<{ extensions: readonly string[]; format: Format }> = [
  { extensions: ['.adoc', '.asciidoc', '.asc'], format: 'asciidoc' },
  { extensions: ['.md', '.markdown'], format: 'markdown' },
];

const REPOSITORY_FURNITURE = new Set(['readme', 'changelog', 'contributing', 'code_of_conduct', 'security', 'license']);

function formatOf(file: string): Format | undefined {
  const extension = path.extname(file).toLowerCase();
  return FORMATS.find((f) => f.extensions.includes(extension))?.format;
}

function isFurniture(file: string): boolean {
  return REPOSITORY_FURNITURE.has(path.basename(file, path.extname(file)).toLowerCase());
}

/**
 * The tutorial files of a folder, by the rule above, sorted by name. Only the folder
 * itself is listed, never a subfolder, and a Dirent describes the entry itself (lstat),
 * so symbolic links are skipped: a link loop cannot make the walk go round, and a link
 * cannot make the reader read a file outside the folder it was given.
 */
export function tutorialFilesIn(folder: string): string[] {
  const files = fs
    .readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
    .sort();
  const asciidoc = files.filter((f) => formatOf(f) === 'asciidoc');
  if (asciidoc.length > 0) return asciidoc;
  return files.filter((f) => formatOf(f) === 'markdown' && !isFurniture(f));
}

export interface ReadTutorialOptions {
  /** Fail when no manifest is found (default true: a source without manifests cannot be verified). */
  requireManifests?: boolean;
  /**
   * Throw the first block problem as a TutorialSourceError instead of listing it in
   * Tutorial.problems (default false). The extract tooling reads strictly: a snapshot
   * must not silently lose a manifest.
   */
  strict?: boolean;
  /**
   * Largest tutorial file to read, in bytes (default: $TUTORIAL_E2E_MAX_SOURCE_BYTES, else
   * 1 MiB; see source-file.ts). A larger file is refused from its size alone, before it is read.
   */
  maxSourceBytes?: number;
}

export function readTutorial(inputPath: string, options: ReadTutorialOptions = {}): Tutorial {
  const limit = maxSourceBytes(options.maxSourceBytes);
  const absolute = path.resolve(inputPath);
  const stat = readable(inputPath, () => fs.statSync(absolute, { throwIfNoEntry: false }));
  if (stat === undefined) {
    throw new TutorialSourceError({
      file: inputPath,
      problem: 'no such file or folder',
      fix: 'pass a tutorial folder (e.g. ../shared/tutorials/blog-walkthrough) or one .adoc/.md file; relative paths are resolved from the current directory',
    });
  }

  let root: string;
  let files: string[];
  if (stat.isDirectory()) {
    root = absolute;
    files = readable(inputPath, () => tutorialFilesIn(absolute));
    if (files.length === 0) {
      throw new TutorialSourceError({
        file: inputPath,
        problem: `the folder holds no tutorial text: no .adoc/.asciidoc/.asc file and no .md/.markdown file other than README/CHANGELOG/LICENSE-style files at its top level${linkedTutorialFiles(absolute)}`,
        fix: 'pass the folder that holds the tutorial text, or the tutorial file itself',
      });
    }
  } else {
    if (formatOf(absolute) === undefined) {
      throw new TutorialSourceError({
        file: inputPath,
        problem: `unsupported file type "${path.extname(absolute) || '(no extension)'}": the reader understands AsciiDoc (.adoc, .asciidoc, .asc) and Markdown (.md, .markdown)`,
        fix: 'pass an AsciiDoc or Markdown tutorial file, or the folder that holds it',
      });
    }
    root = path.dirname(absolute);
    files = [path.basename(absolute)];
  }

  const usedSlugs = new Set<string>();
  const documents: Document[] = [];
  const problems: BlockProblem[] = [];
  for (const file of files) {
    const { document, failures } = readDocument(root, file, uniqueName(documentSlug(file), usedSlugs), limit);
    const [first] = failures;
    if (options.strict === true && first !== undefined) throw first.error;
    documents.push(document);
    problems.push(...failures.map((f) => f.problem));
  }
  const tutorial: Tutorial = { name: path.basename(root), root, documents, problems };

  // A source whose manifests are all unreadable has them listed as problems instead.
  const hasManifests =
    documents.some((d) => d.sections.some((s) => s.blocks.some((b) => b.kind === 'manifest'))) ||
    problems.some((p) => p.blockKind === 'manifest');
  if ((options.requireManifests ?? true) && !hasManifests) {
    throw new TutorialSourceError({
      file: inputPath,
      problem: `no Kubernetes manifests found in ${files.join(', ')}: looked for YAML blocks ([source,yaml] listings, \`\`\`yaml fences) and literal blocks starting with apiVersion/kind`,
      fix: 'check that this is the tutorial source (for a course split over several files, pass the folder)',
    });
  }
  return tutorial;
}

/**
 * Symbolic links with a tutorial's extension, which tutorialFilesIn skipped: worth
 * naming only when nothing else was found, since they are then the likely surprise.
 */
function linkedTutorialFiles(folder: string): string {
  const links = fs
    .readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isSymbolicLink() && formatOf(entry.name) !== undefined)
    .map((entry) => entry.name)
    .sort();
  return links.length === 0 ? '' : ` (symbolic links are not followed: ${links.join(', ')})`;
}

function readDocument(root: string, file: string, slug: string, limit: number): ReturnType<typeof buildDocument> {
  const format = formatOf(file);
  if (format === undefined) throw new Error(`readDocument: ${file} is not a tutorial file`);
  const text = readSourceText(root, file, limit);
  const raw = format === 'asciidoc' ? parseAsciiDoc(text, file, root) : parseMarkdown(text, file);
  return buildDocument(raw, file, format, slug);
}
