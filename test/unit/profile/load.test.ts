import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadYamlFile } from '../../../src/profile/load.js';
import { tempDir } from '../../helpers.js';

async function load(text: string | Buffer) {
  const dir = tempDir({ 'p.yaml': text });
  return loadYamlFile(path.join(dir, 'p.yaml'));
}

const codes = (r: Awaited<ReturnType<typeof load>>) =>
  r.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`);

describe('loadYamlFile', () => {
  it('parses a mapping and records where values are', async () => {
    const result = await load('organisation:\n  name: Acme\nnation: england\n');
    expect(result.diagnostics).toEqual([]);
    expect(result.data).toEqual({ organisation: { name: 'Acme' }, nation: 'england' });
    expect(
      result.source?.diagnostic({ code: 'X', pointer: '/organisation/name', message: 'm' }),
    ).toMatchObject({
      line: 2,
      column: 9,
      length: 4,
      path: 'organisation.name',
    });
  });

  it('keeps YAML 1.2 scalars as written (no octal, no sexagesimal, dates stay text)', async () => {
    const result = await load('a: 010\nb: 2026-04-01\nc: yes\n');
    expect(result.data).toEqual({ a: 10, b: '2026-04-01', c: 'yes' });
  });

  it('reports duplicate keys and tab indentation with positions', async () => {
    expect(codes(await load('a: 1\na: 2\n'))).toEqual(['KP_DUPLICATE_KEY@2:1']);
    expect(codes(await load('a:\n\tb: 1\n'))[0]).toMatch(/^KP_YAML_TAB@2:1$/);
  });

  it('refuses unknown tags instead of turning them into strings', async () => {
    expect(codes(await load('a: !!js/function "function () {}"\n'))).toEqual(['KP_YAML_TAG@1:4']);
  });

  it('stops an alias bomb by the alias limit', async () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      lines.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(',')}]`);
    }
    const result = await load(`${lines.join('\n')}\n`);
    expect(result.data).toBeUndefined();
    expect(result.diagnostics.map((d) => d.code)).toEqual(['KP_YAML_ALIAS_LIMIT']);
  });

  it('reports and drops keys that could pollute prototypes', async () => {
    const result = await load('__proto__:\n  polluted: true\nouter:\n  constructor: 1\n  ok: 2\n');
    expect(codes(result)).toEqual(['KP_FORBIDDEN_KEY@1:1', 'KP_FORBIDDEN_KEY@4:3']);
    expect(result.data).toEqual({ outer: { ok: 2 } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('says what the file is when it is not a mapping', async () => {
    expect(codes(await load(''))).toEqual(['KP_EMPTY@1:1']);
    expect(codes(await load('# only a comment\n'))).toEqual(['KP_EMPTY@1:1']);
    expect((await load('- a\n- b\n')).diagnostics[0]?.message).toContain('a list');
    expect((await load('just text\n')).diagnostics[0]?.message).toContain('a single value');
  });

  it('locates the first byte that is not UTF-8', async () => {
    const result = await load(
      Buffer.concat([Buffer.from('a: 1\nb: caf'), Buffer.from([0xe9]), Buffer.from('\n')]),
    );
    expect(codes(result)).toEqual(['KP_ENCODING@2:7']);
    expect(result.diagnostics[0]?.message).toContain('0xe9');
  });

  it('accepts a byte-order mark', async () => {
    expect((await load('\uFEFFa: 1\n')).data).toEqual({ a: 1 });
  });

  it('refuses a file over the size limit without reading it', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'big.yaml');
    writeFileSync(file, Buffer.alloc(2 * 1024 * 1024, 0x61));
    const result = await loadYamlFile(file);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['KP_FILE_TOO_LARGE']);
  });

  it('reports a missing file and a folder', async () => {
    const dir = tempDir();
    expect((await loadYamlFile(path.join(dir, 'nope.yaml'))).diagnostics[0]?.code).toBe('KP_FILE_NOT_FOUND');
    expect((await loadYamlFile(dir)).diagnostics[0]?.code).toBe('KP_NOT_A_FILE');
  });
});

describe('invalidUtf8Offset', () => {
  it('agrees with a strict decoder on valid and invalid sequences', async () => {
    const { invalidUtf8Offset } = await import('../../../src/profile/load.js');
    const valid = Buffer.from('plain, café, ✓, 𝄞, Cymraeg: ŵ ŷ', 'utf8');
    expect(invalidUtf8Offset(valid)).toBe(-1);
    const cases: [number[], number][] = [
      [[0x61, 0xc0, 0x80], 1], // overlong
      [[0x61, 0xed, 0xa0, 0x80], 1], // surrogate
      [[0xf4, 0x90, 0x80, 0x80], 0], // above U+10FFFF
      [[0x61, 0x62, 0xe2, 0x82], 2], // truncated at the end
      [[0x80], 0], // lone continuation byte
    ];
    for (const [bytes, offset] of cases) {
      expect(invalidUtf8Offset(Uint8Array.from(bytes))).toBe(offset);
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes))).toThrow();
    }
  });
});
