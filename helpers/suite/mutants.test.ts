import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judgeMutant, loadMutant, makeMutant, MutantFixtureError } from './mutants.js';
import type { Report } from './report.js';
import { PROJECT_ROOT } from './sources.js';
import { sources, tutorialsRoot } from '../tutorial/test-paths.js';

const FIXTURES = join(PROJECT_ROOT, 'specs', 'mutants');

describe('mutants', () => {
  test('every fixture loads and applies to its real base source exactly once', () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(7);
    const dir = mkdtempSync(join(tmpdir(), 'mutants-'));
    for (const f of files) {
      const m = loadMutant(join(FIXTURES, f));
      const out = makeMutant(m, tutorialsRoot, dir);
      const before = readFileSync(join(tutorialsRoot, m.base, m.file), 'utf8');
      const after = readFileSync(join(out, m.file), 'utf8');
      expect(after).not.toBe(before);
      expect(after).toContain(m.replace[0]!.with);
    }
    expect(sources.blog).toContain('blog-walkthrough');
  });

  test('a find that is not exactly once names the fixture and the fix', () => {
    const root = mkdtempSync(join(tmpdir(), 'mutant-src-'));
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'src', 'a.md'), 'x: 1\nx: 1\n');
    const m = { name: 'twice', description: '', base: 'src', file: 'a.md', replace: [{ find: 'x: 1', with: 'x: 2' }], expect: { failing: [], message: /./ } };
    expect(() => makeMutant(m, root, mkdtempSync(join(tmpdir(), 'out-')))).toThrow(MutantFixtureError);
    expect(() => makeMutant(m, root, mkdtempSync(join(tmpdir(), 'out-')))).toThrow(/occurs 2 times in src\/a.md .*update the fixture/);
  });

  test('judged: exactly the expected sections fail, with the expected message', () => {
    const report = (failing: Record<string, string>): Report => ({
      serverVersion: 'v1.36.3',
      sources: ['s'],
      passed: 1,
      failed: Object.keys(failing).length,
      sections: ['pod', 'service', 'volume'].map((section) => ({
        section,
        bySource: {
          s: failing[section] ? { status: 'failed', tests: 1, failures: [{ test: 't', message: failing[section]! }] } : { status: 'verified', tests: 1 },
        },
      })),
    });
    const m = { name: 'm', description: '', base: 'b', file: 'f', replace: [], expect: { failing: ['service'], message: /no endpoint/ } };
    expect(judgeMutant(m, report({ service: 'no endpoint' })).ok).toBe(true);
    expect(judgeMutant(m, report({ service: 'no endpoint', pod: 'x' })).why).toMatch(/expected exactly \[service\] to fail, got \[pod, service\]/);
    expect(judgeMutant(m, report({})).ok).toBe(false);
    expect(judgeMutant(m, report({ service: 'timeout' })).why).toMatch(/no failure says/);
  });
});
