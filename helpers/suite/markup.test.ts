import { escapeAttr, escapeText, printable } from './markup.js';

describe('markup escaping', () => {
  test('colour codes are dropped; characters XML 1.0 cannot hold are written as \\uXXXX; the rest is kept', () => {
    expect(printable('\u001b[31mError\u001b[39m: x')).toBe('Error: x');
    expect(printable('a\u0000b\u0008c\u007fd\u0085e\ufffef')).toBe('a\\u0000b\\u0008c\\u007fd\\u0085e\\ufffef');
    // A lone surrogate (half an emoji, e.g. a log cut mid-character) is not a character; a whole emoji is.
    expect(printable('cut \ud83d here, whole 😀')).toBe('cut \\ud83d here, whole 😀');
    expect(printable('tab\tnew\nline\r\nü ✓')).toBe('tab\tnew\nline\r\nü ✓');
  });

  test('text escapes markup, and > so that ]]> closes nothing; attributes also quotes and whitespace', () => {
    expect(escapeText('<a href="x">&</a> ]]>')).toBe('&lt;a href="x"&gt;&amp;&lt;/a&gt; ]]&gt;');
    expect(escapeAttr(`say "hi" & 'bye'\n\tnext`)).toBe('say &quot;hi&quot; &amp; &#39;bye&#39;&#10;&#9;next');
    expect(escapeAttr('\u0000')).toBe('\\u0000');
  });
});
