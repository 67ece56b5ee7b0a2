import { describe, expect, it } from 'vitest';
import {
  CONTROL_CHARACTER_IN_TEXT,
  CONTROL_CHARACTERS,
} from '../../../src/diagnostics/control-characters.js';
import { CONTROL_CHARACTERS as FROM_REPORT } from '../../../src/diagnostics/report.js';

const controls = (pattern: RegExp) =>
  Array.from({ length: 0xa0 + 1 }, (_, c) => c).filter((c) =>
    new RegExp(pattern.source).test(String.fromCharCode(c)),
  );
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('control characters', () => {
  it('on one line: C0 but tab and line feed (carriage return included), DEL and C1', () => {
    expect(controls(CONTROL_CHARACTERS)).toEqual([
      ...range(0, 8),
      ...range(0x0b, 0x1f),
      ...range(0x7f, 0x9f),
    ]);
    expect(CONTROL_CHARACTERS.flags).toBe('g');
    expect(FROM_REPORT).toBe(CONTROL_CHARACTERS);
  });

  it('in a value: the same but the carriage return, and without state between calls', () => {
    expect(controls(CONTROL_CHARACTER_IN_TEXT)).toEqual([
      ...range(0, 8),
      0x0b,
      0x0c,
      ...range(0x0e, 0x1f),
      ...range(0x7f, 0x9f),
    ]);
    expect(CONTROL_CHARACTER_IN_TEXT.exec('a\u0007b')?.[0]).toBe('\u0007');
    expect(CONTROL_CHARACTER_IN_TEXT.exec('a\u0007b')?.[0]).toBe('\u0007');
    expect(CONTROL_CHARACTER_IN_TEXT.test('line\r\nbreak\ttab')).toBe(false);
  });
});
