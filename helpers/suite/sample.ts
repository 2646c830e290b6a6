// A section's sample Pod (health checks, volume), which a source may give
// with a placeholder image: it is run as written first; when a known issue
// predicts that it cannot run, the tests that need it running say so (a
// not-run record for the report) instead of passing in silence.
import { imagesOf } from '../tutorial/index.js';
import type { Manifest } from './tutorial-sections.js';
import type { SectionUnderTest } from './section.js';
import type { SectionId } from './sections.js';

export interface SampleAsWritten {
  /** True once run() saw the Pod Ready. */
  readonly runnable: boolean;
  /**
   * Applies the sample exactly as written and waits until its Pod is Ready.
   * An image that cannot be pulled (a placeholder) fails at once, which the
   * known issues may expect for step `run-as-written`; the sample is then not
   * runnable, and the tests after it return after cannotVerify().
   */
  run(): Promise<void>;
  /**
   * For a test that needs the sample running: true when it could not run,
   * after recording `what` as not verified (the test then returns); false when it runs.
   */
  cannotVerify(what: string): boolean;
}

export function sampleAsWritten<I extends SectionId>(s: SectionUnderTest<I>, sample: Manifest<'Pod'>): SampleAsWritten {
  let runnable = false;
  return {
    get runnable() {
      return runnable;
    },
    async run() {
      const outcome = await s.asWritten(
        'run-as-written',
        async () => {
          await s.ns.apply([sample]);
          await s.ns.pod(sample.name).ready();
        },
        { images: imagesOf(sample.objects) },
      );
      runnable = outcome.status === 'passed';
    },
    cannotVerify(what) {
      if (runnable) return false;
      s.notRun(what, 'the sample cannot run as written (see its known issue)');
      return true;
    },
  };
}
