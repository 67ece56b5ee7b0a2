/**
 * The published JSON Schema (schemas/profile.schema.json) accepts exactly what `keypolicy validate`
 * accepts, as far as JSON Schema can say: every example and every file of the invalid corpus goes through
 * both `validate` and an independent validator (ajv with the schema file alone, strict mode off, formats
 * written here) and their verdicts must agree — except where every error `validate` reports is one of the
 * checks listed in SEMANTIC_ONLY, which need more than one file's data or more than JSON Schema can say.
 * The schema must never reject a file `validate` accepts.
 */
import { cpSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CASES = path.join(ROOT, 'test/e2e/invalid');

/**
 * The checks only `validate` makes, each with why JSON Schema cannot: keep this list honest and short.
 * A case whose `validate` errors all come from here may pass the schema.
 */
const SEMANTIC_ONLY: Record<string, string> = {
  // The extends chain: the schema sees one file; the base, and what it gives, are another file.
  KP_EXTENDS_NOT_FOUND: 'the base file named by `extends` does not exist',
  KP_EXTENDS_CYCLE: 'the `extends` chain comes back to a file already in it',
  KP_EXTENDS_NOT_PROFILE: 'the base named by `extends` is not a YAML profile',
  KP_EXTENDS_TOO_DEEP: 'the `extends` chain is longer than 16 files',
  KP_NOT_A_FILE: 'a file in the chain is a folder or a device, not a file',
  // The bytes of the file, before there is any data to hold against a schema.
  KP_FILE_TOO_LARGE: 'the file is over the size limit (1 MB)',
  KP_ENCODING: 'the file is not valid UTF-8 (a decoder quietly replaces the bad bytes)',
  KP_YAML_TAG: 'a YAML tag such as !!js/function (a parser reads it as a plain string)',
  KP_CONTROL_CHARACTER:
    'a control character in a value (it would need a pattern on every string of the schema)',
  // Files the profile names, read from disk.
  KP_LOGO_NOT_FOUND: 'the logo file does not exist',
  KP_LOGO_UNREADABLE: 'the logo file cannot be read',
  KP_LOGO_TYPE: 'the logo file is not a PNG, JPEG or SVG image',
  KP_LOGO_TOO_LARGE: 'the logo file is over 5 MB',
  KP_LOGO_UNDRAWABLE: 'the logo image cannot be drawn safely (too many pixels, filters, outside images)',
  KP_TEMPLATES_NOT_FOUND: 'a template pack folder the profile names does not exist',
  KP_STAFF_FILE: 'the staff list file `staff:` names is missing or unreadable',
  KP_STAFF: 'a row of the staff list file is wrong',
  KP_STAFF_DUPLICATE: 'a person is on the staff list twice (by name or id, ignoring case)',
  KP_CSV: 'the staff list CSV does not parse',
  KP_CSV_HEADER: 'the staff list CSV lacks its name and role columns',
  // Ids that must name something in the template packs (built-in, the profile's and --templates).
  KP_POLICY_UNKNOWN: '`policies` names a template id no pack has',
  KP_SECTION_UNKNOWN: 'a section override names a section the template does not have',
  // The register beside the profile.
  KP_REGISTER_EMPTY: 'the register file beside the profile is empty',
  KP_REGISTER: 'the register beside the profile does not parse or fails its own schema',
  KP_REGISTER_FORMAT: 'the register is in a format this keypolicy does not know',
  KP_REGISTER_TAMPERED: 'the register’s hash chain does not hold (a hand edit)',
  KP_REGISTER_SHARED: 'two profiles would share one register',
};

const independent = new Ajv2020({ strict: false, allErrors: true });
// Formats written here, not keypolicy's, so the check is independent: a real calendar date, an address.
independent.addFormat('date', (value: string) => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
});
independent.addFormat('email', /^[^\s@]+@[^\s@]+\.[^\s@]+$/);
const schemaCheck = independent.compile(
  JSON.parse(readFileSync(path.join(ROOT, 'schemas/profile.schema.json'), 'utf8')) as object,
);

