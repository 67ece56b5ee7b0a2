import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { renderDocx } from '../../../../src/writers/docx/docx.js';
import { fitLine } from '../../../../src/writers/pdf/text-width.js';
import { tempDir } from '../../../helpers.js';
import { ENGLAND_APPROVALS, headingsOf, paragraphs, useExamples, WALES_APPROVALS } from './fixtures.js';

const run = promisify(execFile);

const { docs, xml } = useExamples();

describe.each(['englandDraft', 'englandApproved', 'walesDraft', 'walesApproved'])('%s', (name) => {
  it('uses a real Word heading style for every heading in the model, and Title for the title', () => {
    const doc = docs[name]!;
    const paras = paragraphs(xml[name]!['word/document.xml']!);
    const expected = headingsOf(doc.body);
    expect(expected.length).toBeGreaterThan(0);
    for (const heading of expected) {
      expect(heading.text).toMatch(/^\d+(\.\d+)* /);
      const found = paras.find((p) => p.text === heading.text && p.style?.startsWith('Heading'));
      expect(found, heading.text).toBeDefined();
      expect(found!.style).toBe(`Heading${heading.level}`);
    }
    expect(paras.find((p) => p.style === 'Title')?.text).toBe(doc.title);
    // Heading 1/2/3 are defined in styles.xml, coloured with the brand colour.
    const styles = xml[name]!['word/styles.xml']!;
    const brand = doc.brandColour.slice(1).toUpperCase();
    for (const id of ['Heading1', 'Heading2', 'Heading3', 'Title']) {
      const style = new RegExp(`<w:style [^>]*w:styleId="${id}"[^>]*>([\\s\\S]*?)</w:style>`).exec(
        styles,
      )?.[1];
      expect(style, id).toBeDefined();
      expect(style).toContain(`w:color w:val="${brand}"`);
    }
    expect(styles).toContain('w:lang w:val="en-GB"');
  });

  it('writes valid list numbering that every list paragraph refers to', () => {
    const numbering = xml[name]!['word/numbering.xml']!;
    const document = xml[name]!['word/document.xml']!;
    const abstract = new Set(
      [...numbering.matchAll(/<w:abstractNum [^>]*w:abstractNumId="(\d+)"/g)].map((m) => m[1]),
    );
    const nums = new Map(
      [...numbering.matchAll(/<w:num w:numId="(\d+)"[^>]*><w:abstractNumId w:val="(\d+)"\/>/g)].map((m) => [
        m[1],
        m[2],
      ]),
    );
    expect(abstract.size).toBeGreaterThan(0);
    for (const target of nums.values()) expect(abstract.has(target)).toBe(true);
    const used = [...document.matchAll(/<w:numId w:val="(\d+)"\/>/g)].map((m) => m[1]);
    const lists = docs[name]!.body.children.filter((n) => n.type === 'list');
    expect(lists.length).toBeGreaterThan(0);
    // Each ordered list has an instance of its own (it restarts); bulleted lists share one.
    const ordered = lists.filter((l) => l.ordered).length;
    expect(new Set(used).size).toBeGreaterThanOrEqual(ordered + (lists.length > ordered ? 1 : 0));
    for (const id of used) expect(nums.has(id), `numId ${id}`).toBe(true);
    expect(numbering).toContain('<w:numFmt w:val="bullet"/>');
    expect(numbering).toContain('<w:numFmt w:val="decimal"/>');
  });

  it('has a header with logo and organisation and a footer with title, version and Page X of Y', () => {
    const doc = docs[name]!;
    const parts = xml[name]!;
    const header = parts['word/header1.xml']!;
    const footer = parts['word/footer1.xml']!;
    const headerText = paragraphs(header)
      .map((p) => p.text)
      .join('\n');
    expect(headerText).toContain(doc.organisation.name);
    expect(header).toContain('<a:blip r:embed="rId1"');
    expect(parts['word/_rels/header1.xml.rels']).toMatch(
      /Id="rId1" Type="[^"]+\/image" Target="media\/image1\.png"/,
    );
    const footerText = paragraphs(footer)
      .map((p) => p.text)
      .join('\n');
    expect(footer).toMatch(/<w:instrText[^>]*>\s*PAGE\s*<\/w:instrText>/);
    expect(footer).toMatch(/<w:instrText[^>]*>\s*NUMPAGES\s*<\/w:instrText>/);
    expect(footerText).toContain(`${doc.footer.title} · ${doc.footer.version}`);
    expect(footerText).toContain('Page ');
    expect(footerText).toContain('Printed copies are uncontrolled: check the current version before use.');
    expect(footerText).toContain(doc.footer.copyright);
    // The page is A4.
    expect(parts['word/document.xml']).toContain('<w:pgSz w:w="11906" w:h="16838"');
  });

  it('has core properties from the model, dated by the version, never the clock', () => {
    const doc = docs[name]!;
    const core = xml[name]!['docProps/core.xml']!;
    expect(core).toContain(`<dc:title>${doc.metadata.title}</dc:title>`);
    expect(core).toContain(`<dc:creator>${doc.metadata.author}</dc:creator>`);
    expect(core).toContain(`<dc:subject>${doc.metadata.subject}</dc:subject>`);
    expect(core).toMatch(/<dcterms:created [^>]*>2026-04-01T00:00:00Z<\/dcterms:created>/);
    expect(core).toMatch(/<dcterms:modified [^>]*>2026-04-01T00:00:00Z<\/dcterms:modified>/);
    expect(core).toContain('<dc:language>en-GB</dc:language>');
  });

  it('marks drafts (body and every page) and only drafts; fills the sign-off only when approved', () => {
    const doc = docs[name]!;
    const parts = xml[name]!;
    const document = paragraphs(parts['word/document.xml']!).map((p) => p.text);
    const header = paragraphs(parts['word/header1.xml']!).map((p) => p.text);
    const everything = [
      ...document,
      ...header,
      ...paragraphs(parts['word/footer1.xml']!).map((p) => p.text),
    ].join('\n');
    const signOffAt = document.indexOf('Sign-off');
    expect(signOffAt).toBeGreaterThan(0);
    const signOff = document.slice(signOffAt);
    const history = document.indexOf('Version history');
    expect(history).toBeGreaterThan(0);
    expect(document.slice(history)).toContain(doc.history[0]!.summary);
    if (doc.draft) {
      expect(document.some((t) => t.includes('DRAFT'))).toBe(true);
      expect(header.join(' ')).toContain('DRAFT');
      for (const row of doc.signOff) expect(signOff).toContain(row.role);
      // Name, signature and date are blank lines to write on.
      expect(signOff.filter((t) => t === '').length).toBeGreaterThanOrEqual(3 * doc.signOff.length);
    } else {
      expect(everything).not.toContain('DRAFT');
      const approvals = name.startsWith('england') ? ENGLAND_APPROVALS : WALES_APPROVALS;
      for (const a of approvals) {
        expect(signOff).toContain(a.name);
        expect(signOff).toContain(a.role);
      }
      expect(signOff).toContain('15 April 2026');
    }
    for (const row of doc.control) {
      expect(document).toContain(row.label);
      expect(document).toContain(row.value);
    }
  });

  it('gives the history table a Date column the widest date fits on one line', () => {
    const document = xml[name]!['word/document.xml']!;
    const history = [...document.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>/g)]
      .map((m) => m[0])
      .find((t) => t.includes('Summary of changes'));
    expect(history).toBeDefined();
    const columns = [...history!.matchAll(/<w:gridCol w:w="(\d+)"\/>/g)].map((m) => Number(m[1]));
    expect(columns).toHaveLength(4);
    expect(columns.reduce((a, b) => a + b, 0)).toBe(11906 - 2 * 1134);
    // Twentieths of a point, less the cell's margins (100 each side), in millimetres; body text is 10.5 pt.
    const textMm = ((columns[1]! - 200) / 20) * (25.4 / 72);
    expect(fitLine('30 September 2026', textMm, 10.5)).toBe('30 September 2026');
    expect(fitLine('30 September 2026', textMm / 1.05, 10.5)).toBe('30 September 2026');
  });
});

