// `kubectl describe` output, whole or in part (`| grep Liveness`, an excerpt
// between `（省略）` marks): the fields the text shows are looked up in the
// run's output by their key path (the enclosing keys the text shows, then the
// key), in order of appearance, and their values compared except where they
// are free (times, IPs, node, namespace, container and image IDs). The rest
// of the run's output is not looked at. Events are compared by type, reason
// and message, not by age or source; the wording of newer kubelets (a field
// path before the message, `Container created` for `Created container X`)
// is alike the older the texts show.
import { differ, note, passing, type Collector, type DescribeEvent, type DescribeField, type ShownDescribe } from './types.js';
import { isTransient, statusAlike } from './table.js';
import { genericNamesIn, isElision, normaliseValue, squash } from './text.js';

const KEY_LINE = /^(\s*)([A-Za-z][A-Za-z0-9 ._()/#-]{0,80}?):(?:\s+(\S.*))?$/;

interface Parsed {
  fields: DescribeField[];
  events?: DescribeEvent[];
  elided: boolean;
}

/** Cells separated by two or more spaces, with where each starts. */
function cells(line: string): Array<{ text: string; start: number }> {
  return [...line.matchAll(/\S+(?: \S+)*/g)].map((m) => ({ text: m[0], start: m.index }));
}

function parseEventRow(line: string, headerStarts: number[]): DescribeEvent {
  const toks = cells(line);
  const n = Math.max(headerStarts.length, 5);
  let parts: string[];
  if (toks.length >= n) {
    parts = [...toks.slice(0, n - 1).map((t) => t.text), toks.slice(n - 1).map((t) => t.text).join('  ')];
  } else {
    parts = new Array<string>(n).fill('');
    for (const t of toks) {
      let col = 0;
      for (let i = 0; i < headerStarts.length; i++) if ((headerStarts[i] ?? 0) <= t.start + 1) col = i;
      parts[col] = parts[col] === '' ? t.text : `${parts[col] ?? ''} ${t.text}`;
    }
  }
  const [type = '', reason = '', age = '', from = '', message = ''] = parts;
  return { type, reason, age, from, message: squash(message) };
}

/** Reads describe output (or an excerpt) into key-path fields and the Events table. */
export function parseDescribe(lines: string[]): Parsed {
  const fields: DescribeField[] = [];
  let events: DescribeEvent[] | undefined;
  let elided = false;
  const stack: Array<{ indent: number; field: DescribeField }> = [];
  let inEvents = false;
  let eventStarts: number[] = [];
  for (const line of lines) {
    if (isElision(line)) {
      elided = true;
      stack.length = 0;
      continue;
    }
    if (line.trim() === '') continue;
    const m = KEY_LINE.exec(line);
    const indent = line.length - line.trimStart().length;
    const isKey = m !== null && !/\s{2}/.test(m[2] ?? '');
    if (inEvents) {
      if (isKey && indent === 0) {
        inEvents = false;
      } else {
        if (/^\s*-{3,}(\s+-{3,})*\s*$/.test(line)) continue;
        if (/^\s*Type\s{2,}Reason\b/.test(line)) {
          eventStarts = cells(line).map((c) => c.start);
          continue;
        }
        (events ??= []).push(parseEventRow(line, eventStarts));
        continue;
      }
    }
    if (isKey) {
      const key = m[2] ?? '';
      const value = squash(m[3] ?? '');
      if (key === 'Events') {
        inEvents = true;
        events ??= [];
        stack.length = 0;
        continue;
      }
      while (stack.length > 0 && (stack[stack.length - 1]?.indent ?? 0) >= indent) stack.pop();
      const field: DescribeField = { path: [...stack.map((s) => s.field.key), key], key, value, more: [] };
      fields.push(field);
      stack.push({ indent, field });
    } else {
      // A line continuing the nearest field above it with less indent (a mount, a label, a condition row).
      while (stack.length > 0 && (stack[stack.length - 1]?.indent ?? 0) >= indent) stack.pop();
      const parent = stack[stack.length - 1]?.field;
      if (parent !== undefined) parent.more.push(squash(line));
      else fields.push({ path: [''], key: '', value: squash(line), more: [] });
    }
  }
  const out: Parsed = { fields, elided };
  if (events !== undefined) out.events = events;
  return out;
}

/** Keys whose values are never the same twice, or depend on where the run happened. */
const FREE_KEYS = new Set(
  [
    'Namespace', 'Node', 'Start Time', 'Started', 'Finished', 'Container ID', 'Image ID', 'IP', 'IPs', 'Age', 'Host IP', 'Pod IP',
    'Last Transition Time', 'Last Probe Time', 'CreationTimestamp', 'Created', 'Service Account', 'Last Heartbeat Time',
  ].map((k) => k.toLowerCase()),
);

const keyOf = (k: string): string => genericNamesIn(k);
const endsWith = (path: string[], suffix: string[]): boolean =>
  suffix.length <= path.length && suffix.every((k, i) => keyOf(k) === keyOf(path[path.length - suffix.length + i] ?? ''));

/** The service-account token mount's volume name changed (default-token-xxxxx -> kube-api-access-xxxxx): its name is free. */
const moreValue = (v: string): string =>
  normaliseValue(v.replace(/^(\/var\/run\/secrets\/kubernetes\.io\/serviceaccount from )\S+/, '$1<token>'));

export function compareDescribe(shown: ShownDescribe, actualLines: string[], c: Collector): void {
  const actual = parseDescribe(actualLines);
  let from = 0;
  for (const f of shown.fields) {
    const label = f.key === '' ? `line "${f.value}"` : `field ${f.path.join(' > ')}`;
    const matches = (a: DescribeField): boolean => (f.key === '' ? a.key === '' && normaliseValue(a.value) === normaliseValue(f.value) : endsWith(a.path, f.path));
    let at = actual.fields.findIndex((a, i) => i >= from && matches(a));
    if (at < 0) at = actual.fields.findIndex(matches);
    const a = actual.fields[at];
    const free = FREE_KEYS.has(f.key.toLowerCase()) || FREE_KEYS.has((f.path[f.path.length - 2] ?? '').toLowerCase());
    if (a === undefined) {
      const shownValue = [f.value, ...f.more].filter((v) => v !== '').join('; ');
      if (f.value === '<none>' || shownValue === '') note(c, `${label}: text shows ${shownValue === '' ? 'it' : '<none>'}, the run's kubectl leaves it out`);
      else if (free) note(c, `${label}: a free field the run does not print`);
      else differ(c, label, shownValue, '', `${label}: text shows ${shownValue}, got no such field`);
      continue;
    }
    from = at + 1;
    if (!free && f.key !== '') {
      if (f.key === 'Status') {
        if (isTransient(f.value)) passing(c, f.value);
        if (statusAlike(f.value, a.value) === 'differs') differ(c, label, f.value, a.value);
      } else if (normaliseValue(f.value) !== normaliseValue(a.value)) {
        differ(c, label, f.value, a.value);
      }
    }
    if (!free) {
      const have = new Set(a.more.map(moreValue));
      for (const m of f.more) {
        if (!have.has(moreValue(m))) differ(c, `${label} line`, m, a.more.join('; '), `${label}: text shows the line "${m}", got ${a.more.length === 0 ? 'no lines under it' : `only: ${a.more.join('; ')}`}`);
      }
    }
  }
  if (shown.events !== undefined) compareEvents(shown.events, actual.events, c);
}

/**
 * Kubelet 1.36+ starts a container's event message with the container's field
 * path (`spec.containers{nginx}: Pulling image "nginx:latest"`); older ones
 * keep it out of the message. The container's name is in the text's message
 * where it matters (`Created container nginx`), so the path is left out.
 */
const FIELD_PATH = /^spec\.(?:containers|initContainers|ephemeralContainers)\{[^}]*\}:\s*/;
const withoutFieldPath = (m: string): string => m.replace(FIELD_PATH, '');

/** The image an image-pull event is about: `Pulling image "x"`, `Successfully pulled image "x" ...`, `Container image "x" already present on machine`. */
function pulledImage(e: DescribeEvent): string | undefined {
  return (/^(?:Pulling image|Successfully pulled image|Container image) "([^"]+)"/.exec(withoutFieldPath(e.message)) ?? [])[1];
}

