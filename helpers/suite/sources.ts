// Which tutorial sources a run verifies. The suite takes tutorial sources by
// path: TUTORIAL_SOURCES (paths separated by ':'), or TUTORIAL_SOURCE for one.
// A source is named after its folder, unless TUTORIAL_SOURCE_NAMES (':'-separated,
// in the same order; an empty entry keeps the folder's name) names it: a
// checkout folder called anything then finds its reviewed snapshot
// (manifests/<name>/) and its known issues. TUTORIAL_SOURCE_SNAPSHOTS (same
// form) names the reviewed snapshot a source is held to when it is not its own
// name's: a mutant of a real source (scripts/mutants.ts) is held to that
// source's snapshot, so a section it breaks can no longer pass as "not there".
// Without either, the sources beside the project in this workplace
// (../shared/tutorials/*) are used when they exist, so `npm test` verifies
// all three there; anywhere else the run says how to name a source.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { readTutorial, type Tutorial } from '../tutorial/index.js';
import { PROJECT_ROOT } from './project-root.js';

export { PROJECT_ROOT };
const WORKPLACE_TUTORIALS = resolve(PROJECT_ROOT, '..', 'shared', 'tutorials');

export class NoTutorialSourceError extends Error {
  override name = 'NoTutorialSourceError';
}

/** The paths named by the environment, or the workplace's sources. */
export function sourcePaths(env: NodeJS.ProcessEnv = process.env): string[] {
  const named = env.TUTORIAL_SOURCES ?? env.TUTORIAL_SOURCE;
  if (named !== undefined && named.trim() !== '') {
    return named
      .split(delimiter)
      .filter((p) => p.trim() !== '')
      .map((p) => resolve(p));
  }
  if (existsSync(WORKPLACE_TUTORIALS)) {
    return readdirSync(WORKPLACE_TUTORIALS)
      .sort()
      .map((n) => join(WORKPLACE_TUTORIALS, n))
      .filter((p) => statSync(p).isDirectory());
  }
  throw new NoTutorialSourceError(
    'no tutorial source to verify: set TUTORIAL_SOURCE=<path of a tutorial folder or file> ' +
      '(or TUTORIAL_SOURCES=<path>:<path>), or run `npm run verify -- <path>`',
  );
}

const cache = new Map<string, Tutorial>();

/** The names given to the sources, in order (undefined: the folder's name). */
export function sourceNames(env: NodeJS.ProcessEnv = process.env): Array<string | undefined> {
  return (env.TUTORIAL_SOURCE_NAMES ?? '').split(delimiter).map((n) => (n.trim() === '' ? undefined : n.trim()));
}

const snapshots = new Map<string, string>();

/** The reviewed snapshot (manifests/<name>/) a source is held to: TUTORIAL_SOURCE_SNAPSHOTS, else its own name. */
export function snapshotNameOf(t: Tutorial): string {
  return snapshots.get(t.name) ?? t.name;
}

/** Reads each source once per worker (specs of one file share it). */
export function tutorialsUnderTest(env: NodeJS.ProcessEnv = process.env): Tutorial[] {
  const names = sourceNames(env);
  const reviewedAs = sourceNames({ TUTORIAL_SOURCE_NAMES: env.TUTORIAL_SOURCE_SNAPSHOTS });
  return sourcePaths(env).map((p, i) => {
    let t = cache.get(p);
    if (t === undefined) {
      t = readTutorial(p);
      const name = names[i];
      if (name !== undefined) t = { ...t, name };
      const snapshot = reviewedAs[i];
      if (snapshot !== undefined) snapshots.set(t.name, snapshot);
      cache.set(p, t);
    }
    return t;
  });
}
