import type { Pod } from '../kube/index.js';
import { drainOrder, formatDrains, type RollingReboot } from './rolling-reboot.js';

const pod = (name: string, node?: string): Pod => ({ metadata: { name }, ...(node ? { spec: { nodeName: node, containers: [] } } : {}) });

describe('the rolling reboot (pure parts)', () => {
  test('nodes running the pods are drained first, then the others, each group by name', () => {
    expect(drainOrder(['n3', 'n1', 'n2'], [pod('a', 'n3'), pod('b', 'n2'), pod('c')])).toEqual(['n2', 'n3', 'n1']);
    expect(drainOrder(['b', 'a'], [])).toEqual(['a', 'b']);
  });

  test('the evidence names each drain, its refusals and wait, and the availability over time', () => {
    const at = new Date('2026-12-01T00:00:00Z');
    const r: RollingReboot = {
      drains: [
        { node: 'n1', drained: [{ pod: 'web-a', node: 'n1', refusals: 0, waitedMs: 40 }] },
        { node: 'n2', drained: [{ pod: 'web-b', node: 'n2', refusals: 2, waitedMs: 2500, firstRefusal: 'Cannot evict pod as it would violate the pod\'s disruption budget.' }] },
        { node: 'n3', drained: [] },
      ],
      observed: {
        result: undefined,
        initial: [],
        events: [],
        timeline: [
          { at, change: 'start', available: 2, present: 2, active: 2 },
          { at: new Date(at.getTime() + 1500), change: 'MODIFIED web-a', available: 1, present: 2, active: 1 },
        ],
        minAvailable: 1,
        maxActive: 2,
      },
    };
    expect(formatDrains(r)).toBe(
      [
        'drains:',
        '  n1: web-a evicted after 0 refusal(s), 0.0 s',
        "  n2: web-b evicted after 2 refusal(s), 2.5 s (first: Cannot evict pod as it would violate the pod's disruption budget.)",
        '  n3: no pod of the section',
        "availability of the section's pods:",
        '+0.0s start: available=2 active=2 present=2',
        '+1.5s MODIFIED web-a: available=1 active=1 present=2',
      ].join('\n'),
    );
  });
});
