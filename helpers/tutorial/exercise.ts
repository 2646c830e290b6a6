// The course's Exercise is prose, not manifests: a numbered list of tasks
// (deploy the Guestbook, add probes, `killall apache2`, make the liveness
// probe fail and roll back), each with a question for the reader. The suite
// answers it with manifests of its own; from the text it takes which steps
// there are, the commands they name in inline code, and the questions they
// ask. Steps are found by what they ask for, never by number or wording, so
// a reordered or reworded list still maps to the same checks.
import type { SourceRef } from './model.js';

export const EXERCISE_STEPS = ['deploy', 'probes', 'kill-apache', 'failing-liveness'] as const;
export type ExerciseStepId = (typeof EXERCISE_STEPS)[number];

export interface ExerciseStep {
  id: ExerciseStepId;
  /** 1-based position in the text's list. */
  number: number;
  /** The item as written, continuation lines joined by spaces. */
  text: string;
  /** Inline code spans of the item (`killall apache2`, `kubectl rollout undo deployment frontend`), in order. */
  code: string[];
  /** The sentences that ask the reader something (ending in `?` or `？`). */
  questions: string[];
  source: SourceRef;
}

/** What each step is recognised by: the first item that matches, in this order, is that step. */
const RECOGNISE: ReadonlyArray<{ id: ExerciseStepId; what: string; test: (item: string, code: string[]) => boolean }> = [
  { id: 'kill-apache', what: 'an item naming `killall apache2`', test: (_i, code) => code.some((c) => /\bkillall\s+apache2\b/.test(c)) },
  { id: 'failing-liveness', what: 'an item naming a `kubectl rollout ...` command', test: (_i, code) => code.some((c) => /^kubectl\s+rollout\b/.test(c)) },
  { id: 'probes', what: 'an item asking for a liveness probe and a readiness probe', test: (i) => /liveness\s+probe/i.test(i) && /readiness\s+probe/i.test(i) },
  { id: 'deploy', what: 'an item asking to deploy the Guestbook', test: (i) => /guestbook|ゲストブック/i.test(i) },
];

/** `. item`, `1. item`, `* item`-free: only ordered list markers (AsciiDoc `.`/`..`, both formats' `1.`). */
const ITEM = /^(?:\.{1,2}|\d+\.)\s+(\S.*)$/;

interface Item {
  text: string;
  line: number;
}

/** The ordered list items of a text: each with its continuation lines (up to a blank line or the next item). */
export function orderedItems(text: string): Item[] {
  const items: Item[] = [];
  let current: Item | undefined;
  let fence = false;
  text.split(/\r?\n/).forEach((raw, i) => {
    // Nothing inside a listing or code fence is a list item.
    if (/^(?:----|\.\.\.\.|```)/.test(raw.trim())) {
      fence = !fence;
      current = undefined;
      return;
    }
    if (fence) return;
    const m = ITEM.exec(raw);
    if (m?.[1] !== undefined) {
      current = { text: m[1].trim(), line: i + 1 };
      items.push(current);
    } else if (raw.trim() === '' || raw.trim() === '+') {
      current = undefined;
    } else if (current !== undefined) {
      current.text += ` ${raw.trim()}`;
    }
  });
  return items;
}

const codeSpans = (item: string): string[] => [...item.matchAll(/`([^`]+)`/g)].map((m) => (m[1] ?? '').trim());
// A URL's `?query` is no question: URLs are left out before sentences are split.
const questionsOf = (item: string): string[] =>
  (item.replace(/https?:\/\/\S+/g, ' ').match(/[^。.?？!！]*[?？]/g) ?? []).map((q) => q.replace(/^[\s。.、]+/, '').trim()).filter((q) => q.length > 1);

/**
 * The Exercise's steps in one file's text: every step of EXERCISE_STEPS must
 * be an item of one ordered list... or the file has no Exercise; then
 * `missing` says which steps were looked for and not found.
 */
export function readExerciseSteps(text: string, file: string): { steps: ExerciseStep[] } | { missing: string[] } {
  const items = orderedItems(text);
  const steps: ExerciseStep[] = [];
  const taken = new Set<number>();
  for (const r of RECOGNISE) {
    const index = items.findIndex((it, i) => !taken.has(i) && r.test(it.text, codeSpans(it.text)));
    const item = items[index];
    if (item === undefined) continue;
    taken.add(index);
    steps.push({ id: r.id, number: index + 1, text: item.text, code: codeSpans(item.text), questions: questionsOf(item.text), source: { file, line: item.line } });
  }
  const missing = RECOGNISE.filter((r) => !steps.some((s) => s.id === r.id)).map((r) => `${r.id} (${r.what})`);
  if (missing.length > 0) return { missing };
  return { steps: steps.sort((a, b) => a.number - b.number) };
}
