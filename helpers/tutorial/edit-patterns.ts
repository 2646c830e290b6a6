// The edits a tutorial asks the reader to make by hand, recognised from the
// wording of ONE paragraph, list item or transcript comment at a time (never a
// regex over a whole file). Every pattern the reader knows is here, with the
// sentence it was written for; add new phrasings here and nowhere else.
//
// Japanese requests end in a verb of changing right after `に`:
// 書き換え(て|てください) / 変更(して) / 変え(て). The passive 変更され(ました)
// ("was changed") reports a result and is deliberately not a request.

export type EditRequest =
  | { change: 'set-replicas'; replicas: number; from?: number; offset: number; end: number }
  | { change: 'change-image'; from: string; to: string; offset: number; end: number }
  | { change: 'replace-file'; offset: number; end: number };

const JA_CHANGE = String.raw`(?:書き換え|変更(?!され)|変え)`;

interface Pattern {
  /** The kind of sentence it is written for (documentation and test names). */
  example: string;
  regex: RegExp;
  toRequest(match: RegExpMatchArray): Omit<EditRequest, 'offset' | 'end'>;
}

const PATTERNS: Pattern[] = [
  {
    // Cybozu intro, ReplicaSet section.
    example: '`nginx-replicaset.yaml` の `replicas` を 4 に書き換えて',
    regex: new RegExp(String.raw`\`replicas\`\s*を\s*(\d+)\s*に${JA_CHANGE}`, 'g'),
    toRequest: (m) => ({ change: 'set-replicas', replicas: Number(m[1]) }),
  },
  {
    // Blog walkthrough, ReplicaSet section.
    example: '`replicas: 3` -> `replicas: 4` に変更して',
    regex: new RegExp(String.raw`\`replicas:\s*(\d+)\`\s*(?:->|→|=>|を|から)\s*\`replicas:\s*(\d+)\`\s*に${JA_CHANGE}`, 'g'),
    toRequest: (m) => ({ change: 'set-replicas', from: Number(m[1]), replicas: Number(m[2]) }),
  },
  {
    example: 'change `replicas` to 4 / set replicas from 3 to 4',
    regex: /\b(?:change|set|update|edit|scale)\s+(?:the\s+)?`?replicas`?\s+(?:from\s+(\d+)\s+)?to\s+`?(\d+)`?/gi,
    toRequest: (m) => ({
      change: 'set-replicas',
      replicas: Number(m[2]),
      ...(m[1] === undefined ? {} : { from: Number(m[1]) }),
    }),
  },
  {
    // Cybozu intro, rolling-update transcript comment; the blog's arrow form.
    example: '`image: nginx:1.20` を `image: nginx:1.21` に書き換えてください',
    regex: new RegExp(String.raw`\`image:\s*([^\`\s]+)\`\s*(?:を|->|→|=>|から)\s*\`image:\s*([^\`\s]+)\`\s*に${JA_CHANGE}`, 'g'),
    toRequest: (m) => ({ change: 'change-image', from: m[1] ?? '', to: m[2] ?? '' }),
  },
  {
    example: 'change `image: nginx:1.20` to `image: nginx:1.21`',
    regex: /\b(?:change|update|replace|set)\s+`image:\s*([^`\s]+)`\s+(?:to|with)\s+`(?:image:\s*)?([^`\s]+)`/gi,
    toRequest: (m) => ({ change: 'change-image', from: m[1] ?? '', to: m[2] ?? '' }),
  },
  {
    // Cybozu intro NodePort ("`nginx-service.yaml` を以下のように書き換えてください") and the
    // blog ("Service を以下のように変更します"): the next block is the file's new content.
    example: '`nginx-service.yaml` を以下のように書き換えてください',
    regex: new RegExp(String.raw`以下のように${JA_CHANGE}`, 'g'),
    toRequest: () => ({ change: 'replace-file' }),
  },
  {
    example: 'change nginx-service.yaml as follows',
    regex: /\b(?:change|modify|update|rewrite|edit|replace)\b[^\n]{0,80}?\b(?:as follows|to the following|with the following)/gi,
    toRequest: () => ({ change: 'replace-file' }),
  },
];

/** Documentation of what is recognised (for error messages and reports). */
export const RECOGNISED_EDITS: readonly string[] = PATTERNS.map((p) => p.example);

/** All edit requests in one paragraph/comment, in text order. */
export function findEditRequests(text: string): EditRequest[] {
  const requests: EditRequest[] = [];
  for (const pattern of PATTERNS) {
    for (const match of text.matchAll(pattern.regex)) {
      const offset = match.index;
      requests.push({ ...pattern.toRequest(match), offset, end: offset + match[0].length } as EditRequest);
    }
  }
  return requests.sort((a, b) => a.offset - b.offset);
}

/**
 * File names written in backticks (`nginx-replicaset.yaml`), with their offsets. Like
 * build-document's FILE_NAME: one plain path segment, no `..`, a letter or digit first.
 */
export function namedFiles(text: string): Array<{ name: string; offset: number }> {
  return [...text.matchAll(/`(\w(?:[\w-]|\.(?!\.))*\.ya?ml)`/g)].map((m) => ({ name: m[1] ?? '', offset: m.index }));
}

/** The sentence holding text[offset, end): used to show what asked for an edit. */
export function sentenceAround(text: string, offset: number, end: number): string {
  const boundary = /[。！？\n]|[.!?](?=\s|$)/g;
  let start = 0;
  let stop = text.length;
  for (const match of text.matchAll(boundary)) {
    if (match.index < offset) start = match.index + 1;
    else if (match.index >= end) {
      stop = match.index + (match[0] === '\n' ? 0 : 1);
      break;
    }
  }
  return text.slice(start, stop).trim();
}

/** 0-based line of an offset in a multi-line text. */
export function lineOfOffset(text: string, offset: number): number {
  let line = 0;
  for (let i = 0; i < offset && i < text.length; i += 1) if (text[i] === '\n') line += 1;
  return line;
}
