import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  imagesMatch,
  issuesFor,
  KNOWN_ISSUES_FILE,
  KnownIssuesFileError,
  loadKnownIssues,
  normalizeImage,
  runAsWritten,
  UnexpectedPassError,
  versionMatches,
  type KnownIssue,
  type StepIdentity,
} from './known-issues.js';
import { UnknownSectionError } from './sections.js';

function write(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'known-')), 'known-issues.yaml');
  writeFileSync(file, text);
  return file;
}

/** One entry with the given `when` (flow YAML), for the conditions' tests. */
function entryWhen(when: string, extra = ''): string {
  return `- {id: e, section: pod, step: s, failure: x, cause: c, when: ${when}${extra}}\n`;
}

const PDB = `
- id: pdb-v1beta1
  section: pod-disruption-budget
  step: apply-as-written
  when: { serverVersion: ">=1.25" }
  failure: policy/v1beta1
  cause: removed in 1.25
- id: placeholder
  section: volume
  step: run-as-written
  when: { sources: ["cybozu-*"] }
  failure: ErrImagePull|ImagePullBackOff
  cause: placeholder image
`;

describe('known issues', () => {
  test('version ranges compare major.minor', () => {
    expect(versionMatches('>=1.25', 'v1.36.3')).toBe(true);
    expect(versionMatches('>=1.25', 'v1.24.17')).toBe(false);
    expect(versionMatches('<1.25', 'v1.24.0')).toBe(true);
    expect(versionMatches('1.30', 'v1.30.2-gke.1')).toBe(true);
    expect(versionMatches('1.30', 'v1.31.0')).toBe(false);
    expect(versionMatches('>1.30', 'v1.31.0')).toBe(true);
    expect(versionMatches('<=1.30', 'v1.31.0')).toBe(false);
    expect(versionMatches('>=1.31', 'v2.0.0')).toBe(true);
  });

  test('entries apply by section, step, server version and source', () => {
    const issues = loadKnownIssues(write(PDB));
    const at = { section: 'pod-disruption-budget', step: 'apply-as-written', source: 'blog-walkthrough' };
    expect(issuesFor(issues, { ...at, serverVersion: 'v1.36.3' }).map((i) => i.id)).toEqual(['pdb-v1beta1']);
    expect(issuesFor(issues, { ...at, serverVersion: 'v1.24.3' })).toEqual([]);
    expect(issuesFor(issues, { ...at, step: 'other', serverVersion: 'v1.36.3' })).toEqual([]);
    const vol = { section: 'volume', step: 'run-as-written', serverVersion: 'v1.36.3' };
    expect(issuesFor(issues, { ...vol, source: 'cybozu-introduction-to-kubernetes@b3e9c28' })).toHaveLength(1);
    expect(issuesFor(issues, { ...vol, source: 'blog-walkthrough' })).toHaveLength(0);
  });

  test('a predicted failure becomes a finding; another failure is rethrown; a pass is unexpected', async () => {
    const file = write(PDB);
    const issues = loadKnownIssues(file);
    const at = { section: 'pod-disruption-budget', step: 'apply-as-written', source: 'x', serverVersion: 'v1.36.0' };
    const found = await runAsWritten(issues, at, file, () => Promise.reject(new Error('no policy/v1beta1 PodDisruptionBudget on this server')));
    expect(found).toMatchObject({ status: 'known-issue', issue: { id: 'pdb-v1beta1' } });
    await expect(runAsWritten(issues, at, file, () => Promise.reject(new Error('connection refused')))).rejects.toThrow('connection refused');
    await expect(runAsWritten(issues, at, file, () => Promise.resolve())).rejects.toThrow(UnexpectedPassError);
    await expect(runAsWritten(issues, at, file, () => Promise.resolve())).rejects.toThrow(/remove the entry "pdb-v1beta1"/);
    expect(await runAsWritten(issues, { ...at, serverVersion: 'v1.24.0' }, file, () => Promise.resolve())).toEqual({
      status: 'passed',
    });
  });

  test('a bad file names the file, the entry and the field', () => {
    expect(() => loadKnownIssues(write('- id: a\n  section: pod\n  step: t\n  cause: c\n'))).toThrow(
      /known-issues.yaml: entry 1 \(a\): "failure" must be a non-empty string/,
    );
    expect(() => loadKnownIssues(write(entryWhen('{serverVersion: "newest"}')))).toThrow(/entry 1 \(e\): when.serverVersion "newest" is not of the form/);
    expect(() => loadKnownIssues(write('a: [1'))).toThrow(KnownIssuesFileError);
    expect(() => loadKnownIssues(write('{a: 1}'))).toThrow(/expected a list of entries/);
    expect(loadKnownIssues(write(''))).toEqual([]);
  });
});

