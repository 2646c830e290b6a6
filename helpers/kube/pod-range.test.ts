import { describeRange, inRange, named, onImage, running, runningOrUnschedulable, settledPod } from './pod-range.js';
import type { Pod } from './state.js';

const pod = (name: string, phase: string, opts: { image?: string; deleting?: boolean; unschedulable?: boolean } = {}): Pod => ({
  metadata: { name, ...(opts.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
  spec: { containers: [{ name: 'c', image: opts.image ?? 'nginx:1' }] },
  status: { phase, ...(opts.unschedulable ? { conditions: [{ type: 'PodScheduled', status: 'False' }] } : {}) },
});

describe('pod ranges', () => {
  test('count, min and max are on live pods: a pod being deleted does not count', () => {
    const pods = [pod('a', 'Running'), pod('b', 'Running', { deleting: true })];
    expect(inRange(pods, { count: 1 })).toBe(true);
    expect(inRange(pods, { count: 2 })).toBe(false);
    expect(inRange(pods, { min: 2 })).toBe(false);
    expect(inRange(pods, { max: 0 })).toBe(false);
    expect(inRange([], { count: 0 })).toBe(true);
  });

  test('all, none and some', () => {
    const pods = [pod('a', 'Running', { image: 'nginx:2' }), pod('b', 'Pending', { unschedulable: true, image: 'nginx:2' })];
    expect(inRange(pods, { all: running })).toBe(false);
    expect(inRange(pods, { all: runningOrUnschedulable })).toBe(true);
    expect(inRange(pods, { all: onImage('nginx:2'), none: named('c') })).toBe(true);
    expect(inRange(pods, { none: named('a') })).toBe(false);
    expect(inRange(pods, { some: { min: 1, that: running } })).toBe(true);
    expect(inRange(pods, { some: { min: 2, that: running } })).toBe(false);
  });

  test('settled: Ready, refused by the scheduler, or finished; not a Running pod that is not Ready yet', () => {
    const readyPod: Pod = { ...pod('a', 'Running'), status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } };
    expect(inRange([readyPod, pod('b', 'Pending', { unschedulable: true }), pod('c', 'Succeeded')], { all: settledPod })).toBe(true);
    expect(inRange([readyPod, pod('d', 'Running')], { all: settledPod })).toBe(false);
    expect(inRange([pod('e', 'Pending')], { all: settledPod })).toBe(false);
  });

  test('a range says itself in words, for the wait and its timeout', () => {
    expect(describeRange({ count: 3, all: running, none: named('web') })).toBe('3 live pod(s), all Running, none named web');
    expect(describeRange({ min: 1 })).toBe('at least 1 live pod(s)');
    expect(describeRange({ count: 2, some: { min: 1, that: running } })).toBe('2 live pod(s), at least 1 Running');
  });
});
