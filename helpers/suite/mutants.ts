// Sensitivity fixtures: a mutant is a copy of a real tutorial source with one
// thing broken (a selector that matches nothing, a probe path that does not
// exist, ...). Each fixture names the base source, the text to replace (it
// must occur exactly once, so a fixture cannot silently stop applying), and
// the one section that must then fail, with what its failure must say. The
// fixtures hold only the few words they change; the source is copied at run
// time.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { load } from 'js-yaml';
import type { Report } from './report.js';

export interface Mutant {
  name: string;
  description: string;
  base: string;
  file: string;
  replace: Array<{ find: string; with: string }>;
  expect: { failing: string[]; message: RegExp };
}

export class MutantFixtureError extends Error {
  override name = 'MutantFixtureError';
}

export function loadMutant(fixture: string): Mutant {
  const doc = load(readFileSync(fixture, 'utf8')) as Record<string, unknown> | null;
  const bad = (what: string): never => {
    throw new MutantFixtureError(`${fixture}: ${what}`);
  };
  if (doc === null || typeof doc !== 'object') bad('expected a mapping');
  const d = doc as Record<string, unknown>;
  for (const k of ['description', 'base', 'file']) if (typeof d[k] !== 'string') bad(`"${k}" must be a string`);
  const replace = d.replace;
  if (!Array.isArray(replace) || replace.length === 0) bad('"replace" must be a non-empty list of {find, with}');
  const exp = d.expect as Record<string, unknown> | undefined;
  if (!exp || !Array.isArray(exp.failing) || typeof exp.message !== 'string') bad('"expect" needs "failing" (section ids) and "message" (a regular expression)');
  return {
    name: basename(fixture).replace(/\.ya?ml$/, ''),
    description: d.description as string,
    base: d.base as string,
    file: d.file as string,
    replace: (replace as Array<Record<string, unknown>>).map((r, i) => {
      if (typeof r.find !== 'string' || typeof r.with !== 'string') bad(`replace[${i}] needs "find" and "with" strings`);
      return { find: r.find as string, with: r.with as string };
    }),
    expect: { failing: (exp!.failing as unknown[]).map(String), message: new RegExp(exp!.message as string) },
  };
}

/** Copies the base source to `<dir>/<base>-mutant-<name>` and breaks it; returns the copy's path. */
export function makeMutant(m: Mutant, sourcesRoot: string, dir: string): string {
  const out = join(dir, `${m.base}-mutant-${m.name}`);
  cpSync(join(sourcesRoot, m.base), out, { recursive: true });
  const file = join(out, m.file);
  let text = readFileSync(file, 'utf8');
  for (const r of m.replace) {
    const count = text.split(r.find).length - 1;
    if (count !== 1) {
      throw new MutantFixtureError(
        `mutant ${m.name}: ${JSON.stringify(r.find)} occurs ${count} times in ${m.base}/${m.file} (must be exactly once): ` +
          'the source changed; update the fixture',
      );
    }
    text = text.replace(r.find, r.with);
  }
  writeFileSync(file, text);
  return out;
}

/** Did exactly the expected sections fail, for the expected reason? */
export function judgeMutant(m: Mutant, report: Report): { ok: boolean; failing: string[]; why: string } {
  const failing = report.sections.filter((s) => Object.values(s.bySource).some((v) => v.status === 'failed')).map((s) => s.section);
  const messages = report.sections
    .flatMap((s) => Object.values(s.bySource))
    // The failure's own words, not the test's title: the cause must be named.
    .flatMap((v) => (v.status === 'failed' ? v.failures.map((f) => f.message) : []));
  const same = [...failing].sort().join() === [...m.expect.failing].sort().join();
  if (!same) return { ok: false, failing, why: `expected exactly [${m.expect.failing.join(', ')}] to fail, got [${failing.join(', ')}]` };
  if (!messages.some((msg) => m.expect.message.test(msg))) {
    return { ok: false, failing, why: `no failure says ${m.expect.message}: ${messages.join(' | ')}` };
  }
  return { ok: true, failing, why: messages.find((msg) => m.expect.message.test(msg)) ?? '' };
}
