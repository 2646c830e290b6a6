import {
  HOST_ANNOTATION,
  MANAGED_BY_LABEL,
  newRunId,
  ownershipMetadata,
  PID_ANNOTATION,
  RUN_ID_ANNOTATION,
  selectLeftovers,
  specLabelValue,
  testNamespaceName,
  type OwnedObjectMeta,
} from './ownership.js';

describe('namespace names', () => {
  test('tte-<spec>-<random>', () => {
    expect(testNamespaceName('pod', 'abc123')).toBe('tte-pod-abc123');
    expect(testNamespaceName('Pod Disruption/Budget_v1', 'abc123')).toBe('tte-pod-disruption-budget-v1-abc123');
    expect(testNamespaceName('日本語', 'abc123')).toBe('tte-spec-abc123');
  });

  test('always a DNS label, however long the spec name', () => {
    const name = testNamespaceName(`${'deployment-'.repeat(10)}x`, 'abc123');
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(name).not.toMatch(/--/);
  });

  test('random by default', () => {
    expect(testNamespaceName('pod')).toMatch(/^tte-pod-[0-9a-f]{6}$/);
    expect(testNamespaceName('pod')).not.toBe(testNamespaceName('pod'));
  });

  test('spec label values are valid label values', () => {
    expect(specLabelValue('services/node-port')).toBe('services-node-port');
    expect(specLabelValue('-x-')).toBe('x');
    expect(specLabelValue('a'.repeat(80))).toHaveLength(63);
  });

  test('ownership metadata', () => {
    expect(ownershipMetadata('pod', { runId: 'r1', host: 'h', pid: 42 })).toEqual({
      labels: { 'app.kubernetes.io/managed-by': 'tutorial-e2e', 'tutorial-e2e/spec': 'pod' },
      annotations: { 'tutorial-e2e/run-id': 'r1', 'tutorial-e2e/host': 'h', 'tutorial-e2e/pid': '42' },
    });
    expect(newRunId(new Date('2025-03-04T05:06:07.890Z'))).toMatch(/^20250304-050607-[0-9a-f]{6}$/);
  });
});

describe('leftover selection', () => {
  const now = new Date('2025-01-01T12:00:00Z');
  const alive = new Set([100]);
  const policy = { host: 'me', currentRunId: 'current', isAlive: (pid: number) => alive.has(pid), now, maxAgeMs: 3 * 3600_000 };
  const ns = (name: string, a: Partial<Record<'run' | 'host' | 'pid', string>>, created = '2025-01-01T11:00:00Z', extra: Partial<OwnedObjectMeta> = {}): OwnedObjectMeta => ({
    name,
    labels: { [MANAGED_BY_LABEL]: 'tutorial-e2e' },
    annotations: {
      ...(a.run ? { [RUN_ID_ANNOTATION]: a.run } : {}),
      ...(a.host ? { [HOST_ANNOTATION]: a.host } : {}),
      ...(a.pid ? { [PID_ANNOTATION]: a.pid } : {}),
    },
    creationTimestamp: created,
    ...extra,
  });

  test('chooses dead runs on this host and anything too old; keeps live, current, foreign-young and unmanaged', () => {
    const items = [
      ns('dead-here', { run: 'r1', host: 'me', pid: '999' }),
      ns('live-here', { run: 'r2', host: 'me', pid: '100' }),
      ns('current', { run: 'current', host: 'me', pid: '999' }),
      ns('young-elsewhere', { run: 'r3', host: 'other', pid: '999' }),
      ns('old-elsewhere', { run: 'r4', host: 'other', pid: '100' }, '2025-01-01T08:00:00Z'),
      ns('old-live-here', { run: 'r5', host: 'me', pid: '100' }, '2025-01-01T08:59:59Z'),
      ns('no-pid-here', { run: 'r6', host: 'me' }),
      ns('terminating', { run: 'r7', host: 'me', pid: '999' }, undefined, { deletionTimestamp: '2025-01-01T11:59:00Z' }),
      { name: 'unmanaged', labels: {}, creationTimestamp: '2000-01-01T00:00:00Z' },
    ];
    expect(selectLeftovers(items, policy)).toEqual([
      { name: 'dead-here', reason: 'its run (pid 999 on this host) is gone' },
      { name: 'old-elsewhere', reason: 'older than 3h (created 2025-01-01T08:00:00Z)' },
      { name: 'old-live-here', reason: 'older than 3h (created 2025-01-01T08:59:59Z)' },
      { name: 'no-pid-here', reason: 'its run (pid ? on this host) is gone' },
    ]);
  });
});
