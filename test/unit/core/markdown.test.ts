/**
 * The parser gives the tree micromark (the CommonMark reference for mdast) gives, on every example
 * policy and on each construct a template may use. Where they part, it is on purpose: raw HTML reads as
 * text, a reference link resolves, and a short table row is filled out to the header's width.
 */
import fc from 'fast-check';
import type { Table } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmStrikethroughFromMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../../src/core/markdown.js';
import { checkProfile as validateProfile } from '../../../src/pipeline/check-profile.js';
import { escapeMarkdown } from '../../../src/templates/escape.js';
import { renderProfilePolicies } from '../../../src/templates/policies.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

const reference = (markdown: string) =>
  fromMarkdown(markdown, {
    extensions: [gfmTable(), gfmStrikethrough()],
    mdastExtensions: [gfmTableFromMarkdown(), gfmStrikethroughFromMarkdown()],
  });

/** A tree without source positions, and without the fields mdast leaves undefined or empty. */
function shape(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(shape);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => key !== 'position' && value !== undefined)
      .map(([key, value]) => [key, shape(value)]),
  );
}

const text = (node: unknown): string => {
  const n = node as { value?: string; alt?: string; children?: unknown[] };
  return (n.value ?? n.alt ?? '') + (n.children ?? []).map(text).join('');
};

const CONSTRUCTS = [
  '## Heading with *emphasis*, **strong**, ~~gone~~ and `code`\n\nA paragraph\nover two lines.',
  '- one\n- two\n  - nested\n  - nested too\n- three',
  '1. first\n2. second\n\n3. loose third',
  '3. starts at three\n4. four',
  '- item\n\n  with a second paragraph\n- next',
  '| Left | Centre | Right | None |\n| :--- | :---: | ---: | --- |\n| a | *b* | `c` | d |\n| e | | g | |',
  '> quoted\n> - with a list\n\n---\n\nafter a rule',
  '```yaml\nkey: value\n```\n\n    indented code\n',
  '[a link](https://example.org "Title") and <https://example.org/auto> and [mail](mailto:a@b.example)',
  '![logo](keypolicy:logo) and line  \nbreak and line\\\nbreak',
  'Escapes: \\*not emphasis\\*, \\[not a link\\](x), \\# not a heading, &amp; &copy; &#35;',
  '### Three\n#### Four\n##### Five\n###### Six',
  '* star list\n+ plus list',
  'www.example.com and https://example.org stay text',
];

describe('parseMarkdown', () => {
  it('gives micromark’s tree for each construct templates use', () => {
    for (const markdown of CONSTRUCTS) {
      expect(shape(parseMarkdown(markdown)), markdown).toEqual(shape(reference(markdown)));
    }
  });

  it('gives micromark’s tree for every example policy', async () => {
    for (const example of [
      'examples/england-supported-living/keypolicy.yaml',
      'examples/wales-care-home/keypolicy.yaml',
      'examples/england-domiciliary-link/keypolicy.yaml',
      'examples/consultant/clients/ashcombe-house.yaml',
    ]) {
      const report = await validateProfile(path.join(ROOT, example), { register: false });
      if (!report.resolved) throw new Error(`${example} did not resolve`);
      const { policies } = await renderProfilePolicies(report.resolved, { date: '2026-04-01' });
      for (const policy of policies)
        expect(shape(parseMarkdown(policy.markdown))).toEqual(shape(reference(policy.markdown)));
    }
  });

  it('gives a short table row empty cells up to the header’s width, so every format has a full grid', () => {
    const tree = parseMarkdown('| a | b | c |\n| - | - | - |\n| 1 |');
    const rows = (tree.children[0] as Table).children;
    expect(rows.map((row) => row.children.length)).toEqual([3, 3]);
  });

  it('reads raw HTML as text, never as markup', () => {
    const tree = parseMarkdown('<script>alert(1)</script>\n\nText <b>bold</b> <img src=x onerror=y>');
    expect(JSON.stringify(tree)).not.toMatch(/"type":"html"/);
    expect(text(tree)).toBe('<script>alert(1)</script>Text <b>bold</b> <img src=x onerror=y>');
  });

  it('reads any escaped value as exactly its text, as micromark does', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (value) => {
        // eslint-disable-next-line no-control-regex -- the validator refuses control characters; the fuzz leaves them out
        const clean = value.replace(/[\u0000-\u001f\u007f]/g, ' ');
        const markdown = `Before ${escapeMarkdown(clean)} after`;
        expect(text(parseMarkdown(markdown))).toBe(text(reference(markdown)));
      }),
      { numRuns: 300 },
    );
  });

  it('stops nesting before it runs out of stack', () => {
    expect(() => parseMarkdown('>'.repeat(50_000) + ' deep')).not.toThrow();
    expect(() => parseMarkdown('- '.repeat(10_000) + 'deep')).not.toThrow();
  });
});
