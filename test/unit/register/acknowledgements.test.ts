/** The acknowledgement record: chained by hash over a salted digest, so a name can be erased and the chain still holds. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  acknowledgementsPath,
  acknowledgementsText,
  appendAcknowledgements,
  coverage,
  erasePerson,
  readAcknowledgements,
} from '../../../src/register/acknowledgements.js';
import type { RegisterVersion } from '../../../src/register/schema.js';
import { parseSheetDate } from '../../../src/pipeline/acknowledge.js';

const version = (): RegisterVersion =>
  ({ version: '1.0', contentHash: `sha256:${'a'.repeat(64)}`, approvedOn: '2026-04-02' }) as RegisterVersion;

function recorded(people: { name: string; id?: string }[]) {
  const dir = mkdtempSync(path.join(tmpdir(), 'kp-acks-'));
  const registerFile = path.join(dir, 'p.register.yaml');
  const v = version();
  const entries = appendAcknowledgements(
    v,
    [],
    people.map((p) => ({ member: { ...p, role: 'Support Worker' }, date: '2026-04-03' })),
    '2026-04-03',
    'root',
  );
  const file = acknowledgementsPath(registerFile, 'kwp', '1.0');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, acknowledgementsText('kwp', '1.0', entries));
  return { registerFile, v, entries, file };
}

describe('acknowledgements', () => {
  it('chains entries and the register records the head', async () => {
    const { registerFile, v } = recorded([{ name: 'Amy Pond', id: '7' }, { name: 'Ben Okafor' }]);
    expect(v.acknowledgements).toMatchObject({ count: 2, latest: '2026-04-03' });
    const read = await readAcknowledgements(registerFile, 'kwp', v);
    expect(read.map((e) => e.name)).toEqual(['Amy Pond', 'Ben Okafor']);
    expect(
      coverage(
        [
          { name: 'amy  POND', role: 'x' },
          { name: 'Cara', role: 'x' },
        ],
        read,
        '2026-04-03',
      ),
    ).toEqual({
      acknowledged: [{ name: 'amy  POND', date: '2026-04-03' }],
      missing: ['Cara'],
    });
    expect(coverage([{ name: 'Amy Pond', role: 'x' }], read, '2026-04-02').missing).toEqual(['Amy Pond']);
  });

  it('notices a changed name, a dropped entry and entries past the recorded count', async () => {
    const { registerFile, v, entries, file } = recorded([{ name: 'Amy Pond' }, { name: 'Ben Okafor' }]);
    writeFileSync(
      file,
      acknowledgementsText('kwp', '1.0', [{ ...entries[0]!, name: 'Someone Else' }, entries[1]!]),
    );
    await expect(readAcknowledgements(registerFile, 'kwp', v)).rejects.toThrow(/entry 1 has been changed/);
    writeFileSync(file, acknowledgementsText('kwp', '1.0', entries.slice(0, 1)));
    await expect(readAcknowledgements(registerFile, 'kwp', v)).rejects.toThrow(/holds fewer/);
    // Written before the register that commits it: an uncommitted extra entry is ignored.
    const extra = appendAcknowledgements(
      version(),
      entries,
      [{ member: { name: 'Cara', role: 'x' }, date: '2026-04-04' }],
      '2026-04-04',
      undefined,
    );
    writeFileSync(file, acknowledgementsText('kwp', '1.0', extra));
    expect(await readAcknowledgements(registerFile, 'kwp', v)).toHaveLength(2);
  });

  it('erases a name by pseudonym without breaking the chain', async () => {
    const { registerFile, v, entries, file } = recorded([
      { name: 'Amy Pond', id: '7' },
      { name: 'Ben Okafor' },
    ]);
    expect(erasePerson(entries, 'AMY POND', 'Former staff 1')).toBe(1);
    const text = acknowledgementsText('kwp', '1.0', entries);
    expect(text).not.toMatch(/Amy Pond|id: "7"/);
    writeFileSync(file, text);
    const read = await readAcknowledgements(registerFile, 'kwp', v);
    expect(read[0]).toMatchObject({ name: 'Former staff 1', pseudonym: true });
    expect(read[0]?.salt).toBeUndefined();
  });

  it('reads sheet dates as YYYY-MM-DD or DD/MM/YYYY, real dates only', () => {
    expect(parseSheetDate('2026-04-03')).toBe('2026-04-03');
    expect(parseSheetDate('3/4/2026')).toBe('2026-04-03');
    expect(parseSheetDate('31/02/2026')).toBeUndefined();
    expect(parseSheetDate('04/03/26')).toBeUndefined();
  });
});
