// Turning a code block's lines into Kubernetes objects, with every failure
// reported at the tutorial line it comes from.
import yaml from 'js-yaml';
import { TutorialSourceError } from './errors.js';
import type { KubeObject } from './model.js';

/**
 * AsciiDoc callout markers end a line with ` <1>` (or ` # <1>` to keep the YAML
 * valid when copied). Left in, they either break parsing (`selector: <1>`) or
 * silently corrupt values (`name: "my-first-pod <1>"`).
 */
export function stripCallouts(lines: readonly string[]): string[] {
  return lines.map((line) => line.replace(/[ \t]+(?:#[ \t]*)?(?:<\d+>[ \t]*)+$/, ''));
}

/** Untyped literal blocks count as manifests when they read like one: top-level `apiVersion:` and `kind:`. */
export function looksLikeManifest(lines: readonly string[]): boolean {
  return lines.some((l) => /^apiVersion:[ \t]*\S/.test(l)) && lines.some((l) => /^kind:[ \t]*\S/.test(l));
}

/** Declared languages whose blocks must be manifests. */
export function isYamlLanguage(language: string | undefined): boolean {
  return language === 'yaml' || language === 'yml';
}

/** The YAML text as the reader saves it: trailing blank lines dropped, one final newline. */
export function manifestText(lines: readonly string[]): string {
  const kept = [...lines];
  while (kept.length > 0 && kept[kept.length - 1]?.trim() === '') kept.pop();
  return `${kept.join('\n')}\n`;
}

export interface ManifestLocation {
  file: string;
  /** Tutorial line of the text's first line. */
  line: number;
  /** How to name the block in messages, e.g. `block "nginx-pod.yaml"`. */
  label: string;
}

/** Tutorial line where the n-th YAML document of the text starts (documents split on `---`). */
function documentStartLines(text: string, firstLine: number): number[] {
  const starts = [firstLine];
  text.split('\n').forEach((line, i) => {
    if (/^---(?:\s|$)/.test(line) && i > 0) starts.push(firstLine + i + 1);
  });
  return starts;
}

/**
 * Parses all YAML documents of a block and checks each is a Kubernetes object with
 * apiVersion, kind and metadata.name (the suite applies, names and finds them by these).
 */
export function parseManifest(text: string, where: ManifestLocation): KubeObject[] {
  // Counted from the lines first, so a block of thousands is refused without parsing it.
  checkDocumentCount(documentsAtLeast(text), where);
  let documents: unknown[];
  try {
    documents = yaml.loadAll(text);
  } catch (error) {
    // Errors found at the end of the stream point past the last line; keep them in the block.
    const lastLine = where.line + Math.max(0, text.replace(/\n$/, '').split('\n').length - 1);
    const yamlError = error instanceof yaml.YAMLException ? error : undefined;
    throw new TutorialSourceError(
      {
        file: where.file,
        line: Math.min(where.line + (yamlError?.mark.line ?? 0), lastLine),
        problem: `invalid YAML in ${where.label}: ${yamlError?.reason ?? `the YAML parser failed (${String(error)})`}`,
        fix: 'correct the YAML at this line (callout markers like ` <1>` at line ends are removed before parsing)',
      },
      { cause: error },
    );
  }
  checkDocumentCount(documents.length, where);
  const starts = documentStartLines(text, where.line);
  const objects: KubeObject[] = [];
  const budget = { values: MAX_EXPANDED_VALUES };
  let startIndex = text.startsWith('---') ? 1 : 0;
  for (const document of documents) {
    const line = starts[startIndex] ?? where.line;
    startIndex += 1;
    if (document === null || document === undefined) continue;
    checkExpandedSize(document, budget, { ...where, line });
    objects.push(checkObject(document, { ...where, line }));
  }
  if (objects.length === 0) {
    throw new TutorialSourceError({
      file: where.file,
      line: where.line,
      problem: `${where.label} is declared as YAML but holds no Kubernetes object`,
      fix: 'put the manifest in the block, or drop the yaml language if it is not a manifest',
    });
  }
  return objects;
}

/**
 * More YAML documents than one block of a tutorial shows (a few objects per file).
 * Each document becomes an object the suite applies and waits for, so a block of
 * thousands would hold a run for hours; it is refused before any is checked.
 */
export const MAX_YAML_DOCUMENTS = 100;

/**
 * A lower bound of the YAML documents in the text: every `---` line starts one, and
 * content before the first starts one too. (Bare documents after `...` are not
 * counted; the count after parsing catches those.)
 */
function documentsAtLeast(text: string): number {
  const lines = text.split('\n');
  const isStart = (line: string): boolean => /^---(?:\s|$)/.test(line);
  const firstContent = lines.find((line) => !/^\s*(?:#.*)?$/.test(line) && !line.startsWith('%'));
  return lines.filter(isStart).length + (firstContent === undefined || isStart(firstContent) ? 0 : 1);
}

function checkDocumentCount(count: number, where: ManifestLocation): void {
  if (count <= MAX_YAML_DOCUMENTS) return;
  throw new TutorialSourceError({
    file: where.file,
    line: where.line,
    problem: `${where.label} holds ${count} YAML documents, more than the ${MAX_YAML_DOCUMENTS} one block may hold; the reader refuses to read it`,
    fix: `show at most ${MAX_YAML_DOCUMENTS} objects per block (split them over several blocks or files)`,
  });
}

/**
 * More values than any manifest block a tutorial shows, counted over the whole block.
 * js-yaml resolves an alias (`*a`) to the same object as its anchor (`&a`), so "billion
 * laughs" YAML loads in microseconds; it is everything after (printing, cloning,
 * sending to the API server) that would expand it. An alias inside its own anchor
 * (`&a [*a]`) even loads as a cycle, which counts as endless here.
 */
export const MAX_EXPANDED_VALUES = 100_000;

/**
 * Counts the document's values as if every alias were written out, taking them from
 * the block's budget and stopping as soon as it is spent: the walk never holds more
 * than the budget, whatever the aliases multiply to.
 */
function checkExpandedSize(document: unknown, budget: { values: number }, where: ManifestLocation): void {
  const spend = (): void => {
    budget.values -= 1;
    if (budget.values >= 0) return;
    throw new TutorialSourceError({
      file: where.file,
      line: where.line,
      problem: `${where.label} expands to more than ${MAX_EXPANDED_VALUES} YAML values (aliases like \`*name\` repeating anchored content, a "billion laughs", or an alias inside its own anchor); the reader refuses to expand it`,
      fix: 'write the objects out without YAML anchors and aliases (`&name` / `*name`)',
    });
  };
  spend();
  const stack: unknown[] = [document];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null) continue;
    // Not push(...children): spreading a long list as arguments overflows the call stack.
    for (const child of Array.isArray(value) ? (value as unknown[]) : Object.values(value as Record<string, unknown>)) {
      spend();
      stack.push(child);
    }
  }
}

/** Lines of the first YAML document that holds more than blank lines and comments (documents split on `---`). */
function firstDocumentLines(text: string): string[] {
  let current: string[] = [];
  for (const line of text.split('\n')) {
    if (!/^---(?:\s|$)/.test(line)) current.push(line);
    else if (current.some((l) => !/^\s*(?:#.*)?$/.test(l))) return current;
    else current = [];
  }
  return current;
}

/**
 * Best guess at the kind and name of the first object of a block that failed to read,
 * so the section it opens gets the name it will have once the block is fixed: from the
 * parsed YAML when it parses, else from top-level `kind:` and `metadata:` / `name:` lines.
 */
export function guessIdentity(text: string): { kind: string; name: string } | undefined {
  // The first document only: a block refused for its size is not parsed in full again.
  const first = firstDocumentLines(text);
  try {
    const document: unknown = yaml.load(first.join('\n'));
    const record = typeof document === 'object' && document !== null && !Array.isArray(document) ? (document as Record<string, unknown>) : {};
    const metadata = record['metadata'];
    const name = typeof metadata === 'object' && metadata !== null ? (metadata as Record<string, unknown>)['name'] : undefined;
    const kind = record['kind'];
    return typeof kind === 'string' && typeof name === 'string' && name !== '' ? { kind, name } : undefined;
  } catch {
    // Not YAML: fall back to the lines.
  }
  const scalar = String.raw`["']?([\w.-]+)["']?\s*(?:#.*)?$`;
  const kind = first.map((line) => new RegExp(String.raw`^kind:\s*${scalar}`).exec(line)?.[1]).find((k) => k !== undefined);
  // `name:` directly under the top-level `metadata:` (not one nested in labels).
  const metadataAt = first.findIndex((line) => /^metadata:\s*(?:#.*)?$/.test(line));
  const children = metadataAt < 0 ? [] : first.slice(metadataAt + 1).filter((line) => line.trim() !== '');
  const nextTopLevel = children.findIndex((line) => /^\S/.test(line));
  const fields = nextTopLevel < 0 ? children : children.slice(0, nextTopLevel);
  const indent = /^[ \t]*/.exec(fields[0] ?? '')?.[0] ?? '';
  const name = fields.map((line) => new RegExp(String.raw`^${indent}name:\s*${scalar}`).exec(line)?.[1]).find((n) => n !== undefined);
  return kind === undefined || name === undefined ? undefined : { kind, name };
}

function checkObject(document: unknown, where: ManifestLocation): KubeObject {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new TutorialSourceError({
      file: where.file,
      line: where.line,
      problem: `${where.label} holds a YAML ${Array.isArray(document) ? 'list' : typeof document}, not a Kubernetes object (a mapping)`,
    });
  }
  const record = document as Record<string, unknown>;
  const metadata = record['metadata'];
  const name = typeof metadata === 'object' && metadata !== null ? (metadata as Record<string, unknown>)['name'] : undefined;
  const missing = [
    typeof record['apiVersion'] === 'string' ? undefined : 'apiVersion',
    typeof record['kind'] === 'string' ? undefined : 'kind',
    typeof name === 'string' && name !== '' ? undefined : 'metadata.name',
  ].filter((field): field is string => field !== undefined);
  if (missing.length > 0) {
    throw new TutorialSourceError({
      file: where.file,
      line: where.line,
      problem: `${where.label} is missing ${missing.join(', ')}: the suite applies and finds objects by apiVersion, kind and metadata.name`,
      fix: `add ${missing.join(', ')} to the manifest`,
    });
  }
  return record as KubeObject;
}
