// The format-neutral outline each parser (asciidoc.ts, markdown.ts) produces:
// headings, prose paragraphs and code blocks in document order, with line
// numbers. build-document.ts turns it into sections, manifests, transcripts
// and edits, so that logic exists once for both formats.

export interface RawHeading {
  type: 'heading';
  title: string;
  /** 1 = top-level section below the document title. */
  level: number;
  anchor: string;
  line: number;
}

export interface RawProse {
  type: 'prose';
  /** Source lines of the paragraph (or list item), markup left in. */
  lines: string[];
  /** Line of lines[0]. */
  line: number;
}

export interface RawCode {
  type: 'code';
  /** Content lines, delimiters excluded. */
  lines: string[];
  /** Line of lines[0] (the first content line). */
  line: number;
  /** Block title (`.nginx-pod.yaml`) or the filename of a `yaml:FILE` fence. */
  title?: string;
  /** Declared language (`[source,yaml]`, ```` ```yaml ````), lower case. */
  language?: string;
  /** AsciiDoc blocks can end YAML lines with callout markers (`<1>`) that must go before parsing. */
  mayHaveCallouts: boolean;
}

export type RawNode = RawHeading | RawProse | RawCode;

export interface RawDocument {
  title: string;
  nodes: RawNode[];
}
