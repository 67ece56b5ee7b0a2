import path from 'node:path';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { diagnosticForFile, sourceFromText } from '../../../src/diagnostics/source.js';
import { diagnosticJson, formatDiagnostic } from '../../../src/diagnostics/report.js';

const plain = new Chalk({ level: 0 });
const cwd = path.resolve('/work/profiles');
const file = path.join(cwd, 'keypolicy.yaml');

describe('SourceFile positions', () => {
  it('turns offsets into 1-based lines and columns, and lines into offsets', () => {
    const source = sourceFromText(file, 'a: 1\nbb: 2\r\n\nc: 3');
    expect(source.position(0)).toEqual({ line: 1, column: 1 });
    expect(source.position(8)).toEqual({ line: 2, column: 4 });
    expect(source.position(13)).toEqual({ line: 4, column: 1 });
    expect([1, 2, 3, 4].map((line) => source.lineStart(line))).toEqual([0, 5, 12, 13]);
    expect(source.lineStart(9)).toBe(17);
    expect(source.lineText(2)).toBe('bb: 2');
    expect(source.lineText(3)).toBe('');
  });
});

describe('diagnosticForFile', () => {
  const d = diagnosticForFile(file, {
    code: 'KP_FILE_NOT_FOUND',
    message: 'This profile does not exist.',
    hint: 'Check the path.',
  });

  it('has no place in the file: line, column and length 0, no path, no source line', () => {
    expect(d).toEqual({
      code: 'KP_FILE_NOT_FOUND',
      severity: 'error',
      file,
      path: '',
      line: 0,
      column: 0,
      length: 0,
      message: 'This profile does not exist.',
      hint: 'Check the path.',
    });
    expect(diagnosticForFile(file, { code: 'KP_X', message: 'm', severity: 'warning' })).not.toHaveProperty(
      'hint',
    );
  });

  it('prints as `file severity CODE: message` with its hint, and no position or code frame', () => {
    expect(formatDiagnostic(d, cwd, plain)).toBe(
      'keypolicy.yaml error KP_FILE_NOT_FOUND: This profile does not exist.\n  hint: Check the path.',
    );
  });

  it('keeps the JSON shape of every diagnostic', () => {
    const placed = sourceFromText(file, 'a: 1\n').diagnosticAt([0, 1], {
      code: 'KP_X',
      message: 'm',
      hint: 'h',
    });
    expect(Object.keys(diagnosticJson(d, cwd))).toEqual(Object.keys(diagnosticJson(placed, cwd)));
    expect(diagnosticJson(d, cwd)).toMatchObject({ file: 'keypolicy.yaml', path: '', line: 0, column: 0 });
  });

  it('leaves a placed diagnostic printed with its position and code frame', () => {
    const placed = sourceFromText(file, 'a: 1\n').diagnosticAt([3, 4], { code: 'KP_X', message: 'm' });
    expect(formatDiagnostic(placed, cwd, plain)).toBe(
      'keypolicy.yaml:1:4 error KP_X: m\n  1 | a: 1\n    |    ^',
    );
  });
});
