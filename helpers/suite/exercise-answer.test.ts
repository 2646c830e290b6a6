import { delimiter } from 'node:path';
import { ANSWER_DIR, ANSWERS_ENV, answerDirFor, answerManifests, ExerciseAnswerError, loadExerciseAnswer } from './exercise-answer.js';

describe("the suite's answer to the Exercise", () => {
  test('every object of a file with the line its document starts on (comments and separators skipped)', () => {
    const text = ['# header', 'apiVersion: v1', 'kind: Service', 'metadata:', '  name: a', '---', '', '# second', 'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: b', '---', ''].join('\n');
    expect(answerManifests(text, 'x/answer.yaml').map((m) => [m.key, m.source.line, m.object.kind, m.name])).toEqual([
      ['exercise-answer/answer.yaml#1', 2, 'Service', 'a'],
      ['exercise-answer/answer.yaml#2', 9, 'Pod', 'b'],
    ]);
  });

  test('a document that is no object, or no YAML, is an error naming file:line', () => {
    expect(() => answerManifests('a: 1\n---\nkind: Pod\n', 'f.yaml')).toThrow(new ExerciseAnswerError('f.yaml:1: a document needs apiVersion, kind and metadata.name'));
    expect(() => answerManifests('apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\nkey: [unclosed\n', 'f.yaml')).toThrow(/^f\.yaml:5: not valid YAML/);
  });

  test("the project's answer: the Guestbook's six objects, the frontend with probes, the frontend whose liveness always fails", () => {
    const a = loadExerciseAnswer(ANSWER_DIR);
    expect(a.dir).toBe('manifests/exercise-answer');
    expect(a.guestbook.map((m) => `${m.object.kind}/${m.name}`)).toEqual([
      'Deployment/redis-leader',
      'Service/redis-leader',
      'Deployment/redis-follower',
      'Service/redis-follower',
      'Deployment/frontend',
      'Service/frontend',
    ]);
    expect(a.probes.source).toEqual({ file: 'manifests/exercise-answer/frontend-with-probes.yaml', line: 7 });
    expect(JSON.stringify(a.failing.object)).toContain('"command":["sleep","3600"]');
    expect(a.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  test("a source's answer folder: its mutant's when the environment names one", () => {
    const env = { [ANSWERS_ENV]: ['src-mutant-a=/tmp/a.answer', 'src-mutant-b=/tmp/b.answer'].join(delimiter) };
    expect(answerDirFor('src-mutant-b', env)).toBe('/tmp/b.answer');
    expect(answerDirFor('src', env)).toBe(ANSWER_DIR);
    expect(answerDirFor('src', {})).toBe(ANSWER_DIR);
  });
});
