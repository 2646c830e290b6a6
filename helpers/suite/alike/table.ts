// `kubectl get` tables: read by columns (cells are separated by two or more
// spaces, as kubectl's tabwriter pads them; a ragged row is placed by the
// header's column positions), rows matched by NAME up to generated suffixes,
// free columns (AGE, IPs, nodes...) skipped, statuses compared with the
// transient ones (Pending, ContainerCreating, Terminating...) allowed to have
// moved on. Rows of one generic name on two or more images at once are a
// rollout under way: a state in passing (see compareRollout).
import { customColumnNames, type CommandShape } from './command.js';
import { differ, note, passing, type Collector, type ShownTable } from './types.js';
import { genericName, isElision, normaliseValue, squash } from './text.js';

interface Cell {
  text: string;
  start: number;
}

/** Cells of a line: runs of text separated by two or more spaces. */
function cellsOf(line: string): Cell[] {
  const cells: Cell[] = [];
  for (const m of line.matchAll(/\S+(?: \S+)*/g)) cells.push({ text: m[0], start: m.index });
  return cells;
}

const HEADER_CELL = /^[A-Z][A-Z0-9()_./%-]*(?: [A-Z][A-Z0-9()_./%-]*)*$/;

/** Does this line look like a kubectl table header (upper-case column names, or the custom-columns the command declares)? */
export function isHeaderLine(line: string, shape?: CommandShape): boolean {
  const cells = cellsOf(line);
  if (cells.length === 0) return false;
  const custom = customColumnNames(shape?.output);
  if (custom !== undefined && cells.length === custom.length && cells.every((c, i) => c.text === custom[i])) return true;
  return cells.every((c) => HEADER_CELL.test(c.text)) && (cells.length > 1 || cells[0]?.text === 'NAME');
}

export interface ParsedTable {
  header: string[];
  rows: string[][];
  ragged: number[];
}

/** Splits a row under the header: by 2+ spaces when that gives one cell per column, else by single spaces, else by column position. */
function splitRow(line: string, starts: number[]): { cells: string[]; ragged: boolean } {
  const n = starts.length;
  const toks = cellsOf(line);
  if (toks.length === n) return { cells: toks.map((t) => t.text), ragged: false };
  const words = line.trim().split(/\s+/);
  if (words.length === n) return { cells: words, ragged: true };
  const cells = new Array<string>(n).fill('');
  for (const t of toks) {
    let col = 0;
    for (let i = 0; i < n; i++) if ((starts[i] ?? 0) <= t.start + 1) col = i;
    cells[col] = cells[col] === '' ? t.text : `${cells[col] ?? ''} ${t.text}`;
  }
  return { cells, ragged: true };
}

/** Reads a table from lines whose first line is the header. Elision marks, blank lines and repeated headers are skipped. */
export function parseTable(lines: string[]): ParsedTable {
  const [headerLine = '', ...rest] = lines;
  const headerCells = cellsOf(headerLine);
  const header = headerCells.map((c) => c.text);
  const starts = headerCells.map((c) => c.start);
  const rows: string[][] = [];
  const ragged: number[] = [];
  for (const line of rest) {
    if (line.trim() === '' || isElision(line) || line === headerLine) continue;
    const { cells, ragged: r } = splitRow(line, starts);
    rows.push(cells);
    if (r) ragged.push(rows.length);
  }
  return { header, rows, ragged };
}

// ---- statuses --------------------------------------------------------------

const TRANSIENT = /^(?:ContainerCreating|Pending|Terminating|PodInitializing|Init:\S+)$/;
export const isTransient = (status: string): boolean => TRANSIENT.test(status);

/** Where a pod status stands on the way to running; undefined for statuses off that path. */
function rank(status: string): number | undefined {
  if (status.startsWith('Init:')) return 1;
  const order: Record<string, number> = { Pending: 0, PodInitializing: 2, ContainerCreating: 2, Running: 3, Completed: 4, Succeeded: 4 };
  return order[status];
}

