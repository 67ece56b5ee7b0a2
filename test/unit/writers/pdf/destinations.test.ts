import { describe, expect, it } from 'vitest';
import { destinationPages } from '../../../../src/writers/pdf/destinations.js';

/** A PDF of `objects` (numbered from 1) with a classic cross-reference table, as Chromium writes one. */
function pdf(objects: string[], trailer = '/Root 1 0 R'): string {
  let text = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(text.length);
    text += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = text.length;
  text += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  text += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  return `${text}trailer\n<</Size ${objects.length + 1}\n${trailer}>>\nstartxref\n${xref}\n%%EOF`;
}

describe('destinationPages', () => {
  const objects = [
    '<</Type /Catalog /Pages 2 0 R /Dests 3 0 R>>',
    // A page tree of two levels: pages 6, 7 under node 4, page 8 under node 5.
    '<</Type /Pages /Count 3 /Kids [4 0 R 5 0 R]>>',
    '<</section-1 [7 0 R /XYZ 0 700 0]\n/section-2-1 [8 0 R /XYZ 0 300 0]\n/odd#20name [6 0 R /XYZ 0 1 0]>>',
    '<</Type /Pages /Count 2 /Kids [6 0 R 7 0 R]>>',
    '<</Type /Pages /Count 1 /Kids [8 0 R]>>',
    '<</Type /Page /Parent 4 0 R>>',
    '<</Type /Page /Parent 4 0 R>>',
    '<</Type /Page /Parent 5 0 R>>',
  ];

  it('gives each named destination its page, in the page tree order', () => {
    expect(Object.fromEntries(destinationPages(pdf(objects)))).toEqual({
      'section-1': 2,
      'section-2-1': 3,
      'odd name': 1,
    });
  });

  it('reads through an incremental update, as finalisePdf appends one', () => {
    const base = pdf(objects);
    const xref = /startxref\n(\d+)/.exec(base)![1];
    const info = `${base}\n9 0 obj\n<</Title (x)>>\nendobj\n`;
    const at = info.length;
    const updated = `${info}xref\n0 1\n0000000000 65535 f \n9 1\n${String(base.length + 1).padStart(10, '0')} 00000 n \ntrailer\n<</Size 10 /Root 1 0 R /Info 9 0 R /Prev ${xref}>>\nstartxref\n${at}\n%%EOF\n`;
    expect(destinationPages(Buffer.from(updated, 'latin1')).get('section-2-1')).toBe(3);
  });

  it('finds nothing, rather than something wrong, in a file without destinations or it cannot read', () => {
    expect(destinationPages(pdf(['<</Type /Catalog /Pages 2 0 R>>', '<</Type /Pages /Kids []>>'])).size).toBe(
      0,
    );
    expect(destinationPages('not a pdf').size).toBe(0);
    expect(destinationPages(pdf(objects).replace(/startxref\n\d+/, 'startxref\n5')).size).toBe(0);
  });
});
