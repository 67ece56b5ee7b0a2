import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { imageSize } from '../../../../src/document/image-size.js';
import type { PolicyDocument } from '../../../../src/document/model.js';
import { renderDocx } from '../../../../src/writers/docx/docx.js';
import { renderBody, useExamples } from './fixtures.js';

const { docs } = useExamples();

describe('logo images', () => {
  const render = (markdown: string, changes: Partial<PolicyDocument> = {}) =>
    renderBody(docs.englandDraft!, markdown, changes);

  it('embeds an SVG logo with a PNG fallback', async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 50"><rect width="200" height="50"/></svg>',
    );
    const { parts } = await render('## A\n\nText.\n', { logo: { data: svg, mime: 'image/svg+xml' } });
    const header = parts['word/header1.xml']!;
    expect(header).toContain('svgBlip');
    expect(parts['word/_rels/header1.xml.rels']).toMatch(/Target="media\/[^"]+\.svg"/);
    expect(parts['word/_rels/header1.xml.rels']).toMatch(/Target="media\/[^"]+\.png"/);
    // 200×50 scaled into 180×48 px keeps its proportions (EMU = px × 9525).
    expect(header).toContain(`<wp:extent cx="${180 * 9525}" cy="${45 * 9525}"/>`);
  });

  /** The PNG media of a DOCX, with their sizes. */
  async function pngMedia(docx: Buffer) {
    const zip = await JSZip.loadAsync(docx);
    const names = Object.keys(zip.files).filter((n) => /^word\/media\/.*\.png$/.test(n));
    return Promise.all(
      names.map(async (n) => imageSize({ data: await zip.file(n)!.async('nodebuffer'), mime: 'image/png' })),
    );
  }

  it("draws an SVG logo's PNG fallback, for LibreOffice and older Word, in proportion", async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 50"><rect width="200" height="50" fill="#7a2e3a"/><text x="10" y="35" font-size="24" fill="#fff">Celyn</text></svg>',
    );
    const doc: PolicyDocument = { ...docs.englandDraft!, logo: { data: svg, mime: 'image/svg+xml' } };
    expect(await pngMedia(await renderDocx(doc))).toEqual([{ width: 480, height: 120 }]);
  });

  it('keeps a blank fallback for an SVG logo that cannot be drawn, and still writes the document', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><rect');
    const doc: PolicyDocument = { ...docs.englandDraft!, logo: { data: svg, mime: 'image/svg+xml' } };
    expect(await pngMedia(await renderDocx(doc))).toEqual([{ width: 1, height: 1 }]);
  });
});
