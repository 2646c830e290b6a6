import { parseCurlInclude } from './http-check.js';

describe('parseCurlInclude', () => {
  test('status line, headers (lowercased, repeats joined) and body', () => {
    const raw = 'HTTP/1.1 200 OK\r\nServer: nginx/1.21.6\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Type: text/html\r\n\r\n<html>hi</html>\n';
    expect(parseCurlInclude(raw)).toEqual({
      statusLine: 'HTTP/1.1 200 OK',
      status: 200,
      headers: { server: 'nginx/1.21.6', 'set-cookie': 'a=1, b=2', 'content-type': 'text/html' },
      body: '<html>hi</html>\n',
    });
  });

  test('skips a 100 Continue block', () => {
    const raw = 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n';
    expect(parseCurlInclude(raw)).toMatchObject({ status: 404, statusLine: 'HTTP/1.1 404 Not Found', body: '' });
  });

  test('HTTP/2 status lines and bodies with blank lines', () => {
    expect(parseCurlInclude('HTTP/2 301\nlocation: /x\n\na\n\nb')).toEqual({
      statusLine: 'HTTP/2 301',
      status: 301,
      headers: { location: '/x' },
      body: 'a\n\nb',
    });
  });

  test('not HTTP at all: everything is body', () => {
    expect(parseCurlInclude('garbage')).toEqual({ headers: {}, body: 'garbage' });
  });
});