const which = (name: string) =>
  (process.env.PATH ?? '')
    .split(path.delimiter)
    .map((dir) => path.join(dir, name))
    .find((file) => existsSync(file));

/**
 * The share of a page's pixels (a binary PPM from pdftoppm) in the draft watermark's colour: the draft
 * red made pale by transparency. Text, even red text, is dark: only the watermark is this pale pink.
 */
function palePinkShare(ppm: Buffer): number {
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.toString('latin1', 0, 40));
  if (!header) throw new Error('not a binary PPM');
  const [width, height] = [Number(header[1]), Number(header[2])];
  const pixels = ppm.subarray(header[0].length);
  let pink = 0;
  for (let i = 0; i + 2 < pixels.length; i += 3) {
    const [r, g, b] = [pixels[i]!, pixels[i + 1]!, pixels[i + 2]!];
    if (r >= 225 && g >= 170 && g <= 235 && b >= 170 && b <= 235 && r - g >= 15) pink++;
  }
  return pink / (width * height);
}

describe('LibreOffice round trip', () => {
  const soffice = which('soffice');
  const pdftotext = which('pdftotext');
  const pdftoppm = which('pdftoppm');
  const available = Boolean(soffice && pdftotext && pdftoppm);

  it.runIf(available || process.env.CI)(
    'opens in LibreOffice and prints title, organisation, numbered headings, page numbers, contents and watermark',
    async () => {
      if (!soffice || !pdftotext || !pdftoppm) {
        throw new Error(
          'LibreOffice (soffice), pdftotext and pdftoppm are required for this test in CI: apt-get install libreoffice-writer-nogui poppler-utils',
        );
      }
      const dir = tempDir();
      const doc = docs.englandDraft!;
      // Extra content that must survive: characters XML forbids are dropped, the rest kept.
      const body = structuredClone(doc.body);
      body.children.push({
        type: 'paragraph',
        children: [{ type: 'text', value: 'Odd \u0001\u000B& < > " \' end' }],
      });
      writeFileSync(path.join(dir, 'policy.docx'), await renderDocx({ ...doc, body }));
      await run(
        soffice,
        [
          `-env:UserInstallation=file://${path.join(dir, 'lo-profile')}`,
          '--headless',
          '--convert-to',
          'pdf',
          '--outdir',
          dir,
          path.join(dir, 'policy.docx'),
        ],
        { timeout: 60_000 },
      );
      const { stdout } = await run(pdftotext, [path.join(dir, 'policy.pdf'), '-']);
      const text = stdout.replace(/\s+/g, ' ');
      expect(text).toContain(doc.title);
      expect(text).toContain(doc.organisation.name);
      expect(text).toContain(headingsOf(doc.body)[0]!.text);
      expect(text).toMatch(/Page 1 of \d+/);
      expect(text).toContain('DRAFT');
      expect(text).toContain('Odd & < > " \' end');
      // The contents page: a page of its own after the first, every entry on it, then the body.
      const pages = stdout.split('\f').map((page) => page.replace(/\s+/g, ' '));
      const contentsPage = pages.findIndex((page) => / Contents 1 /.test(` ${page}`));
      expect(contentsPage).toBeGreaterThan(0);
      const entries = doc.contents!;
      expect(entries.length).toBeGreaterThan(3);
      for (const entry of entries) expect(pages[contentsPage]).toContain(`${entry.number} ${entry.text}`);
      expect(pages[contentsPage + 1]).toContain(`${entries[0]!.number} ${entries[0]!.text}`);
      // The watermark is drawn (as a shape, not text): pale red over a good part of every page.
      await run(pdftoppm, ['-r', '20', path.join(dir, 'policy.pdf'), path.join(dir, 'page')]);
      const rasters = readdirSync(dir).filter((f) => /^page-\d+\.ppm$/.test(f));
      expect(rasters.length).toBe(pages.filter((page) => page.trim()).length);
      for (const file of rasters)
        expect(palePinkShare(readFileSync(path.join(dir, file))), file).toBeGreaterThan(0.02);
    },
    90_000,
  );
});
