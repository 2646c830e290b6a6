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
