/**
 * What a Word policy shows besides its body: the draft watermark, a readable header and footer, the logo
 * once per page, and the contents page (a Word table of contents linked to bookmarks on the headings).
 */
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../../../src/core/markdown.js';
import type { PolicyDocument } from '../../../../src/document/model.js';
import { renderDocx } from '../../../../src/writers/docx/docx.js';
import { paragraphs, unescapeXml, unzip, useExamples, type Parts } from './fixtures.js';

const { docs, files, xml } = useExamples();

const NAMES = ['englandDraft', 'englandApproved', 'walesDraft', 'walesApproved'];
const headerFooterParts = (parts: Parts) =>
  Object.keys(parts).filter((name) => /^word\/(header|footer)\d+\.xml$/.test(name));

/** A style's element in styles.xml. */
const styleXml = (styles: string, id: string) =>
  new RegExp(`<w:style [^>]*w:styleId="${id}"[^>]*>([\\s\\S]*?)</w:style>`).exec(styles)?.[1];

/** The text size (half-points) a paragraph of `style` gets, following basedOn down to the defaults. */
function styleSize(styles: string, style: string | undefined): number {
  for (let id = style ?? 'Normal'; ;) {
    const own = styleXml(styles, id);
    const size = own && /<w:sz w:val="(\d+)"/.exec(own)?.[1];
    if (size) return Number(size);
    const basedOn = own && /<w:basedOn w:val="([^"]+)"/.exec(own)?.[1];
    if (!basedOn) break;
    id = basedOn;
  }
  return Number(/<w:rPrDefault>[\s\S]*?<w:sz w:val="(\d+)"/.exec(styles)?.[1] ?? 20);
}

