import { describe, expect, it } from 'vitest';
import { renumberNodeIds } from '../../../src/document/pdf.js';

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
