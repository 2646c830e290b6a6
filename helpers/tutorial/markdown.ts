// Markdown (Zenn/Qiita/GitHub flavour) -> RawDocument with markdown-it, whose
// tokens carry line maps and already know that `# comment` inside a fence is
// not a heading.
import path from 'node:path';
import yaml from 'js-yaml';
import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';
import { TutorialSourceError } from './errors.js';
import type { RawCode, RawDocument, RawNode } from './raw-document.js';
import { markdownAnchor } from './slug.js';

const markdown = new MarkdownIt();

interface FrontMatter {
  title?: string;
  /** Number of lines it occupies, delimiters included. */
  lineCount: number;
}

/**
 * Zenn/Jekyll front matter (`---` ... `---` at the top). markdown-it does not know it
 * and would read `published: true` + `---` as a setext heading, so it is parsed here
 * and blanked out (keeping line numbers) before markdown-it sees the text.
 */
function readFrontMatter(lines: string[], file: string): FrontMatter {
  if (lines[0]?.trim() !== '---') return { lineCount: 0 };
  const end = lines.findIndex((line, i) => i > 0 && /^(?:---|\.\.\.)\s*$/.test(line));
  if (end < 0) {
    throw new TutorialSourceError({
      file,
      line: 1,
      problem: 'front matter opened with `---` is never closed',
      fix: 'add a `---` line after the front matter fields',
    });
  }
  let data: unknown;
  try {
    data = yaml.load(lines.slice(1, end).join('\n'));
  } catch (error) {
    const mark = error instanceof yaml.YAMLException ? error.mark : undefined;
    throw new TutorialSourceError(
      {
        file,
        line: 2 + (mark?.line ?? 0),
        problem: `invalid YAML in front matter: ${error instanceof yaml.YAMLException ? error.reason : String(error)}`,
      },
      { cause: error },
    );
  }
  const title = typeof data === 'object' && data !== null ? (data as { title?: unknown }).title : undefined;
  return { ...(typeof title === 'string' ? { title } : {}), lineCount: end + 1 };
}

/** `yaml:nginx-pod.yaml` (Zenn/Qiita), `yaml title="x.yaml"` (Docusaurus/MkDocs), or just `yaml`. */
function parseFenceInfo(info: string): { language?: string; title?: string } {
  const trimmed = info.trim();
  if (trimmed === '') return {};
  const colon = /^([^\s:]+):(\S+)/.exec(trimmed);
  if (colon?.[1] !== undefined && colon[2] !== undefined) {
    return { language: colon[1].toLowerCase(), title: colon[2] };
  }
  const [language = ''] = trimmed.split(/\s+/, 1);
  const titled = /\btitle=(?:"([^"]*)"|'([^']*)'|(\S+))/.exec(trimmed);
  const title = titled?.[1] ?? titled?.[2] ?? titled?.[3];
  return { language: language.toLowerCase(), ...(title === undefined ? {} : { title }) };
}

function fenceNode(token: Token, lines: string[], file: string): RawCode {
  const [open = 0, close = open + 1] = token.map ?? [];
  // markdown-it closes an unterminated fence at the end of the file without telling:
  // the last mapped line is then content, not a closing marker.
  const lastLine = lines[close - 1]?.trim() ?? '';
  const closed = close - 1 > open && lastLine.startsWith(token.markup) && /^(`{3,}|~{3,})\s*$/.test(lastLine);
  if (!closed) {
    throw new TutorialSourceError({
      file,
      line: open + 1,
      problem: `unterminated code fence: the "${token.markup}" opened here is never closed, so the rest of the file would be read as code`,
      fix: `add a closing "${token.markup}" line where the block ends`,
    });
  }
  const { language, title } = parseFenceInfo(token.info);
  return {
    type: 'code',
    lines: token.content.replace(/\n$/, '').split('\n'),
    line: open + 2,
    ...(language === undefined ? {} : { language }),
    ...(title === undefined ? {} : { title }),
    mayHaveCallouts: false,
  };
}

export function parseMarkdown(text: string, file: string): RawDocument {
  const lines = text.split(/\r?\n/);
  const frontMatter = readFrontMatter(lines, file);
  const body = lines.map((line, i) => (i < frontMatter.lineCount ? '' : line)).join('\n');
  const tokens = markdown.parse(body, {});

  const headings = tokens.filter((t) => t.type === 'heading_open');
  const h1Count = headings.filter((t) => t.tag === 'h1').length;
  // Without a front-matter title, a single leading `# Title` is the document title
  // and `##` sections are level 1; otherwise `#` headings are the top sections.
  const titleFromH1 = frontMatter.title === undefined && headings[0]?.tag === 'h1' && h1Count === 1;
  let title = frontMatter.title;
  const anchors = new Map<string, number>();
  const nodes: RawNode[] = [];

  tokens.forEach((token, i) => {
    const line = (token.map?.[0] ?? 0) + 1;
    if (token.type === 'heading_open') {
      const headingText = tokens[i + 1]?.content ?? '';
      const depth = Number(token.tag.slice(1));
      if (titleFromH1 && depth === 1) {
        title = headingText;
        return;
      }
      nodes.push({
        type: 'heading',
        title: headingText,
        level: titleFromH1 ? depth - 1 : depth,
        anchor: markdownAnchor(headingText, anchors),
        line,
      });
    } else if (token.type === 'paragraph_open') {
      const content = tokens[i + 1]?.content ?? '';
      nodes.push({ type: 'prose', lines: content.split('\n'), line });
    } else if (token.type === 'fence') {
      nodes.push(fenceNode(token, lines, file));
    } else if (token.type === 'code_block') {
      nodes.push({
        type: 'code',
        lines: token.content.replace(/\n$/, '').split('\n'),
        line,
        mayHaveCallouts: false,
      });
    }
  });
  return { title: title ?? path.basename(file), nodes };
}