describe.each(NAMES)('%s', (name) => {
  it('has a DRAFT watermark (Word’s VML text watermark) in its header only when a draft', () => {
    const doc = docs[name]!;
    const parts = xml[name]!;
    const headers = Object.keys(parts).filter((n) => /^word\/header\d+\.xml$/.test(n));
    expect(headers.length).toBeGreaterThan(0);
    const withShape = headers.filter((n) => parts[n]!.includes('PowerPlusWaterMarkObject'));
    for (const [part, text] of Object.entries(parts))
      if (!part.startsWith('word/header')) expect(text, part).not.toContain('v:textpath');
    if (!doc.draft) {
      expect(withShape).toEqual([]);
      for (const text of Object.values(parts))
        expect(text).not.toMatch(/PowerPlusWaterMarkObject|v:textpath/);
      return;
    }
    expect(withShape).toEqual(headers);
    for (const part of headers) {
      const shape = /<v:shape id="PowerPlusWaterMarkObject\d+"[^>]*>([\s\S]*?)<\/v:shape>/.exec(parts[part]!);
      expect(shape, part).not.toBeNull();
      expect(shape![0]).toContain('type="#_x0000_t136"');
      expect(shape![0]).toMatch(/rotation:315/);
      expect(shape![1]).toMatch(/<v:textpath [^>]*string="DRAFT"/);
      // Pale: drawn mostly transparent.
      const opacity = Number(/<v:fill opacity="([\d.]+)"/.exec(shape![1] ?? '')?.[1]);
      expect(opacity).toBeGreaterThan(0);
      expect(opacity).toBeLessThanOrEqual(0.3);
      expect(parts[part]).toContain('<v:shapetype id="_x0000_t136"');
    }
  });

  it('prints nothing in its header and footer smaller than 8 pt', () => {
    const parts = xml[name]!;
    const styles = parts['word/styles.xml']!;
    for (const id of ['Header', 'Footer']) expect(styleSize(styles, id), id).toBeGreaterThanOrEqual(16);
    for (const part of headerFooterParts(parts)) {
      for (const para of paragraphs(parts[part]!)) {
        const base = styleSize(styles, para.style);
        expect(base, part).toBeGreaterThanOrEqual(16);
        for (const run of para.xml.match(/<w:r>[\s\S]*?<\/w:r>/g) ?? []) {
          for (const m of run.matchAll(/<w:sz(?:Cs)? w:val="(\d+)"/g))
            expect(Number(m[1]), `${part}: ${run}`).toBeGreaterThanOrEqual(16);
        }
      }
      for (const m of parts[part]!.matchAll(/<w:sz(?:Cs)? w:val="(\d+)"/g))
        expect(Number(m[1]), part).toBeGreaterThanOrEqual(16);
    }
  });

  it('draws the logo once in each header and never in the body', () => {
    const parts = xml[name]!;
    const headers = Object.keys(parts).filter((n) => /^word\/header\d+\.xml$/.test(n));
    for (const part of headers) {
      expect(parts[part]!.match(/<w:drawing>/g), part).toHaveLength(1);
      expect(parts[part]!.match(/<a:blip /g), part).toHaveLength(1);
      const rels = parts[part.replace('word/', 'word/_rels/') + '.rels']!;
      expect(rels.match(/relationships\/image"/g), part).toHaveLength(1);
    }
    expect(parts['word/document.xml']).not.toMatch(/<w:drawing>|<a:blip |<w:pict>/);
    expect(parts['word/_rels/document.xml.rels']).not.toMatch(/relationships\/image"/);
    // No placeholder header row in any table.
    const document = parts['word/document.xml']!;
    const texts = paragraphs(document).map((p) => p.text);
    expect(texts.some((t, i) => t === 'Item' && texts[i + 1] === 'Detail')).toBe(false);
  });

  it('has a contents page: a clean Word TOC field filled with every entry, linked to bookmarks on the headings', () => {
    const doc = docs[name]!;
    const entries = doc.contents!;
    expect(entries.length).toBeGreaterThan(3);
    const parts = xml[name]!;
    const document = parts['word/document.xml']!;
    const paras = paragraphs(document);
    // The heading: "Contents" on a page of its own, in a style that is no heading (so not listed itself).
    const headingAt = paras.findIndex((p) => p.style === 'TOCHeading');
    expect(paras[headingAt]?.text).toBe('Contents');
    expect(paras[headingAt]?.xml).toContain('<w:pageBreakBefore/>');
    const tocHeading = styleXml(parts['word/styles.xml']!, 'TOCHeading')!;
    expect(tocHeading).toBeDefined();
    expect(tocHeading).not.toMatch(/outlineLvl|w:basedOn w:val="Heading/);
    // After the title and the two tables.
    expect(headingAt).toBeGreaterThan(paras.findIndex((p) => p.text === 'Next review date'));
    // The field: begin, instruction, separate in the first entry; its end in the last; never dirty.
    const toc = paras.slice(headingAt + 1, headingAt + 1 + entries.length);
    expect(unescapeXml(toc[0]!.xml)).toMatch(
      /<w:fldChar w:fldCharType="begin"\/><\/w:r><w:r><w:instrText xml:space="preserve"> TOC \\o "1-2" \\h \\z \\u <\/w:instrText><\/w:r><w:r><w:fldChar w:fldCharType="separate"\/>/,
    );
    expect(toc.at(-1)!.xml).toMatch(/<w:fldChar w:fldCharType="end"\/><\/w:r>$/);
    expect(document).not.toContain('w:dirty');
    expect(parts['word/settings.xml']).not.toContain('updateFields');
    const bookmarks = new Map(
      [...document.matchAll(/<w:bookmarkStart w:name="([^"]+)" w:id="(\d+)"\/>/g)].map((m) => [m[1]!, m[2]!]),
    );
    entries.forEach((entry, i) => {
      const para = toc[i]!;
      expect(para.text).toBe(`${entry.number} ${entry.text}`);
      expect(para.style).toBe(`TOC${entry.level}`);
      expect(para.xml).toContain('<w:tab w:val="right" w:pos="9638" w:leader="dot"/>');
      const anchor = /<w:hyperlink [^>]*w:anchor="([^"]+)"/.exec(para.xml)?.[1];
      expect(anchor).toMatch(/^_Toc_[A-Za-z0-9_]+$/);
      expect(anchor!.length).toBeLessThanOrEqual(40);
      expect(para.xml).toContain(`<w:instrText xml:space="preserve"> PAGEREF ${anchor} \\h </w:instrText>`);
      // The bookmark wraps the heading's text.
      const id = bookmarks.get(anchor!);
      expect(id, anchor).toBeDefined();
      const heading = paras.find((p) => p.xml.includes(`<w:bookmarkStart w:name="${anchor}"`))!;
      expect(heading.style).toBe(`Heading${entry.level}`);
      expect(heading.text).toBe(`${entry.number} ${entry.text}`);
      expect(heading.xml).toContain(`<w:bookmarkEnd w:id="${id}"/>`);
    });
    expect(bookmarks.size).toBe(entries.length);
    // The body starts on a page of its own.
    expect(paras.find((p) => p.style === 'Heading1')?.xml).toContain('<w:pageBreakBefore/>');
  });

  it('gives the same bytes when drawn again in the same process', async () => {
    expect((await renderDocx(docs[name]!)).equals(files[name]!)).toBe(true);
  });
});

describe('an edition without a contents page', () => {
  it('has no contents heading, TOC field, bookmarks or page break before the body', async () => {
    const doc: PolicyDocument = { ...docs.englandApproved! };
    delete doc.contents;
    const document = (await unzip(await renderDocx(doc)))['word/document.xml']!;
    expect(document).not.toMatch(/TOCHeading|TOC \\o|PAGEREF|<w:bookmarkStart|<w:pageBreakBefore\/>/);
  });
});

describe('a body that places the logo', () => {
  it('leaves it to the header, and still breaks the page after the contents', async () => {
    const base = docs.englandDraft!;
    const body = parseMarkdown(
      '![Logo](keypolicy:logo)\n\nIntro with ![Logo](keypolicy:logo) inline.\n\n## One\n',
    );
    const doc: PolicyDocument = {
      ...base,
      body,
      contents: [{ id: 'section-1', number: '1', text: 'One', level: 1 }],
    };
    const parts = await unzip(await renderDocx(doc));
    const document = parts['word/document.xml']!;
    expect(document).not.toMatch(/<w:drawing>|<a:blip /);
    expect(parts['word/header1.xml']!.match(/<a:blip /g)).toHaveLength(1);
    const paras = paragraphs(document);
    const intro = paras.findIndex((p) => p.text.startsWith('Intro with'));
    expect(paras[intro]!.text).toBe('Intro with  inline.');
    // The body starts with a paragraph, not a heading: an empty paragraph breaks the page before it.
    expect(paras[intro - 1]!.xml).toContain('<w:pageBreakBefore/>');
    expect(paras[intro - 1]!.text).toBe('');
  });
});
