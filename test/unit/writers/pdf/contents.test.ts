/**
 * The printed contents page, links and watermark, read back from real PDFs. One browser serves the file.
 * pdftotext, pdftoppm (poppler-utils) and qpdf read the PDFs independently of keypolicy's own reader.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../../../src/document/model.js';
import {
  contentsStats,
  measurePages,
  measuringStyle,
  printWithContents,
} from '../../../../src/writers/pdf/contents.js';
import { destinationPages } from '../../../../src/writers/pdf/destinations.js';
import { findBrowser } from '../../../../src/writers/pdf/finder.js';
import { pageStyle, printOptions, renderPdf } from '../../../../src/writers/pdf/print.js';
import { BrowserSession } from '../../../../src/writers/pdf/session.js';
import { renderHtml } from '../../../../src/writers/html/html.js';
import { tempDir } from '../../../helpers.js';
import { examplePolicy, longPolicy } from './documents.js';

let session: BrowserSession;
beforeAll(() => {
  session = new BrowserSession(findBrowser(undefined, process.env));
  session.warmUp();
});
afterAll(() => session.close());

const tool = (name: string, args: string[]) =>
  execFileSync(name, args, { encoding: 'latin1', maxBuffer: 64 * 1024 * 1024 });

function saved(pdf: Buffer): string {
  const file = path.join(tempDir(), 'policy.pdf');
  writeFileSync(file, pdf);
  return file;
}

/** Each page's text (pdftotext separates pages with form feeds), in layout mode so a line stays a line. */
const pageTexts = (file: string) => tool('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']).split('\f');

interface Outline {
  title: string;
  destpageposfrom1: number;
  kids: Outline[];
}

/** The PDF's bookmarks (Chromium makes one for each heading) as heading number → page, read by qpdf. */
function outlinePages(file: string): Map<string, number> {
  const json = JSON.parse(tool('qpdf', ['--json', '--json-key=outlines', file])) as { outlines: Outline[] };
  const pages = new Map<string, number>();
  const walk = (items: Outline[]) =>
    items.forEach((item) => {
      const number = /^(\d+(?:\.\d+)*) /.exec(item.title)?.[1];
      if (number) pages.set(number, item.destpageposfrom1);
      walk(item.kids);
    });
  walk(json.outlines);
  return pages;
}

/**
 * The contents lines as printed: "2.1  Policy statement   3" (the leader is a border, not text), from the
 * page headed Contents on, as many as there are `entries` (a long contents runs over to a second page).
 */
function printedContents(pages: string[], entries: number): { number: string; page: number }[] {
  const start = pages.findIndex((text) => /^\s*Contents\s*$/m.test(text));
  expect(start).toBeGreaterThan(0);
  const text = pages.slice(start).join('\n');
  return [...text.matchAll(/^\s*(\d+(?:\.\d+)?)\s+\S.*?\s(\d+)\s*$/gm)].slice(0, entries).map((m) => ({
    number: m[1]!,
    page: Number(m[2]),
  }));
}

const examples = new Map<string, Promise<PolicyDocument>>();
const document = (name: 'example' | 'long' | 'plain') => {
  if (!examples.has(name))
    examples.set(name, name === 'long' ? Promise.resolve(longPolicy()) : examplePolicy(name === 'example'));
  return examples.get(name)!;
};

/** The example policy printed once, for the tests that only read it. */
let examplePdf: Promise<Buffer> | undefined;
const printedExample = async () => (examplePdf ??= renderPdf(await document('example'), session));

