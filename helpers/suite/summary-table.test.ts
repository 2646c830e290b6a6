import { formatDuration } from './report-words.js';
import { BLOG, CYBOZU, SAMPLE_REPORT } from './report-fixture.js';
import { formatSummaryTable } from './summary-table.js';

/** The table's lines split into columns (two spaces or more apart). */
const columnsOf = (text: string) => text.split('\n').map((l) => l.split(/ {2,}/));

describe('the terminal summary table', () => {
  test('sections down in the course order, sources across, a short verdict word per cell', () => {
    const text = formatSummaryTable(SAMPLE_REPORT, { width: 100 });
    const [header, ...rows] = columnsOf(text);
    expect(header).toEqual(['section', BLOG, CYBOZU]);
    expect(rows.slice(0, SAMPLE_REPORT.sections.length)).toEqual([
      ['pod', '✓ verified', '✓ verified'],
      ['service', '! fault', '✓ verified'],
      ['deployment', '✓ verified', '✗ FAILED'],
      ['nodeport', '✓ verified', '⊘ blocked'],
      ['health-checks', '≈ known issue', '≈ known issue'],
      ['resources', '– absent', '✓ verified'],
      ['volume', '✓ verified', '✗ FAILED'],
      ['anti-affinity', '·', '·'],
      ['exercise', '✓ verified', '✓ verified'],
    ]);
  });

  test('totals per verdict, the wall time, and the plain count line last', () => {
    const lines = formatSummaryTable(SAMPLE_REPORT, { wallMs: 134_000 }).split('\n');
    expect(lines.slice(-3)).toEqual([
      '9 sections × 2 source(s), Kubernetes v1.36.3; wall time 2 min 14 s',
      '9 ✓ verified, 2 ≈ known issue, 2 ✗ FAILED, 1 ⊘ blocked, 1 ! fault, 1 – absent, 2 · not run',
      '48 passed, 4 failed',
    ]);
  });

  test('a verdict carried over from an earlier run is marked, and counted', () => {
    const pod = SAMPLE_REPORT.sections[0];
    if (pod === undefined) throw new Error('no pod row');
    const r = { ...SAMPLE_REPORT, sections: [{ ...pod, bySource: { [BLOG]: { status: 'verified' as const, tests: 3, carriedFrom: { date: 'D', source: BLOG } } } }] };
    const text = formatSummaryTable(r, { width: 100 });
    expect(columnsOf(text)[1]).toEqual(['pod', '✓ verified ↺', '·']);
    expect(text).toContain('1 ↺ carried over from an earlier run');
  });

  test('one screen wide: sources numbered and named below, then marks only, as the width shrinks', () => {
    const numbered = formatSummaryTable(SAMPLE_REPORT, { width: 60 });
    expect(columnsOf(numbered)[0]).toEqual(['section', '[1]', '[2]']);
    expect(columnsOf(numbered)[3]).toEqual(['deployment', '✓ verified', '✗ FAILED']);
    expect(numbered).toContain(`[2] ${CYBOZU}`);
    const table = (t: string) => t.split('\n').slice(0, 1 + SAMPLE_REPORT.sections.length);
    expect(Math.max(...table(numbered).map((l) => l.length))).toBeLessThanOrEqual(60);

    const marks = formatSummaryTable(SAMPLE_REPORT, { width: 40 });
    expect(columnsOf(marks)[3]).toEqual(['deployment', '✓', '✗']);
    expect(Math.max(...table(marks).map((l) => l.length))).toBeLessThanOrEqual(40);
  });

  test('durations read as a person says them', () => {
    expect([850, 57_000, 134_000, 3_780_000].map(formatDuration)).toEqual(['850 ms', '57 s', '2 min 14 s', '1 h 3 min']);
  });
});
