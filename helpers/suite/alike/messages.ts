// What `kubectl apply/create/delete/...` prints about each object:
// `pod/my-first-pod created`, `replicaset.apps/nginx-replicaset configured`,
// `pod "my-first-pod" deleted` (newer kubectl: `... deleted from NS namespace`).
// The object's kind and name must match, and the verb, except that
// `configured` and `unchanged` are alike: applying the same file again is
// the same step.
import { differ, note, type Collector, type ObjectMessage } from './types.js';
import { isElision } from './text.js';

const SLASH = /^([A-Za-z][\w-]*)(?:\.([\w.-]+))?\/(\S+) ((?:created|configured|unchanged|deleted|patched|replaced|scaled|labeled|annotated|exposed|restarted|paused|resumed|rolled back|serverside-applied|autoscaled|edited|tainted|cordoned|uncordoned|drained|untainted|image updated|resource requirements updated|env updated))(?: \((?:server |client )?dry run\))?$/;
const QUOTED = /^([A-Za-z][\w-]*)(?:\.([\w.-]+))? "([^"]+)" (deleted)(?: from \S+ namespace)?$/;

export function parseMessage(line: string): ObjectMessage | undefined {
  const m = SLASH.exec(line.trim()) ?? QUOTED.exec(line.trim());
  if (!m) return undefined;
  const msg: ObjectMessage = { kind: m[1] ?? '', name: m[3] ?? '', verb: m[4] ?? '', line: line.trim() };
  if (m[2] !== undefined) msg.group = m[2];
  return msg;
}

/** Every line (elision marks aside) is an object message. */
export function parseMessages(lines: string[]): ObjectMessage[] | undefined {
  const content = lines.filter((l) => l.trim() !== '' && !isElision(l));
  const out: ObjectMessage[] = [];
  for (const l of content) {
    const m = parseMessage(l);
    if (m === undefined) return undefined;
    out.push(m);
  }
  return out.length > 0 ? out : undefined;
}

const objectOf = (m: ObjectMessage): string => `${m.kind.toLowerCase()}${m.group !== undefined ? `.${m.group}` : ''}/${m.name}`;
const sameObject = (s: ObjectMessage, a: ObjectMessage): boolean =>
  s.kind.toLowerCase() === a.kind.toLowerCase() && s.name === a.name && (s.group === undefined || a.group === undefined || s.group === a.group);
const verbAlike = (s: string, a: string): boolean => s === a || ((s === 'configured' || s === 'unchanged') && (a === 'configured' || a === 'unchanged'));

export function compareMessages(shown: ObjectMessage[], actualLines: string[], c: Collector): void {
  const actual: ObjectMessage[] = [];
  const other: string[] = [];
  for (const l of actualLines) {
    if (l.trim() === '') continue;
    const m = parseMessage(l);
    if (m) actual.push(m);
    else other.push(l);
  }
  if (other.length > 0) note(c, `${other.length} line(s) of the run's output are no object message, the first: "${other[0] ?? ''}"`);
  const used = new Set<number>();
  for (const s of shown) {
    const i = actual.findIndex((a, j) => !used.has(j) && sameObject(s, a));
    const a = actual[i];
    if (a === undefined) {
      differ(c, `object ${objectOf(s)}`, s.verb, '', `object ${objectOf(s)}: text shows "${s.line}", got no message about it`);
      continue;
    }
    used.add(i);
    if (!verbAlike(s.verb, a.verb)) differ(c, `object ${objectOf(s)}`, s.verb, a.verb);
    else if (s.verb !== a.verb) note(c, `object ${objectOf(s)}: text shows ${s.verb}, got ${a.verb} (alike: the object already had that content)`);
    if (s.kind !== a.kind && s.kind.toLowerCase() === a.kind.toLowerCase()) note(c, `object ${objectOf(s)}: the text writes the kind ${s.kind}, kubectl prints ${a.kind}`);
  }
  const extra = actual.filter((_, j) => !used.has(j));
  if (extra.length > 0) {
    differ(c, 'messages', `${shown.length} messages`, `${actual.length} messages`, `the text shows ${shown.length} object messages, got ${actual.length}: extra ${extra.map((m) => `"${m.line}"`).join(', ')}`);
  }
}