/**
 * `same`, `later` (the text shows a transient status and the run has moved
 * on to a later one: Pending -> ContainerCreating -> Running -> Completed),
 * or `differs`. Terminating has no later status but "gone", which is a row
 * missing, not a status.
 */
export function statusAlike(shown: string, actual: string): 'same' | 'later' | 'differs' {
  if (shown === actual) return 'same';
  if (!isTransient(shown) || shown === 'Terminating') return 'differs';
  const s = rank(shown);
  const a = rank(actual);
  return s !== undefined && a !== undefined && a >= s ? 'later' : 'differs';
}

// ---- columns ---------------------------------------------------------------

/** Columns whose values are never the same twice (times, addresses, where a pod landed). */
export const FREE_COLUMNS: ReadonlySet<string> = new Set([
  'AGE', 'IP', 'IPS', 'CLUSTER-IP', 'CLUSTER-IPS', 'EXTERNAL-IP', 'INTERNAL-IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES',
  'LAST SEEN', 'FIRST SEEN', 'CREATED', 'CREATED AT', 'START TIME', 'STARTED', 'DURATION', 'HOSTIP', 'HOST IP', 'PODIP', 'POD IP',
  'CONTAINER ID', 'IMAGE ID', 'LAST SCHEDULE', 'CONTAINER-RUNTIME', 'KERNEL-VERSION', 'OS-IMAGE',
]);
const STATUS_COLUMNS = new Set(['STATUS', 'PHASE']);
/** Columns naming the image(s) a row runs: `IMAGE` of custom-columns, `IMAGES` of `-o wide`. */
const IMAGE_COLUMNS = new Set(['IMAGE', 'IMAGES']);

/** RESTARTS `1 (5s ago)` -> `1`. */
const restarts = (v: string): string => v.replace(/\s*\(.*\)\s*$/, '').trim();
const labels = (v: string): string => v.replace(/\b(pod-template-hash|controller-revision-hash|batch\.kubernetes\.io\/controller-uid|controller-uid)=[^,\s]+/g, '$1=*');

interface CellDiff {
  column: string;
  shown: string;
  actual: string;
}

interface Columns {
  /** For each compared column: its name, its index in the text's table and in the run's. */
  pairs: Array<{ name: string; s: number; a: number }>;
  shownName: number;
  actualName: number;
  shownStatus: number;
}

function columnsOf(shownHeader: string[], actualHeader: string[]): Columns {
  const pairs: Columns['pairs'] = [];
  shownHeader.forEach((name, s) => {
    const a = actualHeader.indexOf(name);
    if (a >= 0 && name !== 'NAME' && !FREE_COLUMNS.has(name)) pairs.push({ name, s, a });
  });
  const shownName = Math.max(0, shownHeader.indexOf('NAME'));
  const actualName = Math.max(0, actualHeader.indexOf('NAME'));
  const shownStatus = shownHeader.findIndex((h) => STATUS_COLUMNS.has(h));
  return { pairs, shownName, actualName, shownStatus };
}

/** The cells of two rows (already matched by name) that are not alike; transient statuses the text shows are collected. */
function cellDiffs(sRow: string[], aRow: string[], cols: Columns, transient: string[], watch: boolean): CellDiff[] {
  const diffs: CellDiff[] = [];
  const shownStatus = cols.shownStatus >= 0 ? (sRow[cols.shownStatus] ?? '') : '';
  const statusInPassing = isTransient(shownStatus);
  for (const { name, s, a } of cols.pairs) {
    const sv = sRow[s] ?? '';
    const av = aRow[a] ?? '';
    if (STATUS_COLUMNS.has(name)) {
      if (isTransient(sv)) transient.push(sv);
      if (statusAlike(sv, av) === 'differs') diffs.push({ column: name, shown: sv, actual: av });
    } else if (name === 'READY' && statusInPassing) {
      // READY moves with a transient status: 0/1 while ContainerCreating, 1/1 once Running.
    } else if (name === 'RESTARTS') {
      const [x, y] = [restarts(sv), restarts(av)];
      const alike = watch ? (x === '0') === (y === '0') : x === y;
      if (!alike) diffs.push({ column: name, shown: sv, actual: av });
    } else if (name === 'LABELS') {
      if (normaliseValue(labels(sv)) !== normaliseValue(labels(av))) diffs.push({ column: name, shown: sv, actual: av });
    } else if (normaliseValue(sv) !== normaliseValue(av)) {
      diffs.push({ column: name, shown: sv, actual: av });
    }
  }
  return diffs;
}

