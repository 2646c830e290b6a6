// A Report for the renderers' tests (junit, html-report, summary-table): the
// shape and words of a real run's report.json (artifacts/<run>/report.json of
// a mutants run), with one cell of each verdict, rows without cells (spec
// files not part of the run), and a failure whose text is hostile to markup.
import type { KnownIssueRecord } from './records.js';
import type { Report } from './report.js';
import { runDetails, type JestDetails, type RunDetails } from './run-details.js';

export const BLOG = 'blog-walkthrough';
export const CYBOZU = 'cybozu-introduction-to-kubernetes@b3e9c28';

/** Everything a renderer must escape: markup, a CDATA end, an entity, NUL and ESC (illegal in XML 1.0), an emoji. */
export const HOSTILE = 'pod log: <script>alert("x")</script> ]]> & \u0000 \u001b[31mred\u001b[39m 😀 done';

const standIn = (section: string, source: string) => ({
  type: 'stand-in' as const,
  section,
  source,
  image: 'nginx:latest',
  for: 'docker.io/library/nginx:latest',
  description: 'local stand-in for docker.io/library/nginx:latest, built from Debian bookworm packages',
});

const coverage = (ran: number, total: number) => ({
  manifests: { total: 1, applied: 1, dryRun: 0 },
  commands: { total, ran, notRun: { "another provider's CLI (minikube)": 3, 'the spec did not run it': total - ran - 3 } },
  outputs: { alike: 1, knownIssue: 0, unlike: 0 },
});

const execFinding: KnownIssueRecord = {
  type: 'known-issue',
  section: 'health-checks',
  source: BLOG,
  serverVersion: 'v1.36.3',
  step: 'command-as-written article.md:512',
  issue: 'kubectl-exec-without-double-dash',
  cause: '`kubectl exec POD COMMAND` without `--` was deprecated in kubectl 1.18 and removed in 1.31; the command must read `kubectl exec POD -- COMMAND`.',
  reference: 'https://github.com/kubernetes/kubernetes/pull/125437',
  error: '`kubectl exec -it sample-healthcheck rm /usr/share/nginx/html/index.html` failed (exit 1): error: exec [POD] [COMMAND] is not supported anymore.',
};

const deploymentFailure = {
  test: 'the reader no longer finds this section',
  message: 'Error: the Deployment introduction-to-kubernetes/deployment-nginx-deployment/1 has no image change the text asks for',
};
const volumeFailure = { test: 'the volume is shared with the sidecar', message: `Error: introduction-to-kubernetes.adoc:731: ${HOSTILE}` };

