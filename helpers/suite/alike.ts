// "Alike": does what a command printed on a real cluster look like what the
// tutorial shows after it, the way a reader would judge it? In the spirit of
// istio.io's doc tests (`_verify_like`): the shape and the meaningful values
// must agree (columns, rows, statuses, images, HTTP codes, object messages,
// probe settings), while what differs from run to run is free (ages, IPs,
// node names, timestamps, generated name suffixes, container IDs, digests).
//
//   const r = compareAlike(command, stdout, { names: new Map([['default', ns.name]]) });
//   if (!r.alike) throw new Error(formatMismatch(command, stdout, r));
//
// parseShown classifies the text's output (table, describe, http, logs,
// messages, lines, none); compareAlike reads the run's output in the same
// shape and names each difference. It never throws: input it cannot read is
// compared as lines, and an internal error is reported as a difference.
// Rules per shape are in helpers/suite/alike/*.ts.
import type { Command } from '../tutorial/index.js';
import { commandShape, MESSAGE_VERBS } from './alike/command.js';
import { compareDescribe, parseDescribe } from './alike/describe.js';
import { compareHttp, isStatusLine, parseHttp } from './alike/http.js';
import { compareLines } from './alike/lines.js';
import { compareLogs } from './alike/logs.js';
import { compareMessages, parseMessages } from './alike/messages.js';
import { compareTable, isHeaderLine, parseTable } from './alike/table.js';
import { applyNames, cleanLines, isElision } from './alike/text.js';
import { differ, newCollector, note, type AlikeResult, type Shown } from './alike/types.js';

export type {
  AlikeResult,
  DescribeEvent,
  DescribeField,
  Difference,
  ObjectMessage,
  Shown,
  ShownDescribe,
  ShownHttp,
  ShownKind,
  ShownLines,
  ShownLogs,
  ShownMessages,
  ShownNone,
  ShownTable,
} from './alike/types.js';
export { FREE_COLUMNS, isTransient, statusAlike } from './alike/table.js';
export { genericName, normaliseLoose, normaliseValue } from './alike/text.js';
export { logShape } from './alike/logs.js';

export interface AlikeOptions {
  /**
   * Names the text uses -> the names the run has, replaced as whole tokens in
   * the text's output before comparing: the namespace (`default` -> the
   * spec's), a stand-in image, a renamed object, a NodePort the run had to
   * take instead of the text's.
   */
  names?: ReadonlyMap<string, string>;
}

function classify(text: string, lines: string[]): Shown {
  const content = lines.filter((l) => l.trim() !== '' && !isElision(l));
  if (content.length === 0) return { kind: 'none', reason: lines.length === 0 ? 'no output' : 'only elided' };
  const elided = content.length !== lines.filter((l) => l.trim() !== '').length;
  const shape = commandShape(text);
  const first = content[0] ?? '';
  if (isStatusLine(first)) {
    const http = parseHttp(lines);
    if (http !== undefined) return http;
  }
  if (shape.tool === 'kubectl') {
    if ((shape.verb === 'get' || shape.verb === 'top') && isHeaderLine(first, shape)) {
      const t = parseTable(lines.slice(lines.indexOf(first)));
      return { kind: 'table', header: t.header, rows: t.rows, watch: shape.watch, ragged: t.ragged };
    }
    if (shape.verb === 'describe') {
      const d = parseDescribe(lines);
      const shown: Shown = { kind: 'describe', fields: d.fields, elided: d.elided };
      if (d.events !== undefined) shown.events = d.events;
      if (shape.grep !== undefined) shown.grep = shape.grep;
      return shown;
    }
    if (shape.verb === 'logs') return { kind: 'logs', lines: content };
    if (shape.verb !== undefined && MESSAGE_VERBS.has(shape.verb)) {
      const messages = parseMessages(lines);
      if (messages !== undefined) return { kind: 'messages', messages };
    }
  }
  return { kind: 'lines', lines: content, elided };
}

/** What the text shows after the command, classified by shape. Never throws. */
export function parseShown(command: Command): Shown {
  let lines: string[] = [];
  try {
    lines = cleanLines(command.output.join('\n')).lines;
    return classify(command.text, lines);
  } catch {
    const content = lines.filter((l) => l.trim() !== '');
    return content.length === 0 ? { kind: 'none', reason: 'no output' } : { kind: 'lines', lines: content, elided: false };
  }
}

/** Compares what a command printed with what the text shows after it. Never throws. */
export function compareAlike(command: Command, actualStdout: string, opts: AlikeOptions = {}): AlikeResult {
  const c = newCollector();
  let kind: Shown['kind'] = 'lines';
  try {
    const names = opts.names;
    const shown = parseShown(names === undefined ? command : { ...command, output: command.output.map((l) => applyNames(l, names)) });
    kind = shown.kind;
    const actual = cleanLines(typeof actualStdout === 'string' ? actualStdout : String(actualStdout));
    for (const t of actual.truncated) note(c, t);
    const lines = actual.lines;
    switch (shown.kind) {
      case 'none':
        note(c, shown.reason === 'no output' ? 'the text shows no output: nothing to compare' : 'the text leaves the output out: nothing to compare');
        break;
      case 'table':
        compareTable(shown, lines, commandShape(command.text), c);
        break;
      case 'describe':
        compareDescribe(shown, lines, c);
        break;
      case 'http':
        compareHttp(shown, lines, c);
        break;
      case 'logs':
        compareLogs(shown.lines, lines, c);
        break;
      case 'messages':
        compareMessages(shown.messages, lines, c);
        break;
      case 'lines':
        compareLines(shown, lines, c);
        break;
    }
  } catch (e) {
    differ(c, 'comparison', '', '', `could not compare: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { alike: c.differences.length === 0, kind, differences: c.differences, inPassing: c.inPassing, notes: c.notes };
}

const SHOW_LINES = 40;
const SHOW_CHARS = 300;

function block(lines: string[]): string {
  if (lines.length === 0) return '    (nothing)';
  const shown = lines.slice(0, SHOW_LINES).map((l) => `    | ${l.length > SHOW_CHARS ? `${l.slice(0, SHOW_CHARS)}…` : l}`);
  if (lines.length > SHOW_LINES) shown.push(`    … ${lines.length - SHOW_LINES} more lines`);
  return shown.join('\n');
}

/**
 * A failure message naming the source line, the command (and the pod it ran
 * in), each difference, both outputs, and what was let pass.
 */
export function formatMismatch(command: Command, actual: string, r: AlikeResult): string {
  const where = command.context.where === 'pod' ? ` (in pod ${command.context.enteredPod ?? command.context.pod})` : '';
  const head = `${command.source.file}:${command.source.line}: \`${command.text}\`${where}`;
  const out: string[] = [];
  if (r.alike) out.push(`${head} printed output alike what the text shows (${r.kind})`);
  else out.push(`${head} printed output unlike what the text shows (${r.kind}):`, ...r.differences.map((d) => `  - ${d.message}`));
  if (r.inPassing.length > 0) out.push(`  in passing (alike once moved on): ${r.inPassing.join(', ')}`);
  for (const n of r.notes) out.push(`  note: ${n}`);
  let actualLines: string[];
  try {
    actualLines = cleanLines(actual).lines;
  } catch {
    actualLines = [];
  }
  out.push(`the text shows (after ${command.source.file}:${command.source.line}):`, block(command.output), 'the run printed:', block(actualLines));
  return out.join('\n');
}
