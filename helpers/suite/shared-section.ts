// Each distinct section once per run. Two sources whose section has the same
// content key (below) would ask the cluster the same questions and get the
// same answers: the two Cybozu commits share most sections, and every mutant
// shares all but the sections its fixture breaks with its base. The first
// source in the run verifies the section; a later one declares the same tests
// under its own titles (its own file:line), and each repeats the outcome of
// the first source's test at the same place, with the report saying "same
// content as <source> in this run" (report.ts takes the first source's
// records for its cell, mapped to this source's own manifests and commands).
//
// Soundness rests on one rule: a spec sees only what its key covers. The
// spec's `s.the` is hashed whole; its `s.tutorial` is a view holding only the
// tutorial sections the suite's section owns (accounting.ts, owners), and
// those are hashed whole too, locations left out; the known issues that may
// apply to the source are hashed; a row may add what else its spec reads
// (the Exercise: the answer's files). So any change the spec could observe
// changes the key (shared-section.test.ts).
import { createHash } from 'node:crypto';
import type { Tutorial } from '../tutorial/index.js';
import { globMatches, type KnownIssue } from './known-issues.js';
import { writeRecord } from './records.js';

/**
 * The tutorial as a section's spec sees it: only the tutorial sections for
 * which `keep` holds (by section key), and the problems found in them.
 */
export function sectionView(t: Tutorial, keep: (sectionKey: string) => boolean): Tutorial {
  return {
    ...t,
    documents: t.documents.map((d) => ({ ...d, sections: d.sections.filter((s) => keep(s.key)) })),
    problems: t.problems.filter((p) => keep(p.sectionKey)),
  };
}

/** A SourceRef (`{file, line}`): where a thing is written, which no spec step acts on. */
const isSourceRef = (v: object): boolean => {
  const keys = Object.keys(v);
  return keys.length === 2 && keys.includes('file') && keys.includes('line');
};

/**
 * JSON with sorted keys and without locations (SourceRefs, and the line
 * numbers of a transcript's skipped lines). What a spec acts on is the same in two sources
 * that differ only in where it is written.
 */
export function canonical(value: unknown): string {
  const strip = (v: unknown, key: string | undefined): unknown => {
    if (Array.isArray(v)) return v.map((x) => strip(x, key));
    if (v === null || typeof v !== 'object') return v;
    if (isSourceRef(v)) return undefined;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      if (k === 'line' && key === 'skipped') continue; // a transcript's skipped lines: where, not what
      const x = strip((v as Record<string, unknown>)[k], k);
      if (x !== undefined) out[k] = x;
    }
    return out;
  };
  return JSON.stringify(strip(value, undefined));
}

export interface SectionKeyInput {
  section: string;
  /** What the section's locator found (`s.the`). */
  located: unknown;
  /** The tutorial as the spec sees it (sectionView). */
  view: Tutorial;
  /** The known issues of the run; those that can apply to this section and source are part of the key. */
  knownIssues: readonly KnownIssue[];
  /** Anything else the spec reads (the section table's `contentKey`). */
  extra?: string;
}

/** The known issues that may apply to this section of this source (the other conditions are the run's, the same for every source). */
export function issuesOfSource(issues: readonly KnownIssue[], section: string, source: string): KnownIssue[] {
  return issues.filter((i) => i.section === section && (i.when.sources === undefined || i.when.sources.some((g) => globMatches(g, source))));
}

export function sectionContentKey(i: SectionKeyInput): string {
  const h = createHash('sha256');
  const part = (name: string, text: string): void => {
    h.update(`${name}\0${text.length}\0${text}\0`);
  };
  part('section', i.section);
  part('located', canonical(i.located));
  part('documents', canonical(i.view.documents.map(({ file, format, title, slug, sections }) => ({ file, format, title, slug, sections }))));
  part('problems', canonical(i.view.problems.map(({ line: _line, ...p }) => p)));
  part('known-issues', canonical(issuesOfSource(i.knownIssues, i.section, i.view.name)));
  part('extra', i.extra ?? '');
  return h.digest('hex').slice(0, 16);
}

