import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  issuesFor,
  KnownIssuesFileError,
  loadKnownIssues,
  runAsWritten,
  UnexpectedPassError,
  versionMatches,
} from './known-issues.js';

function write(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'known-')), 'known-issues.yaml');
  writeFileSync(file, text);
  return file;
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
  });

  test('entries apply by section, step, server version and source', () => {
    const issues = loadKnownIssues(write(PDB));
    const at = { section: 'pod-disruption-budget', step: 'apply-as-written', source: 'blog-walkthrough' };
    expect(issuesFor(issues, { ...at, serverVersion: 'v1.36.3' }).map((i) => i.id)).toEqual(['pdb-v1beta1']);
    expect(issuesFor(issues, { ...at, serverVersion: 'v1.24.3' })).toEqual([]);
    const vol = { section: 'volume', step: 'run-as-written', serverVersion: 'v1.36.3' };
    expect(issuesFor(issues, { ...vol, source: 'cybozu-introduction-to-kubernetes@b3e9c28' })).toHaveLength(1);
    expect(issuesFor(issues, { ...vol, source: 'blog-walkthrough' })).toHaveLength(0);
  });

  test('a predicted failure becomes a finding; another failure is rethrown; a pass is unexpected', async () => {
    const file = write(PDB);
    const issues = loadKnownIssues(file);
    const at = { section: 'pod-disruption-budget', step: 'apply-as-written', source: 'x', serverVersion: 'v1.36.0' };
    const found = await runAsWritten(issues, at, file, async () => {
      throw new Error('no policy/v1beta1 PodDisruptionBudget on this server');
    });
    expect(found).toMatchObject({ status: 'known-issue', issue: { id: 'pdb-v1beta1' } });
    await expect(
      runAsWritten(issues, at, file, async () => {
        throw new Error('connection refused');
      }),
    ).rejects.toThrow('connection refused');
    await expect(runAsWritten(issues, at, file, async () => undefined)).rejects.toThrow(UnexpectedPassError);
    await expect(runAsWritten(issues, at, file, async () => undefined)).rejects.toThrow(/remove the entry "pdb-v1beta1"/);
    expect(await runAsWritten(issues, { ...at, serverVersion: 'v1.24.0' }, file, async () => undefined)).toEqual({
      status: 'passed',
    });
  });

  test('a bad file names the file, the entry and the field', () => {
    expect(() => loadKnownIssues(write('- id: a\n  section: s\n  step: t\n  cause: c\n'))).toThrow(
      /known-issues.yaml: entry 1 \(a\): "failure" must be a non-empty string/,
    );
    expect(() =>
      loadKnownIssues(write('- {id: a, section: s, step: t, failure: x, cause: c, when: {serverVersion: "newest"}}\n')),
    ).toThrow(/serverVersion "newest" is not of the form/);
    expect(() => loadKnownIssues(write('a: [1'))).toThrow(KnownIssuesFileError);
    expect(() => loadKnownIssues(write('{a: 1}'))).toThrow(/expected a list of entries/);
  });
});
