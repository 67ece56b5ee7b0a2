/** Profile values are data: every `{{value}}` is escaped so Markdown and HTML punctuation read literally. */
import { gfmStrikethroughToMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTableToMarkdown } from 'mdast-util-gfm-table';
import { toMarkdown } from 'mdast-util-to-markdown';
import { makeSafe, parseMarkdown } from '../core/markdown.js';

// CommonMark lets any ASCII punctuation be backslash-escaped; these are the ones that can start markup,
// an entity, a raw HTML tag or (with GFM) an autolink (`:` in https://, `@` in e-mail addresses, `.` in www.).
const MARKDOWN_PUNCTUATION = /[\\`*_{}[\]()#+\-.!|<>&~:@=]/g;

/** A value written into Markdown so that it renders exactly as written; line breaks become spaces. */
export function escapeMarkdown(value: string): string {
  return value.replace(/\r\n?|\n/g, ' ').replace(MARKDOWN_PUNCTUATION, '\\$&');
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
