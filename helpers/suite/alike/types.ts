// The shapes an "alike" comparison works on: what the text shows after a
// command, classified (Shown), and what differed from a real run (Difference,
// AlikeResult). Plain data, so jest can print and compare them.

/** A `kubectl get` table (also `-o wide`, `--show-labels`, `custom-columns=`, `--watch`). */
export interface ShownTable {
  kind: 'table';
  /** Column headers, as printed (`NOMINATED NODE` is one column). */
  header: string[];
  /** One array of cells per row, as many cells as header has. */
  rows: string[][];
  /** `--watch`/`-w`: rows are successive states of objects, not a listing. */
  watch: boolean;
  /** 1-based row numbers whose cells could not be split exactly under the header (placed by position). */
  ragged: number[];
}

/** One `Key:  value` line of `kubectl describe` output, with the lines that continue it. */
export interface DescribeField {
  /** Keys of the enclosing fields shown in the text, outermost first, then this key (`Containers`, `nginx`, `Image`). */
  path: string[];
  key: string;
  /** The value on the key's line (whitespace collapsed); '' for a heading such as `Containers:`. */
  value: string;
  /** Lines under the field that are no `Key:` themselves (mounts, label continuations, condition rows). */
  more: string[];
}

/** One row of the `Events:` table of `kubectl describe`. */
export interface DescribeEvent {
  type: string;
  reason: string;
  age: string;
  from: string;
  message: string;
}

/** `kubectl describe ...` output or an excerpt of it (also `... | grep X`). */
export interface ShownDescribe {
  kind: 'describe';
  fields: DescribeField[];
  /** The Events table; undefined when the text does not show one. */
  events?: DescribeEvent[];
  /** The pattern of a `| grep X` the command ends with. */
  grep?: string;
  /** The text leaves lines out (`(中略)`, `（省略）`, `...`). */
  elided: boolean;
}

/** `curl -i` output: status line, headers, body. */
export interface ShownHttp {
  kind: 'http';
  statusLine: string;
  status: number;
  headers: Array<{ name: string; value: string }>;
  body: string;
  /** The text leaves the rest out (`...`): headers not shown are not missing. */
  elided: boolean;
}

/** `kubectl logs` output. */
export interface ShownLogs {
  kind: 'logs';
  lines: string[];
}

/** `pod/my-first-pod created`, `replicaset.apps "x" deleted`. */
export interface ObjectMessage {
  /** Kind as printed (`pod`, `Pod`, `replicaset`). */
  kind: string;
  /** API group as printed (`apps`), when there is one. */
  group?: string;
  name: string;
  /** `created`, `configured`, `unchanged`, `deleted`, ... */
  verb: string;
  line: string;
}

/** What `kubectl apply/create/delete/...` prints about each object. */
export interface ShownMessages {
  kind: 'messages';
  messages: ObjectMessage[];
}

/** Output of no known shape: compared line by line, free tokens normalised. */
export interface ShownLines {
  kind: 'lines';
  lines: string[];
  /** The text leaves lines out. */
  elided: boolean;
}

/** The text shows no output (or only an elision mark): nothing to compare. */
export interface ShownNone {
  kind: 'none';
  reason: 'no output' | 'only elided';
}

export type Shown = ShownTable | ShownDescribe | ShownHttp | ShownLogs | ShownMessages | ShownLines | ShownNone;
export type ShownKind = Shown['kind'];

export interface Difference {
  /** What differs: `row nginx-deployment-* column STATUS`, `column headers`, `rows`, `field Liveness`. */
  what: string;
  /** What the text shows there ('' when the text shows nothing there). */
  shown: string;
  /** What the run printed there ('' when it printed nothing there). */
  actual: string;
  /** One sentence naming all three: `row nginx-deployment-* column STATUS: text shows Running, got CrashLoopBackOff`. */
  message: string;
}

export interface AlikeResult {
  alike: boolean;
  /** How the text's output was read. */
  kind: ShownKind;
  differences: Difference[];
  /**
   * Statuses the text shows that are transient (ContainerCreating, Pending,
   * Terminating, Init:*, PodInitializing), distinct, in order of appearance.
   * They count as alike when the run shows the same or a later status; the
   * caller decides whether it waited long enough. Then a rollout the text
   * shows under way (`rollout nginx-deployment-*: nginx:1.15 -> nginx:1.16`),
   * alike when the run has it further on or finished.
   */
  inPassing: string[];
  /** What was tolerated and why (a field newer kubectl leaves out, a row of the reader's cluster, truncated input...). */
  notes: string[];
}

/** What a comparison collects; shared by the comparers of each shape. */
export interface Collector {
  differences: Difference[];
  inPassing: string[];
  notes: string[];
}

export function newCollector(): Collector {
  return { differences: [], inPassing: [], notes: [] };
}

/** Records a difference; `message` defaults to `what: text shows X, got Y`. */
export function differ(c: Collector, what: string, shown: string, actual: string, message?: string): void {
  c.differences.push({ what, shown, actual, message: message ?? `${what}: text shows ${shown || '(nothing)'}, got ${actual || '(nothing)'}` });
}

export function passing(c: Collector, status: string): void {
  if (!c.inPassing.includes(status)) c.inPassing.push(status);
}

const MAX_NOTES = 50;

export function note(c: Collector, text: string): void {
  if (c.notes.length > MAX_NOTES || c.notes.includes(text)) return;
  c.notes.push(c.notes.length === MAX_NOTES ? 'more notes left out' : text);
}
