import { orderedItems, readExerciseSteps } from './exercise.js';

// Invented texts in the shape of an exercise page: a title and a numbered list.
const adoc = [
  '= Exercise',
  '',
  '. Deploy the guestbook of the official tutorial.',
  '  https://kubernetes.io/docs/tutorials/stateless-application/guestbook/',
  '',
  '. Give the frontend a liveness probe and a readiness probe on `/`.',
  '',
  '. Enter a frontend Pod with `kubectl exec` and run `killall apache2`. What did the Pod do?',
  '',
  '. Make the liveness probe always fail. What does describe show? Then run `kubectl rollout status deployment frontend` and `kubectl rollout undo deployment frontend`.',
  '',
].join('\n');

describe('the Exercise steps of a text', () => {
  test('each step is found by what it asks, with its line, inline code and questions', () => {
    const r = readExerciseSteps(adoc, 'exercise.adoc');
    if (!('steps' in r)) throw new Error(`not found: ${r.missing.join('; ')}`);
    expect(r.steps.map((s) => [s.id, s.number, s.source.line])).toEqual([
      ['deploy', 1, 3],
      ['probes', 2, 6],
      ['kill-apache', 3, 8],
      ['failing-liveness', 4, 10],
    ]);
    expect(r.steps[0]?.text).toBe('Deploy the guestbook of the official tutorial. https://kubernetes.io/docs/tutorials/stateless-application/guestbook/');
    expect(r.steps[2]?.code).toEqual(['kubectl exec', 'killall apache2']);
    expect(r.steps[2]?.questions).toEqual(['What did the Pod do?']);
    expect(r.steps[3]?.code).toEqual(['kubectl rollout status deployment frontend', 'kubectl rollout undo deployment frontend']);
    expect(r.steps[3]?.questions).toEqual(['What does describe show?']);
    // A URL's query is no question.
    const first = readExerciseSteps(adoc.replace('guestbook/', 'guestbook/?lang=ja'), 'e.adoc');
    expect('steps' in first ? first.steps[0]?.questions : undefined).toEqual([]);
  });

  test('steps are found by content, not by number: a reordered Markdown list maps to the same steps', () => {
    const md = ['# Exercise', '', '1. Run `killall apache2` in a frontend Pod.', '2. Deploy the Guestbook.', '3. Add a liveness probe and a readiness probe.', '4. Break liveness, then `kubectl rollout undo deployment frontend`.'].join('\n');
    const r = readExerciseSteps(md, 'article.md');
    expect('steps' in r ? r.steps.map((s) => `${s.number} ${s.id}`) : r.missing).toEqual(['1 kill-apache', '2 deploy', '3 probes', '4 failing-liveness']);
  });

  test('Japanese wording of the course is recognised (ゲストブック, ？)', () => {
    const ja = ['. ゲストブックをデプロイしてください。', '. liveness probe と readiness probe を設定してください。', '. `killall apache2` してみましょう。どうなりましたか？', '. `kubectl rollout undo deployment frontend` を実行してください。'].join('\n');
    const r = readExerciseSteps(ja, 'exercise.adoc');
    expect('steps' in r ? r.steps[2]?.questions : r.missing).toEqual(['どうなりましたか？']);
  });

  test('a text without every step names what it looked for; list items inside code blocks do not count', () => {
    const r = readExerciseSteps(['. Deploy the guestbook.', '----', '. `killall apache2`', '----'].join('\n'), 'x.adoc');
    expect(r).toEqual({
      missing: [
        'kill-apache (an item naming `killall apache2`)',
        'failing-liveness (an item naming a `kubectl rollout ...` command)',
        'probes (an item asking for a liveness probe and a readiness probe)',
      ],
    });
    const none = readExerciseSteps('no list here', 'x.md');
    expect('missing' in none ? none.missing.map((m) => m.split(' ')[0]) : none).toEqual(['kill-apache', 'failing-liveness', 'probes', 'deploy']);
  });

  test('ordered items: continuation lines join, a blank line or `+` ends an item', () => {
    expect(orderedItems('. one\n  more\n\nnot an item\n1. two\n+\nafter')).toEqual([
      { text: 'one more', line: 1 },
      { text: 'two', line: 5 },
    ]);
  });
});
