// Text of a run (jest's failure messages with their ANSI colours, pod logs,
// the tutorial's own words) put into XML (junit.xml) and HTML (report.html).
//
// XML 1.0 forbids most control characters even as character references
// (`&#0;` is malformed, and a strict parser rejects the whole file), so they
// cannot be escaped, only replaced: they become a visible `\u0000` notation,
// so the evidence still shows that they were there. Colour codes carry
// nothing a reader needs and are dropped.

const ESC = String.fromCharCode(27);
/** An ANSI control sequence (colours, cursor moves): ESC [ parameters intermediates final. */
const ANSI = new RegExp(`${ESC}\\[[0-?]*[ -/]*[@-~]`, 'g');
/**
 * What XML 1.0 does not allow (its `Char` production: tab, newline, carriage
 * return, U+0020-U+D7FF, U+E000-U+FFFD, U+10000-U+10FFFF; so also lone
 * surrogates, U+FFFE and U+FFFF), plus DEL and the C1 controls, which XML
 * allows but no reader can see.
 */
const UNPRINTABLE = /[^\t\n\r\u0020-\u007e\u00a0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

/** The text without colour codes, with every character XML cannot hold written as `\uXXXX`. */
export function printable(text: string): string {
  return text.replace(ANSI, '').replace(UNPRINTABLE, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}

const TEXT_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
/** Also the quotes, and the whitespace an XML parser would otherwise turn into spaces in an attribute's value. */
const ATTR_ENTITIES: Record<string, string> = { ...TEXT_ENTITIES, '"': '&quot;', "'": '&#39;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };

/** Element content, in XML or HTML. (`>` too, so that `]]>` can never close anything.) */
export function escapeText(text: string): string {
  return printable(text).replace(/[&<>]/g, (c) => TEXT_ENTITIES[c] ?? c);
}

/** An attribute's value (quoted with `"`), in XML or HTML; newlines survive as character references. */
export function escapeAttr(text: string): string {
  return printable(text).replace(/[&<>"'\t\n\r]/g, (c) => ATTR_ENTITIES[c] ?? c);
}
