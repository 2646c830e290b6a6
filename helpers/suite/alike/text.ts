// Text handling shared by the comparers: turning raw command output into
// clean lines (no ANSI colours, no CR, no control bytes, bounded size), the
// marks a text uses to leave lines out, and the normalisers that make free
// parts (IPs, times, digests, generated name suffixes) compare equal.

/** Bounds on what is compared, so a runaway command cannot stall the suite. */
export const LIMITS = { chars: 8_000_000, lines: 100_000, lineChars: 16_384 } as const;

/** A line a text writes in place of output it leaves out: `...`, `(中略)`, `（省略）`, `<snip>`. */
const ELISION = /^\s*(?:\.{3,}|…+|[(（]\s*(?:中略|省略|略|以下略|後略|前略|snip(?:ped)?|omitted|truncated|\.{3}|…)\s*[)）]|<snip>|\[(?:\.{3}|…|snip)\])\s*$/i;

export function isElision(line: string): boolean {
  return ELISION.test(line);
}

/* eslint-disable no-control-regex -- these patterns exist to remove control bytes */
const ANSI_CSI = /\x1b\[[0-?]*[ -/]*[@-~]/g;
const ANSI_OSC = /\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?/g;
const ANSI_OTHER = /\x1b[@-_]?/g;
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;
/* eslint-enable no-control-regex */

export interface CleanText {
  lines: string[];
  /** What was cut to stay within LIMITS. */
  truncated: string[];
}

/**
 * Lines as a terminal would show them: ANSI escape sequences removed, CRLF
 * and lone CR handled (a CR inside a line overwrites it, as a progress meter
 * does: the last part wins), tabs as two spaces, other control bytes removed,
 * trailing spaces and leading/trailing blank lines dropped.
 */
export function cleanLines(raw: string): CleanText {
  const truncated: string[] = [];
  let text = raw;
  if (text.length > LIMITS.chars) {
    truncated.push(`output cut to its first ${LIMITS.chars} characters (of ${text.length})`);
    text = text.slice(0, LIMITS.chars);
  }
  text = text.replace(ANSI_OSC, '').replace(ANSI_CSI, '').replace(ANSI_OTHER, '');
  let lines = text.split(/\r?\n/);
  if (lines.length > LIMITS.lines) {
    truncated.push(`output cut to its first ${LIMITS.lines} lines (of ${lines.length})`);
    lines = lines.slice(0, LIMITS.lines);
  }
  let longCut = 0;
  for (let i = 0; i < lines.length; i++) {
    let line = (lines[i] ?? '').replace(/\r+$/, '');
    const cr = line.lastIndexOf('\r');
    if (cr >= 0) line = line.slice(cr + 1);
    if (line.length > LIMITS.lineChars) {
      longCut++;
      line = line.slice(0, LIMITS.lineChars);
    }
    lines[i] = line.replace(/\t/g, '  ').replace(CONTROL, '').trimEnd();
  }
  if (longCut > 0) truncated.push(`${longCut} line(s) longer than ${LIMITS.lineChars} characters cut`);
  let start = 0;
  while (start < lines.length && lines[start] === '') start++;
  let end = lines.length;
  while (end > start && lines[end - 1] === '') end--;
  return { lines: lines.slice(start, end), truncated };
}

/** Collapses runs of whitespace and trims. */
export function squash(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Replaces names the text uses by the ones the run has (`default` -> the
 * spec's namespace, an image -> its stand-in): whole tokens only, so
 * `nginx` does not touch `nginx-deployment`.
 */
export function applyNames(line: string, names: ReadonlyMap<string, string> | undefined): string {
  if (names === undefined || names.size === 0) return line;
  let out = line;
  for (const [from, to] of names) {
    if (from === '' || !out.includes(from)) continue;
    out = out.replace(new RegExp(`(?<![\\w.-])${escapeRe(from)}(?![\\w-]|\\.\\w)`, 'g'), () => to);
  }
  return out;
}

// ---- generated names -------------------------------------------------------

/** A pod-template-hash-like segment: 6-10 lowercase letters and digits, at least one digit. */
const HASH_SEGMENT = /^(?=[a-z]*[0-9])[a-z0-9]{6,10}$/;
const FIVE = /^[a-z0-9]{5}$/;
/** In running text a five-character last segment counts as generated only when it has a digit or no vowel (`nginx-proxy` stays, `wqcdk` goes). */
const looksGenerated = (seg: string): boolean => /[0-9]/.test(seg) || !/[aeiouy]/.test(seg);

function generic(token: string, strict: boolean): string {
  if (!token.includes('-')) return token;
  const segs = token.split('-');
  let n = segs.length;
  const last = segs[n - 1] ?? '';
  if (FIVE.test(last) && (!strict || looksGenerated(last))) {
    n--;
    if (n >= 2 && HASH_SEGMENT.test(segs[n - 1] ?? '')) n--;
  } else if (HASH_SEGMENT.test(last)) {
    n--;
  } else {
    return token;
  }
  if (n < 1 || segs.slice(0, n).join('') === '') return token;
  return `${segs.slice(0, n).join('-')}-*`;
}

/**
 * An object name with its generated part replaced by `*`: the pod of a
 * Deployment (`nginx-deployment-5b4c7f657-cbd8r`), a ReplicaSet of one
 * (`nginx-deployment-5b4c7f657`) and a pod of a ReplicaSet
 * (`nginx-replicaset-wqcdk`, `nginx-replicaset-abcde`) all become
 * `<prefix>-*`. For the NAME column of a table, where a five-character last
 * segment is almost always generated.
 */
export function genericName(name: string): string {
  return generic(name, false);
}

/**
 * Generated suffixes inside running text (a describe value, an event
 * message, a log line): `default-token-q8zvm` -> `default-token-*`,
 * `ReplicaSet/nginx-deployment-5b4c7f657` -> `ReplicaSet/nginx-deployment-*`.
 */
export function genericNamesIn(text: string): string {
  return text.replace(/[A-Za-z0-9]+(?:[.-][A-Za-z0-9]+)*/g, (token) => generic(token, true));
}

// ---- free tokens -----------------------------------------------------------

const IPV4 = /\b(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}(?::\d{1,5})?\b/g;
const TIMES: RegExp[] = [
  // RFC 3339: 2020-08-15T04:15:37Z, 2020-08-15 04:15:37.123 +0900
  /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|\s?[+-]\d{2}:?\d{2})?\b/g,
  // describe: Sat, 15 Aug 2020 04:15:37 +0900; HTTP Date: Mon, 03 Jun 2019 09:52:42 GMT
  /\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2}(?: (?:[+-]\d{4}|GMT|UTC|[A-Z]{3}))?/g,
  // nginx access log: 03/Jun/2019:09:52:42 +0000
  /\b\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2}(?: [+-]\d{4})?/g,
  // nginx error log, Go log: 2020/08/15 10:32:24
  /\b\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?/g,
  // klog: I0815 10:32:24.123456
  /\b[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d+/g,
];
const DIGEST = /\bsha256:[0-9a-f]{12,64}\b/g;
const CONTAINER_ID = /\b(?:docker|containerd|cri-o|cri-containerd):\/\/[0-9a-f]{12,64}\b/g;

/** Times, IPs, image digests and container IDs: never the same twice. */
export function normaliseFree(text: string): string {
  let out = text;
  for (const t of TIMES) out = out.replace(t, '<time>');
  return out.replace(CONTAINER_ID, '<container-id>').replace(DIGEST, 'sha256:<digest>').replace(IPV4, '<ip>');
}

/** A value compared exactly except for its free parts and generated names, whitespace collapsed. */
export function normaliseValue(text: string): string {
  return squash(genericNamesIn(normaliseFree(text)));
}

/**
 * For output of no known shape, also: ages and durations (`5m5s`, `10h`),
 * version numbers, long hex strings (commits, hashes), port numbers after a host.
 */
export function normaliseLoose(text: string): string {
  return squash(
    genericNamesIn(normaliseFree(text))
      .replace(/\b[0-9a-f]{7,64}\b/g, (h) => (/[0-9]/.test(h) && /[a-f]/.test(h) ? '<hash>' : h))
      .replace(/\bv?\d+\.\d+(?:\.\d+)+(?:[-+][\w.]+)?\b/g, '<version>')
      .replace(/\b\d+(?:\.\d+)?(?:ms|s|m|h|d|y)(?:\d+(?:ms|s|m|h))*\b/g, '<age>')
      .replace(/\b(localhost|<ip>|[\w-]+(?:\.[\w-]+)+):\d{2,5}\b/g, '$1:<port>'),
  );
}

// ---- command lines ---------------------------------------------------------

/** A shell command line split into pipeline stages and words (quotes removed). Enough for the commands a tutorial shows. */
export function shellStages(line: string): string[][] {
  const stages: string[][] = [[]];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  const push = (): void => {
    if (word !== undefined) stages[stages.length - 1]?.push(word);
    word = undefined;
  };
  for (let i = 0; i < line.length; i++) {
    const ch = line.charAt(i);
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < line.length) word = (word ?? '') + line.charAt(++i);
      else word = (word ?? '') + ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      word ??= '';
    } else if (ch === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line.charAt(++i);
    } else if (/\s/.test(ch)) {
      push();
    } else if (ch === '|' || ch === ';' || ch === '&') {
      push();
      if (line.charAt(i + 1) === ch) i++;
      stages.push([]);
    } else {
      word = (word ?? '') + ch;
    }
  }
  push();
  return stages.filter((s) => s.length > 0);
}