export const SAMPLE_REPORT: Report = {
  serverVersion: 'v1.36.3',
  sources: [BLOG, CYBOZU],
  sections: [
    {
      section: 'pod',
      title: 'Deploy a container (Pod)',
      bySource: {
        [BLOG]: {
          status: 'verified',
          tests: 4,
          coverage: coverage(2, 10),
          notVerifiable: [
            {
              type: 'not-verifiable',
              section: 'pod',
              source: BLOG,
              step: 'article.md:139: apt update && apt install -y curl',
              missing: 'the internet (pods of the local cluster cannot reach it; it ran (exit 0) with what the image already has)',
            },
          ],
          standIns: [standIn('pod', BLOG)],
        },
        [CYBOZU]: { status: 'verified', tests: 4, coverage: coverage(1, 6), standIns: [standIn('pod', CYBOZU)] },
      },
    },
    {
      section: 'service',
      title: 'Access Pods through a Service',
      bySource: {
        [BLOG]: {
          status: 'cluster-fault',
          tests: 4,
          faults: ['the API server restarted after 2026-12-01T00:00:00.000Z (lease holder changed)'],
          failures: [{ test: 'the Service answers from a Pod', message: 'Error: connect ECONNREFUSED 10.217.0.1:6443' }],
        },
        [CYBOZU]: { status: 'verified', tests: 4, standIns: [standIn('service', CYBOZU)] },
      },
    },
    {
      section: 'deployment',
      title: 'Deployment: rolling update',
      bySource: {
        [BLOG]: { status: 'verified', tests: 3 },
        [CYBOZU]: { status: 'failed', tests: 3, failures: [deploymentFailure] },
      },
    },
    {
      section: 'nodeport',
      title: 'Expose a Service with NodePort',
      bySource: {
        [BLOG]: { status: 'verified', tests: 4 },
        [CYBOZU]: {
          status: 'blocked',
          by: 'deployment',
          what: 'Deployment nginx-deployment',
          tests: 4,
          failures: [{ test: 'Service my-first-service is created in front of the Deployment', message: 'Error: no Deployment to put behind the Service' }],
        },
      },
    },
    {
      section: 'health-checks',
      title: 'Health checks: liveness and readiness probes',
      bySource: {
        [BLOG]: { status: 'known-issue', tests: 6, findings: [execFinding], standIns: [standIn('health-checks', BLOG)] },
        [CYBOZU]: {
          status: 'known-issue',
          tests: 5,
          findings: [
            {
              type: 'known-issue',
              section: 'health-checks',
              source: CYBOZU,
              serverVersion: 'v1.36.3',
              step: 'run-as-written',
              issue: 'health-check-sample-placeholder-image',
              cause: "The sample's image my-server:1.2.3.4 is a placeholder that no registry serves.",
              error: 'ErrImagePull: my-server:1.2.3.4: not found',
            },
          ],
          notRun: [{ type: 'not-run', section: 'health-checks', source: CYBOZU, step: 'its liveness probe', reason: 'the sample cannot run as written (see its known issue)' }],
        },
      },
    },
    {
      section: 'resources',
      title: 'Resource requests and limits',
      bySource: {
        [BLOG]: { status: 'absent', reason: 'no Pod with resources.requests or resources.limits under a heading that names resources' },
        [CYBOZU]: { status: 'verified', tests: 4 },
      },
    },
    {
      section: 'volume',
      title: 'Volume: an emptyDir shared with a sidecar',
      bySource: {
        [BLOG]: { status: 'verified', tests: 4 },
        [CYBOZU]: { status: 'failed', tests: 4, failures: [volumeFailure] },
      },
    },
    // A spec file not part of this run: a row without cells, in the course's order.
    { section: 'anti-affinity', title: 'Pod anti-affinity', bySource: {} },
    {
      section: 'exercise',
      title: 'Exercise: the Guestbook',
      bySource: {
        [BLOG]: {
          status: 'verified',
          tests: 5,
          observed: [
            {
              type: 'observed',
              section: 'exercise',
              source: BLOG,
              step: 'kill-apache',
              at: 'article.md:941',
              question: 'What happens to the Pod when apache2 is killed?',
              answer: 'the container restarted (restarts 0 -> 1) and the Pod was Ready again',
              seconds: 12.4,
            },
          ],
        },
        [CYBOZU]: { status: 'verified', tests: 5, sameAs: BLOG },
      },
    },
  ],
  passed: 48,
  failed: 4,
};

/** The part of the course of each row above (as sections.ts would say). */
export const SAMPLE_PARTS: Record<string, number> = { pod: 1, service: 1, deployment: 1, nodeport: 1, 'health-checks': 2, resources: 2, volume: 2, 'anti-affinity': 2, exercise: 3 };

/** jest's --json output for some of those tests: durations, and failure messages longer than the Report's first line. */
const SAMPLE_JEST: JestDetails = {
  testResults: [
    {
      assertionResults: [
        { ancestorTitles: ['pod', BLOG], title: 'runs', failureMessages: [], duration: 1500 },
        { ancestorTitles: ['pod', BLOG], title: 'answers', failureMessages: [], duration: 250 },
        {
          ancestorTitles: ['deployment', CYBOZU],
          title: deploymentFailure.test,
          failureMessages: [`${deploymentFailure.message}\nthe text of section deployment changed since it was reviewed\n  manifest introduction-to-kubernetes/deployment-nginx-deployment/1: changed\n    at Object.<anonymous> (/work/main/helpers/suite/section.ts:183:13)`],
          duration: 40,
        },
        {
          ancestorTitles: ['volume', CYBOZU],
          title: volumeFailure.test,
          failureMessages: [`\u001b[31m${volumeFailure.message}\u001b[39m\nDiagnostics of namespace tte-volume-b3e9c28-eaa994:\n  pods: nginx 1/2 Running\n  logs of nginx/fluentd: ${HOSTILE}`],
          duration: 31000,
        },
      ],
    },
  ],
};

export const SAMPLE_DETAILS: RunDetails = runDetails(SAMPLE_JEST, { run: '2026-12-01T05-05-28-281Z', startedAt: new Date('2026-12-01T05:05:28.281Z'), wallMs: 134_000 });
