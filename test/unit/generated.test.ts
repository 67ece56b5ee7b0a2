import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from '../../scripts/generate.mjs';
import { program } from '../../src/cli/main.js';

describe('generated files', () => {
  it('are up to date with the schema and the built-in templates (run `npm run generate` if this fails)', async () => {
    const files = await (generatedFiles as () => Promise<Record<string, string>>)();
    expect(Object.keys(files).sort()).toEqual(
      [
        'README.md',
        'schemas/acknowledge.schema.json',
        'schemas/build.schema.json',
        'schemas/check.schema.json',
        'schemas/diff.schema.json',
        'schemas/manifest.schema.json',
        'schemas/profile.schema.json',
        'schemas/register.schema.json',
        'schemas/status.schema.json',
        'schemas/template.schema.json',
        'schemas/templates.schema.json',
        'src/generated/precompiled-templates.js',
        'src/generated/profile.ts',
        'src/generated/schema-validators.js',
        'schemas/validate.schema.json',
      ].sort(),
    );
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

  it('give the README a profile reference without broken rows and a Commands table of every command', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const block = (name: string) =>
      readme.slice(readme.indexOf(`<!-- ${name}:begin -->`), readme.indexOf(`<!-- ${name}:end -->`));
    const reference = block('profile-reference');
    expect(reference).toMatch(/\| `nation` +\|/);
    // A `|` inside a cell is escaped once, as \|; escaped twice, as \\|, it ends the cell.
    expect(reference).not.toContain('\\\\|');
    const commands = block('commands');
    const quiet = { write: () => true };
    const cli = program({ cwd: '.', env: {}, stdout: quiet, stderr: quiet, interactive: false }, () => {});
    for (const command of cli.commands) expect(commands).toContain(`| \`keypolicy ${command.name()}`);
  });
});
