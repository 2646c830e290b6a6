// AsciiDoc -> RawDocument, using Asciidoctor itself so the outline is exactly
// what Asciidoctor renders: `# Title` / `## Section` Markdown-style headings
// (more-introduction-to-kubernetes.adoc) are real headings, while `# 確認`
// lines inside `....` blocks stay block content.
import Asciidoctor from '@asciidoctor/core';
import type { AbstractBlock, LoggerMessage, MemoryLogger } from '@asciidoctor/core';
import { TutorialSourceError } from './errors.js';
import type { RawCode, RawDocument, RawNode } from './raw-document.js';

/**
 * Opal (Asciidoctor.js's Ruby runtime) adds its methods to the Array.prototype of
 * the realm it loads in, then calls them on process.argv. Under jest's VM sandbox
 * process.argv is an array from the outer realm and lacks them ("$first is not a
 * function"), so hand it a same-realm copy first. In plain Node nothing changes.
 */
function createAsciidoctor(): ReturnType<typeof Asciidoctor> {
  if (!(process.argv instanceof Array)) process.argv = Array.from(process.argv);
  return Asciidoctor();
}

const asciidoctor = createAsciidoctor();

/** Contexts the reader cares about; findBy returns them in document order, nested ones included. */
const CONTEXTS = new Set(['section', 'paragraph', 'list_item', 'listing', 'literal']);

/**
 * Opal keeps the unsubstituted title in the `title` instance variable; getTitle()
 * returns it converted to HTML (`<code>`, `&amp;`), which is wrong for file names.
 */
function rawTitle(node: AbstractBlock): string | undefined {
  const raw: unknown = (node as unknown as { title?: unknown }).title;
  if (typeof raw === 'string' && raw !== '') return raw;
  const converted = node.getTitle();
  return converted === undefined ? undefined : decodeHtml(converted.replace(/<[^>]*>/g, ''));
}

/** Typed as string, but Asciidoctor.js returns undefined for a node without an id. */
function nodeId(node: AbstractBlock): string | undefined {
  return node.getId();
}

function rawText(node: AbstractBlock): string {
  const raw: unknown = (node as unknown as { text?: unknown }).text;
  return typeof raw === 'string' ? raw : '';
}

function decodeHtml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&amp;/g, '&');
}

/** Opening delimiters of blocks whose content starts on the next line. */
function isDelimiterLine(line: string | undefined): boolean {
  return line !== undefined && /^(?:-{4,}|\.{4,}|`{3}.*)\s*$/.test(line);
}

/**
 * Parses with Asciidoctor's logger redirected to memory, so warnings do not leak to
 * stderr and "unterminated listing block" becomes a TutorialSourceError with its line.
 */
export function parseAsciiDoc(text: string, file: string, baseDir: string): RawDocument {
  const previous = asciidoctor.LoggerManager.getLogger();
  const logger: MemoryLogger = asciidoctor.MemoryLogger.create();
  asciidoctor.LoggerManager.setLogger(logger);
  let doc;
  try {
    // Secure mode, as GitHub renders AsciiDoc: `include::` shows as a link instead of
    // pulling in other files. The reader reads each file as written (its line numbers
    // name this file), and an include could reach past the folder's file-size limit
    // or, including itself twice, double at each of 64 levels and never end.
    doc = asciidoctor.load(text, { sourcemap: true, safe: 'secure', base_dir: baseDir });
  } catch (error) {
    throw new TutorialSourceError(
      { file, problem: `Asciidoctor could not parse the file: ${String(error)}` },
      { cause: error },
    );
  } finally {
    asciidoctor.LoggerManager.setLogger(previous);
  }
  const fileLines = text.split(/\r?\n/);
  reportProblems(logger, file, fileLines);

  const nodes: RawNode[] = [];
  for (const block of doc.findBy((b) => CONTEXTS.has(b.getContext()))) {
    const context = block.getContext();
    const line = block.getLineNumber();
    if (context === 'section') {
      // Level 0 is the document header (or a book part); the title is taken below.
      if (block.getLevel() === 0) continue;
      nodes.push({
        type: 'heading',
        title: rawTitle(block) ?? '',
        level: block.getLevel(),
        anchor: nodeId(block) ?? '',
        line,
      });
    } else if (context === 'paragraph') {
      const lines = (block as unknown as { getSourceLines(): string[] }).getSourceLines();
      nodes.push({ type: 'prose', lines, line });
    } else if (context === 'list_item') {
      const itemText = rawText(block);
      if (itemText !== '') nodes.push({ type: 'prose', lines: itemText.split('\n'), line });
    } else {
      nodes.push(codeNode(block, fileLines));
    }
  }
  // getDocumentTitle returns a Title object only when asked to partition it; sanitize strips markup.
  const documentTitle = doc.getDocumentTitle({ sanitize: true });
  const title = decodeHtml(typeof documentTitle === 'string' ? documentTitle : (documentTitle?.getCombined() ?? '')) || file;
  return { title, nodes };
}

function codeNode(block: AbstractBlock, fileLines: string[]): RawCode {
  const lines = (block as unknown as { getSourceLines(): string[] }).getSourceLines();
  const start = block.getLineNumber();
  // Sourcemap lines point at the opening delimiter for `----`/`....` blocks, and at
  // the text itself for indented literal paragraphs.
  const firstContentLine = isDelimiterLine(fileLines[start - 1]) ? start + 1 : start;
  const language: unknown = block.getAttribute('language');
  const title = rawTitle(block);
  return {
    type: 'code',
    lines,
    line: firstContentLine,
    ...(title === undefined ? {} : { title }),
    ...(typeof language === 'string' ? { language: language.toLowerCase() } : {}),
    mayHaveCallouts: true,
  };
}

function reportProblems(logger: MemoryLogger, file: string, fileLines: string[]): void {
  for (const message of logger.getMessages()) {
    const text = message.getText();
    // Typed as always present, but Asciidoctor.js gives messages about the
    // document as a whole no source location.
    const location = message.getSourceLocation() as ReturnType<LoggerMessage['getSourceLocation']> | undefined;
    const line = location?.getLineNumber();
    const unterminated = /^unterminated (\w+) block/.exec(text);
    if (unterminated !== null) {
      const delimiter = line === undefined ? undefined : fileLines[line - 1]?.trim();
      throw new TutorialSourceError({
        file,
        ...(line === undefined ? {} : { line }),
        problem: `unterminated ${unterminated[1] ?? ''} block: Asciidoctor found no closing delimiter, so the rest of the file would be swallowed into it`,
        fix: `add a closing \`${delimiter ?? '----'}\` line where the block ends`,
      });
    }
    if (message.getSeverity() === 'ERROR' || message.getSeverity() === 'FATAL') {
      throw new TutorialSourceError({
        file,
        ...(line === undefined ? {} : { line }),
        problem: `Asciidoctor reported: ${text}`,
      });
    }
  }
}
