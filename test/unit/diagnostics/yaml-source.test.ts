import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { sourceFromText } from '../../../src/diagnostics/source.js';
import { MAX_ALIAS_COUNT, parseYamlFile, yamlData } from '../../../src/diagnostics/yaml-source.js';

/** Ten levels of ten aliases each: far more than the limit once expanded. */
function aliasBomb(): string {
  const lines = ['a: &a [x,x,x,x,x,x,x,x,x,x]'];
  for (let i = 1; i < 10; i++) {
    const name = String.fromCharCode(97 + i);
    lines.push(
      `${name}: &${name} [${Array(10)
        .fill(`*${String.fromCharCode(96 + i)}`)
        .join(',')}]`,
    );
  }
  return `${lines.join('\n')}\n`;
}

describe('parseYamlFile', () => {
  it('parses YAML 1.2 with positions and explains what the parser found', () => {
    const parsed = parseYamlFile('/p.yaml', 'a: yes\na: 2\n');
    expect(parsed.document.toJS()).toEqual({ a: 2 });
    expect(parsed.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual([
      'KP_DUPLICATE_KEY@2:1',
    ]);
    expect(parsed.source.position(7)).toEqual({ line: 2, column: 1 });
  });
});

describe('yamlData', () => {
  it('gives the data of a document within the alias limit', () => {
    const { document, source } = parseYamlFile('/p.yaml', 'a: &x [1, 2]\nb: *x\n');
    expect(yamlData(document, source, { what: 'file' })).toEqual({ data: { a: [1, 2], b: [1, 2] } });
  });

  it('refuses an alias bomb at its first alias, naming what was not read', () => {
    const { document, source } = parseYamlFile('/p.yaml', aliasBomb());
    const result = yamlData(document, source, { what: 'file' });
    expect(result).toEqual({
      diagnostic: expect.objectContaining({
        code: 'KP_YAML_ALIAS_LIMIT',
        line: 2,
        column: 8,
        length: 2,
        message: `This file expands YAML aliases (\`*name\`) too many times (more than ${MAX_ALIAS_COUNT}), so it was not read.`,
      }) as unknown,
    });
  });

  it('places the alias in a larger text when the document starts part-way through it', () => {
    const text = `---\n${aliasBomb()}---\nbody\n`;
    const raw = aliasBomb();
    const result = yamlData(parseDocument(raw), sourceFromText('/t.md', text), {
      what: 'front matter',
      offset: text.indexOf(raw),
    });
    expect('diagnostic' in result && result.diagnostic).toMatchObject({
      line: 3,
      column: 8,
      message: expect.stringMatching(/^This front matter expands YAML aliases/) as unknown,
    });
  });
});
