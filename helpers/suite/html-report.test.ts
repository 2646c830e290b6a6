import { formatHtmlReport, type HtmlColumn } from './html-report.js';
import { BLOG, CYBOZU, SAMPLE_DETAILS, SAMPLE_PARTS, SAMPLE_REPORT } from './report-fixture.js';

const column: HtmlColumn = { version: 'v1.36.3', report: SAMPLE_REPORT, details: SAMPLE_DETAILS };
const partOf = (s: string) => SAMPLE_PARTS[s];

/** The <td> of a section and source (first version), by the ids the page gives cells. */
function cell(html: string, section: string, source: string, version = 0): string {
  const row = SAMPLE_REPORT.sections.findIndex((s) => s.section === section);
  const col = SAMPLE_REPORT.sources.indexOf(source);
  const found = new RegExp(`<td id="cell-${version}-${row}-${col}"[^>]*>.*?</td>`).exec(html)?.[0];
  if (found === undefined) throw new Error(`no cell ${section} / ${source}`);
  return found;
}

describe('report.html', () => {
  const html = formatHtmlReport([column], { partOf, sourceRoots: { [CYBOZU]: '../../../shared/tutorials/cybozu-introduction-to-kubernetes@b3e9c28' } });

  test('self-contained: no script, no stylesheet, font or image to fetch, and a policy that would block one', () => {
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|src=/i);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
  });

  test('rows are the sections in the course order, under a band for each part', () => {
    const rows = [...html.matchAll(/<tr class="part"><th colspan="3">(Part \d)<\/th><\/tr>|<th class="section" scope="row">[^<]*<br><code>([^<]*)<\/code>/g)].map((m) => m[1] ?? m[2]);
    expect(rows).toEqual(['Part 1', 'pod', 'service', 'deployment', 'nodeport', 'Part 2', 'health-checks', 'resources', 'volume', 'anti-affinity', 'Part 3', 'exercise']);
    // Without the parts: no bands, same rows.
    expect(formatHtmlReport([column])).not.toContain('class="part"');
  });

  test('each verdict in words and a mark (not colour alone), with its cause', () => {
    expect(cell(html, 'pod', BLOG)).toMatch(/class="v-verified".*✓ verified.*4 checks/);
    expect(cell(html, 'health-checks', BLOG)).toMatch(/class="v-known-issue".*≈ known issue.*kubectl-exec-without-double-dash/);
    expect(cell(html, 'deployment', CYBOZU)).toMatch(/class="v-failed".*✗ FAILED.*Error: the Deployment introduction-to-kubernetes/);
    expect(cell(html, 'nodeport', CYBOZU)).toMatch(/class="v-blocked".*⊘ blocked by deployment.*could not build Deployment nginx-deployment/);
    expect(cell(html, 'service', BLOG)).toMatch(/class="v-cluster-fault".*! cluster fault.*not a finding: the API server restarted/);
    expect(cell(html, 'resources', BLOG)).toMatch(/class="v-absent".*– not in this source.*no Pod with resources.requests/);
    expect(cell(html, 'anti-affinity', BLOG)).toMatch(/class="v-none".*· not run/);
  });

  test('what a verdict rests on: marks whose titles list the stand-ins and the steps', () => {
    const pod = cell(html, 'pod', BLOG);
    expect(pod).toContain('title="nginx:latest: local stand-in for docker.io/library/nginx:latest, built from Debian bookworm packages">◐ stand-in images</span>');
    expect(pod).toContain('title="article.md:139: apt update &amp;&amp; apt install -y curl (needs the internet');
    expect(pod).toContain('◌ 1 step(s) not verifiable here');
    expect(cell(html, 'health-checks', CYBOZU)).toContain('title="its liveness probe (the sample cannot run as written (see its known issue))">◇ 1 step(s) not run');
    expect(cell(html, 'exercise', CYBOZU)).toContain(`>= same as ${BLOG}</span>`);
  });

  test('a FAILED cell links to its evidence below the table: the whole failure message, and back', () => {
    const failed = cell(html, 'deployment', CYBOZU);
    const target = /href="#(details-[\d-]+)"/.exec(failed)?.[1];
    expect(target).toBeDefined();
    const details = new RegExp(`<section id="${target ?? ''}" class="details v-failed">([\\s\\S]*?)</section>`).exec(html)?.[1] ?? '';
    expect(details).toContain('1 of 3 checks failed.');
    expect(details).toMatch(/<pre>Error: the Deployment [^<]*\nthe text of section deployment changed since it was reviewed\n/);
    expect(details).toContain(`href="#${/id="(cell-[\d-]+)"/.exec(failed)?.[1] ?? '?'}"`);
    // A verified cell with nothing to add has no details to link to.
    expect(cell(html, 'deployment', BLOG)).not.toContain('href=');
  });

  test('text from the run is escaped: a <script> in a failure is shown as text; control characters as \\uXXXX', () => {
    expect(html).not.toContain('<script');
    expect(html).toContain('pod log: &lt;script&gt;alert("x")&lt;/script&gt; ]]&gt; &amp; \\u0000 red 😀 done');
    for (const c of ['\u0000', '\u001b']) expect(html).not.toContain(c);
  });

  test("file:line of the tutorial is a link into the source's folder when its root is known, else text", () => {
    const volume = cell(html, 'volume', CYBOZU);
    expect(volume).toContain(
      'at <a class="source" href="../../../shared/tutorials/cybozu-introduction-to-kubernetes%40b3e9c28/introduction-to-kubernetes.adoc" title="line 731 of introduction-to-kubernetes.adoc"><code>introduction-to-kubernetes.adoc:731</code></a>',
    );
    // No root for the blog: its file:line stays text.
    expect(cell(html, 'health-checks', BLOG)).toContain('at <code>article.md:512</code>');
    expect(formatHtmlReport([column])).not.toContain('<a class="source"');
  });

  test('several Kubernetes versions: a column group each; rows merged in the course order', () => {
    const older = {
      ...SAMPLE_REPORT,
      serverVersion: 'v1.34.1',
      sources: [BLOG],
      // No exercise row in the older run, and one row the newer run lacks, between two it has.
      sections: [...SAMPLE_REPORT.sections.slice(0, 2), { section: 'replicaset', title: 'ReplicaSet', bySource: {} }, ...SAMPLE_REPORT.sections.slice(2, -1)],
    };
    const two = formatHtmlReport([{ version: 'v1.34.1', report: older }, column]);
    expect(two).toContain('<th colspan="1" class="version">Kubernetes v1.34.1</th><th colspan="2" class="version">Kubernetes v1.36.3</th>');
    expect([...two.matchAll(/<th class="source">([^<]*)<\/th>/g)].map((m) => m[1])).toEqual([BLOG, BLOG, CYBOZU]);
    const rows = [...two.matchAll(/<th class="section" scope="row">[^<]*<br><code>([^<]*)<\/code>/g)].map((m) => m[1]);
    expect(rows).toEqual(['pod', 'service', 'replicaset', 'deployment', 'nodeport', 'health-checks', 'resources', 'volume', 'anti-affinity', 'exercise']);
    expect(two).toContain('Kubernetes v1.34.1</strong>: 1 source(s) × 9 sections.');
  });
});
