// How the Exercise's spec runs its steps: one jest test per step of the
// text, in the text's order, each recording what it showed (the answer to
// the question the text asks there) and how long it took.
//
// Two sources whose Exercise is the same (the same steps in the text, the
// same answer) are verified once per run, as every section is
// (shared-section.ts; the row's contentKey adds the answer's files).
//
// A step that builds on an earlier one (killall needs the probes in place)
// does not run when that one failed: it fails with "blocked by step N", so
// the report points at the first cause, not at three.
import type { ExerciseStep, ExerciseStepId } from '../tutorial/exercise.js';
import { writeRecord } from './records.js';
import type { SectionUnderTest } from './section.js';

/** What a test of a blocked step says first: the mutants' judge tells a blocked step from a failed one by it. */
export const BLOCKED_STEP = 'blocked by step';

interface Outcome {
  error?: Error;
}

export interface StepContext {
  /** Records the step's answer: what the cluster showed. */
  observed(answer: string): void;
}

export interface ExerciseRun {
  /**
   * Declares the test of one step of the text. `needs`: steps whose failure
   * leaves nothing for this one to work on.
   */
  step(id: ExerciseStepId, title: string, fn: (c: StepContext) => Promise<void>, opts?: { needs?: ExerciseStepId[] }): void;
}

export function exerciseRun(s: SectionUnderTest<'exercise'>): ExerciseRun {
  const source = s.tutorial.name;
  const stepOf = (id: ExerciseStepId): ExerciseStep => {
    const step = s.the.steps.find((x) => x.id === id);
    if (step === undefined) throw new Error(`the Exercise of ${source} has no step ${id}`);
    return step;
  };
  const mine = new Map<ExerciseStepId, Outcome>();
  return {
    step(id, title, fn, opts = {}) {
      const step = stepOf(id);
      test(`step ${step.number} (${step.source.file}:${step.source.line}): ${title}`, async () => {
        const failed = (opts.needs ?? []).map(stepOf).filter((n) => mine.get(n.id)?.error !== undefined);
        const first = failed[0];
        if (first !== undefined) {
          const error = new Error(`${BLOCKED_STEP} ${first.number} (${first.id}), which failed: this step works on what it builds`);
          mine.set(id, { error });
          throw error;
        }
        const t0 = performance.now();
        let answerText: string | undefined;
        try {
          await fn({ observed: (a) => (answerText = a) });
          mine.set(id, {});
        } catch (err) {
          const error = err instanceof Error ? err : new Error(String(err));
          mine.set(id, { error });
          answerText ??= `FAILED: ${error.message.split('\n')[0] ?? ''}`;
          throw error;
        } finally {
          writeRecord({
            type: 'observed',
            section: s.section,
            source,
            step: id,
            at: `${step.source.file}:${step.source.line}`,
            ...(step.questions[0] !== undefined ? { question: step.questions.join(' ') } : {}),
            answer: answerText ?? '(nothing recorded)',
            seconds: (performance.now() - t0) / 1000,
          });
        }
        // A step waits on several probe periods and rollouts in turn: above jest's 120 s, below the spec file's whole budget.
      }, 240_000);
    },
  };
}
