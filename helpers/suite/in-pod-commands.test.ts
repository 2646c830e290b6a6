import type { Command } from '../tutorial/index.js';
import { splitWords } from './kubectl.js';
import { expectAlike } from './in-pod-commands.js';

const command = (output: string[]): Command => ({
  text: 'curl -i http://my-first-service/',
  prompt: '(bastion)# ',
  context: { where: 'pod', pod: 'bastion' },
  comments: [],
  output,
  source: { file: 'intro.adoc', line: 270 },
});

describe('steps of the text', () => {
  test('output is alike when the HTTP status code matches the published one', () => {
    expect(() => expectAlike(command(['HTTP/1.1 200 OK', 'Server: nginx/1.17.0']), { status: 200, headers: {}, body: '' })).not.toThrow();
    expect(() => expectAlike(command(['HTTP/1.1 200 OK']), { status: 404, statusLine: 'HTTP/1.1 404 Not Found', headers: {}, body: '' })).toThrow(
      'intro.adoc:270: `curl -i http://my-first-service/` printed "HTTP/1.1 404 Not Found", the text shows "HTTP/1.1 200 OK"',
    );
    // No published status line: nothing to compare.
    expect(() => expectAlike(command([]), { status: 500, headers: {}, body: '' })).not.toThrow();
  });

  test('a command line is split like a shell would', () => {
    expect(splitWords(`kubectl exec -it web -- sh -c 'echo "a b"'`)).toEqual(['kubectl', 'exec', '-it', 'web', '--', 'sh', '-c', 'echo "a b"']);
  });
});