describe('known issues: each condition of `when`', () => {
  const base: StepIdentity = { section: 'pod', step: 's', source: 'cybozu-introduction-to-kubernetes@b3e9c28', serverVersion: 'v1.36.3' };
  const applies = (when: string, at: Partial<StepIdentity>): boolean =>
    issuesFor(loadKnownIssues(write(entryWhen(when))), { ...base, ...at }).length === 1;

  test('no `when` (or an empty one): always', () => {
    expect(issuesFor(loadKnownIssues(write('- {id: e, section: pod, step: s, failure: x, cause: c}\n')), base)).toHaveLength(1);
    expect(applies('{}', {})).toBe(true);
  });

  test('serverVersion: the API server version', () => {
    expect(applies('{serverVersion: ">=1.25"}', { serverVersion: 'v1.25.0' })).toBe(true);
    expect(applies('{serverVersion: ">=1.25"}', { serverVersion: 'v1.24.17' })).toBe(false);
    expect(applies('{serverVersion: "1.30"}', { serverVersion: 'v1.30.14' })).toBe(true);
    expect(applies('{serverVersion: "<1.25"}', { serverVersion: 'v1.36.3' })).toBe(false);
  });

  test('kubectlVersion: the kubectl client version, not the server one; unknown does not apply', () => {
    expect(applies('{kubectlVersion: ">=1.31"}', { serverVersion: 'v1.30.0', kubectlVersion: 'v1.31.0' })).toBe(true);
    expect(applies('{kubectlVersion: ">=1.31"}', { serverVersion: 'v1.36.3', kubectlVersion: 'v1.30.5' })).toBe(false);
    expect(applies('{kubectlVersion: ">=1.31"}', { serverVersion: 'v1.36.3' })).toBe(false);
  });

  test('sources: globs of the source name', () => {
    expect(applies('{sources: ["blog-*", "cybozu-*"]}', {})).toBe(true);
    expect(applies('{sources: ["blog-walkthrough*"]}', {})).toBe(false);
    expect(applies('{sources: ["cybozu-introduction-to-kubernetes@b3e9c28"]}', {})).toBe(true);
    expect(applies('{sources: ["cybozu-introduction-to-kubernetes@b2a7ea4"]}', {})).toBe(false);
  });

  test('images: globs of the step images, Docker Hub names normalised; none known does not apply', () => {
    expect(applies('{images: ["debian:stretch"]}', { images: ['debian:stretch'] })).toBe(true);
    expect(applies('{images: ["debian:stretch"]}', { images: ['nginx:latest', 'docker.io/library/debian:stretch'] })).toBe(true);
    expect(applies('{images: ["debian:stretch"]}', { images: ['debian:stable'] })).toBe(false);
    expect(applies('{images: ["debian:stretch"]}', { images: ['debian:stretch-slim'] })).toBe(false);
    expect(applies('{images: ["my-server:*"]}', { images: ['my-server:1.2.3.4'] })).toBe(true);
    expect(applies('{images: ["my-server:*"]}', { images: ['my-server-two:1'] })).toBe(false);
    expect(applies('{images: ["my-server:*"]}', { images: [] })).toBe(false);
    expect(applies('{images: ["my-server:*"]}', {})).toBe(false);
    expect(applies('{images: ["nginx:latest"]}', { images: ['nginx'] })).toBe(true);
  });

  test('image names: docker.io/library/ implied, no tag is :latest', () => {
    expect(normalizeImage('docker.io/library/debian:stretch')).toBe('debian:stretch');
    expect(normalizeImage('index.docker.io/library/debian')).toBe('debian:latest');
    expect(normalizeImage('library/nginx')).toBe('nginx:latest');
    expect(normalizeImage('fluent/fluentd:v1.11')).toBe('fluent/fluentd:v1.11');
    expect(normalizeImage('127.0.0.1:5000/nginx')).toBe('127.0.0.1:5000/nginx:latest');
    expect(normalizeImage('nginx@sha256:abc')).toBe('nginx@sha256:abc');
    expect(imagesMatch(['fluent/fluentd:*'], ['docker.io/fluent/fluentd:v1.11'])).toBe(true);
    expect(imagesMatch(['debian'], ['debian:stable'])).toBe(false);
  });

  test('provider: one of the names; unknown does not apply', () => {
    expect(applies('{provider: [local]}', { provider: 'local' })).toBe(true);
    expect(applies('{provider: [kind, minikube]}', { provider: 'minikube' })).toBe(true);
    expect(applies('{provider: [local]}', { provider: 'kubeconfig' })).toBe(false);
    expect(applies('{provider: [local]}', {})).toBe(false);
  });

  test('internet: true or false must be known and equal; unknown (undefined) does not apply', () => {
    expect(applies('{internet: true}', { internet: true })).toBe(true);
    expect(applies('{internet: true}', { internet: false })).toBe(false);
    expect(applies('{internet: true}', { internet: undefined })).toBe(false);
    expect(applies('{internet: true}', {})).toBe(false);
    expect(applies('{internet: false}', { internet: false })).toBe(true);
    expect(applies('{internet: false}', { internet: true })).toBe(false);
    expect(applies('{internet: false}', {})).toBe(false);
  });

  test('nodes: the cluster\'s nodes that take pods, compared with ">=2", "<3" or "1"; unknown does not apply', () => {
    expect(applies('{nodes: ">=2"}', { nodes: 3 })).toBe(true);
    expect(applies('{nodes: ">=2"}', { nodes: 1 })).toBe(false);
    expect(applies('{nodes: "1"}', { nodes: 1 })).toBe(true);
    expect(applies('{nodes: "<3"}', { nodes: 3 })).toBe(false);
    expect(applies('{nodes: ">=2"}', {})).toBe(false);
  });

  test('every condition must hold', () => {
    const when = '{serverVersion: ">=1.25", kubectlVersion: ">=1.31", sources: ["cybozu-*"], images: ["debian:*"], provider: [kubeconfig], internet: true}';
    const all: Partial<StepIdentity> = { kubectlVersion: 'v1.33.1', images: ['debian:stretch'], provider: 'kubeconfig', internet: true };
    expect(applies(when, all)).toBe(true);
    expect(applies(when, { ...all, serverVersion: 'v1.24.0' })).toBe(false);
    expect(applies(when, { ...all, kubectlVersion: 'v1.30.0' })).toBe(false);
    expect(applies(when, { ...all, source: 'blog-walkthrough' })).toBe(false);
    expect(applies(when, { ...all, images: ['nginx:latest'] })).toBe(false);
    expect(applies(when, { ...all, provider: 'local' })).toBe(false);
    expect(applies(when, { ...all, internet: false })).toBe(false);
  });

  test('`failure` may be a list: the error must match one of them', async () => {
    const file = write('- {id: e, section: pod, step: s, cause: c, failure: ["^first wording", "second wording$"]}\n');
    const issues = loadKnownIssues(file);
    expect(issues[0]?.failure.test('first wording of it')).toBe(true);
    expect(issues[0]?.failure.test('it, in its second wording')).toBe(true);
    expect(issues[0]?.failure.test('neither')).toBe(false);
    await expect(runAsWritten(issues, base, file, () => Promise.reject(new Error('in its second wording')))).resolves.toMatchObject({
      status: 'known-issue',
    });
  });
});

