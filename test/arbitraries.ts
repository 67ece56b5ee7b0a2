/** fast-check generators shared by the property tests. */
import fc from 'fast-check';
import { CONTROL_CHARACTERS } from '../src/diagnostics/report.js';

/**
 * A value a profile may hold: printable text mixed with `punctuation` and whole `tokens`, 1 to 40
 * characters, trimmed, with no control character or line separator (validation refuses those).
 */
export const profileValue = (punctuation: string, tokens: readonly string[]) =>
  fc
    .string({
      unit: fc.oneof(
        fc.constantFrom(...punctuation),
        fc.constantFrom(...tokens),
        fc.string({ unit: 'grapheme', maxLength: 1 }),
      ),
      minLength: 1,
      maxLength: 40,
    })
    .filter(
      (s) =>
        s.trim() !== '' &&
        s === s.trim() &&
        !new RegExp(CONTROL_CHARACTERS.source).test(s) &&
        !/[\u2028\u2029\ufeff]/.test(s),
    );
