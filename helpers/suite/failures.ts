// The contract between the e2e test environment (specs/setup/environment.ts)
// and useSpecNamespace: the environment sees jest-circus events, including
// every failed test and hook, and records them on the test file's global; the
// helpers read that list in afterEach/afterAll to know a test failed (jest
// gives hooks no test status) and to add diagnostics to the failure's message.
//
// The environment cannot import this file (jest loads environments outside
// the test module system, where our `.js` import specifiers do not resolve),
// so it repeats the key and shape; keep both in step.

export const FAILURES_KEY = '__tutorialE2eFailures';

export interface FailureRecord {
  kind: 'test' | 'hook';
  /** Full test name (describe blocks and test), or the hook type (beforeAll, afterEach, ...). */
  name: string;
  /** What the test threw: the same object jest will print, so it can be amended before it is. */
  error: unknown;
  /** Set once diagnostics have been attached. */
  handled?: boolean;
  /**
   * Set by the environment for failed tests: replaces a thrown non-Error
   * (jest's own timeout is a string) by an Error carrying `text`.
   */
  amend?: (text: string) => boolean;
}

/** The failures recorded so far in this test file; throws if the e2e environment is not in use. */
export function failureLog(): FailureRecord[] {
  const log = (globalThis as Record<string, unknown>)[FAILURES_KEY];
  if (!Array.isArray(log)) {
    throw new Error(
      'useSpecNamespace needs the e2e test environment (testEnvironment: specs/setup/environment.ts in the e2e project of jest.config.ts): ' +
        'it is how a failed test is noticed.',
    );
  }
  return log as FailureRecord[];
}

/**
 * Adds `text` to a thrown error's message as jest will print it. Jest prints
 * `error.stack` (message, then "    at" frames), so the text goes right before
 * the first frame; errors without frames get it at the end.
 */
export function appendToError(error: unknown, text: string): boolean {
  if (!(error instanceof Error) && !(typeof error === 'object' && error !== null && 'message' in error)) return false;
  const e = error as Error;
  const block = `\n\n${text}`;
  if (typeof e.stack === 'string') {
    const at = e.stack.search(/\n\s+at /);
    e.stack = at >= 0 ? `${e.stack.slice(0, at)}${block}${e.stack.slice(at)}` : `${e.stack}${block}`;
  } else {
    e.message = `${e.message}${block}`;
  }
  return true;
}
