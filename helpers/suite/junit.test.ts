import { SaxesParser } from 'saxes';
import { formatJunit } from './junit.js';
import { BLOG, CYBOZU, HOSTILE, SAMPLE_DETAILS, SAMPLE_REPORT } from './report-fixture.js';
import type { Report } from './report.js';

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** A strict XML 1.0 parse (saxes: well-formedness and the characters XML allows), as a small tree. */
function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser();
  const doc: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const open = [doc];
  const top = (): XmlElement => open[open.length - 1] ?? doc;
  parser.on('error', (err) => {
    throw err;
  });
  parser.on('opentag', (tag) => {
    const el: XmlElement = { name: tag.name, attributes: tag.attributes, children: [], text: '' };
    top().children.push(el);
    open.push(el);
  });
  parser.on('closetag', () => open.pop());
  parser.on('text', (t) => (top().text += t));
  parser.write(xml).close();
  const [root] = doc.children;
  if (root === undefined) throw new Error('no root element');
  return root;
}

const childrenNamed = (el: XmlElement, name: string): XmlElement[] => el.children.filter((c) => c.name === name);
const child = (el: XmlElement, name: string): XmlElement | undefined => childrenNamed(el, name)[0];

describe('junit.xml', () => {
  const xml = formatJunit(SAMPLE_REPORT, SAMPLE_DETAILS);
  const root = parseXml(xml);
  const suites = childrenNamed(root, 'testsuite');
  const suiteOf = (source: string): XmlElement => {
    const found = suites.find((s) => s.children.some((p) => p.name === 'properties' && p.children.some((x) => x.attributes.name === 'source' && x.attributes.value === source)));
    if (found === undefined) throw new Error(`no suite for ${source}`);
    return found;
  };
  const caseOf = (source: string, section: string): XmlElement => {
    const found = childrenNamed(suiteOf(source), 'testcase').find((c) => c.attributes.classname === section);
    if (found === undefined) throw new Error(`no case ${section} for ${source}`);
    return found;
  };

  test('one suite per source, named with the Kubernetes version; one case per section, in the course order', () => {
    expect(root.name).toBe('testsuites');
    expect(suites.map((s) => s.attributes.name)).toEqual(SAMPLE_REPORT.sources.map((src) => `${src} on Kubernetes v1.36.3`));
    for (const source of SAMPLE_REPORT.sources) {
      const props = child(suiteOf(source), 'properties')?.children.map((p) => [p.attributes.name, p.attributes.value]);
      expect(props).toContainEqual(['kubernetes.version', 'v1.36.3']);
      const cases = childrenNamed(suiteOf(source), 'testcase');
      expect(cases.map((c) => c.attributes.classname)).toEqual(SAMPLE_REPORT.sections.map((s) => s.section));
      expect(cases.map((c) => c.attributes.name)).toEqual(SAMPLE_REPORT.sections.map((s) => s.title));
    }
  });

  test('the counts of cases, failures, errors and skipped, as attributes and as elements, are the Report\'s', () => {
    const expected = (r: Report, source: string) => {
      const statuses = r.sections.map((s) => s.bySource[source]?.status ?? 'not run');
      const n = (...of: string[]) => statuses.filter((s) => of.includes(s)).length;
      return { tests: statuses.length, failures: n('failed', 'blocked'), errors: n('cluster-fault'), skipped: n('absent', 'not run') };
    };
    const total = { tests: 0, failures: 0, errors: 0, skipped: 0 };
    for (const source of SAMPLE_REPORT.sources) {
      const suite = suiteOf(source);
      const want = expected(SAMPLE_REPORT, source);
      const cases = childrenNamed(suite, 'testcase');
      const inCases = (name: string) => cases.filter((c) => child(c, name) !== undefined).length;
      expect({ tests: cases.length, failures: inCases('failure'), errors: inCases('error'), skipped: inCases('skipped') }).toEqual(want);
      const { tests, failures, errors, skipped } = suite.attributes;
      expect({ tests, failures, errors, skipped }).toEqual({ tests: String(want.tests), failures: String(want.failures), errors: String(want.errors), skipped: String(want.skipped) });
      for (const k of ['tests', 'failures', 'errors', 'skipped'] as const) total[k] += want[k];
    }
    // The sample has one cell of each verdict: none of the counts is zero, so a miscount shows.
    expect(Object.values(total).every((n) => n > 0)).toBe(true);
    const { tests, failures, errors, skipped } = root.attributes;
    expect({ tests, failures, errors, skipped }).toEqual({ tests: String(total.tests), failures: String(total.failures), errors: String(total.errors), skipped: String(total.skipped) });
  });

  test('verified and known issue pass, with what they rest on and the finding in system-out', () => {
    const verified = caseOf(BLOG, 'pod');
    expect(verified.children.map((c) => c.name)).toEqual(['system-out']);
    const out = child(verified, 'system-out')?.text ?? '';
    expect(out).toContain('verified: 4 check(s) passed');
    expect(out).toContain('nginx:latest: local stand-in for docker.io/library/nginx:latest');
    expect(out).toContain('article.md:139: apt update && apt install -y curl (needs the internet');
    expect(out).toContain('coverage of the text: manifests applied 1/1, commands run as written 2/10');
    expect(out).toContain("3 command(s) not run as written: another provider's CLI (minikube)");

    expect(child(caseOf(BLOG, 'exercise'), 'system-out')?.text).toContain(
      "what the cluster showed:\n  kill-apache (article.md:941, 12 s): What happens to the Pod when apache2 is killed? → the container restarted",
    );
    expect(child(caseOf(CYBOZU, 'exercise'), 'system-out')?.text).toContain(`verified once for this source and ${BLOG}, whose content is the same`);

    const known = caseOf(BLOG, 'health-checks');
    expect(known.children.map((c) => c.name)).toEqual(['system-out']);
    expect(child(known, 'system-out')?.text).toContain('known issue kubectl-exec-without-double-dash at step command-as-written article.md:512');
    expect(child(known, 'system-out')?.text).toContain('(https://github.com/kubernetes/kubernetes/pull/125437)');
  });

  test('FAILED and blocked are failures with the whole evidence; a cluster fault is an error; absent and not run are skipped', () => {
    const failed = child(caseOf(CYBOZU, 'deployment'), 'failure');
    expect(failed?.attributes.message).toBe('Error: the Deployment introduction-to-kubernetes/deployment-nginx-deployment/1 has no image change the text asks for');
    // More than the Report's first line: jest's full message.
    expect(failed?.text).toContain('manifest introduction-to-kubernetes/deployment-nginx-deployment/1: changed');

    const blocked = child(caseOf(CYBOZU, 'nodeport'), 'failure');
    expect(blocked?.attributes).toMatchObject({ message: 'blocked by deployment: could not build Deployment nginx-deployment', type: 'blocked' });
    // No full message in the run's details: the Report's line stands in.
    expect(blocked?.text).toContain('Error: no Deployment to put behind the Service');

    const fault = child(caseOf(BLOG, 'service'), 'error');
    expect(fault?.attributes.message).toMatch(/^cluster fault \(not a finding on the tutorial\): the API server restarted/);
    expect(fault?.text).toContain('Error: connect ECONNREFUSED 10.217.0.1:6443');

    expect(child(caseOf(BLOG, 'resources'), 'skipped')?.attributes.message).toBe(
      'not in this source: no Pod with resources.requests or resources.limits under a heading that names resources',
    );
    expect(child(caseOf(BLOG, 'anti-affinity'), 'skipped')?.attributes.message).toMatch(/^not run: /);
  });

  test('hostile text is escaped: it round-trips through a strict parser, control characters written as \\uXXXX', () => {
    const failure = child(caseOf(CYBOZU, 'volume'), 'failure');
    const shown = 'pod log: <script>alert("x")</script> ]]> & \\u0000 red 😀 done';
    expect(failure?.attributes.message).toBe(`Error: introduction-to-kubernetes.adoc:731: ${shown}`);
    expect(failure?.text).toContain(`logs of nginx/fluentd: ${shown}`);
    expect(xml).not.toContain('<script>');
    for (const c of ['\u0000', '\u001b']) expect(xml).not.toContain(c);
    // The parser is strict enough to catch it: the same text unescaped is rejected.
    expect(() => parseXml(`<a>${HOSTILE}</a>`)).toThrow();
    const withoutMarkupOrControls = ['<', '&', '\u0000', '\u001b'].reduce((t, c) => t.replaceAll(c, ''), HOSTILE);
    expect(() => parseXml(`<a>${withoutMarkupOrControls}</a>`)).toThrow(/\]\]>/);
  });

  test('times: a case\'s checks added up, a suite\'s cases, the whole run\'s wall time; none where jest gave none', () => {
    expect(caseOf(BLOG, 'pod').attributes.time).toBe('1.750');
    expect(caseOf(CYBOZU, 'volume').attributes.time).toBe('31.000');
    expect(caseOf(BLOG, 'deployment').attributes.time).toBeUndefined();
    expect(suiteOf(CYBOZU).attributes.time).toBe('31.040');
    expect(root.attributes.time).toBe('134.000');
    expect(root.attributes.timestamp).toBe('2026-12-01T05:05:28');
  });

  test('without a known server version, a suite is named by its source alone', () => {
    const r = parseXml(formatJunit({ ...SAMPLE_REPORT, serverVersion: '' }, SAMPLE_DETAILS));
    const suite = childrenNamed(r, 'testsuite')[0];
    expect(suite?.attributes.name).toBe(BLOG);
    expect(child(suite ?? r, 'properties')?.children.map((p) => p.attributes.name)).toEqual(['source', 'run']);
  });
});
