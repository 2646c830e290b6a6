import { CleanupRegistry } from './cleanup.js';

describe('CleanupRegistry', () => {
  test('runs last-in first-out, goes on after a failure, and reports it', async () => {
    const r = new CleanupRegistry();
    const order: string[] = [];
    r.add('namespace', () => void order.push('namespace'));
    r.add('broken', () => {
      throw new Error('boom');
    });
    const remove = r.add('removed', () => void order.push('removed'));
    r.add('pdb', async () => {
      await Promise.resolve();
      order.push('pdb');
    });
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
