import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../../../src/document/model.js';
import { cssString, pageStyle, renumberNodeIds } from '../../../../src/writers/pdf/print.js';
import { fitLine } from '../../../../src/writers/pdf/text-width.js';

describe('renumberNodeIds', () => {
  it('numbers structure ids by rank at their own width, so offsets and the sorted name tree hold', () => {
    const printed =
      '/Names [(node00001599) 4 0 R (node00001604) 6 0 R (node00012000) 8 0 R]\n/ID (node00001604)>>\n/ID (node00012000)>>';
    const renumbered = renumberNodeIds(printed);
    expect(renumbered).toBe(
      '/Names [(node00000001) 4 0 R (node00000002) 6 0 R (node00000003) 8 0 R]\n/ID (node00000002)>>\n/ID (node00000003)>>',
    );
    expect(renumbered.length).toBe(printed.length);
  });

  it('gives the same text whatever the page had numbered before', () => {
    const fresh = '(node00000025) (node00000026) (node00000230)';
    const reused = '(node00091025) (node00091026) (node00091230)';
    expect(renumberNodeIds(reused)).toBe(renumberNodeIds(fresh));
  });

  it('leaves other strings alone', () => {
    expect(renumberNodeIds('(node123) (nodes00000001) node00000001')).toBe(
      '(node123) (nodes00000001) node00000001',
    );
  });
});

describe('cssString', () => {
  it('escapes every character that could end the string, the rule or the style element', () => {
    const value = `a"b'c\\d</style><b>&\n`;
    const css = cssString(value);
    expect(css).toBe('"a\\22 b\\27 c\\5c d\\3c /style\\3e \\3c b\\3e \\26 \\a "');
    expect(css.slice(1, -1)).not.toMatch(/["'<>&\\\n](?![0-9a-f]+ )/);
  });

  it('leaves letters from any script as they are', () => {
    expect(cssString('Tŷ Celyn · Gofal')).toBe('"Tŷ Celyn · Gofal"');
  });
});

describe('fitLine', () => {
  it('keeps a line that fits', () => {
    expect(fitLine('Tŷ Celyn Care Home', 100, 7)).toBe('Tŷ Celyn Care Home');
  });

  it('cuts a long line at a character and ends it with an ellipsis, within the width', () => {
    // 100 mm at 7 pt is 40.5 em; a capital W is 0.944 em and the ellipsis is allowed a whole em.
    expect(fitLine('W'.repeat(60), 100, 7)).toBe(`${'W'.repeat(41)}…`);
    // Narrow letters fit more: 150 of i (0.222 em) is 33 em.
    expect(fitLine('i'.repeat(150), 100, 7)).toBe('i'.repeat(150));
    expect(fitLine('Acme Care Services '.repeat(20), 100, 7)).toMatch(/^Acme Care Services Acme .*\S…$/);
  });

  it('counts characters it has no width for as a whole em, so wide scripts are cut sooner', () => {
    const cjk = '漢'.repeat(200);
    const cut = fitLine(cjk, 100, 7);
    expect([...cut].length).toBeLessThanOrEqual(41);
    expect(fitLine('𒀀'.repeat(10), 100, 7)).toBe('𒀀'.repeat(10));
  });
});

describe('pageStyle', () => {
  const doc = (over: Partial<PolicyDocument>): PolicyDocument =>
    ({
      draft: true,
      organisation: { name: 'Acme Care', registrations: [] },
      footer: {
        title: 'Key Worker Policy',
        version: 'Version 1.0 DRAFT',
        uncontrolled: true,
        copyright: '© Acme',
      },
      ...over,
    }) as PolicyDocument;

  it('puts DRAFT on every page of a draft only, and numbers the pages', () => {
    expect(pageStyle(doc({}))).toContain('@top-right { content: "DRAFT"');
    expect(pageStyle(doc({ draft: false }))).not.toContain('@top-right');
    expect(pageStyle(doc({}))).toContain('content: "Page " counter(page) " of " counter(pages)');
  });

  it('leaves out the uncontrolled-copy line when it is turned off', () => {
    const footer = { title: 'T', version: 'V', uncontrolled: false, copyright: '' };
    expect(pageStyle(doc({ footer }))).not.toContain('uncontrolled');
    expect(pageStyle(doc({}))).toContain('Printed copies are uncontrolled');
  });

  it('sizes the logo in proportion, at most 9 mm high and 40 mm wide', () => {
    // A PNG's header: its width and height are the big-endian numbers at bytes 16 and 20.
    const png = (width: number, height: number) => {
      const data = Buffer.alloc(24);
      data.writeUInt32BE(width, 16);
      data.writeUInt32BE(height, 20);
      return { data, mime: 'image/png' as const };
    };
    expect(pageStyle(doc({ logo: png(200, 100) }))).toContain('/ 18mm 9mm; padding-left: 21mm');
    expect(pageStyle(doc({ logo: png(1000, 100) }))).toContain('/ 40mm 4mm; padding-left: 43mm');
  });
});
