import type { KnownIssueRecord } from './records.js';
import { buildReport, formatReport, type JestJson } from './report.js';

const t = (section: string, source: string, title: string, status = 'passed', failureMessages: string[] = []) => ({
  ancestorTitles: [section, source],
  title,
  status,
  failureMessages,
});

const results: JestJson = {
  testResults: [
    { name: '/p/specs/intro/01-pod.spec.ts', assertionResults: [t('pod', 'a', 'runs'), t('pod', 'b', 'runs')] },
    {
      name: '/p/specs/more/05-pod-disruption-budget.spec.ts',
      assertionResults: [
        t('pod-disruption-budget', 'a', 'as written'),
        t('pod-disruption-budget', 'b', 'as written'),
        t('pod-disruption-budget', 'b', 'evicts', 'failed', ['\u001b[31mError: eviction allowed\u001b[39m\n  at x']),
      ],
    },
    { name: '/p/specs/more/03-volume.spec.ts', assertionResults: [t('volume', 'a', 'not in this source: no emptyDir'), t('volume', 'b', 'runs')] },
    { name: '/p/specs/more/02-resources.spec.ts', message: "TypeError: Cannot read properties of undefined (reading 'name')\n  at x", assertionResults: [] },
    { name: '/p/specs/helpers.spec.ts', assertionResults: [{ ancestorTitles: ['helpers'], title: 'waits', status: 'passed', failureMessages: [] }] },
  ],
};
const finding: KnownIssueRecord = {
  type: 'known-issue',
  section: 'pod-disruption-budget',
  source: 'a',
  serverVersion: 'v1.36.3',
  step: 'apply-as-written',
  issue: 'pdb-v1beta1',
  cause: 'removed in 1.25',
  error: 'no policy/v1beta1',
};

