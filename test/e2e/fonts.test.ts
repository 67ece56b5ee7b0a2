/** Text in another script, or an emoji, is drawn in the PDF by an installed fallback font, never lost as boxes. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGLAND_MINIMAL, runBinary, tempDir } from '../helpers.js';

describe('fonts', () => {
  it('draws Devanagari, Arabic and emoji in the PDF with a font that has them', () => {
    const name = 'Riverside देखभाल رعاية 🏡 Ltd';
    const dir = tempDir({
      'keypolicy.yaml': `${ENGLAND_MINIMAL.replace('Riverside Support Ltd', name)}output:\n  slug: riverside\n`,
    });
    const result = runBinary(dir, ['build', '-f', 'pdf', '--date', '2026-04-01']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const pdf = path.join(dir, 'policies/riverside/key-worker-policy.pdf');
    const fonts = execFileSync('pdffonts', [pdf], { encoding: 'utf8' });
    expect(fonts).toMatch(/NotoSansDevanagari/);
    // The colour emoji font is embedded as bitmaps (a Type 3 font).
    expect(fonts).toMatch(/Type 3/);
    const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('देखभाल');
    expect(text).toContain('رعاية');
  });
});
