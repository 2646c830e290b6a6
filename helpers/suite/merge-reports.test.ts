import type { RunRecord } from './records.js';
import { buildReport, type JestJson, type Report } from './report.js';
import { byVersion, mergeReports, mergeRuns, mergeShards, missingShards, redCells, type Shard } from './merge-reports.js';

const t = (section: string, source: string, title: string, status = 'passed', failureMessages: string[] = []) => ({
  ancestorTitles: [section, source],
  title,
  status,
  failureMessages,
});

type File = JestJson['testResults'][number];

// One run's jest results, one file per section spec (and the helpers' own spec), two sources.
const files: File[] = [
  { name: '/p/specs/intro/01-pod.spec.ts', assertionResults: [t('pod', 'a', 'runs'), t('pod', 'b', 'runs')] },
  { name: '/p/specs/intro/03-service.spec.ts', assertionResults: [t('service', 'a', 'answers'), t('service', 'b', 'answers', 'failed', ['Error: no endpoints\n  at x'])] },
  {
    name: '/p/specs/more/05-pod-disruption-budget.spec.ts',
    assertionResults: [t('pod-disruption-budget', 'a', 'as written'), t('pod-disruption-budget', 'b', 'as written'), t('pod-disruption-budget', 'b', 'evicts')],
  },
  { name: '/p/specs/more/03-volume.spec.ts', assertionResults: [t('volume', 'a', 'not in this source'), t('volume', 'b', 'runs')] },
  { name: '/p/specs/more/02-resources.spec.ts', message: 'TypeError: boom\n  at x', assertionResults: [] },
  { name: '/p/specs/exercise/guestbook.spec.ts', assertionResults: [t('exercise', 'a', 'step 1'), t('exercise', 'b', 'step 1')] },
  { name: '/p/specs/helpers.spec.ts', assertionResults: [{ ancestorTitles: ['helpers'], title: 'waits', status: 'passed', failureMessages: [] }] },
];
const records: RunRecord[] = [
  { type: 'known-issue', section: 'pod-disruption-budget', source: 'a', serverVersion: 'v1.36.3', step: 'apply-as-written', issue: 'pdb-v1beta1', cause: 'removed in 1.25', error: 'no policy/v1beta1' },
  { type: 'absent', section: 'volume', source: 'a', reason: 'no emptyDir' },
  { type: 'not-run', section: 'pod', source: 'b', step: 'apt update', reason: 'needs the internet' },
  { type: 'same-as', section: 'exercise', source: 'b', as: 'a', key: 'k' },
  { type: 'not-verifiable', section: 'exercise', source: 'a', step: 'apt install', missing: 'the internet' },
];

/** The files a shard ran, and the records those files wrote (a record belongs to its section's spec file). */
function shardOf(names: readonly string[], version = 'v1.36.3'): Shard & { jest: JestJson; records: RunRecord[] } {
  const mine = files.filter((f) => names.some((n) => f.name.endsWith(n)));
  const sections = new Set(mine.flatMap((f) => f.assertionResults.map((a) => a.ancestorTitles[0])));
  if (mine.some((f) => f.name.endsWith('02-resources.spec.ts'))) sections.add('resources');
  const jest = { testResults: mine };
  const recs = records.filter((r) => sections.has(r.section));
  return { name: names.join('+'), report: buildReport(jest, recs, version), jest, records: recs };
}

