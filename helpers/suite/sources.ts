// Which tutorial sources a run verifies. The suite takes tutorial sources by
// path: TUTORIAL_SOURCES (paths separated by ':'), or TUTORIAL_SOURCE for one.
// Without either, the sources beside the project in this workplace
// (../shared/tutorials/*) are used when they exist, so `npm test` verifies
// all three there; anywhere else the run says how to name a source.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTutorial, type Tutorial } from '../tutorial/index.js';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
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

/** Reads each source once per worker (specs of one file share it). */
export function tutorialsUnderTest(env: NodeJS.ProcessEnv = process.env): Tutorial[] {
  return sourcePaths(env).map((p) => {
    let t = cache.get(p);
    if (t === undefined) {
      t = readTutorial(p);
      cache.set(p, t);
    }
    return t;
  });
}
