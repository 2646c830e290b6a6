import { buildReport, formatReport, type JestJson } from './report.js';
import type { Finding } from './section.js';

const t = (section: string, source: string, title: string, status = 'passed', failureMessages: string[] = []) => ({
  ancestorTitles: [section, source],
  title,
  status,
  failureMessages,
});

const results: JestJson = {
  testResults: [
    { name: 'pod.spec.ts', assertionResults: [t('pod', 'a', 'runs'), t('pod', 'b', 'runs')] },
    {
      name: 'pdb.spec.ts',
      assertionResults: [
        t('pod-disruption-budget', 'a', 'as written'),
        t('pod-disruption-budget', 'b', 'as written'),
        t('pod-disruption-budget', 'b', 'evicts', 'failed', ['\u001b[31mError: eviction allowed\u001b[39m\n  at x']),
      ],
    },
    { name: 'volume.spec.ts', assertionResults: [t('volume', 'a', 'absent from this source: no Pod manifest with an emptyDir volume')] },
  ],
};
const finding: Finding = {
  section: 'pod-disruption-budget',
  source: 'a',
  serverVersion: 'v1.36.3',
  step: 'apply-as-written',
  issue: 'pdb-v1beta1',
  cause: 'removed in 1.25',
  error: 'no policy/v1beta1',
};

describe('report', () => {
  const r = buildReport(results, [finding], 'v1.36.3');

  test('one verdict per section and source: verified, known issue, failed, absent', () => {
    expect(r.sections.map((s) => s.section)).toEqual(['pod', 'volume', 'pod-disruption-budget']);
    expect(r.sections[0]!.bySource).toEqual({ a: { status: 'verified', tests: 1 }, b: { status: 'verified', tests: 1 } });
    const pdb = r.sections[2]!.bySource;
    expect(pdb.a).toMatchObject({ status: 'known-issue', findings: [finding] });
    expect(pdb.b).toEqual({ status: 'failed', tests: 2, failures: [{ test: 'evicts', message: 'Error: eviction allowed' }] });
    expect(r.sections[1]!.bySource.a).toEqual({ status: 'absent', reason: 'no Pod manifest with an emptyDir volume' });
    expect([r.passed, r.failed]).toEqual([5, 1]);
  });

  test('the Markdown names causes and ends with the plain count line', () => {
    const text = formatReport(r);
    expect(text).toContain('| pod-disruption-budget | known issue: pdb-v1beta1 | FAILED: evicts |');
    expect(text).toContain('known issue `pdb-v1beta1` at step apply-as-written: removed in 1.25');
    expect(text.split('\n').at(-1)).toBe('5 passed, 1 failed');
  });
});
