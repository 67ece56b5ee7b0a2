import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../../../src/writers/html/html.js';
import { examplePolicy, longPolicy } from '../pdf/documents.js';

const ids = (html: string) => [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);

describe('the contents page in HTML', () => {
  it('lists every entry as a link to a heading that has its id, after the document control', async () => {
    for (const doc of [await examplePolicy(true), longPolicy()]) {
      const html = renderHtml(doc);
      const nav = /<nav class="contents"[^>]*>([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? '';
      expect(nav).toContain('<h2 id="contents-heading">Contents</h2>');
      const targets = [...nav.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
      expect(targets).toEqual(doc.contents!.map((e) => e.id));
      // Each target is the id of exactly one element, a numbered heading of the body.
      const all = ids(html);
      for (const entry of doc.contents!) {
        expect(all.filter((id) => id === entry.id)).toHaveLength(1);
        expect(html).toMatch(new RegExp(`<h[2-4] id="${entry.id}">${entry.number.replace(/\./g, '\\.')} `));
        expect(nav).toContain(`<span class="number">${entry.number}</span>`);
      }
      // Right after the title and the organisation and document-control tables, before the body.
      expect(html.indexOf('<section class="control">')).toBeLessThan(html.indexOf('<nav class="contents"'));
      expect(html.indexOf('<nav class="contents"')).toBeLessThan(html.indexOf('<main>'));
      // The HTML edition has no pages: no page numbers or leaders.
      expect(nav).not.toContain('page-number');
      expect(nav).not.toContain('leader');
    }
  });

  it('gives the printed edition an empty page number for each entry, for the printer to fill', async () => {
    const doc = await examplePolicy(true);
    const html = renderHtml(doc, { pageStyle: '' + '/* printed */' });
    const slots = [...html.matchAll(/<span class="page-number" data-for="([^"]+)"><\/span>/g)].map(
      (m) => m[1],
    );
    expect(slots).toEqual(doc.contents!.map((e) => e.id));
  });

  it('has no contents when the document has none', async () => {
    const doc = await examplePolicy(false);
    expect(doc.contents).toBeUndefined();
    const html = renderHtml(doc);
    expect(html).not.toContain('<nav');
    expect(html).not.toContain('Contents</h2>');
  });
});

describe('the DRAFT watermark in HTML', () => {
  it('is drawn as strokes, so its letters are not text', async () => {
    const doc = await examplePolicy(false);
    const watermark = /<div class="watermark" aria-hidden="true">([\s\S]*?)<\/div>/.exec(
      renderHtml(doc),
    )?.[1];
    expect(watermark).toMatch(/^<svg [^>]*><path d="M[^"]+"[^>]*\/><\/svg>$/);
    expect(watermark!.replace(/<[^>]*>/g, '')).toBe('');
    expect(renderHtml({ ...doc, draft: false })).not.toContain('class="watermark"');
  });
});
