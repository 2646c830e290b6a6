// The e2e projects's test environment: Node's, plus a record of every failed
// test and hook, which useSpecNamespace (helpers/kube/spec-namespace.ts) reads
// to collect diagnostics for a failure and add them to its message.
//
// Jest loads this file outside the test module system, where the project's
// `.js` import specifiers do not resolve to `.ts` files: it imports packages
// only, and repeats the contract of helpers/kube/failures.ts (keep in step).
import type { Circus } from '@jest/types';
import { TestEnvironment as NodeEnvironment } from 'jest-environment-node';

const FAILURES_KEY = '__tutorialE2eFailures';

interface FailureRecord {
  kind: 'test' | 'hook';
  name: string;
  error: unknown;
  handled?: boolean;
}

function testName(test: Circus.TestEntry): string {
  const names: string[] = [test.name];
  for (let b: Circus.DescribeBlock | undefined = test.parent; b && b.name !== 'ROOT_DESCRIBE_BLOCK'; b = b.parent) {
    names.unshift(b.name);
  }
  return names.join(' › ');
}

export default class TutorialE2eEnvironment extends NodeEnvironment {
  override async setup(): Promise<void> {
    await super.setup();
    (this.global as unknown as Record<string, FailureRecord[]>)[FAILURES_KEY] = [];
  }

  handleTestEvent(event: Circus.Event): void {
    const log = (this.global as unknown as Record<string, FailureRecord[] | undefined>)[FAILURES_KEY];
    if (!log) return;
    if (event.name === 'test_fn_failure') {
      log.push({ kind: 'test', name: testName(event.test), error: event.error });
    } else if (event.name === 'hook_failure') {
      log.push({ kind: 'hook', name: event.hook.type, error: event.error });
    }
  }
}