describe('known issues: the loader rejects, naming the file, the entry and the fix', () => {
  const load = (text: string) => () => loadKnownIssues(write(text));

  test('an unknown key under `when` (a typo must not widen the entry)', () => {
    expect(load(entryWhen('{serverVerison: ">=1.25"}'))).toThrow(KnownIssuesFileError);
    expect(load(entryWhen('{serverVerison: ">=1.25", image: ["x"]}'))).toThrow(
      /known-issues.yaml: entry 1 \(e\): unknown condition\(s\) "when.serverVerison", "when.image"; the conditions are: serverVersion, kubectlVersion, sources, images, provider, internet, nodes/,
    );
  });

  test('an unknown field of the entry', () => {
    expect(load('- {id: e, section: pod, step: s, failure: x, cause: c, wehn: {internet: true}}\n')).toThrow(
      /entry 1 \(e\): unknown field\(s\) "wehn"; an entry has: id, section, step, when, failure, cause, reference/,
    );
  });

  test('a version that is not a range, or a bare YAML number', () => {
    expect(load(entryWhen('{kubectlVersion: "latest"}'))).toThrow(/entry 1 \(e\): when.kubectlVersion "latest" is not of the form ">=1.25", "<1.25" or "1.30"/);
    expect(load(entryWhen('{serverVersion: ">= 1"}'))).toThrow(/when.serverVersion ">= 1" is not of the form/);
    expect(load(entryWhen('{serverVersion: 1.30}'))).toThrow(/"when.serverVersion" must be a quoted string .*YAML reads the bare 1.3 as a number/);
    expect(load(entryWhen('{kubectlVersion: [">=1.31"]}'))).toThrow(/"when.kubectlVersion" must be a quoted string/);
  });

  test('nodes not a quoted count', () => {
    expect(load(entryWhen('{nodes: 2}'))).toThrow(/entry 1 \(e\): "when.nodes" must be a quoted count such as ">=2"/);
    expect(load(entryWhen('{nodes: "two"}'))).toThrow(/"when.nodes" must be a quoted count/);
  });

  test('images (and sources) not a non-empty list of globs', () => {
    expect(load(entryWhen('{images: "debian:stretch"}'))).toThrow(/entry 1 \(e\): "when.images" must be a non-empty list of image globs/);
    expect(load(entryWhen('{images: []}'))).toThrow(/"when.images" must be a non-empty list/);
    expect(load(entryWhen('{images: [1]}'))).toThrow(/"when.images" must be a non-empty list/);
    expect(load(entryWhen('{sources: blog-walkthrough}'))).toThrow(/"when.sources" must be a non-empty list of source-name globs/);
  });

  test('internet not a boolean', () => {
    expect(load(entryWhen('{internet: "true"}'))).toThrow(/entry 1 \(e\): "when.internet" must be true or false \(unquoted\), not "true"/);
    expect(load(entryWhen('{internet: yes}'))).toThrow(/"when.internet" must be true or false/);
  });

  test('provider not a list of known names', () => {
    expect(load(entryWhen('{provider: local}'))).toThrow(/"when.provider" must be a non-empty list of provider names/);
    expect(load(entryWhen('{provider: [docker-desktop]}'))).toThrow(
      /"when.provider" names unknown provider\(s\) "docker-desktop"; the names are: local, kubeconfig, kind, minikube/,
    );
  });

  test('`when` not a mapping, a bad failure, a bad reference, an unknown section, a duplicate id', () => {
    expect(load(entryWhen('[internet]'))).toThrow(/entry 1 \(e\): "when" must be a mapping/);
    expect(load('- {id: e, section: pod, step: s, cause: c, failure: "(unclosed"}\n')).toThrow(/entry 1 \(e\): "failure" is not a valid regular expression/);
    expect(load('- {id: e, section: pod, step: s, cause: c, failure: [ok, "(unclosed"]}\n')).toThrow(/"failure" \(alternative 2\) is not a valid regular expression/);
    expect(load('- {id: e, section: pod, step: s, cause: c, failure: []}\n')).toThrow(/"failure" must be a non-empty string \(a regular expression\) or a non-empty list/);
    expect(load('- {id: e, section: pod, step: s, cause: c, failure: x, reference: 3}\n')).toThrow(/"reference" must be a non-empty string/);
    expect(load('- {id: e, section: pods, step: s, cause: c, failure: x}\n')).toThrow(UnknownSectionError);
    expect(load('- {id: e, section: pods, step: s, cause: c, failure: x}\n')).toThrow(/entry 1 \(e\): unknown section\(s\) "pods"/);
    expect(load(entryWhen('{}') + entryWhen('{}'))).toThrow(/entry 2: duplicate id "e"/);
  });
});