/** The independent verdict: the file parses as one YAML document and its data passes the schema. */
function schemaVerdict(file: string): { valid: boolean; errors: string[] } {
  let text: string;
  try {
    if (!statSync(file).isFile()) return { valid: false, errors: ['not a file'] };
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { valid: false, errors: [String(error)] };
  }
  const documents = parseAllDocuments(text);
  if (!Array.isArray(documents) || documents.length !== 1)
    return { valid: false, errors: ['not one document'] };
  const [document] = documents;
  if (!document || document.errors.length > 0) return { valid: false, errors: ['YAML'] };
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { valid: false, errors: [String(error)] };
  }
  const valid = schemaCheck(data);
  return {
    valid,
    errors: (schemaCheck.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`),
  };
}

/** `validate`'s verdict and the codes of its errors. */
async function validateVerdict(file: string): Promise<{ valid: boolean; codes: string[] }> {
  const run = await runCli(
    ['validate', path.basename(file), '--json', '--date', '2026-06-01'],
    path.dirname(file),
  );
  const report = JSON.parse(run.stdout) as {
    valid: boolean;
    files: { errors: { code: string; file: string }[] }[];
  };
  // An error in another file of the extends chain (the base) is about that file, not this one.
  const own = path.basename(file);
  return {
    valid: report.valid,
    codes: report.files.flatMap((f) => f.errors.map((e) => (e.file === own ? e.code : `base: ${e.code}`))),
  };
}

function agree(
  name: string,
  ours: { valid: boolean; codes: string[] },
  theirs: { valid: boolean; errors: string[] },
): void {
  if (process.env.PARITY_DEBUG) console.log(name, ours, theirs.valid, theirs.errors.slice(0, 3));
  if (ours.valid === theirs.valid) return;
  // The schema never rejects what validate accepts.
  expect(theirs.errors, `${name}: the schema rejects a file validate accepts`).toEqual([]);
  const unexplained = ours.codes.filter((code) => !code.startsWith('base: ') && !(code in SEMANTIC_ONLY));
  expect(unexplained, `${name}: validate rejects it, the schema accepts it`).toEqual([]);
}

const examples = [
  'examples/wales-care-home/keypolicy.yaml',
  'examples/england-supported-living/keypolicy.yaml',
  'examples/england-domiciliary-link/keypolicy.yaml',
  'examples/consultant/base.yaml',
  ...readdirSync(path.join(ROOT, 'examples/consultant/clients'))
    .filter((f) => f.endsWith('.yaml') && !f.includes('.register.'))
    .map((f) => `examples/consultant/clients/${f}`),
];

describe('the JSON Schema and validate agree', () => {
  it.each(examples)('%s', async (example) => {
    const file = path.join(ROOT, example);
    const ours = await validateVerdict(file);
    const theirs = schemaVerdict(file);
    expect(ours.valid).toBe(true);
    expect(theirs.errors).toEqual([]);
  });

  const cases = readdirSync(CASES)
    .filter((name) => statSync(path.join(CASES, name)).isDirectory())
    .sort();
  it.each(cases)('invalid/%s', async (name) => {
    const dir = realpathSync(tempDir());
    const source = path.join(CASES, name);
    cpSync(source, dir, {
      recursive: true,
      filter: (file) => file === source || !['expected.txt', 'make.mjs'].includes(path.basename(file)),
    });
    const make = path.join(CASES, name, 'make.mjs');
    if (statSync(make, { throwIfNoEntry: false })) {
      const module = (await import(pathToFileURL(make).href)) as { default: (dir: string) => Promise<void> };
      await module.default(dir);
    }
    const file = path.join(dir, 'keypolicy.yaml');
    agree(name, await validateVerdict(file), schemaVerdict(file));
  });

  it('lists only checks that some case needs, each explained', () => {
    for (const [code, why] of Object.entries(SEMANTIC_ONLY)) {
      expect(code).toMatch(/^KP_[A-Z_]+$/);
      expect(why.length).toBeGreaterThan(10);
    }
  });
});

describe('files that are not complete profiles on their own', () => {
  const check = (data: unknown) => schemaCheck(data);

  it('a client that extends a base may leave out what the base gives; a complete profile may not', () => {
    expect(check({ extends: 'base.yaml', organisation: { name: 'Client Care' } })).toBe(true);
    expect(check({ organisation: { name: 'Client Care' } })).toBe(false);
    // Its own fields are still checked: types, names and enums.
    expect(check({ extends: 'base.yaml', nation: 'scotland' })).toBe(false);
    expect(check({ extends: 'base.yaml', organisaton: { name: 'x' } })).toBe(false);
  });

  it('an abstract base may leave out anything required, but not `abstract: false`', () => {
    expect(check({ abstract: true, nation: 'wales' })).toBe(true);
    expect(check({ abstract: false, nation: 'wales' })).toBe(false);
  });

  it('says in Markdown what each field is, too', () => {
    const schema = JSON.parse(readFileSync(path.join(ROOT, 'schemas/profile.schema.json'), 'utf8')) as {
      properties: Record<string, { description: string; markdownDescription: string }>;
    };
    for (const property of Object.values(schema.properties))
      expect(property.markdownDescription).toBe(property.description);
  });
});

describe('the schema copy beside a profile', () => {
  it('init writes it once and names it relatively; validate warns when it is older; schema --out refreshes it', async () => {
    const dir = tempDir();
    expect((await runCli(['init', '--name', 'Copy Care'], dir)).code).toBe(0);
    expect((await runCli(['init', '--name', 'Other Care', '--out', 'other.yaml'], dir)).code).toBe(0);
    for (const file of ['keypolicy.yaml', 'other.yaml'])
      expect(readFileSync(path.join(dir, file), 'utf8')).toContain(
        '# yaml-language-server: $schema=./keypolicy.schema.json',
      );
    const copy = path.join(dir, 'keypolicy.schema.json');
    expect(readFileSync(copy, 'utf8')).toBe(
      readFileSync(path.join(ROOT, 'schemas/profile.schema.json'), 'utf8'),
    );
    expect((await runCli(['validate'], dir)).stderr).not.toContain('KP_SCHEMA_OUTDATED');

    writeFileSync(
      copy,
      readFileSync(copy, 'utf8').replace(/"x-keypolicy-version": "[^"]+"/, '"x-keypolicy-version": "0.0.1"'),
    );
    const stale = await runCli(['validate'], dir);
    expect(stale.code).toBe(0);
    expect(stale.stderr).toMatch(/keypolicy\.yaml:1:\d+ warning KP_SCHEMA_OUTDATED/);
    expect(stale.stderr).toContain('keypolicy schema --out keypolicy.schema.json');

    const profile = path.join(dir, 'other.yaml');
    writeFileSync(
      profile,
      `${readFileSync(profile, 'utf8')}\nvalidation:\n  suppress: [KP_SCHEMA_OUTDATED]\n`,
    );
    const silenced = await runCli(['validate', 'other.yaml'], dir);
    expect(silenced.code).toBe(0);
    expect(silenced.stderr).not.toContain('KP_SCHEMA_OUTDATED');

    expect((await runCli(['schema', '--out', 'keypolicy.schema.json'], dir)).code).toBe(0);
    expect((await runCli(['validate'], dir)).stderr).not.toContain('KP_SCHEMA_OUTDATED');
  });
});
