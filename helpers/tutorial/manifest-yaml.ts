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
  let documents: unknown[];
  try {
    documents = yaml.loadAll(text);
  } catch (error) {
    if (error instanceof yaml.YAMLException) {
      // Errors found at the end of the stream point past the last line; keep them in the block.
      const lastLine = where.line + Math.max(0, text.replace(/\n$/, '').split('\n').length - 1);
      throw new TutorialSourceError(
        {
          file: where.file,
          line: Math.min(where.line + error.mark.line, lastLine),
          problem: `invalid YAML in ${where.label}: ${error.reason}`,
          fix: 'correct the YAML at this line (callout markers like ` <1>` at line ends are removed before parsing)',
        },
        { cause: error },
      );
    }
    throw error;
  }
  const starts = documentStartLines(text, where.line);
  const objects: KubeObject[] = [];
  let startIndex = text.startsWith('---') ? 1 : 0;
  for (const document of documents) {
    const line = starts[startIndex] ?? where.line;
    startIndex += 1;
    if (document === null || document === undefined) continue;
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
