import { CleanupRegistry } from './cleanup.js';
import { exitCodeOf } from './exec.js';
import { appendToError } from './failures.js';

describe('appendToError', () => {
  test('inserts the text before the stack frames, where jest prints the message', () => {
    const err = new Error('expected 2 pods');
    appendToError(err, 'Diagnostics of namespace x');
    expect(err.stack).toMatch(/^Error: expected 2 pods\n\nDiagnostics of namespace x\n\s+at /);
  });

  test('errors without frames get it at the end; non-errors are left alone', () => {
    const err = new Error('m');
    err.stack = 'Error: m';
    expect(appendToError(err, 'D')).toBe(true);
    expect(err.stack).toBe('Error: m\n\nD');
    expect(appendToError('a string', 'D')).toBe(false);
  });
});

describe('CleanupRegistry', () => {
  test('runs last-in first-out, goes on after a failure, and reports it', async () => {
    const r = new CleanupRegistry();
    const order: string[] = [];
    r.add('namespace', () => void order.push('namespace'));
    r.add('broken', () => {
      throw new Error('boom');
    });
    const remove = r.add('removed', () => void order.push('removed'));
    r.add('pdb', async () => void order.push('pdb'));
    remove();
    const failures = await r.runAll();
    expect(order).toEqual(['pdb', 'namespace']);
    expect(failures.map((f) => `${f.what}: ${f.error.message}`)).toEqual(['broken: boom']);
    expect(r.size).toBe(0);
  });

  test('a step that hangs is cut off', async () => {
    const r = new CleanupRegistry();
    r.add('hangs', () => new Promise<void>(() => {}));
    const failures = await r.runAll({ stepTimeoutMs: 50 });
    expect(failures[0]?.error.message).toBe('did not finish within 50ms');
  });
});

describe('exitCodeOf (exec Status)', () => {
  test('Success is 0; NonZeroExitCode carries the code; anything else is no exit code', () => {
    expect(exitCodeOf({ status: 'Success' })).toBe(0);
    expect(exitCodeOf({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } })).toBe(3);
    expect(exitCodeOf({ status: 'Failure', reason: 'InternalError' })).toBeUndefined();
  });
});

describe('withCallSite', () => {
  test('keeps the message and the caller frames outside helpers/kube', async () => {
    const { withCallSite, WaitTimeoutError } = await import('./watch.js');
    const site = new Error();
    site.stack = [
      'Error',
      '    at waitFor (/repo/helpers/kube/watch.ts:300:20)',
      '    at podReady (/repo/helpers/kube/waits.ts:40:10)',
      '    at Object.<anonymous> (/repo/specs/pod.spec.ts:12:5)',
    ].join('\n');
    const err = withCallSite(new WaitTimeoutError('pod x to be Ready', 1000, 'pod x: phase=Pending', undefined, undefined), site);
    expect(err.stack).toBe(
      'WaitTimeoutError: timed out after 1s waiting for pod x to be Ready\n  last seen: pod x: phase=Pending\n    at Object.<anonymous> (/repo/specs/pod.spec.ts:12:5)',
    );
  });
});