/** How far apart two rows are, for pairing: each difference counts 1, a status that moved on 0.5 (the same status is the better partner). */
function distance(sRow: string[], aRow: string[], cols: Columns): number {
  const moved = cols.pairs.filter((p) => STATUS_COLUMNS.has(p.name) && (sRow[p.s] ?? '') !== (aRow[p.a] ?? '')).length;
  return cellDiffs(sRow, aRow, cols, [], false).length + 0.5 * moved;
}

const rowText = (row: string[]): string => row.join('  ');
const listSome = (items: string[], max = 5): string =>
  items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;

/** The `kubernetes` Service lives in the reader's `default` namespace: a row of their cluster, not of the tutorial. */
function isClusterRow(name: string, header: string[]): boolean {
  return name === 'kubernetes' && header.includes('CLUSTER-IP');
}

// ---- comparison -------------------------------------------------------------

export function compareTable(shown: ShownTable, actualLines: string[], shape: CommandShape, c: Collector): void {
  const headerAt = actualLines.findIndex((l) => !isElision(l) && l.trim() !== '');
  const first = actualLines[headerAt] ?? '';
  if (headerAt < 0 || !isHeaderLine(first, shape)) {
    differ(c, 'table', shown.header.join('  '), first, `the text shows a table (${shown.header.join(', ')}; ${shown.rows.length} rows), got ${first === '' ? 'no output' : `no table: "${first}"`}`);
    return;
  }
  const actual = parseTable(actualLines.slice(headerAt));
  if (actual.header.join('\u0000') !== shown.header.join('\u0000')) {
    differ(c, 'column headers', shown.header.join(', '), actual.header.join(', '), `column headers differ: text shows ${shown.header.join(', ')}, got ${actual.header.join(', ')}`);
  }
  if (actual.ragged.length > 0) note(c, `the run's table has ${actual.ragged.length} row(s) not aligned under its header (placed by position)`);
  const cols = columnsOf(shown.header, actual.header);
  if (shown.watch) compareWatch(shown, actual, cols, c);
  else compareRows(shown, actual, cols, c);
}

