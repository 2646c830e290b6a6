// The suite's own answer to the course's Exercise: the tutorial asks the
// reader to deploy the Kubernetes Guestbook and change it, but prints no
// manifest for it, so the project writes them (manifests/exercise-answer/)
// and verifies them step by step against what the text asks. The answer is
// labelled as the project's everywhere it shows: its files are named by
// their project path, never as the tutorial's.
//
// A mutant of the answer (specs/mutants, `target: answer`) is a copy of this
// folder with one thing broken; TUTORIAL_E2E_EXERCISE_ANSWERS points a
// source of the run at it (`<source name>=<folder>`, ':'-separated).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { delimiter, isAbsolute, join, relative } from 'node:path';
import yaml from 'js-yaml';
import { isKind } from '../kube/index.js';
import type { KubeObject } from '../tutorial/index.js';
import { PROJECT_ROOT } from './project-root.js';

export const ANSWER_DIR = join(PROJECT_ROOT, 'manifests', 'exercise-answer');
export const ANSWERS_ENV = 'TUTORIAL_E2E_EXERCISE_ANSWERS';

/** The answer's files: step 1 deploys the first, step 2 applies the second, step 4 the third. */
export const ANSWER_FILES = { guestbook: 'guestbook.yaml', probes: 'frontend-with-probes.yaml', failing: 'frontend-liveness-fails.yaml' } as const;

/** One object of an answer file, shaped like a tutorial manifest so apply() names its file:line. */
export interface AnswerManifest {
  key: string;
  source: { file: string; line: number };
  objects: KubeObject[];
  object: KubeObject;
  name: string;
}

export interface ExerciseAnswer {
  /** The folder, as the report names it (relative to the project when inside it). */
  dir: string;
  guestbook: AnswerManifest[];
  probes: AnswerManifest;
  failing: AnswerManifest;
  /** sha256 of every file's bytes: part of the Exercise's content key. */
  digest: string;
}

export class ExerciseAnswerError extends Error {
  override name = 'ExerciseAnswerError';
}

/** The objects of a multi-document YAML file, each with the line its document starts on. */
export function answerManifests(text: string, file: string): AnswerManifest[] {
  const out: AnswerManifest[] = [];
  const lines = text.split('\n');
  let start = 0;
  const flush = (end: number): void => {
    const chunk = lines.slice(start, end).join('\n');
    const first = lines.slice(start, end).findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#'));
    if (first >= 0) {
      let doc: unknown;
      try {
        doc = yaml.load(chunk);
      } catch (err) {
        throw new ExerciseAnswerError(`${file}:${start + first + 1}: not valid YAML: ${err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err)}`);
      }
      const o = doc as Partial<KubeObject> | undefined;
      if (typeof o?.kind !== 'string' || typeof o.apiVersion !== 'string' || typeof o.metadata?.name !== 'string') {
        throw new ExerciseAnswerError(`${file}:${start + first + 1}: a document needs apiVersion, kind and metadata.name`);
      }
      const object = o as KubeObject;
      const line = start + first + 1;
      out.push({ key: `exercise-answer/${file.split('/').pop() ?? file}#${out.length + 1}`, source: { file, line }, objects: [object], object, name: object.metadata.name });
    }
    start = end + 1;
  };
  lines.forEach((l, i) => {
    if (/^---\s*$/.test(l)) flush(i);
  });
  flush(lines.length);
  return out;
}

/** The answer folder for a source: its mutant's, when the environment names one, else the project's. */
export function answerDirFor(source: string, env: NodeJS.ProcessEnv = process.env): string {
  for (const pair of (env[ANSWERS_ENV] ?? '').split(delimiter)) {
    const i = pair.indexOf('=');
    if (i > 0 && pair.slice(0, i) === source) return pair.slice(i + 1);
  }
  return ANSWER_DIR;
}

const loaded = new Map<string, ExerciseAnswer>();

export function loadExerciseAnswer(dir: string): ExerciseAnswer {
  const cached = loaded.get(dir);
  if (cached !== undefined) return cached;
  const shown = isAbsolute(dir) && !relative(PROJECT_ROOT, dir).startsWith('..') ? relative(PROJECT_ROOT, dir) : dir;
  const hash = createHash('sha256');
  const read = (name: string): AnswerManifest[] => {
    const text = readFileSync(join(dir, name), 'utf8');
    hash.update(`${name}\0${text}\0`);
    return answerManifests(text, join(shown, name));
  };
  const deployment = (name: string): AnswerManifest => {
    const ms = read(name);
    const d = ms.find((m) => isKind(m.object, 'Deployment'));
    if (ms.length !== 1 || d === undefined) throw new ExerciseAnswerError(`${join(shown, name)}: must hold exactly one Deployment (the frontend)`);
    return d;
  };
  const guestbook = read(ANSWER_FILES.guestbook);
  const answer: ExerciseAnswer = { dir: shown, guestbook, probes: deployment(ANSWER_FILES.probes), failing: deployment(ANSWER_FILES.failing), digest: '' };
  answer.digest = hash.digest('hex');
  loaded.set(dir, answer);
  return answer;
}
