import { availabilityTimeline, formatTimeline, labelSelectorString } from './observe.js';
import type { Pod } from './state.js';
import type { WatchEvent } from './watch.js';

const pod = (name: string, ready: boolean, extra: { terminating?: boolean; phase?: string } = {}): Pod => ({
  metadata: { name, uid: name, ...(extra.terminating ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}) },
  status: { phase: extra.phase ?? 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const at = (s: number): Date => new Date(Date.UTC(2025, 0, 1, 0, 0, s));
const e = (type: WatchEvent<Pod>['type'], p: Pod, s: number): WatchEvent<Pod> => ({ type, object: p, at: at(s) });

describe('availability during a rolling update', () => {
  test('counts available (ready, not terminating), active and present pods after each event', () => {
    const timeline = availabilityTimeline(
      [pod('a', true), pod('b', true)],
      [
        e('ADDED', pod('c', false), 1),
        e('MODIFIED', pod('c', true), 2),
        e('MODIFIED', pod('a', true, { terminating: true }), 3),
        e('DELETED', pod('a', true, { terminating: true }), 4),
        e('MODIFIED', pod('b', false, { phase: 'Failed' }), 5),
      ],
      at(0),
    );
    expect(timeline.map((s) => [s.change, s.available, s.active, s.present])).toEqual([
      ['start', 2, 2, 2],
      ['ADDED c', 2, 3, 3],
      ['MODIFIED c', 3, 3, 3],
      ['MODIFIED a', 2, 2, 3],
      ['DELETED a', 2, 2, 2],
      ['MODIFIED b', 1, 1, 1],
    ]);
    expect(formatTimeline(timeline).split('\n')[2]).toBe('+2.0s MODIFIED c: available=3 active=3 present=3');
  });
});

describe('labelSelectorString', () => {
  test('matchLabels and every expression operator', () => {
    expect(
      labelSelectorString({
        matchLabels: { app: 'web', tier: 'front' },
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['a', 'b'] },
          { key: 'x', operator: 'NotIn', values: ['c'] },
          { key: 'y', operator: 'Exists' },
          { key: 'z', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe('app=web,tier=front,env in (a,b),x notin (c),y,!z');
    expect(labelSelectorString(undefined)).toBe('');
  });
});