function compareRows(shown: ShownTable, actual: ParsedTable, cols: Columns, c: Collector): void {
  const sName = (r: string[]): string => r[cols.shownName] ?? '';
  const aName = (r: string[]): string => r[cols.actualName] ?? '';
  // Group rows by generic name; pair equal names first, then the closest rows.
  const groups = new Map<string, { s: number[]; a: number[] }>();
  const group = (k: string): { s: number[]; a: number[] } => {
    let g = groups.get(k);
    if (g === undefined) groups.set(k, (g = { s: [], a: [] }));
    return g;
  };
  shown.rows.forEach((r, i) => group(genericName(sName(r))).s.push(i));
  actual.rows.forEach((r, i) => group(genericName(aName(r))).a.push(i));
  const missing: string[] = [];
  const extra: string[] = [];
  const transient: string[] = [];
  const imageCol = cols.pairs.find((p) => IMAGE_COLUMNS.has(p.name));
  const rollouts: string[] = [];
  for (const [key, g] of groups) {
    if (imageCol !== undefined && new Set(g.s.map((s) => normaliseValue(shown.rows[s]?.[imageCol.s] ?? ''))).size >= 2) {
      rollouts.push(compareRollout(key, g, shown, actual, cols, imageCol, transient, c));
      continue;
    }
    const pairs: Array<[number, number]> = [];
    const freeS = new Set(g.s);
    const freeA = new Set(g.a);
    for (const s of g.s) {
      const a = [...freeA].find((x) => aName(actual.rows[x] ?? []) === sName(shown.rows[s] ?? []));
      if (a !== undefined) {
        pairs.push([s, a]);
        freeS.delete(s);
        freeA.delete(a);
      }
    }
    if (freeS.size > 0 && freeA.size > 0) {
      if (freeS.size * freeA.size > 100_000) {
        // Too many to weigh: pair in order.
        const [ss, aa] = [[...freeS], [...freeA]];
        for (let i = 0; i < Math.min(ss.length, aa.length); i++) pairs.push([ss[i] ?? 0, aa[i] ?? 0]);
        ss.slice(0, aa.length).forEach((s) => freeS.delete(s));
        aa.slice(0, ss.length).forEach((a) => freeA.delete(a));
      } else {
        const costs: Array<[number, number, number]> = [];
        for (const s of freeS) {
          for (const a of freeA) costs.push([distance(shown.rows[s] ?? [], actual.rows[a] ?? [], cols), s, a]);
        }
        costs.sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2]);
        for (const [, s, a] of costs) {
          if (freeS.has(s) && freeA.has(a)) {
            pairs.push([s, a]);
            freeS.delete(s);
            freeA.delete(a);
          }
        }
      }
    }
    pairs.sort((x, y) => x[0] - y[0]);
    for (const [s, a] of pairs) {
      const sRow = shown.rows[s] ?? [];
      const name = aName(actual.rows[a] ?? []);
      for (const d of cellDiffs(sRow, actual.rows[a] ?? [], cols, transient, false)) {
        const what = `row ${key} column ${d.column}`;
        differ(c, what, d.shown, d.actual, `${what}: text shows ${d.shown || '(nothing)'}, got ${d.actual || '(nothing)'}${name !== key ? ` (in ${name})` : ''}`);
      }
    }
    for (const s of freeS) {
      const row = shown.rows[s] ?? [];
      const status = cols.shownStatus >= 0 ? (row[cols.shownStatus] ?? '') : '';
      if (status === 'Terminating') {
        transient.push(status);
        note(c, `row ${key}: text shows it Terminating, the run has it gone (the later state)`);
      } else if (isClusterRow(sName(row), shown.header)) {
        note(c, `row kubernetes: the Service of the reader's default namespace, not in the namespace the run used`);
      } else {
        missing.push(`no row like ${key} (${rowText(row)})`);
      }
    }
    for (const a of freeA) {
      const row = actual.rows[a] ?? [];
      const statusAt = actual.header.findIndex((h) => STATUS_COLUMNS.has(h));
      if (statusAt >= 0 && row[statusAt] === 'Terminating') {
        note(c, `row ${aName(row)}: Terminating in the run, not in the text (on its way out)`);
      } else if (isClusterRow(aName(row), actual.header)) {
        note(c, `row kubernetes: the Service of the cluster's default namespace, not in the text`);
      } else {
        extra.push(`extra row ${aName(row)} (${squash(rowText(row))})`);
      }
    }
  }
  for (const t of transient) passing(c, t);
  for (const r of rollouts) passing(c, r);
  if (missing.length > 0 || extra.length > 0) {
    differ(
      c,
      'rows',
      `${shown.rows.length} rows`,
      `${actual.rows.length} rows`,
      `the text shows ${shown.rows.length} rows, got ${actual.rows.length}: ${listSome([...missing, ...extra])}`,
    );
  }
}

// ---- a rollout shown in passing ------------------------------------------------

/** `nginx:1.16` -> repository `nginx`, version [1, 16]; undefined version for a tag that is no version (`latest`, `stretch`). */
function imageVersion(image: string): { repo: string; version?: number[] } {
  const at = image.indexOf('@');
  const ref = at >= 0 ? image.slice(0, at) : image;
  const colon = ref.lastIndexOf(':');
  if (colon < 0 || ref.indexOf('/', colon) >= 0) return { repo: ref };
  const m = /^v?(\d+(?:\.\d+)*)(?![\w.])/.exec(ref.slice(colon + 1));
  return m === null ? { repo: ref.slice(0, colon) } : { repo: ref.slice(0, colon), version: (m[1] ?? '').split('.').map(Number) };
}

