import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTutorial } from '../tutorial/index.js';
import { sources } from '../tutorial/test-paths.js';
import { loadMutant } from './mutants.js';
import { checkSectionIds, floorOf, SECTION_IDS, SECTIONS, sectionById, sectionOfSpecFile, UnknownSectionError } from './sections.js';
import { PROJECT_ROOT } from './sources.js';
import { isAbsent } from './tutorial-sections.js';

const specFiles = (dir: string): string[] =>
  readdirSync(join(PROJECT_ROOT, dir))
    .filter((f) => f.endsWith('.spec.ts'))
    .map((f) => `${dir}/${f}`);

describe('the section table', () => {
  test('ids are unique; every spec file it names exists and verifies its own id', () => {
    expect(new Set(SECTION_IDS).size).toBe(SECTIONS.length);
    for (const s of SECTIONS) {
      expect(existsSync(join(PROJECT_ROOT, s.spec))).toBe(true);
      expect(readFileSync(join(PROJECT_ROOT, s.spec), 'utf8')).toContain(`verifySection('${s.id}',`);
    }
  });

  test('every section spec file is in the table (a spec outside it would have no row in the report)', () => {
    const inTable = new Set(SECTIONS.flatMap((s) => [s.spec, ...('nodeLossSpec' in s ? [s.nodeLossSpec] : [])]));
    expect([...specFiles('specs/intro'), ...specFiles('specs/more')].filter((f) => !inTable.has(f))).toEqual([]);
    expect(sectionOfSpecFile(join(PROJECT_ROOT, 'specs/more/03-volume.spec.ts'))?.id).toBe('volume');
    expect(sectionOfSpecFile(join(PROJECT_ROOT, 'specs/helpers.spec.ts'))).toBeUndefined();
    expect(sectionOfSpecFile(join(PROJECT_ROOT, 'specs/more/04-anti-affinity.node-loss.spec.ts'))?.id).toBe('anti-affinity');
  });

  test('an unknown id is an error naming it and the ids there are', () => {
    expect(() => sectionById('pods', 'specs/x.spec.ts')).toThrow(UnknownSectionError);
    expect(() => sectionById('pods', 'specs/x.spec.ts')).toThrow(/specs\/x\.spec\.ts: unknown section "pods"; the sections are: pod, pod-to-pod/);
    expect(() => checkSectionIds(['pod', 'volumes', 'pdb'], 'fixture.yaml')).toThrow(/fixture\.yaml: unknown section\(s\) "volumes", "pdb"/);
    expect(() => checkSectionIds(['pod', 'volume'], 'fixture.yaml')).not.toThrow();
  });

  test('the known issues and the mutants name only sections of the table', () => {
    const mutants = readdirSync(join(PROJECT_ROOT, 'specs', 'mutants')).filter((f) => f.endsWith('.yaml'));
    expect(mutants.length).toBeGreaterThan(0);
    for (const f of mutants) expect(() => loadMutant(join(PROJECT_ROOT, 'specs', 'mutants', f))).not.toThrow();
  });

  test('in the three real sources: every section located, except what a source does not have', () => {
    const found = (path: string) => {
      const t = readTutorial(path);
      return SECTIONS.filter((s) => !isAbsent(s.locate(t))).map((s) => s.id);
    };
    expect(found(sources.cybozuHead)).toEqual(SECTION_IDS);
    expect(found(sources.cybozu2020)).toEqual(SECTION_IDS);
    // The blog's Exercise heading says it skipped the Exercise: it lists no steps.
    expect(found(sources.blog)).toEqual(SECTION_IDS.filter((id) => id !== 'exercise'));
    expect(floorOf('health-checks', readTutorial(sources.blog))?.seconds).toBe(25);
  });
});
