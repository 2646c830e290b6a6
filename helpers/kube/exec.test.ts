import { exitCodeOf } from './exec.js';

describe('exitCodeOf (exec Status)', () => {
  test('Success is 0; NonZeroExitCode carries the code; anything else is no exit code', () => {
    expect(exitCodeOf({ status: 'Success' })).toBe(0);
    expect(exitCodeOf({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } })).toBe(3);
    expect(exitCodeOf({ status: 'Failure', reason: 'InternalError' })).toBeUndefined();
  });
});