function versionOrder(x: number[], y: number[]): number {
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Which of the images the text shows a rollout between is the newer: the
 * one its rows are still coming up on (Pending, ContainerCreating...) or
 * else the one no row is leaving (Terminating), else the higher version of
 * one repository (`nginx:1.15` -> `nginx:1.16`). Undefined when the text
 * does not tell.
 */
function newerImage(images: string[], rows: string[][], imageAt: number, statusAt: number): string | undefined {
  const comingUp = new Set<string>();
  const leaving = new Set<string>();
  for (const row of rows) {
    const status = statusAt >= 0 ? (row[statusAt] ?? '') : '';
    const image = normaliseValue(row[imageAt] ?? '');
    if (status === 'Terminating') leaving.add(image);
    else if (isTransient(status)) comingUp.add(image);
  }
  const [up] = comingUp;
  if (comingUp.size === 1 && up !== undefined && !leaving.has(up)) return up;
  const staying = images.filter((i) => !leaving.has(i));
  if (leaving.size > 0 && staying.length === 1) return staying[0];
  const parsed = images.map((i) => ({ image: i, ...imageVersion(i) }));
  const repo = parsed[0]?.repo;
  if (parsed.some((p) => p.repo !== repo || p.version === undefined)) return undefined;
  const sorted = [...parsed].sort((x, y) => versionOrder(y.version ?? [], x.version ?? []));
  const [top, next] = sorted;
  return top !== undefined && next !== undefined && versionOrder(top.version ?? [], next.version ?? []) > 0 ? top.image : undefined;
}

/**
 * The text shows rows of one generic name (a Deployment's pods) on two or
 * more images at once: a rolling update caught midway, which a run a moment
 * later finds further on or finished. The run's rows of that name are alike
 * when each is on an image the text shows for it (the newer one alone, or
 * old and new), and alike the text's rows on its image otherwise (status
 * the same or later); how many there are is free. Rows on their way out
 * (Terminating) are let pass. Returns the rollout, for `inPassing`.
 */
function compareRollout(
  key: string,
  g: { s: number[]; a: number[] },
  shown: ShownTable,
  actual: ParsedTable,
  cols: Columns,
  imageCol: { name: string; s: number; a: number },
  transient: string[],
  c: Collector,
): string {
  const sRows = g.s.map((s) => shown.rows[s] ?? []);
  const images = [...new Set(sRows.map((r) => normaliseValue(r[imageCol.s] ?? '')))];
  const newer = newerImage(images, sRows, imageCol.s, cols.shownStatus);
  // As printed, the newer last.
  const shownImages = [...new Set(sRows.map((r) => r[imageCol.s] ?? ''))].sort((x, y) => Number(normaliseValue(x) === newer) - Number(normaliseValue(y) === newer));
  const older = images.filter((i) => i !== newer);
  const rollout = newer === undefined ? `rollout ${key}: ${shownImages.join(' / ')}` : `rollout ${key}: ${older.join(', ')} -> ${newer}`;
  for (const row of sRows) {
    const status = cols.shownStatus >= 0 ? (row[cols.shownStatus] ?? '') : '';
    if (isTransient(status)) transient.push(status);
  }
  const aStatusAt = actual.header.findIndex((h) => STATUS_COLUMNS.has(h));
  const aName = (r: string[]): string => r[cols.actualName] ?? '';
  const onImage = new Map<string, number>();
  for (const a of g.a) {
    const aRow = actual.rows[a] ?? [];
    const name = aName(aRow);
    if (aStatusAt >= 0 && aRow[aStatusAt] === 'Terminating') {
      note(c, `row ${name}: Terminating in the run (on its way out of the rollout)`);
      continue;
    }
    const image = normaliseValue(aRow[imageCol.a] ?? '');
    const what = `row ${key} column ${imageCol.name}`;
    if (!images.includes(image)) {
      const shownList = shownImages.join(' or ');
      differ(c, what, shownList, aRow[imageCol.a] ?? '', `${what}: text shows ${shownList} (a rollout), got ${aRow[imageCol.a] || '(nothing)'} (in ${name})`);
      continue;
    }
    onImage.set(image, (onImage.get(image) ?? 0) + 1);
    // The text's row on the same image that is closest to this one.
    let best: string[] | undefined;
    let bestCost = Infinity;
    for (const sRow of sRows) {
      if (normaliseValue(sRow[imageCol.s] ?? '') !== image) continue;
      const cost = distance(sRow, aRow, cols);
      if (cost < bestCost) [best, bestCost] = [sRow, cost];
    }
    for (const d of cellDiffs(best ?? [], aRow, cols, transient, false)) {
      const at = `row ${key} column ${d.column}`;
      differ(c, at, d.shown, d.actual, `${at}: text shows ${d.shown || '(nothing)'}, got ${d.actual || '(nothing)'} (in ${name})`);
    }
  }
  const got = [...onImage].map(([i, n]) => `${n} on ${i}`).join(', ');
  if (onImage.size === 0) {
    differ(c, `rollout ${key}`, shownImages.join(', '), '', `rollout ${key}: text shows rows on ${shownImages.join(' and ')}, got no row like ${key}`);
  } else if (newer !== undefined && !onImage.has(newer)) {
    differ(c, `rollout ${key}`, newer, got, `rollout ${key}: text shows it moving from ${older.join(', ')} to ${newer}, got no row on ${newer} (${got})`);
  } else {
    note(
      c,
      `${rollout}: the text shows a rollout under way; the run's rows are on images it shows (${got}), their count is free${newer === undefined ? ' (the text does not tell which image is the newer)' : ''}`,
    );
  }
  return rollout;
}

/**
 * `--watch`: each line is a state an object went through, and the text shows
 * a stretch of the watch. Every state the text shows must be among the
 * states the run's watch printed for that object (by generic name); a
 * transient one may have been passed over for a later one. RESTARTS compares
 * as restarted or not: how many times depends on how long the reader watched.
 */
function compareWatch(shown: ShownTable, actual: ParsedTable, cols: Columns, c: Collector): void {
  const statusCol = cols.pairs.find((p) => STATUS_COLUMNS.has(p.name));
  const byObject = new Map<string, string[][]>();
  for (const row of actual.rows) {
    const k = genericName(row[cols.actualName] ?? '');
    const list = byObject.get(k) ?? [];
    list.push(row);
    byObject.set(k, list);
  }
  const describeState = (row: string[], side: 's' | 'a'): string =>
    cols.pairs
      .map((p) => {
        const v = row[p[side]] ?? '';
        return `${p.name} ${p.name === 'RESTARTS' ? `${v}${restarts(v) === '0' ? '' : ' (restarted)'}` : v}`;
      })
      .join(', ');
  const seen = new Set<string>();
  for (const sRow of shown.rows) {
    const key = genericName(sRow[cols.shownName] ?? '');
    const state = describeState(sRow, 's');
    if (seen.has(`${key}\u0000${state}`)) continue;
    seen.add(`${key}\u0000${state}`);
    const states = byObject.get(key);
    if (states === undefined) {
      differ(c, `object ${key}`, state, '', `object ${key}: text shows it in the watch (${state}), got no line for it`);
      continue;
    }
    const transient: string[] = [];
    const same = states.some((aRow) => cellDiffs(sRow, aRow, cols, transient, true).length === 0);
    for (const t of transient) passing(c, t);
    if (same) continue;
    const sStatus = statusCol ? (sRow[statusCol.s] ?? '') : '';
    if (statusCol && isTransient(sStatus) && states.some((aRow) => statusAlike(sStatus, aRow[statusCol.a] ?? '') !== 'differs')) continue;
    const got = [...new Set(states.map((r) => describeState(r, 'a')))];
    differ(c, `object ${key}`, state, got.join('; '), `object ${key}: text shows state ${state}, the watch never showed it; it showed ${listSome(got)}`);
  }
}