describe('merging the reports of a run split by spec file (jest --shard)', () => {
  const unsharded = buildReport({ testResults: files }, records, 'v1.36.3');
  const one = shardOf(['01-pod.spec.ts', '05-pod-disruption-budget.spec.ts', '02-resources.spec.ts', 'helpers.spec.ts']);
  const two = shardOf(['03-service.spec.ts', '03-volume.spec.ts', 'guestbook.spec.ts']);

  test('the merge of two shards\' reports equals the unsharded report', () => {
    // Each shard alone lacks the other's sections: rows without cells.
    expect(one.report.sections.find((s) => s.section === 'service')?.bySource).toEqual({});
    expect(two.report.sections.find((s) => s.section === 'pod')?.bySource).toEqual({});
    expect(mergeReports([one.report, two.report])).toEqual(unsharded);
    expect(mergeReports([two.report, one.report])).toEqual(unsharded);
    expect(mergeRuns([one, two], 'v1.36.3')).toEqual(unsharded);
  });

  test('a section no shard ran keeps its row, with no cells; sources are the union', () => {
    const merged = mergeReports([one.report, two.report]);
    expect(merged.sections.map((s) => s.section)).toEqual(unsharded.sections.map((s) => s.section));
    expect(merged.sections.find((s) => s.section === 'anti-affinity')?.bySource).toEqual({});
    const onlyA = buildReport({ testResults: [{ name: '/p/specs/intro/02-pod-to-pod.spec.ts', assertionResults: [t('pod-to-pod', 'c', 'reaches')] }] }, [], 'v1.36.3');
    expect(mergeReports([one.report, onlyA]).sources).toEqual(['a', 'b', 'c']);
  });

  test('a spec file in two reports, or two versions, is an error', () => {
    expect(() => mergeReports([one.report, one.report])).toThrow(/section pod has cells in more than one report/);
    expect(() => mergeReports([one.report, shardOf(['03-service.spec.ts'], 'v1.35.4').report])).toThrow(/different Kubernetes versions \(v1.36.3, v1.35.4\)/);
    expect(() => mergeReports([])).toThrow(/no report/);
  });

  test('what crosses shards: only the merge of their inputs is exact, and mergeShards uses it when it can', () => {
    // nodeport could not build the Part 1 Deployment, and deployment FAILED, in another shard.
    const deployment: File = { name: '/p/specs/intro/05-deployment.spec.ts', assertionResults: [t('deployment', 'a', 'rolls out', 'failed', ['Error: timed out'])] };
    const nodeport: File = { name: '/p/specs/intro/06-nodeport.spec.ts', assertionResults: [t('nodeport', 'a', 'answers', 'failed', ['Error: no deployment'])] };
    const blocked = { type: 'blocked', section: 'nodeport', source: 'a', by: 'deployment', what: 'the Part 1 Deployment', error: 'timed out' } as RunRecord;
    const all = buildReport({ testResults: [deployment, nodeport] }, [blocked], 'v1.36.3');
    expect(all.sections.find((s) => s.section === 'nodeport')?.bySource.a).toMatchObject({ status: 'blocked', by: 'deployment' });
    const a: Shard = { name: 'a', report: buildReport({ testResults: [deployment] }, [], 'v1.36.3'), jest: { testResults: [deployment] }, records: [] };
    const b: Shard = { name: 'b', report: buildReport({ testResults: [nodeport] }, [blocked], 'v1.36.3'), jest: { testResults: [nodeport] }, records: [blocked] };
    expect(mergeShards([a, b])).toEqual({ report: all, exact: true });
    // From the report models alone, the blocker is not known where nodeport ran: it stays FAILED (documented).
    const fromReports = mergeShards([a, { ...b, jest: undefined }]);
    expect(fromReports.exact).toBe(false);
    expect(fromReports.report.sections.find((s) => s.section === 'nodeport')?.bySource.a?.status).toBe('failed');
  });

  test('versions side by side in release order; the cells that make the run red', () => {
    const v = (version: string): Shard => ({ name: version, report: { ...one.report, serverVersion: version } });
    expect(byVersion([v('v1.37.2'), v('v1.34.4'), v('v1.37.2'), v('v1.9.0')]).map((g) => [g.version, g.shards.length])).toEqual([
      ['v1.9.0', 1],
      ['v1.34.4', 1],
      ['v1.37.2', 2],
    ]);
    const groups = byVersion([v('v1.37.2'), v('v1.34.4'), v('v1.37.2')]);
    expect(missingShards(groups, { versions: ['v1.34.4', 'v1.35.4', 'v1.37.2'], shards: 2 })).toEqual(['v1.34.4: 1 of 2 shard(s)', 'v1.35.4: 0 of 2 shard(s)']);
    expect(missingShards(groups, {})).toEqual([]);
    const red = redCells(unsharded);
    expect(red).toEqual([
      { section: 'service', source: 'b', status: 'failed' },
      { section: 'resources', source: 'a', status: 'failed' },
      { section: 'resources', source: 'b', status: 'failed' },
    ]);
    const green: Report = { ...unsharded, sections: unsharded.sections.filter((s) => !['service', 'resources'].includes(s.section)) };
    expect(redCells(green)).toEqual([]);
  });
});
