// How the Exercise's spec runs its steps: one jest test per step of the
// text, in the text's order, each recording what it showed (the answer to
// the question the text asks there) and how long it took.
//
// Two sources whose Exercise is the same (the same steps in the text, the
// same answer) are verified once per run: the second's tests repeat the
// first's outcomes, and the report says "same content as <source>". The two
// Cybozu commits share exercise.adoc word for word, and every mutant of
// another section shares it too; verifying it again would only spend two
// minutes of cluster time on the same question.
//
// A step that builds on an earlier one (killall needs the probes in place)
// does not run when that one failed: it fails with "blocked by step N", so
// the report points at the first cause, not at three.
import { createHash } from 'node:crypto';
import type { ExerciseStep, ExerciseStepId } from '../tutorial/exercise.js';
import type { ExerciseAnswer } from './exercise-answer.js';
import { writeRecord } from './records.js';
import type { SectionUnderTest } from './section.js';

/** What a test of a blocked step says first: the mutants' judge tells a blocked step from a failed one by it. */
export const BLOCKED_STEP = 'blocked by step';

/** The content key of a source's Exercise: the steps as the text words them, and the answer's files. */
export function exerciseKey(steps: readonly ExerciseStep[], answer: Pick<ExerciseAnswer, 'digest'>): string {
  const h = createHash('sha256');
  for (const s of steps) h.update(`${s.id}\0${s.text}\0`);
  h.update(answer.digest);
  return h.digest('hex').slice(0, 16);
}

interface Outcome {
  source: string;
  error?: Error;
}

/** Outcomes per content key and step, in this worker (a spec file runs its sources one after another in one worker). */
const verified = new Map<string, Map<ExerciseStepId, Outcome>>();

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

export function exerciseRun(s: SectionUnderTest<'exercise'>, answer: ExerciseAnswer): ExerciseRun {
  const source = s.tutorial.name;
  const key = exerciseKey(s.the.steps, answer);
  const stepOf = (id: ExerciseStepId): ExerciseStep => {
    const step = s.the.steps.find((x) => x.id === id);
    if (step === undefined) throw new Error(`the Exercise of ${source} has no step ${id}`);
    return step;
  };
  const mine = new Map<ExerciseStepId, Outcome>();
  let sharedWith: string | undefined;
  return {
    step(id, title, fn, opts = {}) {
      const step = stepOf(id);
      test(`step ${step.number} (${step.source.file}:${step.source.line}): ${title}`, async () => {
        // Decided when the first step runs, not when tests are declared: the first source's steps have run by then.
        if (mine.size === 0 && sharedWith === undefined) {
          const earlier = verified.get(key);
          if (earlier !== undefined && earlier.size > 0) {
            sharedWith = [...earlier.values()][0]?.source;
            writeRecord({ type: 'same-as', section: s.section, source, as: sharedWith ?? '?', key });
          } else {
            verified.set(key, mine);
          }
        }
        if (sharedWith !== undefined) {
          const o = verified.get(key)?.get(id);
          if (o === undefined) throw new Error(`step ${step.number} did not run for ${sharedWith}, whose Exercise this source shares (key ${key})`);
          if (o.error !== undefined) throw new Error(`as verified for ${o.source} (same Exercise): ${o.error.message}`, { cause: o.error });
          return;
        }
        const failed = (opts.needs ?? []).map(stepOf).filter((n) => mine.get(n.id)?.error !== undefined);
        const first = failed[0];
        if (first !== undefined) {
          const error = new Error(`${BLOCKED_STEP} ${first.number} (${first.id}), which failed: this step works on what it builds`);
          mine.set(id, { source, error });
          throw error;
        }
        const t0 = performance.now();
        let answerText: string | undefined;
        try {
          await fn({ observed: (a) => (answerText = a) });
          mine.set(id, { source });
        } catch (err) {
          const error = err instanceof Error ? err : new Error(String(err));
          mine.set(id, { source, error });
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
