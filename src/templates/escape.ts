/** Profile values are data: every `{{value}}` is escaped so Markdown and HTML punctuation read literally. */
import { gfmStrikethroughToMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTableToMarkdown } from 'mdast-util-gfm-table';
import { toMarkdown } from 'mdast-util-to-markdown';
import { makeSafe, parseMarkdown } from '../core/markdown.js';

// Only what can start markup is escaped, so "Gofal (Wales)" stays as written in the `.md`.
/** Can open inline markup anywhere: escapes, code, emphasis, links, raw HTML, strikethrough, table cells. */
const INLINE_MARKUP = /[\\`*_[\]<~|]/g;
/** An `&` that would read as an entity, with the `;` in the value or (at its end) from the template. */
const ENTITY_START = /&(?=#[xX]?[\da-fA-F]*(?:;|$)|[A-Za-z][A-Za-z\d]*(?:;|$))/g;
/**
 * GFM autolink literals (GitHub and other renderers of the `.md`; keypolicy's own parser leaves them off):
 * the `://` of a URL, the `.` of `www.`, and the `@` and first `.` of an e-mail address's domain.
 */
const AUTOLINK_LITERAL = /:(?=\/\/)|(?<=www)\.|@|(?<=@[\w-]*)\./gi;
/**
 * A value may land at the start of a line (a paragraph, a list item, a heading), where these start a
 * heading, block quote, list, thematic break or setext underline. Four leading spaces would start a
 * code block, so leading white space becomes one space.
 */
const BLOCK_START = /^( ?)(?:([#>+=-])|(\d{1,9})([.)])(?=\s|$))/;
/** A run of `#` ending a heading line is its closing sequence and would be dropped. */
const CLOSING_HASHES = /(^|\s)#(#*)$/;

/** A value written into Markdown so that it renders exactly as written; line breaks become spaces. */
export function escapeMarkdown(value: string): string {
  return value
    .replace(/\r\n?|\n/g, ' ')
    .replace(INLINE_MARKUP, '\\$&')
    .replace(ENTITY_START, '\\&')
    .replace(AUTOLINK_LITERAL, '\\$&')
    .replace(/^\s+/, ' ')
    .replace(BLOCK_START, (_, space: string, mark?: string, digits?: string, delimiter?: string) =>
      mark ? `${space}\\${mark}` : `${space}${digits}\\${delimiter}`,
    )
    .replace(CLOSING_HASHES, '$1\\#$2');
}

/**
 * Literal text of a plain-text template written into Markdown so that it reads as written: inline
 * markup escaped, and (`lineStart`) what would start a block at the start of its line.
 */
export function escapeLiteral(text: string, lineStart: boolean): string {
  const inline = text
    .replace(INLINE_MARKUP, '\\$&')
    .replace(ENTITY_START, '\\&')
    .replace(AUTOLINK_LITERAL, '\\$&');
  return lineStart
    ? inline.replace(BLOCK_START, (_, space: string, mark?: string, digits?: string, delimiter?: string) =>
        mark ? `${space}\\${mark}` : `${space}${digits}\\${delimiter}`,
      )
    : inline;
}

/** Handlebars' SafeString: trusted markup made by the template's own helpers. */
const isSafeString = (value: unknown): value is { toHTML: () => unknown } =>
  value !== null && typeof value === 'object' && 'toHTML' in value && typeof value.toHTML === 'function';

/** The text of `{{value}}` before any escaping. */
export function expressionText(value: unknown): string {
  if (isSafeString(value)) return String(value.toHTML());
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}

/** What Handlebars calls for `{{expression}}` in a policy body: values escaped, SafeStrings as they are. */
export const escapeExpression = (value: unknown): string =>
  isSafeString(value) ? expressionText(value) : escapeMarkdown(expressionText(value));

/**
 * A field meant to carry Markdown (`{{markdown keyWorking.localArrangements}}`), kept as Markdown but
 * made safe the way every document is: raw HTML reads as text, a link other than http, https or mailto
 * becomes its text, and images are dropped, so not even the `.md` output links or loads anything else.
 */
export function safeMarkdown(value: string): string {
  const tree = parseMarkdown(value);
  makeSafe(tree);
  return toMarkdown(tree, {
    bullet: '-',
    emphasis: '_',
    rule: '-',
    extensions: [gfmTableToMarkdown(), gfmStrikethroughToMarkdown()],
  }).trimEnd();
}
