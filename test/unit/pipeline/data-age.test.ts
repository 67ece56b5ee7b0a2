import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkProfile } from '../../../src/pipeline/check-profile.js';
import { dataAgeProblem, dataFileFor, isOutOfDate } from '../../../src/templates/data-files.js';
import { ENGLAND_MINIMAL, WALES_MINIMAL, tempDir } from '../../helpers.js';

describe('the age of the regulatory data', () => {
  it('is out of date only more than 12 months after its as-at date', () => {
    expect(isOutOfDate('2026-11-01', '2027-11-01')).toBe(false);
    expect(isOutOfDate('2026-11-01', '2027-11-02')).toBe(true);
    expect(isOutOfDate('2024-02-29', '2025-02-28')).toBe(false);
    expect(isOutOfDate('2024-02-29', '2025-03-01')).toBe(true);
  });

  it('every nation has a data file with a real as-at date, located at its `asOf`', async () => {
    for (const nation of ['england', 'wales'] as const) {
      const data = await dataFileFor(nation);
      expect(data.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const problem = dataAgeProblem(data, '9999-12-31', { severity: 'error' });
      expect(problem).toMatchObject({
        code: 'KP_DATA_OUT_OF_DATE',
        severity: 'error',
        path: 'asOf',
        column: 7,
      });
      expect(problem?.sourceLine).toBe(`asOf: ${data.asOf ?? ''}`);
      expect(dataAgeProblem(data, data.asOf ?? '', { severity: 'error' })).toBeUndefined();
    }
  });

  it('checkProfile warns with a date, not without one, and not when suppressed', async () => {
    const dir = tempDir({
      'a.yaml': WALES_MINIMAL,
      'b.yaml': `${ENGLAND_MINIMAL}validation:\n  suppress: [KP_DATA_OUT_OF_DATE]\n`,
    });
    const codes = async (file: string, date?: string) =>
      (await checkProfile(path.join(dir, file), date ? { date } : {})).warnings.map((w) => w.code);
    expect(await codes('a.yaml')).toEqual([]);
    expect(await codes('a.yaml', '2099-01-01')).toEqual(['KP_DATA_OUT_OF_DATE']);
    expect(await codes('b.yaml', '2099-01-01')).toEqual([]);
  });
});
