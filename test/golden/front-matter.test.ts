/**
 * Golden front matter of real editions: the organisation table, the document control and the contents
 * page, as each format shows them — the HTML's markup, the DOCX's paragraphs (the contents as a TOC field
 * already filled in), and the PDF's first pages as pdftotext lays them out (page numbers included).
 * After an intended change, regenerate with `npx vitest run test/golden -u` and read the diff.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyExample, runBinary, tempDir } from '../helpers.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const EXAMPLES = {
  'england-supported-living': 'larkspur-community-support',
  'wales-care-home': 'ty-celyn-care-home',
} as const;
const hasPdftotext = spawnSync('pdftotext', ['-v']).error === undefined;

/** The HTML from the organisation table to the end of the contents page. */
const htmlFrontMatter = (html: string) =>
  /<section class="control">[\s\S]*?<\/section>\s*(<nav[\s\S]*?<\/nav>)?/.exec(html)?.[0] ?? '';

/** The DOCX body's paragraphs up to the first numbered section, one line each, tabs shown as →. */
async function docxFrontMatter(file: string): Promise<string> {
  const zip = await JSZip.loadAsync(readFileSync(file));
  const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
  const lines: string[] = [];
  for (const [paragraph] of xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)) {
    const text = [
      ...paragraph.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>|<w:tab\/>|<w:instrText[^>]*>([^<]*)</g),
    ]
      .map((m) => (m[0].startsWith('<w:tab') ? '→' : m[2] !== undefined ? `{${m[2].trim()}}` : m[1]))
      .join('');
    if (/^1 Purpose and aims$/.test(text)) break;
    if (text) lines.push(text);
  }
  return `${lines.join('\n')}\n`;
}

describe('golden front matter: organisation, document control and contents in every format', () => {
  const dir = tempDir();
  beforeAll(() => {
    for (const example of Object.keys(EXAMPLES))
      copyExample(path.join(ROOT, 'examples', example), path.join(dir, example));
    const built = runBinary(dir, [
      'build',
      ...Object.keys(EXAMPLES).map((e) => `${e}/keypolicy.yaml`),
      '--out',
      'out',
      '--date',
      '2026-04-01',
      '--format',
      'pdf,docx,html',
      '--quiet',
    ]);
    expect(built.stderr).toBe('');
  }, 120_000);

  for (const [example, slug] of Object.entries(EXAMPLES)) {
    const edition = (ext: string) => path.join(dir, 'out', slug, `key-worker-policy.${ext}`);

    it(`${example}: HTML`, async () => {
      await expect(htmlFrontMatter(readFileSync(edition('html'), 'utf8'))).toMatchFileSnapshot(
        `front-matter/${example}.html`,
      );
    });

    it(`${example}: DOCX`, async () => {
      await expect(await docxFrontMatter(edition('docx'))).toMatchFileSnapshot(
        `front-matter/${example}.docx.txt`,
      );
    });

    it.skipIf(!hasPdftotext)(`${example}: PDF, first three pages`, async () => {
      const text = execFileSync('pdftotext', ['-layout', '-f', '1', '-l', '3', edition('pdf'), '-'], {
        encoding: 'utf8',
      });
      await expect(text).toMatchFileSnapshot(`front-matter/${example}.pdf.txt`);
    });
  }
});
