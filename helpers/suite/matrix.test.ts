import { formatHtmlReport } from './html-report.js';
import { formatJunit } from './junit.js';
import { runDetails } from './run-details.js';
import { formatMatrix, pickVersions, unverifiableReport, versionDifferences, type MatrixColumn } from './matrix.js';
import type { Report, Verdict } from './report.js';
import { SECTION_IDS } from './sections.js';

const PINNED = ['v1.34.4', 'v1.35.4', 'v1.36.3', 'v1.37.2'];

/** A report of two sources where every section is verified, except as given. */
function report(version: string, cells: Record<string, Verdict> = {}): Report {
  return {
    serverVersion: version,
    sources: ['blog', 'cybozu@b3e9c28'],
    passed: 10,
    failed: 0,
    sections: SECTION_IDS.map((id) => ({ section: id, title: id, bySource: { blog: cells[id] ?? { status: 'verified', tests: 2 }, 'cybozu@b3e9c28': { status: 'verified', tests: 2 } } })),
  };
}
const column = (r: Report, seconds = 100): MatrixColumn => ({ version: r.serverVersion, report: r, seconds, phases: [{ phase: 'suite', seconds }] });
const knownIssue = (issue: string): Verdict => ({
  status: 'known-issue',
  tests: 3,
  findings: [{ type: 'known-issue', section: 'pod-disruption-budget', source: 'blog', serverVersion: 'v', step: 'apply-as-written', issue, cause: 'c', error: 'e' }],
});

describe('the version matrix', () => {
  test('--versions: a minor picks its pinned patch, a full version is taken as it is, an unknown minor is an error naming the pins', () => {
    expect(pickVersions(undefined, PINNED)).toEqual(PINNED);
    expect(pickVersions('1.34,v1.37', PINNED)).toEqual(['v1.34.4', 'v1.37.2']);
    expect(pickVersions('v1.36.1', PINNED)).toEqual(['v1.36.1']);
    expect(() => pickVersions('1.33', PINNED)).toThrow('--versions: no pinned version of 1.33 (scripts/cluster/versions.sh pins v1.34.4, v1.35.4, v1.36.3, v1.37.2)');
  });

  test('a version that cannot run keeps its column: every cell says why', () => {
    const r = unverifiableReport('v1.37.2', ['blog', 'cybozu@b3e9c28'], 'the kubelet refuses cgroup v1');
    expect(r.sections.map((s) => s.section)).toEqual(SECTION_IDS);
    expect(r.sections.every((s) => s.bySource.blog?.status === 'unverifiable')).toBe(true);
    const text = formatMatrix([column(report('v1.36.3')), column(r, 40)]);
    expect(text).toContain('| pod | verified | verified | could not run here | could not run here |');
    expect(text).toContain('- v1.37.2: could not run here: the kubelet refuses cgroup v1');
    // A version that could not run is no difference between versions.
    expect(text).toContain('Nothing: every section has the same verdict on every version that ran.');
  });

  test('what differs between versions: a verdict, or the known issues met, per section and source', () => {
    const cols = [
      column(report('v1.34.4', { 'pod-disruption-budget': knownIssue('pdb-v1beta1') })),
      column(report('v1.35.4', { 'pod-disruption-budget': knownIssue('pdb-v1beta1') })),
      column(report('v1.36.3', { 'pod-disruption-budget': knownIssue('pdb-v1beta1'), volume: { status: 'failed', tests: 2, failures: [{ test: 't', message: 'm' }] } })),
    ];
    expect(versionDifferences(cols)).toEqual([
      {
        section: 'volume',
        source: 'blog',
        byVersion: [
          { version: 'v1.34.4', verdict: 'verified' },
          { version: 'v1.35.4', verdict: 'verified' },
          { version: 'v1.36.3', verdict: 'FAILED' },
        ],
      },
    ]);
    const text = formatMatrix(cols);
    expect(text).toContain('- volume / blog: v1.34.4 verified; v1.35.4 verified; v1.36.3 FAILED');
    expect(text).toContain('| pod-disruption-budget | known issue pdb-v1beta1 | verified | known issue pdb-v1beta1 | verified | known issue pdb-v1beta1 | verified |');
    expect(text).toContain('| v1.36.3 | 100 s | suite 100 s |');
  });

  test('junit.xml and report.html say "could not run here" with the reason, as a skip, never as a pass', () => {
    const r = unverifiableReport('v1.37.2', ['blog'], 'the kubelet refuses cgroup v1 & <more>');
    const xml = formatJunit(r, runDetails(undefined, { run: 'm', startedAt: new Date(0) }));
    expect(xml).toContain('<skipped message="could not run here: the kubelet refuses cgroup v1 &amp; &lt;more&gt;"/>');
    expect(xml).toMatch(/tests="13" failures="0" errors="0" skipped="13"/);
    const html = formatHtmlReport([{ version: 'v1.36.3', report: report('v1.36.3') }, { version: 'v1.37.2', report: r }]);
    expect(html).toContain('class="v-unverifiable"');
    expect(html).toContain('the kubelet refuses cgroup v1 &amp; &lt;more&gt;');
  });
});
