import { describe, expect, it } from '@jest/globals';
import { asciiSlug, documentSlug, isAsciiTitle, markdownAnchor, sectionSlugBase, uniqueName } from './slug.js';

describe('slugs', () => {
  it('slugs ASCII and drops other scripts', () => {
    expect(asciiSlug('Resource Requests/Limits')).toBe('resource-requests-limits');
    expect(asciiSlug('Café Übung')).toBe('cafe-ubung');
    expect(asciiSlug('ローリングアップデートする')).toBe('');
  });

  it('names sections by ASCII title, else by first manifest, else by ordinal', () => {
    expect(isAsciiTitle('Anti Affinity')).toBe(true);
    expect(isAsciiTitle('Service を使う')).toBe(false);
    expect(sectionSlugBase('Anti Affinity', { kind: 'Deployment', name: 'x' }, 3)).toBe('anti-affinity');
    expect(sectionSlugBase('同じ Pod を立てる', { kind: 'ReplicaSet', name: 'web-rs' }, 3)).toBe('replicaset-web-rs');
    expect(sectionSlugBase('ログを見る', undefined, 12)).toBe('section-12');
  });

  it('deduplicates with -2, -3', () => {
    const used = new Set<string>();
    expect(['a', 'a', 'a'].map((n) => uniqueName(n, used))).toEqual(['a', 'a-2', 'a-3']);
  });

  it('slugs document file names without their extension', () => {
    expect(documentSlug('more-introduction-to-kubernetes.adoc')).toBe('more-introduction-to-kubernetes');
    expect(documentSlug('docs/Part 1.md')).toBe('docs-part-1');
    expect(documentSlug('手順.md')).toMatch(/^doc-[0-9a-f]{8}$/);
  });

  it('makes GitHub-style Markdown anchors that keep Japanese', () => {
    const used = new Map<string, number>();
    expect(markdownAnchor('Service を使って他の Pod にアクセスする', used)).toBe('service-を使って他の-pod-にアクセスする');
    expect(markdownAnchor('Resource Requests/Limits', used)).toBe('resource-requestslimits');
    expect(markdownAnchor('Resource Requests/Limits', used)).toBe('resource-requestslimits-1');
  });
});
