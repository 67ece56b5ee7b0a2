import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/diagnostics/errors.js';
import {
  escapeData,
  escapeProperty,
  githubAnnotation,
  githubError,
} from '../../../src/diagnostics/github.js';

const diagnostic = (extra: Partial<Diagnostic> = {}): Diagnostic => ({
  code: 'KP_ENUM',
  severity: 'error',
  file: '/repo/clients/a,b.yaml',
  path: 'service.type',
  line: 12,
  column: 3,
  length: 4,
  message: 'must be one of: a, b',
  ...extra,
});

describe('GitHub workflow-command annotations', () => {
  it('escape %, CR and LF in messages, and also : and , in properties', () => {
    expect(escapeData('100% done\r\nnext')).toBe('100%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
  });

  it('locate an error at file, line and column, titled by its code and path', () => {
    expect(githubAnnotation(diagnostic(), '/repo')).toBe(
      '::error file=clients/a%2Cb.yaml,line=12,col=3,title=KP_ENUM service.type::must be one of: a, b',
    );
  });

  it('add the hint on a second line, and mark warnings as warnings', () => {
    const line = githubAnnotation(diagnostic({ severity: 'warning', hint: 'Fix it: now.' }), '/repo');
    expect(line).toBe(
      '::warning file=clients/a%2Cb.yaml,line=12,col=3,title=KP_ENUM service.type::must be one of: a, b%0AFix it: now.',
    );
  });

  it('leave out line and column for a problem with the whole file', () => {
    const line = githubAnnotation(diagnostic({ line: 0, column: 0, path: '' }), '/elsewhere');
    expect(line).toBe('::error file=/repo/clients/a%2Cb.yaml,title=KP_ENUM::must be one of: a, b');
  });

  it('report a failure of the whole command without a file', () => {
    expect(githubError('KP_BROWSER_NOT_FOUND', 'No browser: 50%', 'Install one.')).toBe(
      '::error title=KP_BROWSER_NOT_FOUND::No browser: 50%25%0AInstall one.',
    );
  });
});
