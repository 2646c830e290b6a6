import { carryOverPlan, type RunBasis } from './carry-over.js';
import type { Report } from './report.js';

const now: RunBasis = { serverVersion: 'v1.36.3', provider: 'local', nodes: 1, suite: 's1' };
const earlier = (run: Report['run']): Report => ({
  serverVersion: 'v1.36.3',
  ...(run !== undefined ? { run } : {}),
  sources: ['a', 'b'],
  passed: 1,
  failed: 1,
  sections: [
    {
      section: 'pod',
      title: 'Pod',
      bySource: {
        a: { status: 'verified', tests: 3, key: 'k-pod' },
        b: { status: 'verified', tests: 3, key: 'k-pod', sameAs: 'a' },
      },
    },
    { section: 'service', title: 'Service', bySource: { a: { status: 'failed', tests: 2, failures: [{ test: 't', message: 'm' }], key: 'k-svc' } } },
    { section: 'deployment', title: 'Deployment', bySource: { a: { status: 'known-issue', tests: 4, findings: [], key: 'k-dep', carriedFrom: { date: 'D0', source: 'z' } } } },
    { section: 'exercise', title: 'Exercise', bySource: { a: { status: 'absent', reason: 'no exercise' } } },
  ],
});
const run = { serverVersion: 'v1.36.3', provider: 'local', nodes: 1, suite: 's1', date: 'D1' };

describe('carrying verdicts over from an earlier run', () => {
  test('verified and known-issue verdicts carry, once per key, with the run (or the run they were carried from) that verified them', () => {
    const plan = carryOverPlan(earlier(run), now);
    expect('cells' in plan ? plan.cells : plan).toEqual([
      { key: 'k-pod', section: 'pod', source: 'a', date: 'D1', verdict: { status: 'verified', tests: 3 } },
      { key: 'k-dep', section: 'deployment', source: 'z', date: 'D0', verdict: { status: 'known-issue', tests: 4, findings: [] } },
    ]);
  });

  test('nothing carries over from a run on another Kubernetes version, provider or suite, and the reason names each', () => {
    const plan = carryOverPlan(earlier({ ...run, serverVersion: 'v1.35.4', suite: 's0' }), now, 'old.json');
    expect(plan).toEqual({ refused: 'old.json ran on something else (Kubernetes v1.35.4 then, v1.36.3 now; suite s0 then, s1 now): every section runs' });
    const refused = (p: ReturnType<typeof carryOverPlan>): string => ('refused' in p ? p.refused : 'carried');
    expect(refused(carryOverPlan(earlier({ ...run, provider: 'kind' }), now))).toContain('provider kind then, local now');
    expect(refused(carryOverPlan(earlier({ ...run, nodes: 3 }), now))).toContain('3 node(s) taking pods then, 1 now');
    expect(refused(carryOverPlan(earlier(undefined), now))).toContain('does not say what it ran on');
  });
});
