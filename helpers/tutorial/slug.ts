// Names derived from the text: manifest keys (ASCII, used as file paths in the
// committed snapshot) and Markdown heading anchors (which keep Unicode, like
// GitHub's do).
import { createHash } from 'node:crypto';

/**
 * Lower-case ASCII slug: letters and digits, runs of anything else become one `-`.
 * Accented Latin letters lose their accents (NFKD); other scripts drop out, so the
 * result may be '' (callers decide the fallback).
 */
export function asciiSlug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** True when a title is plain printable ASCII, so its slug keeps all of its meaning. */
export function isAsciiTitle(title: string): boolean {
  return /^[\x20-\x7e]+$/.test(title.trim()) && asciiSlug(title) !== '';
}

/** Short, stable hash for names that have no ASCII to slug. */
export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/** Returns `base`, or `base-2`, `base-3`... when already used; records the result. */
export function uniqueName(base: string, used: Set<string>): string {
  let name = base;
  for (let n = 2; used.has(name); n += 1) name = `${base}-${n}`;
  used.add(name);
  return name;
}

/**
 * Slug of a tutorial file for the first segment of keys: the path without its
 * extension (`more-introduction-to-kubernetes.adoc` -> `more-introduction-to-kubernetes`).
 */
export function documentSlug(file: string): string {
  const withoutExt = file.replace(/\.[^./]+$/, '');
  return asciiSlug(withoutExt) || `doc-${shortHash(file)}`;
}

/**
 * Section part of a manifest key. Titles that are plain ASCII are slugged (`Volume`
 * -> `volume`). Japanese titles cannot be transliterated without a dictionary, and a
 * hash is unreadable, so they are named after what the section deploys: the kind and
 * name of its first manifest (`pod-my-first-pod`), which also survives wording changes
 * in the title. A section with neither gets its ordinal (`section-7`).
 */
export function sectionSlugBase(
  title: string,
  firstManifest: { kind: string; name: string } | undefined,
  ordinal: number,
): string {
  if (isAsciiTitle(title)) return asciiSlug(title);
  if (firstManifest !== undefined) {
    const slug = asciiSlug(`${firstManifest.kind}-${firstManifest.name}`);
    if (slug !== '') return slug;
  }
  return `section-${ordinal}`;
}

/**
 * GitHub-style heading anchor: lower case, punctuation removed, spaces to `-`,
 * Unicode letters kept; repeated anchors get `-1`, `-2`...
 */
export function markdownAnchor(title: string, used: Map<string, number>): string {
  const base = title
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
    .replace(/\s/g, '-');
  const seen = used.get(base);
  used.set(base, (seen ?? 0) + 1);
  return seen === undefined ? base : `${base}-${seen}`;
}