interface Outcome {
  error?: Error;
}

export interface Verification {
  source: string;
  /** The outcome of each of its tests, by declaration order; absent: it did not run (a hook before it failed). */
  outcomes: Array<Outcome | undefined>;
  declared: number;
}

/**
 * The outcome of test `i` of a source that shares `first`'s verification
 * (`declared` tests here): undefined when it passed there, else the error to
 * fail with, which names the source that ran it.
 */
export function replayed(first: Verification, i: number, declared: number, key: string): Error | undefined {
  if (declared !== first.declared) {
    return new Error(`the same content as ${first.source} (key ${key}) declared ${declared} tests here and ${first.declared} there: a spec must declare its tests from the text alone`);
  }
  const o = first.outcomes[i];
  if (o === undefined) return new Error(`as verified for ${first.source} (same content): this test did not run there (a hook before it failed; see its cell)`);
  if (o.error !== undefined) return new Error(`as verified for ${first.source} (same content): ${o.error.message}`, { cause: o.error });
  return undefined;
}

/** Per spec file (jest gives each file its own module registry): the first source verified for each key. */
const verified = new Map<string, Verification>();

type TestFn = () => unknown;
type Hook = (fn: () => unknown, timeout?: number) => void;
interface JestGlobals {
  test: (name: string, fn: TestFn, timeout?: number) => void;
  beforeAll: Hook;
  afterAll: Hook;
  beforeEach: Hook;
  afterEach: Hook;
}

/** Runs `declare` with jest's `test` (and, when muted, its hooks) replaced; restores them after. */
function withGlobals(replace: Partial<JestGlobals>, declare: () => void): void {
  const g = globalThis as unknown as JestGlobals;
  const saved = { test: g.test, beforeAll: g.beforeAll, afterAll: g.afterAll, beforeEach: g.beforeEach, afterEach: g.afterEach };
  Object.assign(g, replace);
  try {
    declare();
  } finally {
    Object.assign(g, saved);
  }
}

export interface SharedDeclaration {
  /** The source whose verification this one repeats; undefined: this source verifies the section. */
  sharedWith: string | undefined;
}

/**
 * Declares a source's tests of a section (`declare` calls jest's `test`, and
 * may set up hooks). The first source with `key` runs them and keeps their
 * outcomes; a later one declares the same tests, muted (no namespace, no
 * hooks), each repeating the first one's outcome.
 */
export function declareOnce(at: { section: string; source: string }, key: string, declare: () => void): SharedDeclaration {
  const realTest = (globalThis as unknown as JestGlobals).test;
  const first = verified.get(key);
  if (first === undefined) {
    const mine: Verification = { source: at.source, outcomes: [], declared: 0 };
    verified.set(key, mine);
    withGlobals(
      {
        test: (name, fn, timeout) => {
          const i = mine.declared++;
          realTest(
            name,
            async () => {
              try {
                await fn();
                mine.outcomes[i] = {};
              } catch (err) {
                mine.outcomes[i] = { error: err instanceof Error ? err : new Error(String(err)) };
                throw err;
              }
            },
            timeout,
          );
        },
      },
      declare,
    );
    return { sharedWith: undefined };
  }
  const noHook: Hook = () => undefined;
  let index = 0;
  let noted = false;
  withGlobals(
    {
      test: (name) => {
        const i = index++;
        realTest(name, () => {
          if (!noted) {
            noted = true;
            writeRecord({ type: 'same-as', section: at.section, source: at.source, as: first.source, key });
          }
          const error = replayed(first, i, index, key);
          if (error !== undefined) throw error;
        });
      },
      beforeAll: noHook,
      afterAll: noHook,
      beforeEach: noHook,
      afterEach: noHook,
    },
    declare,
  );
  return { sharedWith: first.source };
}