describe('the contents page of a PDF', () => {
  it.each(['example', 'long'] as const)(
    'gives every heading the page the PDF puts it on (%s policy)',
    async (name) => {
      const doc = await document(name);
      const entries = doc.contents!;
      expect(entries.length).toBeGreaterThan(20);
      const file = saved(name === 'example' ? await printedExample() : await renderPdf(doc, session));
      const outline = outlinePages(file);
      const printed = printedContents(pageTexts(file), entries.length);
      // Every entry, in order, with the page of its heading's bookmark.
      expect(printed.map((p) => p.number)).toEqual(entries.map((e) => e.number));
      expect(printed.map((p) => p.page)).toEqual(
        entries.map((e) => outline.get(e.number) ?? `no bookmark for ${e.number}`),
      );
      // And the heading's text is on that page.
      const pages = pageTexts(file);
      for (const [i, entry] of entries.entries()) {
        expect(pages[printed[i]!.page - 1]).toContain(`${entry.number} ${entry.text.slice(0, 12)}`);
      }
      // The body starts on a fresh page after the contents, and the pages span the document.
      expect(printed[0]!.page).toBeGreaterThanOrEqual(3);
      expect(new Set(printed.map((p) => p.page)).size).toBeGreaterThan(name === 'long' ? 15 : 5);
    },
  );

  it('measures the pages right before printing, so nothing is printed twice', async () => {
    const doc = await document('long');
    const before = { ...contentsStats };
    const pdf = await renderPdf(doc, session);
    expect(contentsStats.documents).toBe(before.documents + 1);
    expect(contentsStats.reprinted).toBe(before.reprinted);
    // The measuring mode on its own, against the printed PDF's destinations.
    const measured = await session.withPage(async (page) => {
      await page.setContent(renderHtml(doc, { pageStyle: pageStyle(doc) + measuringStyle }));
      return measurePages(page);
    });
    expect(Object.fromEntries(measured)).toEqual(Object.fromEntries(destinationPages(pdf)));
  });

  it("prints again with the PDF's own page numbers when measuring got them wrong", async () => {
    const doc = await document('long');
    // A measuring column a fifth shorter than the page puts most headings on a later page than print.
    const wrong = measuringStyle.replace(/height: [\d.]+mm/, 'height: 195mm');
    expect(wrong).not.toBe(measuringStyle);
    const before = { ...contentsStats };
    const pdf = await session.withPage(async (page) => {
      await page.setContent(renderHtml(doc, { pageStyle: pageStyle(doc) + wrong }));
      const measured = await measurePages(page);
      const pdf = Buffer.from(await printWithContents(page, () => page.pdf(printOptions(30_000))));
      return { measured, pdf };
    });
    expect(contentsStats.reprinted).toBe(before.reprinted + 1);
    const destinations = destinationPages(pdf.pdf);
    expect(Object.fromEntries(pdf.measured)).not.toEqual(Object.fromEntries(destinations));
    const printed = printedContents(pageTexts(saved(pdf.pdf)), doc.contents!.length);
    expect(printed.map((p) => p.page)).toEqual(doc.contents!.map((e) => destinations.get(e.id)));
  });

  it('links every entry to its heading with an internal destination', async () => {
    const doc = await document('example');
    const pdf = await printedExample();
    const text = pdf.toString('latin1');
    const linked = [
      ...text.matchAll(/\/Subtype \/Link[^>]*?\/Dest \/([\w-]+)|\/Dest \/([\w-]+)[^>]*?\/Subtype \/Link/g),
    ].map((m) => m[1] ?? m[2]);
    const ids = doc.contents!.map((e) => e.id);
    expect([...new Set(linked)].sort()).toEqual([...ids].sort());
    // Each destination is a page of the document (read by keypolicy's reader, checked against qpdf above).
    const destinations = destinationPages(pdf);
    expect([...destinations.keys()].sort()).toEqual([...ids].sort());
    expect(() => tool('qpdf', ['--check', saved(pdf)])).not.toThrow();
  });

  it('prints the same bytes for the same document twice in one session', async () => {
    const doc = await document('example');
    const first = await printedExample();
    const second = await renderPdf(doc, session);
    expect(first.equals(second)).toBe(true);
  });

  it('has no contents page, links or destinations when the document has none', async () => {
    const doc = await document('plain');
    expect(doc.contents).toBeUndefined();
    const pdf = await renderPdf(doc, session);
    const pages = pageTexts(saved(pdf));
    expect(pages.join('\n')).not.toMatch(/^\s*Contents\s*$/m);
    expect(destinationPages(pdf).size).toBe(0);
    expect(pdf.toString('latin1')).not.toContain('/Subtype /Link');
  });
});

/** Pale red: the watermark's 8% of #b00020 over white is (249, 235, 237). */
const isWatermark = (r: number, g: number, b: number) =>
  Math.abs(r - 249) <= 3 && Math.abs(g - 235) <= 3 && Math.abs(b - 237) <= 3;

/** Whether each page shows watermark pixels near its middle (pdftoppm at 20 dpi). */
function watermarkedPages(file: string): boolean[] {
  const dir = path.dirname(file);
  tool('pdftoppm', ['-r', '20', file, path.join(dir, 'page')]);
  const pages = tool('sh', ['-c', `ls ${dir}/page-*.ppm`])
    .trim()
    .split('\n');
  return pages.map((ppm) => {
    const data = Buffer.from(tool('cat', [ppm]), 'latin1');
    const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(data.subarray(0, 40).toString('latin1'))!;
    const [width, height] = [Number(header[1]), Number(header[2])];
    const pixels = data.subarray(header[0].length);
    let found = 0;
    for (let y = Math.floor(height * 0.3); y < height * 0.7; y++)
      for (let x = Math.floor(width * 0.2); x < width * 0.8; x++) {
        const i = (y * width + x) * 3;
        if (isWatermark(pixels[i]!, pixels[i + 1]!, pixels[i + 2]!)) found++;
      }
    return found > 150;
  });
}

describe('the DRAFT watermark', () => {
  it('is on every page but never in the text', async () => {
    const file = saved(await printedExample());
    const pages = pageTexts(file).filter((page) => page.trim());
    expect(watermarkedPages(file)).toEqual(pages.map(() => true));
    const text = tool('pdftotext', ['-enc', 'UTF-8', file, '-']);
    // No stray letters of a rotated word between the lines of the body.
    expect(text).not.toMatch(/^\s*[DRAFT]\s*$/m);
    // DRAFT only where the document says it: each page's running header and footer, and the mark under the title.
    const drafts = text.match(/DRAFT/g)!.length;
    expect(drafts).toBe(pages.length * 2 + 1);
    expect(text).toMatch(/DRAFT\s+This version has not been approved/);
  });

  it('is not drawn on an approved policy', async () => {
    const doc = { ...(await document('plain')), draft: false, brandColour: '#1f4e79' };
    const file = saved(await renderPdf(doc, session));
    expect(watermarkedPages(file).some(Boolean)).toBe(false);
  });
});