/** A message with its free parts out: the field path, the namespace and node of `Successfully assigned ns/pod to node`, IPs, times, generated suffixes. */
function messageOf(m: string): string {
  return normaliseValue(withoutFieldPath(m).replace(/^Successfully assigned \S+?\/(\S+) to \S+/, 'Successfully assigned <ns>/$1 to <node>'))
    .replace(/:(?=\s)/g, '') // `Created container: nginx` (kubelet 1.32+) ~ `Created container nginx`
    .replace(/\.$/, '');
}

/**
 * Kubelet 1.36+ words a container's lifecycle without its name (the field
 * path names it): `Container created` for `Created container nginx`,
 * `Container started` for `Started container nginx`, `Stopping container`
 * for `Stopping container nginx`. The older wording the text shows, with
 * the newer the run printed.
 */
const NAMELESS: ReadonlyArray<{ newer: string; older: RegExp }> = [
  { newer: 'Container created', older: /^Created container \S+$/ },
  { newer: 'Container started', older: /^Started container \S+$/ },
  { newer: 'Stopping container', older: /^Stopping container \S+$/ },
];

/** Same type, same reason, and the text's message starts the run's (free parts aside); pulls of the same image alike. */
function eventAlike(s: DescribeEvent, a: DescribeEvent): boolean {
  if (s.type !== a.type || s.reason !== a.reason) return false;
  const image = pulledImage(s);
  // `Successfully pulled image "x"` ~ `Container image "x" already present on machine`: either way the image is there.
  // What follows the image (`in 25ms (25ms including waiting). Image size: ...`) is free.
  if (image !== undefined && s.reason === 'Pulled') return pulledImage(a) === image;
  const [sm, am] = [messageOf(s.message), messageOf(a.message)];
  if (NAMELESS.some((n) => am === n.newer && n.older.test(sm))) return true;
  // Newer kubelets add to a message (`... in 1.2s (1.2s including waiting)`): the text's message must start it.
  return am === sm || am.startsWith(`${sm} `);
}

function compareEvents(shown: DescribeEvent[], actual: DescribeEvent[] | undefined, c: Collector): void {
  const used = new Set<number>();
  const have = actual ?? [];
  for (const s of shown) {
    const i = have.findIndex((a, j) => !used.has(j) && eventAlike(s, a));
    if (i >= 0) {
      used.add(i);
      continue;
    }
    const image = pulledImage(s);
    if (s.reason === 'Pulling' && image !== undefined && have.some((a) => a.reason === 'Pulled' && withoutFieldPath(a.message).startsWith(`Container image "${image}" already present`))) {
      note(c, `event Pulling ${image}: the run's node already had the image (Pulled: already present on machine)`);
      continue;
    }
    const got = have.length === 0 ? 'no events' : `events ${have.map((a) => a.reason).join(', ')}`;
    differ(c, `event ${s.type} ${s.reason}`, s.message, got, `event ${s.type} ${s.reason}: text shows "${s.message}", got no such event (${got})`);
  }
}