describe('steps and the reader\'s fix', () => {
  test('an entry may name several steps, and the lines a reader types next', () => {
    const [e] = loadKnownIssues(write('- {id: e, section: pod, step: [a, b], failure: x, cause: c, then: ["kubectl delete pod web"]}\n'));
    expect(e?.steps).toEqual(['a', 'b']);
    expect(e?.then).toEqual(['kubectl delete pod web']);
    const at = { section: 'pod', source: 's', serverVersion: 'v1.36.3' };
    expect(issuesFor(e ? [e] : [], { ...at, step: 'b' }).map((i) => i.id)).toEqual(['e']);
    expect(issuesFor(e ? [e] : [], { ...at, step: 'c' })).toEqual([]);
    expect(() => loadKnownIssues(write('- {id: e, section: pod, step: [], failure: x, cause: c}\n'))).toThrow(/"step" must be a non-empty string or a non-empty list/);
    expect(() => loadKnownIssues(write('- {id: e, section: pod, step: a, failure: x, cause: c, then: []}\n'))).toThrow(/"then" must be a non-empty list/);
  });
});

// The real file, against the real texts the suite produces today (and texts
// of other failures of the same steps, which must stay real failures).
const REAL: Record<string, { at: Omit<StepIdentity, 'section' | 'step'>; notAt: Partial<StepIdentity>[]; matches: string[]; mustNotMatch: string[] }> = {

  'blog-my-first-pod-restarted-on-the-authors-machine': {
    at: { source: 'blog-walkthrough', serverVersion: 'v1.36.3' },
    notAt: [{ source: 'cybozu-introduction-to-kubernetes@b3e9c28' }],
    matches: ['article.md:180: `kubectl get pod` printed output unlike what the text shows (table):\n  - row my-first-pod column RESTARTS: text shows 1, got 0\nthe text shows (after article.md:180):\n    | NAME           READY   STATUS    RESTARTS   AGE\n    | my-first-pod   1/1     Running   1          10h\nthe run printed:\n    | NAME           READY   STATUS    RESTARTS   AGE\n    | my-first-pod   1/1     Running   0          14s'],
    mustNotMatch: [
      // Another difference besides the restart count is a real one.
      'article.md:180: `kubectl get pod` printed output unlike what the text shows (table):\n  - row my-first-pod column RESTARTS: text shows 1, got 0\n  - row bastion column STATUS: text shows Running, got CrashLoopBackOff\nthe text shows (after article.md:180):',
      'article.md:180: `kubectl get pod` printed output unlike what the text shows (table):\n  - row my-first-pod column RESTARTS: text shows 1, got 3\nthe text shows (after article.md:180):',
    ],
  },
  'blog-my-first-pod-restarted-on-the-authors-machine-replicaset': {
    at: { source: 'blog-walkthrough', serverVersion: 'v1.36.3' },
    notAt: [{ source: 'cybozu-introduction-to-kubernetes@b2a7ea4' }],
    matches: ['article.md:294: `kubectl get pod` printed output unlike what the text shows (table):\n  - row my-first-pod column RESTARTS: text shows 1, got 0\nthe text shows (after article.md:294):\n    | NAME           READY   STATUS    RESTARTS   AGE\n    | my-first-pod   1/1     Running   1          10h\nthe run printed:\n    | NAME           READY   STATUS    RESTARTS   AGE\n    | my-first-pod   1/1     Running   0          14s'],
    mustNotMatch: ['article.md:294: `kubectl get pod` printed output unlike what the text shows (table):\n  - the text shows 2 rows, got 3: extra row nginx-replicaset-x\nthe text shows'],
  },
  'blog-bastion-deleted-off-the-text': {
    at: { source: 'blog-walkthrough', serverVersion: 'v1.36.3' },
    notAt: [{ source: 'cybozu-introduction-to-kubernetes@b3e9c28' }],
    matches: ['article.md:562: `kubectl get pod` printed output unlike what the text shows (table):\n  - the text shows 3 rows, got 4: extra row bastion (bastion 1/1 Running 0 4m26s)\nthe text shows (after article.md:562):'],
    mustNotMatch: [
      'article.md:562: `kubectl get pod` printed output unlike what the text shows (table):\n  - the text shows 3 rows, got 4: extra row bastion (bastion 1/1 Running 0 4m26s)\n  - row nginx-deployment-* column STATUS: text shows Running, got Pending (in nginx-deployment-1-a)\nthe text shows',
      'article.md:562: `kubectl get pod` printed output unlike what the text shows (table):\n  - the text shows 3 rows, got 2: no row like nginx-deployment-*\nthe text shows',
    ],
  },
  'blog-pdb-output-of-a-one-node-cluster': {
    at: { source: 'blog-walkthrough', serverVersion: 'v1.36.3', nodes: 3 },
    notAt: [{ nodes: 1 }, { nodes: undefined }, { source: 'cybozu-introduction-to-kubernetes@b3e9c28' }],
    matches: [
      'article.md:920: `kubectl get poddisruptionbudget` printed output unlike what the text shows (table):\n  - row nginx-pdb column ALLOWED DISRUPTIONS: text shows 0, got 1\nthe text shows (after article.md:920):\n    | NAME        MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE\n    | nginx-pdb   1               N/A               0                     66s',
    ],
    mustNotMatch: [
      'article.md:920: `kubectl get poddisruptionbudget` printed output unlike what the text shows (table):\n  - row nginx-pdb column ALLOWED DISRUPTIONS: text shows 0, got 2\nthe text shows',
      'article.md:920: `kubectl get poddisruptionbudget` printed output unlike what the text shows (table):\n  - row nginx-pdb column ALLOWED DISRUPTIONS: text shows 0, got 1\n  - row nginx-pdb column MIN AVAILABLE: text shows 1, got 2\nthe text shows',
    ],
  },
  'pdb-policy-v1beta1-removed': {
    at: { source: 'cybozu-introduction-to-kubernetes@b3e9c28', serverVersion: 'v1.36.3' },
    notAt: [{ serverVersion: 'v1.24.17' }],
    matches: [
      'a manifest uses an API this cluster does not serve (nothing was applied): more-introduction-to-kubernetes.adoc:224 (manifest "more-introduction-to-kubernetes/pod-disruption-budget/1"): PodDisruptionBudget "nginx-pdb" uses apiVersion policy/v1beta1, which the cluster (Kubernetes v1.36.3) does not serve: no kind PodDisruptionBudget in group "policy" version "v1beta1". Replacement: policy/v1 PodDisruptionBudget (policy/v1beta1 PodDisruptionBudget was removed in Kubernetes 1.25); in policy/v1 an empty spec.selector selects every pod in the namespace (in v1beta1 it selected none).',
      // The same, with the line breaks UnservedApiError puts in it.
      'a manifest uses an API this cluster does not serve (nothing was applied):\nmore-introduction-to-kubernetes.adoc:224 (manifest "more-introduction-to-kubernetes/pod-disruption-budget/1"): PodDisruptionBudget "nginx-pdb" uses apiVersion policy/v1beta1, which the cluster (Kubernetes v1.36.3) does not serve: no kind PodDisruptionBudget in group "policy" version "v1beta1".\n  Replacement: policy/v1 PodDisruptionBudget (policy/v1beta1 PodDisruptionBudget was removed in Kubernetes 1.25).',
      // kubectl apply's wording.
      'error: resource mapping not found for name: "nginx-pdb" namespace: "" from "pdb.yaml": no matches for kind "PodDisruptionBudget" in version "policy/v1beta1"\nensure CRDs are installed first',
    ],
    mustNotMatch: [
      'PodDisruptionBudget.policy "nginx-pdb" is invalid: spec.minAvailable: Invalid value: -1: must be greater than or equal to 0',
      // The suite's generic rejection of a policy/v1beta1 budget (which the old pattern matched).
      'more-introduction-to-kubernetes.adoc:224 (manifest "more-introduction-to-kubernetes/pod-disruption-budget/1"): the server rejected PodDisruptionBudget "nginx-pdb" (policy/v1beta1): Invalid: PodDisruptionBudget.policy "nginx-pdb" is invalid: spec.minAvailable: Invalid value: -1: must be greater than or equal to 0',
      'a manifest uses an API this cluster does not serve (nothing was applied):\nx.adoc:1: Deployment "nginx" uses apiVersion extensions/v1beta1, which the cluster (Kubernetes v1.36.3) does not serve: no kind Deployment in group "extensions" version "v1beta1".',
    ],
  },
  'health-check-sample-placeholder-image': {
    at: { source: 'cybozu-introduction-to-kubernetes@b3e9c28', serverVersion: 'v1.36.3', images: ['my-server:1.2.3.4'] },
    notAt: [{ images: ['nginx:1.16'] }, { images: undefined }],
    matches: [
      'pod tte-health-checks-b3e9c28-4ae5e4/liveness-http to be Ready will never happen: container my-server (image my-server:1.2.3.4): ErrImagePull: rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/my-server:1.2.3.4": failed to resolve image: docker.io/library/my-server:1.2.3.4: not found',
      'pod x/liveness-http to be Ready will never happen: container my-server (image docker.io/library/my-server:1.2.3.4): ErrImagePull: Error response from daemon: pull access denied for my-server, repository does not exist or may require \'docker login\': denied: requested access to the resource is denied',
    ],
    mustNotMatch: [
      'pod tte-health-checks-b3e9c28-4ae5e4/liveness-http to be Ready will never happen: container my-server (image my-server:1.2.3.4): ErrImagePull: rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/my-server:1.2.3.4": failed to resolve reference "docker.io/library/my-server:1.2.3.4": failed to do request: Head "http://127.0.0.1:5000/v2/library/my-server/manifests/1.2.3.4": dial tcp 127.0.0.1:5000: connect: connection refused',
      'pod x/liveness-http to be Ready will never happen: container my-server (image my-server:1.2.3.4): ImagePullBackOff: Back-off pulling image "my-server:1.2.3.4"',
      'pod x/liveness-http to be Ready will never happen: container my-server (image my-server:1.2.3.4): CrashLoopBackOff: back-off 10s restarting failed container=my-server',
    ],
  },
  'volume-sample-placeholder-image': {
    at: { source: 'cybozu-introduction-to-kubernetes@b3e9c28', serverVersion: 'v1.36.3', images: ['nginx:1.16', 'my-fluentd:1.6.0.1'] },
    notAt: [{ images: ['nginx:1.16', 'fluent/fluentd:v1.11'] }, { images: undefined }],
    matches: [
      'pod tte-volume-b3e9c28-f64cd4/nginx to be Ready will never happen: container fluentd (image my-fluentd:1.6.0.1): ErrImagePull: rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/my-fluentd:1.6.0.1": failed to resolve image: docker.io/library/my-fluentd:1.6.0.1: not found',
    ],
    mustNotMatch: [
      'pod tte-volume-b3e9c28-f64cd4/nginx to be Ready will never happen: container fluentd (image my-fluentd:1.6.0.1): ErrImagePull: rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/my-fluentd:1.6.0.1": failed to resolve reference "docker.io/library/my-fluentd:1.6.0.1": failed to do request: Head "http://127.0.0.1:5000/v2/library/my-fluentd/manifests/1.6.0.1": dial tcp 127.0.0.1:5000: connect: connection refused',
      // The other container's image, not the placeholder.
      'pod tte-volume-b3e9c28-f64cd4/nginx to be Ready will never happen: container nginx (image nginx:1.16): ErrImagePull: rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.16": failed to resolve image: docker.io/library/nginx:1.16: not found',
    ],
  },
  'kubectl-describe-probe-threshold-words': {
    at: { source: 'blog-walkthrough', serverVersion: 'v1.37.2', kubectlVersion: 'v1.37.2' },
    notAt: [{ kubectlVersion: 'v1.36.3' }, { kubectlVersion: undefined }, { source: 'cybozu-introduction-to-kubernetes@b3e9c28' }],
    // Seen on Kubernetes 1.37.2 (the version matrix), kubectl 1.37.2.
    matches: [
      'article.md:662: `kubectl describe pod sample-healthcheck | grep "Liveness"` printed output unlike what the text shows (describe):\n  - field Liveness: text shows http-get http://:80/index.html delay=5s timeout=1s period=3s #success=1 #failure=2, got http-get http://:80/index.html delay=5s timeout=1s period=3s successThreshold=1 failureThreshold=2\nthe text shows (after article.md:662):\n    |     Liveness:       http-get http://:80/index.html delay=5s timeout=1s period=3s #success=1 #failure=2',
      'article.md:666: `kubectl describe pod sample-healthcheck | grep "Readiness"` printed output unlike what the text shows (describe):\n  - field Readiness: text shows exec [ls /usr/share/nginx/html/50x.html] delay=5s timeout=1s period=3s #success=2 #failure=1, got exec [ls /usr/share/nginx/html/50x.html] delay=5s timeout=1s period=3s successThreshold=2 failureThreshold=1\nthe text shows (after article.md:666):',
    ],
    mustNotMatch: [
      // Another threshold than the text's: a real difference.
      'article.md:662: `kubectl describe pod sample-healthcheck | grep "Liveness"` printed output unlike what the text shows (describe):\n  - field Liveness: text shows http-get http://:80/index.html delay=5s timeout=1s period=3s #success=1 #failure=2, got http-get http://:80/index.html delay=5s timeout=1s period=3s successThreshold=1 failureThreshold=3\nthe text shows',
      // Another path, with the new words.
      'article.md:662: `kubectl describe pod sample-healthcheck | grep "Liveness"` printed output unlike what the text shows (describe):\n  - field Liveness: text shows http-get http://:80/index.html delay=5s timeout=1s period=3s #success=1 #failure=2, got http-get http://:80/ delay=5s timeout=1s period=3s successThreshold=1 failureThreshold=2\nthe text shows',
      // A second difference besides the words.
      'article.md:662: `kubectl describe pod sample-healthcheck | grep "Liveness"` printed output unlike what the text shows (describe):\n  - field Liveness: text shows http-get http://:80/index.html delay=5s timeout=1s period=3s #success=1 #failure=2, got http-get http://:80/index.html delay=5s timeout=1s period=3s successThreshold=1 failureThreshold=2\n  - field Readiness: missing\nthe text shows',
    ],
  },
  'kubectl-exec-without-double-dash': {
    at: { source: 'blog-walkthrough', serverVersion: 'v1.36.3', kubectlVersion: 'v1.36.3' },
    notAt: [{ kubectlVersion: 'v1.30.5' }, { kubectlVersion: undefined }, { source: 'cybozu-introduction-to-kubernetes@b3e9c28' }],
    matches: [
      "`kubectl exec -it sample-healthcheck rm /usr/share/nginx/html/index.html` failed (exit 1): error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead See 'kubectl exec -h' for help and examples",
      "`kubectl exec -it sample-healthcheck rm /usr/share/nginx/html/index.html` failed (exit 1): error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples",
    ],
    mustNotMatch: [
      '`kubectl exec -it sample-healthcheck rm /usr/share/nginx/html/index.html` failed (exit 1): Error from server (NotFound): pods "sample-healthcheck" not found',
      // kubectl before 1.31 warns, then the command fails for its own reason.
      "`kubectl exec -it sample-healthcheck rm /usr/share/nginx/html/index.html` failed (exit 1): kubectl exec [POD] [COMMAND] is DEPRECATED and will be removed in a future version. Use kubectl exec [POD] -- [COMMAND] instead.\nrm: cannot remove '/usr/share/nginx/html/index.html': No such file or directory\ncommand terminated with exit code 1",
    ],
  },
  'debian-stretch-apt-archived': {
    at: { source: 'cybozu-introduction-to-kubernetes@b2a7ea4', serverVersion: 'v1.36.3', images: ['debian:stretch'], internet: true },
    notAt: [{ internet: false }, { internet: undefined }, { images: ['debian:stable'] }, { images: ['nginx:latest'] }],
    matches: [
      "introduction-to-kubernetes.adoc:210: `apt update && apt install -y curl` in pod bastion failed (exit 100): WARNING: apt does not have a stable CLI interface. Use with caution in scripts.\n\n" +
        "E: The repository 'http://security.debian.org/debian-security stretch/updates Release' does not have a Release file.\n" +
        "N: Updating from such a repository can't be done securely, and is therefore disabled by default.\n" +
        'N: See apt-secure(8) manpage for repository creation and user configuration details.\n' +
        "E: The repository 'http://deb.debian.org/debian stretch Release' does not have a Release file.",
      "E: The repository 'http://deb.debian.org/debian stretch-updates Release' no longer has a Release file.",
      'Ign:1 http://deb.debian.org/debian stretch InRelease\nErr:5 http://deb.debian.org/debian stretch Release\n  404  Not Found [IP: 151.101.2.132 80]\nReading package lists...',
    ],
    mustNotMatch: [
      // No internet after all: apt update only warns, and the install finds no curl.
      "W: Failed to fetch http://deb.debian.org/debian/dists/stretch/InRelease  Temporary failure resolving 'deb.debian.org'\nW: Some index files failed to download. They have been ignored, or old ones used instead.\nE: Unable to locate package curl",
      "E: The repository 'http://deb.debian.org/debian bookworm Release' does not have a Release file.",
      "E: The repository 'http://archive.debian.org/debian stretch Release' does not have a Release file.",
      'E: Failed to fetch http://deb.debian.org/debian/pool/main/c/curl/curl_7.52.1-5+deb9u16_amd64.deb  404  Not Found [IP: 151.101.2.132 80]',
    ],
  },
};

