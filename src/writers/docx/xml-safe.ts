/** Text made safe for Word's XML, for every part of the document that carries words from the profile. */

/**
 * Characters XML 1.0 does not allow (C0 controls other than tab, LF and CR; lone surrogates; U+FFFE and
 * U+FFFF), plus C1 controls, which Word shows as boxes at best. Everything else is kept as written.
 */
const FORBIDDEN =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text made safe for XML; tabs and line ends become spaces (a soft line break in Markdown is a space). */
export function xmlSafe(text: string): string {
  return text.replace(FORBIDDEN, '').replace(/\r\n?|[\n\t]/g, ' ');
}

/** Like `xmlSafe` but keeps line ends (code blocks), as `\n`. */
export const xmlSafeLines = (text: string): string =>
  text.replace(FORBIDDEN, '').replace(/\r\n?/g, '\n').replace(/\t/g, '    ');
