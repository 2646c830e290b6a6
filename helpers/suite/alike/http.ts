// `curl -i` output: the status code must be the same, the headers the text
// shows must be there (values free for Date, Last-Modified, ETag,
// Content-Length and the like; Server compared without its version), and the
// body alike: for an HTML page its <title>, otherwise each line the text shows.
import { differ, note, type Collector, type ShownHttp } from './types.js';
import { isElision, normaliseValue } from './text.js';

const STATUS_LINE = /^HTTP\/\S+\s+(\d{3})\b/;
export const isStatusLine = (line: string): boolean => STATUS_LINE.test(line);

/** Headers whose values change from one answer to the next, or with the server's version. */
const FREE_HEADERS = new Set(['date', 'last-modified', 'etag', 'content-length', 'expires', 'age', 'x-request-id', 'set-cookie', 'x-envoy-upstream-service-time', 'keep-alive']);

/** Reads curl -i output; an interim answer (100 Continue, a proxy's 200 Connection established) is skipped for the one after it. */
export function parseHttp(lines: string[]): ShownHttp | undefined {
  let at = lines.findIndex((l) => isStatusLine(l));
  if (at < 0) return undefined;
  for (;;) {
    const next = lines.findIndex((l, i) => i > at && isStatusLine(l));
    const code = Number(STATUS_LINE.exec(lines[at] ?? '')?.[1] ?? '0');
    const interim = (code >= 100 && code < 200 && code !== 101) || /connection established/i.test(lines[at] ?? '');
    const blankAfter = lines.findIndex((l, i) => i > at && l.trim() === '');
    if (interim && next > at && (blankAfter < 0 || blankAfter < next)) at = next;
    else break;
  }
  const statusLine = (lines[at] ?? '').trim();
  const status = Number(STATUS_LINE.exec(statusLine)?.[1] ?? '0');
  const headers: ShownHttp['headers'] = [];
  let elided = false;
  let i = at + 1;
  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') {
      i++;
      break;
    }
    if (isElision(line)) {
      elided = true;
      continue;
    }
    const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):\s*(.*)$/.exec(line);
    if (m) headers.push({ name: m[1] ?? '', value: (m[2] ?? '').trim() });
    else {
      // No blank line before the body (an excerpt): the rest is body.
      break;
    }
  }
  const bodyLines = lines.slice(i);
  if (bodyLines.some(isElision)) elided = true;
  return { kind: 'http', statusLine, status, headers, body: bodyLines.filter((l) => !isElision(l)).join('\n'), elided };
}

const titleOf = (body: string): string | undefined => /<title>([^<]*)<\/title>/i.exec(body)?.[1]?.trim();
const serverProduct = (v: string): string => v.replace(/\/[\w.-]+/g, '').trim().toLowerCase();

export function compareHttp(shown: ShownHttp, actualLines: string[], c: Collector): void {
  const actual = parseHttp(actualLines);
  if (actual === undefined) {
    const first = actualLines.find((l) => l.trim() !== '') ?? '';
    differ(c, 'status line', shown.statusLine, first, `status line: text shows ${shown.statusLine}, got ${first === '' ? 'no output' : `no HTTP answer: "${first}"`}`);
    return;
  }
  if (actual.status !== shown.status) differ(c, 'HTTP status', shown.statusLine, actual.statusLine);
  for (const h of shown.headers) {
    const name = h.name.toLowerCase();
    const got = actual.headers.filter((x) => x.name.toLowerCase() === name).map((x) => x.value);
    if (got.length === 0) {
      differ(c, `header ${h.name}`, h.value, '', `header ${h.name}: text shows ${h.name}: ${h.value}, got no such header`);
    } else if (FREE_HEADERS.has(name)) {
      continue;
    } else if (name === 'server') {
      if (!got.some((v) => serverProduct(v) === serverProduct(h.value))) differ(c, `header ${h.name}`, h.value, got.join(', '));
    } else if (!got.some((v) => normaliseValue(v).toLowerCase() === normaliseValue(h.value).toLowerCase())) {
      differ(c, `header ${h.name}`, h.value, got.join(', '));
    }
  }
  const body = shown.body.trim();
  if (body === '') return;
  const title = titleOf(body);
  if (title !== undefined) {
    // An HTML page's details change with the server's version; its title says which page it is.
    const got = titleOf(actual.body);
    if (got !== title) differ(c, 'page title', title, got ?? '', `page title: text shows <title>${title}</title>, got ${got === undefined ? 'no <title>' : `<title>${got}</title>`}`);
    else note(c, 'body compared by its <title> only');
    return;
  }
  const have = new Set(actual.body.split('\n').map((l) => normaliseValue(l)));
  for (const line of body.split('\n')) {
    if (line.trim() === '' || have.has(normaliseValue(line))) continue;
    differ(c, 'body', line, '', `body: text shows the line "${line}", got no such line`);
  }
}
