import { describe, expect, it } from 'vitest';
import { slugify } from '../../../src/output/paths.js';

describe('slugify', () => {
  it('folds accents and joins other characters with one hyphen', () => {
    expect(slugify('Contract Check Care Ltd')).toBe('contract-check-care-ltd');
    expect(slugify('Tŷ Celyn Care Home')).toBe('ty-celyn-care-home');
    expect(slugify('  A & B [Care](x) **Ltd**  ')).toBe('a-b-care-x-ltd');
  });

  it('gives a safe folder for names that try to escape or mean a device', () => {
    expect(slugify('../../etc')).toBe('etc');
    expect(slugify('CON')).toMatch(/^con-[0-9a-f]{8}$/);
    expect(slugify('lpt1')).toMatch(/^lpt1-[0-9a-f]{8}$/);
    expect(slugify('שלום')).toMatch(/^organisation-[0-9a-f]{8}$/);
    expect(slugify('...')).not.toBe(slugify('///'));
  });

  it('cuts long names and keeps different ones different', () => {
    const a = slugify(`${'a'.repeat(300)} one`);
    const b = slugify(`${'a'.repeat(300)} two`);
    expect(a.length).toBeLessThanOrEqual(80);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^a+-[0-9a-f]{8}$/);
  });
});
