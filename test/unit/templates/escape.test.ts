/**
 * Escaping profile values for Markdown: only what can start markup is escaped, and every value reads
 * back as exactly its text wherever a template writes it — with keypolicy's parser and with the
 * CommonMark reference (micromark) that other renderers of the `.md` follow.
 */
import type { Nodes } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmStrikethroughFromMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../../src/core/markdown.js';
import { escapeMarkdown } from '../../../src/templates/escape.js';

const reference = (markdown: string) =>
  fromMarkdown(markdown, {
    extensions: [gfmTable(), gfmStrikethrough()],
    mdastExtensions: [gfmTableFromMarkdown(), gfmStrikethroughFromMarkdown()],
  });

/** The text of a tree; any node other than text and its containers is reported by its type. */
function textOf(node: Nodes): string {
  if (node.type === 'text') return node.value;
  if (
    !['root', 'paragraph', 'heading', 'list', 'listItem', 'table', 'tableRow', 'tableCell'].includes(
      node.type,
    )
  )
    return `<${node.type}>`;
  return 'children' in node ? node.children.map((child) => textOf(child)).join('') : '';
}

/** Where templates write values, and the text each place reads back. */
const PLACES: [string, (value: string) => string, (value: string) => string][] = [
  ['paragraph start', (v) => `${v} is registered`, (v) => `${v} is registered`],
  ['mid-sentence', (v) => `Before ${v}; after`, (v) => `Before ${v}; after`],
  ['list item', (v) => `- ${v}\n- next`, (v) => `${v}next`],
  ['heading', (v) => `## ${v}`, (v) => v],
  ['line after text', (v) => `Text\n${v}`, (v) => `Text\n${v}`],
  ['table cell', (v) => `| a | b |\n| - | - |\n| ${v} | c |`, (v) => `ab${v}c`],
];

const VALUES = [
  'Gofal (Wales)',
  '[x](y)',
  '**b**',
  '<b>',
  '# h',
  '1. x',
  '2) x',
  '- x',
  '+ x',
  '> q',
  '===',
  '---',
  'Care #',
  'https://x.org',
  'www.x.org',
  'a@b.org',
  'a|b',
  '&amp;',
  '&#65;',
  '&copy',
  '~~gone~~',
  '`code`',
  'a\\*b',
  '_em_',
];

describe('escaping profile values for Markdown', () => {
  it('leaves punctuation that starts no markup as written', () => {
    for (const value of [
      'Gofal (Wales)',
      'Dr. Jones!',
      'Ty Gwyn: care home',
      '3.5 hours',
      'Smith & Sons',
      'a = b',
    ])
      expect(escapeMarkdown(value)).toBe(value);
  });

  it('escapes what starts a block only at the start of the value', () => {
    expect(escapeMarkdown('# h')).toBe('\\# h');
    expect(escapeMarkdown('1. x')).toBe('1\\. x');
    expect(escapeMarkdown('- x')).toBe('\\- x');
    expect(escapeMarkdown('Ty-Gwyn 1. x # 2 > 1')).toBe('Ty-Gwyn 1. x # 2 > 1');
    expect(escapeMarkdown('    # deep')).toBe(' \\# deep');
  });

  it('breaks GFM autolink literals and entities, and nothing else', () => {
    expect(escapeMarkdown('https://x.org/a.b')).toBe('https\\://x.org/a.b');
    expect(escapeMarkdown('www.x.org')).toBe('www\\.x.org');
    expect(escapeMarkdown('a@b.c.org')).toBe('a\\@b\\.c.org');
    expect(escapeMarkdown('&amp; & &x y')).toBe('\\&amp; & &x y');
    expect(escapeMarkdown('a|b')).toBe('a\\|b');
  });

  for (const [place, write, expected] of PLACES)
    it(`reads every value back literally in a ${place}`, () => {
      for (const value of VALUES) {
        const markdown = write(escapeMarkdown(value));
        expect(textOf(parseMarkdown(markdown)), `${value} in ${markdown}`).toBe(expected(value));
        expect(textOf(reference(markdown)), `${value} in ${markdown} (micromark)`).toBe(expected(value));
      }
    });
});
