// The e2e project's test environment: Node's, plus
//  - a record of every failed test and hook, which useSpecNamespace
//    (helpers/suite/spec-namespace.ts) reads to collect diagnostics for a
//    failure and add them to its message (jest gives hooks no test status);
//  - the real `process` object, for signal handlers (see cleanup.ts);
//  - the project's testTimeout: jest-circus only applies the global one, so a
//    `testTimeout` in a project entry is otherwise ignored (5 s default).
//
// Jest loads this file outside the test module system, where the project's
// `.js` import specifiers do not resolve to `.ts` files: it imports packages
// only, and repeats the contract of helpers/suite/failures.ts (keep in step).
import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import type { Circus } from '@jest/types';
import { TestEnvironment as NodeEnvironment } from 'jest-environment-node';

const FAILURES_KEY = '__tutorialE2eFailures';
// The real `process`: a test file's `process` is a copy on which process.on()
// never sees a signal, so the cleanup's SIGINT/SIGTERM handlers go on this one.
const REAL_PROCESS_KEY = '__tutorialE2eRealProcess';
// What jest.setTimeout() sets; circus reads it at run_start, so a spec's own jest.setTimeout still wins.
const TEST_TIMEOUT_SYMBOL = Symbol.for('TEST_TIMEOUT_SYMBOL');

interface FailureRecord {
  kind: 'test' | 'hook';
  name: string;
  error: unknown;
  handled?: boolean;
  /** For a thrown non-Error (e.g. jest's timeout string): replaces it with an Error carrying `text`. */
  amend?: (text: string) => boolean;
}

function testName(test: Circus.TestEntry): string {
  const names: string[] = [test.name];
  for (let b: Circus.DescribeBlock | undefined = test.parent; b && b.name !== 'ROOT_DESCRIBE_BLOCK'; b = b.parent) {
    names.unshift(b.name);
  }
  return names.join(' › ');
}

export default class TutorialE2eEnvironment extends NodeEnvironment {
  private readonly timeoutMs: number;

  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    this.timeoutMs = Math.max(config.projectConfig.testTimeout || 0, config.globalConfig.testTimeout || 0);
  }

  override async setup(): Promise<void> {
    await super.setup();
    const g = this.global as unknown as Record<string | symbol, unknown>;
    g[FAILURES_KEY] = [];
    g[REAL_PROCESS_KEY] = process;
    if (this.timeoutMs > 0) g[TEST_TIMEOUT_SYMBOL] = this.timeoutMs;
  }

  handleTestEvent(event: Circus.Event): void {
    const log = (this.global as unknown as Record<string, FailureRecord[] | undefined>)[FAILURES_KEY];
    if (!log) return;
    if (event.name === 'test_fn_failure') {
      const test = event.test;
      // circus has just pushed [error, asyncError] for this failure.
      const entry: unknown = test.errors[test.errors.length - 1];
      log.push({
        kind: 'test',
        name: testName(test),
        error: event.error,
        amend: (text) => {
          const i = entry === undefined ? -1 : test.errors.indexOf(entry);
          if (i < 0 || !Array.isArray(entry)) return false;
          const [thrown, asyncError] = entry as [unknown, Error | undefined];
          const head = `thrown: ${String(thrown)}`;
          const e = new Error(head);
          const frames = (asyncError?.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l));
          e.stack = [`Error: ${head}`, '', text, ...frames].join('\n');
          test.errors[i] = [e, asyncError];
          return true;
        },
      });
    } else if (event.name === 'hook_failure') {
      log.push({ kind: 'hook', name: event.hook.type, error: event.error });
    }
  }
}