describe('report', () => {
  const r = buildReport(
    results,
    [finding, { type: 'absent', section: 'volume', source: 'a', reason: 'no emptyDir' }, { type: 'not-run', section: 'pod', source: 'b', step: 'apt update', reason: 'needs the internet' }],
    'v1.36.3',
  );
  const row = (id: string) => {
    const found = r.sections.find((s) => s.section === id);
    if (found === undefined) throw new Error(`no row ${id}`);
    return found;
  };

  test('every section of the table has its row, in the course order', () => {
    expect(r.sections.map((s) => s.section)).toEqual([
      'pod', 'pod-to-pod', 'service', 'replicaset', 'deployment', 'nodeport', 'debugging',
      'health-checks', 'resources', 'volume', 'anti-affinity', 'pod-disruption-budget', 'exercise',
    ]);
    // Not part of this run: a row without cells.
    expect(row('service').bySource).toEqual({});
  });

  test('one verdict per section and source: verified, known issue, failed, absent, read from records not titles', () => {
    expect(row('pod').bySource).toEqual({
      a: { status: 'verified', tests: 1 },
      b: { status: 'verified', tests: 1, notRun: [{ type: 'not-run', section: 'pod', source: 'b', step: 'apt update', reason: 'needs the internet' }] },
    });
    expect(row('pod-disruption-budget').bySource.a).toMatchObject({ status: 'known-issue', findings: [finding] });
    expect(row('pod-disruption-budget').bySource.b).toEqual({ status: 'failed', tests: 2, failures: [{ test: 'evicts', message: 'Error: eviction allowed' }] });
    expect(row('volume').bySource.a).toEqual({ status: 'absent', reason: 'no emptyDir' });
    expect([r.passed, r.failed]).toEqual([7, 2]);
  });

  test('a spec file that crashed before its tests fails its section for every source, with its error', () => {
    for (const src of ['a', 'b']) {
      expect(row('resources').bySource[src]).toMatchObject({
        status: 'failed',
        failures: [{ message: "TypeError: Cannot read properties of undefined (reading 'name')" }],
      });
    }
  });

  test('a section spec whose tests are not under its id is an error naming the file', () => {
    expect(() => buildReport({ testResults: [{ name: '/p/specs/intro/01-pod.spec.ts', assertionResults: [t('pods', 'a', 'x')] }] }, [], 'v1')).toThrow(
      /01-pod\.spec\.ts: test "pods > a > x" is not under describe\("pod"\)/,
    );
    expect(() => buildReport({ testResults: [] }, [{ type: 'absent', section: 'podz', source: 'a', reason: '' }], 'v1')).toThrow(/unknown section "podz"/);
  });

  test('the Markdown names causes and ends with the plain count line', () => {
    const text = formatReport(r);
    expect(text).toContain('| pod-disruption-budget | known issue: pdb-v1beta1 | FAILED: evicts |');
    expect(text).toContain('| pod | verified (1 checks) | verified (1 checks; 1 step(s) not run) |');
    expect(text).toContain('known issue `pdb-v1beta1` at step apply-as-written: removed in 1.25');
    expect(text).toContain('- pod / b: not run: apt update (needs the internet)');
    expect(text).toContain('- volume / a: not in this source: no emptyDir');
    expect(text.split('\n').at(-1)).toBe('7 passed, 2 failed');
  });

  test('a failed cell during which the cluster failed is a cluster fault, not a finding; a section it blocks says blocked', () => {
    const results: JestJson = {
      testResults: [
        { name: '/p/specs/intro/05-deployment.spec.ts', assertionResults: [t('deployment', 'a', 'rolls out', 'failed', ['Error: connect ECONNREFUSED']), t('deployment', 'b', 'rolls out', 'failed', ['Error: x'])] },
        { name: '/p/specs/intro/06-nodeport.spec.ts', assertionResults: [t('nodeport', 'a', 'ClusterIP', 'failed', ['Error: could not build'])] },
      ],
    };
    const fault = { type: 'cluster-fault' as const, section: 'deployment', source: 'a', tests: ['rolls out'], faults: ['the API server restarted after 2026-12-01T00:00:00.000Z'] };
    const blocked = { type: 'blocked' as const, section: 'nodeport', source: 'a', by: 'deployment', what: 'Deployment web', error: 'e' };
    const r2 = buildReport(results, [fault, blocked], 'v1');
    const cell = (id: string, src: string) => r2.sections.find((x) => x.section === id)?.bySource[src];
    expect(cell('deployment', 'a')).toMatchObject({ status: 'cluster-fault', faults: fault.faults, failures: [{ test: 'rolls out' }] });
    // Another source's failure in the same section is its own.
    expect(cell('deployment', 'b')?.status).toBe('failed');
    expect(cell('nodeport', 'a')).toMatchObject({ status: 'blocked', by: 'deployment' });
    const text = formatReport(r2);
    expect(text).toContain('| deployment | CLUSTER FAULT (not a finding): the API server restarted');
    expect(text).toContain('- deployment / a: the cluster failed under this section, so its 1 failure(s) say nothing about the text');
    // A fault recorded for a cell that passed changes nothing.
    const passed = buildReport({ testResults: [{ name: '/p/specs/intro/05-deployment.spec.ts', assertionResults: [t('deployment', 'a', 'ok')] }] }, [fault], 'v1');
    expect(passed.sections.find((x) => x.section === 'deployment')?.bySource.a?.status).toBe('verified');
  });

  test('a section that could not build an earlier section\'s context is blocked by it, when that section failed too', () => {
    const results: JestJson = {
      testResults: [
        { name: '/p/specs/intro/05-deployment.spec.ts', assertionResults: [t('deployment', 'a', 'rolls out', 'failed', ['Error: image nginx:9 not found']), t('deployment', 'b', 'rolls out', 'failed', ['Error: x'])] },
        {
          name: '/p/specs/intro/06-nodeport.spec.ts',
          assertionResults: [t('nodeport', 'a', 'ClusterIP', 'failed', ['Error: could not build Deployment web, the context section deployment builds']), t('nodeport', 'b', 'ClusterIP', 'failed', ['Error: y'])],
        },
        { name: '/p/specs/intro/07-debugging.spec.ts', assertionResults: [t('debugging', 'a', 'up', 'failed', ['Error: could not build'])] },
      ],
    };
    const blocked = (section: string, source: string) => ({ type: 'blocked' as const, section, source, by: 'deployment', what: 'Deployment web', error: 'e' });
    const r2 = buildReport(results, [blocked('nodeport', 'a'), blocked('debugging', 'a')], 'v1');
    const cell = (id: string, src: string) => r2.sections.find((x) => x.section === id)?.bySource[src];
    expect(cell('deployment', 'a')?.status).toBe('failed');
    expect(cell('nodeport', 'a')).toMatchObject({ status: 'blocked', by: 'deployment', what: 'Deployment web' });
    expect(cell('debugging', 'a')).toMatchObject({ status: 'blocked', by: 'deployment' });
    // No blocked record for b: its own failure.
    expect(cell('nodeport', 'b')?.status).toBe('failed');
    expect(formatReport(r2)).toContain('| nodeport | blocked by deployment | FAILED: ClusterIP |');
    // The earlier section passed: a context failure is this section's own.
    const nodeport = results.testResults.filter((f) => f.name.endsWith('06-nodeport.spec.ts'));
    const r3 = buildReport(
      { testResults: [{ name: '/p/specs/intro/05-deployment.spec.ts', assertionResults: [t('deployment', 'a', 'ok')] }, ...nodeport] },
      [blocked('nodeport', 'a')],
      'v1',
    );
    expect(r3.sections.find((x) => x.section === 'nodeport')?.bySource.a?.status).toBe('failed');
  });

  test('coverage: manifests applied or dry-run, commands run, outputs compared alike, not-run reasons counted', () => {
    const inventory = {
      type: 'inventory' as const,
      section: 'pod',
      source: 'a',
      manifests: [{ key: 'k1', at: 'a.md:1', claimed: true }, { key: 'k2', at: 'a.md:9', claimed: false }],
      commands: [
        { at: 'a.md:3', text: 'kubectl apply -f p.yaml', where: 'host' as const },
        { at: 'a.md:4', text: 'kubectl get pod', where: 'host' as const },
        { at: 'a.md:5', text: 'minikube ip', where: 'host' as const, notRun: "another provider's CLI (minikube)" },
      ],
    };
    const r2 = buildReport(results, [
      inventory,
      { type: 'applied', section: 'pod', source: 'a', keys: ['k1'] },
      { type: 'applied', section: 'pod', source: 'a', keys: ['k2'], dryRun: true },
      { type: 'ran', section: 'pod', source: 'a', at: 'a.md:3' },
      { type: 'ran', section: 'pod', source: 'a', at: 'a.md:4' },
      { type: 'compared', section: 'pod', source: 'a', at: 'a.md:4', result: 'alike' },
    ], 'v1');
    const cell = r2.sections.find((x) => x.section === 'pod')?.bySource.a;
    expect(cell?.status === 'verified' ? cell.coverage : undefined).toEqual({
      manifests: { total: 2, applied: 1, dryRun: 1 },
      commands: { total: 3, ran: 2, notRun: { "another provider's CLI (minikube)": 1 } },
      outputs: { alike: 1, knownIssue: 0, unlike: 0 },
    });
    const text = formatReport(r2);
    expect(text).toContain('| pod | manifests 1/2 (+1 dry run), commands 2/3; outputs alike 1/1 |');
    expect(text).toContain("- 1: another provider's CLI (minikube)");
  });

  test("the Exercise's answers: what each step showed, per source; a source verified with another's same content says so and shows its answers", () => {
    const spec = '/p/specs/exercise/guestbook.spec.ts';
    const r2 = buildReport(
      { testResults: [{ name: spec, assertionResults: [t('exercise', 'a', 'step 3 (e.adoc:8): killall'), t('exercise', 'b', 'step 3 (e.adoc:8): killall')] }] },
      [
        { type: 'observed', section: 'exercise', source: 'a', step: 'kill-apache', at: 'e.adoc:8', question: 'What did the Pod do?', answer: 'the container restarted | once', seconds: 11.6 },
        { type: 'same-as', section: 'exercise', source: 'b', as: 'a', key: 'k' },
        { type: 'stand-in', section: 'exercise', source: 'a', image: 'redis:6.0.5', for: 'docker.io/library/redis:6.0.5', description: 'Debian redis' },
      ],
      'v1',
    );
    const cell = r2.sections.find((x) => x.section === 'exercise')?.bySource.b;
    // It rests on what the shared verification ran.
    expect(cell).toMatchObject({ status: 'verified', sameAs: 'a', standIns: [{ image: 'redis:6.0.5' }] });
    const text = formatReport(r2);
    expect(text).toContain('same content as a in this run');
    expect(text).toContain('| kill-apache (e.adoc:8) | 12 s | What did the Pod do? | the container restarted \\| once |');
    expect(text).toMatch(/## Exercise: .*: b \(verified once with a: same content\)/);
  });

  test('a source sharing another\'s verification takes over its known issues, coverage and faults, named by its own manifests and commands', () => {
    const spec = '/p/specs/intro/05-deployment.spec.ts';
    const inventory = (source: string, file: string) => ({
      type: 'inventory' as const,
      section: 'deployment',
      source,
      manifests: [{ key: `${file}/deployment/1`, at: `${file}:10`, claimed: true }],
      commands: [{ at: `${file}:20`, text: 'kubectl apply -f d.yaml', where: 'host' as const }],
    });
    const r2 = buildReport(
      { testResults: [{ name: spec, assertionResults: [t('deployment', 'a', 'apply'), t('deployment', 'b', 'apply')] }] },
      [
        inventory('a', 'a.adoc'),
        inventory('b', 'b.adoc'),
        { type: 'content-key', section: 'deployment', source: 'a', key: 'k1' },
        { type: 'content-key', section: 'deployment', source: 'b', key: 'k1' },
        { type: 'applied', section: 'deployment', source: 'a', keys: ['a.adoc/deployment/1'] },
        { type: 'ran', section: 'deployment', source: 'a', at: 'a.adoc:20' },
        { ...finding, section: 'deployment', source: 'a' },
        { type: 'same-as', section: 'deployment', source: 'b', as: 'a', key: 'k1' },
      ],
      'v1',
    );
    const cell = r2.sections.find((x) => x.section === 'deployment')?.bySource.b;
    expect(cell).toMatchObject({ status: 'known-issue', sameAs: 'a', key: 'k1', coverage: { manifests: { total: 1, applied: 1 }, commands: { total: 1, ran: 1 } } });
  });

  test('a carried-over section shows the earlier verdict, with where it comes from; its own failures still fail it', () => {
    const spec = '/p/specs/intro/05-deployment.spec.ts';
    const verdict = { status: 'verified' as const, tests: 7 };
    const carried = { type: 'carried' as const, section: 'deployment', source: 'a', key: 'k1', date: '2026-11-30T01:02:03.000Z', as: 'x', verdict };
    const r2 = buildReport({ testResults: [{ name: spec, assertionResults: [t('deployment', 'a', 'not run here: carried over')] }] }, [carried], 'v1');
    expect(r2.sections.find((x) => x.section === 'deployment')?.bySource.a).toEqual({ status: 'verified', tests: 7, key: 'k1', carriedFrom: { date: '2026-11-30T01:02:03.000Z', source: 'x' } });
    expect(formatReport(r2)).toContain('carried over from the run of 2026-11-30T01:02:03.000Z (x: same content, cluster and suite)');
    const failing = buildReport(
      { testResults: [{ name: spec, assertionResults: [t('deployment', 'a', 'its text is as reviewed', 'failed', ['drift'])] }] },
      [carried],
      'v1',
    );
    expect(failing.sections.find((x) => x.section === 'deployment')?.bySource.a?.status).toBe('failed');
  });
});
