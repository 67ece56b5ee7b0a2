import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from '../../scripts/generate.mjs';

describe('generated files', () => {
  it('are up to date with the schema and the built-in templates (run `npm run generate` if this fails)', async () => {
    const files = await (generatedFiles as () => Promise<Record<string, string>>)();
    expect(Object.keys(files).sort()).toEqual([
      'README.md',
      'schemas/profile.schema.json',
      'schemas/register.schema.json',
      'schemas/template.schema.json',
      'src/generated/precompiled-templates.js',
      'src/generated/schema-validators.js',
    ]);
    const stale = Object.entries(files)
      .filter(([file, text]) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8') !== text)
      .map(([file]) => file);
    expect(stale).toEqual([]);
  });

  it('describe every property of the schema, for editors’ hover help', () => {
    const schema = JSON.parse(
      readFileSync(new URL('../../schemas/profile.schema.json', import.meta.url), 'utf8'),
    ) as object;
    const missing: string[] = [];
    const walk = (node: Record<string, unknown>, path: string) => {
      for (const [key, child] of Object.entries(
        (node.properties as Record<string, Record<string, unknown>>) ?? {},
      )) {
        if (typeof child.description !== 'string' || child.description.length < 8)
          missing.push(`${path}${key}`);
        walk(child, `${path}${key}.`);
        const items = child.items as Record<string, unknown> | undefined;
        if (items) walk(items, `${path}${key}[].`);
        for (const branch of (items?.anyOf as Record<string, unknown>[] | undefined) ?? [])
          walk(branch, `${path}${key}[].`);
      }
    };
    walk(schema as Record<string, unknown>, '');
    expect(missing).toEqual([]);
  });

  it('keep the public key paths of SPEC.md', () => {
    const schema = JSON.parse(
      readFileSync(new URL('../../schemas/profile.schema.json', import.meta.url), 'utf8'),
    ) as {
      properties: Record<
        string,
        { properties?: Record<string, { enum?: string[]; type?: string }>; enum?: string[]; type?: string }
      >;
    };
    const p = schema.properties;
    expect(p.organisation?.properties?.name?.type).toBe('string');
    expect(p.organisation?.properties?.logo?.type).toBe('string');
    expect(p.nation?.enum).toEqual(['england', 'wales']);
    expect(p.service?.properties?.type?.enum).toEqual(['supported-living', 'care-home', 'domiciliary']);
    expect(p.terminology?.properties?.worker?.enum).toEqual(['key', 'link']);
    expect(p.keyWorking?.properties?.sharedRole?.type).toBe('boolean');
    expect(p.documentControl?.properties?.reviewIntervalMonths?.type).toBe('integer');
    expect(p.extends?.type).toBe('string');
    expect(p.policies?.type).toBe('array');
  });
});
