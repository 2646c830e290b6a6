import { API_REPLACEMENTS, findReplacement, formatSource, UnservedApiError, withReplacementApiVersion } from './deprecations.js';

describe('the replacement table', () => {
  test.each([
    ['policy/v1beta1', 'PodDisruptionBudget', 'policy/v1', '1.25'],
    ['extensions/v1beta1', 'Deployment', 'apps/v1', '1.16'],
    ['extensions/v1beta1', 'ReplicaSet', 'apps/v1', '1.16'],
    ['extensions/v1beta1', 'DaemonSet', 'apps/v1', '1.16'],
    ['apps/v1beta1', 'Deployment', 'apps/v1', '1.16'],
    ['apps/v1beta2', 'Deployment', 'apps/v1', '1.16'],
    ['apps/v1beta2', 'ReplicaSet', 'apps/v1', '1.16'],
    ['apps/v1beta2', 'DaemonSet', 'apps/v1', '1.16'],
    ['networking.k8s.io/v1beta1', 'Ingress', 'networking.k8s.io/v1', '1.22'],
    ['batch/v1beta1', 'CronJob', 'batch/v1', '1.25'],
    ['autoscaling/v2beta1', 'HorizontalPodAutoscaler', 'autoscaling/v2', '1.25'],
    ['autoscaling/v2beta2', 'HorizontalPodAutoscaler', 'autoscaling/v2', '1.26'],
  ])('%s %s -> %s (removed in %s)', (from, kind, to, removedIn) => {
    expect(findReplacement(from, kind)).toMatchObject({ from, kind, to, removedIn });
  });

  test('served APIs and unknown kinds have no entry', () => {
    expect(findReplacement('policy/v1', 'PodDisruptionBudget')).toBeUndefined();
    expect(findReplacement('apps/v1beta1', 'DaemonSet')).toBeUndefined(); // apps/v1beta1 never served DaemonSet
  });

  test('entries are unique', () => {
    const keys = API_REPLACEMENTS.map((r) => `${r.from} ${r.kind}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('UnservedApiError', () => {
  test('names the manifest, the missing group/version/kind, the server version and the replacement', () => {
    const err = new UnservedApiError(
      [
        {
          apiVersion: 'policy/v1beta1',
          kind: 'PodDisruptionBudget',
          name: 'nginx-pdb',
          source: { file: 'docs/pdb.adoc', line: 42, key: 'pdb/pod-disruption-budget/1' },
          replacement: findReplacement('policy/v1beta1', 'PodDisruptionBudget'),
          servedAs: ['policy/v1'],
        },
      ],
      'v1.36.3',
    );
    expect(err.message).toBe(
      [
        'a manifest uses an API this cluster does not serve (nothing was applied):',
        'docs/pdb.adoc:42 (manifest "pdb/pod-disruption-budget/1"): PodDisruptionBudget "nginx-pdb" uses apiVersion policy/v1beta1, ' +
          'which the cluster (Kubernetes v1.36.3) does not serve: no kind PodDisruptionBudget in group "policy" version "v1beta1".',
        '  Replacement: policy/v1 PodDisruptionBudget (policy/v1beta1 PodDisruptionBudget was removed in Kubernetes 1.25); ' +
          'in policy/v1 an empty spec.selector selects every pod in the namespace (in v1beta1 it selected none).',
        '  This cluster serves PodDisruptionBudget as: policy/v1.',
      ].join('\n'),
    );
    expect(err.name).toBe('UnservedApiError');
    expect(err.misses).toHaveLength(1);
  });

  test('lists every miss, and says when no replacement is known', () => {
    const err = new UnservedApiError(
      [
        { apiVersion: 'example.com/v1', kind: 'Widget', servedAs: [], source: { file: 'a.md', line: 3 } },
        { apiVersion: 'policy/v1beta1', kind: 'PodSecurityPolicy', servedAs: [], replacement: findReplacement('policy/v1beta1', 'PodSecurityPolicy') },
      ],
      'v1.30.0',
    );
    expect(err.message).toMatch(/^2 manifests use APIs this cluster does not serve/);
    expect(err.message).toContain('a.md:3: Widget uses apiVersion example.com/v1');
    expect(err.message).toContain('no kind Widget in group "example.com" version "v1"');
    expect(err.message).toContain('(manifest of unknown origin): PodSecurityPolicy');
    expect(err.message).toContain('Removed in Kubernetes 1.25, with no replacement: no replacement object: use Pod Security Admission');
  });

  test('core group is named as such', () => {
    const err = new UnservedApiError([{ apiVersion: 'v2', kind: 'Pod', servedAs: ['v1'] }], 'v1.36.3');
    expect(err.message).toContain('no kind Pod in group "core" version "v2"');
  });
});

describe('formatSource', () => {
  test('file:line, manifest key and object position', () => {
    expect(formatSource({ file: 'x.adoc', line: 7, key: 'x/s/2', objectIndex: 3 })).toBe('x.adoc:7 (manifest "x/s/2", object 3)');
    expect(formatSource({ file: 'x.adoc' })).toBe('x.adoc');
  });
});

describe('withReplacementApiVersion', () => {
  const pdb = {
    apiVersion: 'policy/v1beta1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'nginx-pdb' },
    spec: { minAvailable: 2, selector: { matchLabels: { app: 'nginx' } } },
  };

  test('the same budget as policy/v1, leaving the original untouched', () => {
    const { object, replacement } = withReplacementApiVersion(pdb);
    expect(object).toEqual({ ...pdb, apiVersion: 'policy/v1' });
    expect(pdb.apiVersion).toBe('policy/v1beta1');
    expect(replacement.removedIn).toBe('1.25');
  });

  test('refuses moves that change fields, and unknown ones', () => {
    expect(() => withReplacementApiVersion({ apiVersion: 'extensions/v1beta1', kind: 'Ingress' })).toThrow(/not a rename only.*serviceName/);
    expect(() => withReplacementApiVersion({ apiVersion: 'v1', kind: 'Pod' })).toThrow(/no known replacement for v1 Pod/);
  });
});