describe(`known issues: the real ${KNOWN_ISSUES_FILE.split('/').slice(-2).join('/')}`, () => {
  const issues = loadKnownIssues(KNOWN_ISSUES_FILE);
  const byId = new Map(issues.map((i) => [i.id, i]));
  const the = (id: string): KnownIssue => {
    const issue = byId.get(id);
    if (issue === undefined) throw new Error(`no entry "${id}" in ${KNOWN_ISSUES_FILE}`);
    return issue;
  };

  test('every entry has its real texts here (and every text here its entry)', () => {
    expect([...byId.keys()].sort()).toEqual(Object.keys(REAL).sort());
  });

  test('kubectl-exec-without-double-dash is keyed on the kubectl client, not the server', () => {
    expect(the('kubectl-exec-without-double-dash').when).toEqual({ kubectlVersion: '>=1.31', sources: ['blog-walkthrough*'] });
  });

  test('the placeholders are keyed on their images', () => {
    expect(the('health-check-sample-placeholder-image').when).toEqual({ images: ['my-server:*'] });
    expect(the('volume-sample-placeholder-image').when).toEqual({ images: ['my-fluentd:*'] });
    expect(the('debian-stretch-apt-archived').when).toEqual({ images: ['debian:stretch'], internet: true });
  });

  describe.each(Object.entries(REAL))('%s', (id, real) => {
    const at = (): StepIdentity => ({ section: the(id).section, step: the(id).steps[0] ?? '', ...real.at });

    test('applies to its step, and not where a condition fails', () => {
      expect(issuesFor(issues, at()).map((i) => i.id)).toEqual([id]);
      for (const change of real.notAt) expect({ change, ids: issuesFor(issues, { ...at(), ...change }).map((i) => i.id) }).toEqual({ change, ids: [] });
    });

    test.each(real.matches)('matches its real error: %s', async (text) => {
      expect(the(id).failure.test(text)).toBe(true);
      await expect(runAsWritten(issues, at(), KNOWN_ISSUES_FILE, () => Promise.reject(new Error(text)))).resolves.toMatchObject({
        status: 'known-issue',
        issue: { id },
      });
    });

    test.each(real.mustNotMatch)('does not match another failure: %s', async (text) => {
      expect(the(id).failure.test(text)).toBe(false);
      await expect(runAsWritten(issues, at(), KNOWN_ISSUES_FILE, () => Promise.reject(new Error(text)))).rejects.toThrow(text);
    });
  });

  test('the old PodDisruptionBudget pattern matched the generic rejection (why it was rewritten)', () => {
    const old = /policy\/v1beta1.*PodDisruptionBudget|PodDisruptionBudget.*policy\/v1beta1/s;
    const rejection = REAL['pdb-policy-v1beta1-removed']?.mustNotMatch[1] ?? '';
    expect(old.test(rejection)).toBe(true);
    expect(the('pdb-policy-v1beta1-removed').failure.test(rejection)).toBe(false);
  });
});
