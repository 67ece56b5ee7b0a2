import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { copyExample, runBinary, runCli, tempDir } from '../helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A copy of an example organisation's folder, its profile optionally edited. */
function example(name: string, edit?: (text: string) => string): string {
  const dir = tempDir();
  copyExample(path.join(root, 'examples', name), dir);
  const file = path.join(dir, 'keypolicy.yaml');
  const before = readFileSync(file, 'utf8');
  const after = edit ? edit(before) : before;
  if (edit && after === before) throw new Error('the edit changed nothing');
  writeFileSync(file, after);
  return dir;
}

/** `file:line:col` of the first occurrence of `text` in a file (1-based, as diagnostics count). */
function at(file: string, text: string, shown = 'keypolicy.yaml'): string {
  const content = readFileSync(file, 'utf8');
  const index = content.indexOf(text);
  if (index < 0) throw new Error(`${text} not in ${file}`);
  const before = content.slice(0, index).split('\n');
  return `${shown}:${before.length}:${(before.at(-1) ?? '').length + 1}`;
}

const DATE = '2026-12-03';
const check = (dir: string, ...args: string[]) => runCli(['check', '--date', DATE, ...args], dir);

interface CheckJson {
  ready: boolean;
  date: string;
  notes: string[];
  profiles: {
    profile: string;
    organisation: string | null;
    ready: boolean;
    problems: { code: string; file: string; line: number; column: number; message: string }[];
    policies: {
      id: string;
      title: string;
      version: string;
      status: string;
      ready: boolean;
      problems: { code: string; file: string; line: number; column: number; message: string }[];
      notes: string[];
    }[];
  }[];
}

const problemsOf = (json: CheckJson) =>
  json.profiles.flatMap((p) => [...p.problems, ...p.policies.flatMap((q) => q.problems)]);
const located = (json: CheckJson) => problemsOf(json).map((p) => `${p.file}:${p.line}:${p.column} ${p.code}`);

describe('keypolicy check: ready to submit', () => {
  it('passes a built and approved England policy (exit 0, no notes about drafts)', async () => {
    const dir = example('england-supported-living');
    expect((await runCli(['build', '--format', 'md', '--date', '2026-12-01'], dir)).code).toBe(0);
    for (const [by, role] of [
      ['Priya Chauhan', 'Registered Manager'],
      ['Martin Hale', 'Nominated Individual'],
    ] as const) {
      const approve = await runCli(['approve', '--by', by, '--role', role, '--date', '2026-12-02'], dir);
      expect(approve.code, approve.stderr).toBe(0);
    }
    const result = await check(dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      '✓ keypolicy.yaml (Larkspur Community Support) is ready to submit: Key Worker Policy 1.0',
    );
    expect(result.stdout).not.toContain('draft');
    const json = JSON.parse((await check(dir, '--json')).stdout) as CheckJson;
    expect(json.profiles[0]?.policies[0]).toMatchObject({ version: '1.0', status: 'approved', notes: [] });
    // Nothing was written: the register and the built files are as approve left them.
    expect(readdirSync(dir).sort()).toEqual(
      [
        'keypolicy.register',
        'keypolicy.register.yaml',
        'keypolicy.yaml',
        'logo.png',
        'policies',
        'staff.csv',
      ].sort(),
    );
  });

  it('passes a Wales draft never built, noting the draft and its provisional review date', async () => {
    const dir = example('wales-care-home');
    const result = await check(dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('is ready to submit: Key Worker Policy 1.0 (draft)');
    expect(result.stdout).toContain('Not built yet: a build would record it as draft 1.0.');
    expect(result.stdout).toContain('is provisional until then');
    expect(readdirSync(dir).sort()).toEqual(['keypolicy.yaml', 'logo.png']);
  });

  it('prints one JSON document of the documented shape', async () => {
    const dir = example('wales-care-home');
    const result = await check(dir, '--json');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as CheckJson;
    expect(json).toMatchObject({ ready: true, date: DATE, notes: [] });
    expect(json.profiles).toHaveLength(1);
    expect(json.profiles[0]).toMatchObject({
      profile: 'keypolicy.yaml',
      organisation: 'Tŷ Celyn Care Home',
      ready: true,
      problems: [],
    });
    expect(json.profiles[0]?.policies[0]).toMatchObject({
      id: 'key-worker-policy',
      title: 'Key Worker Policy',
      version: '1.0',
      status: 'draft',
      ready: true,
      problems: [],
    });
  });
});

describe('keypolicy check: what is missing, located', () => {
  it('fails when no related policies are listed, at the field', async () => {
    const dir = example('england-supported-living', (t) =>
      t.replace(/ {2}relatedPolicies:\n( {4}- .*\n( {6}.*\n)*)+/, '  relatedPolicies: []\n'),
    );
    const result = await check(dir);
    expect(result.code).toBe(1);
    const where = at(path.join(dir, 'keypolicy.yaml'), '[]');
    expect(result.stderr).toContain('✗ keypolicy.yaml (Larkspur Community Support) is not ready to submit');
    expect(result.stderr).toContain(`${where} KP_CHECK_RELATED_POLICIES: No related policies are listed`);
  });

  it('fails when the related policies section is switched off', async () => {
    const dir = example('wales-care-home', (t) => t.replace(/( {4}relatedPolicies:) true/, '$1 false'));
    const json = JSON.parse((await check(dir, '--json')).stdout) as CheckJson;
    expect(json.ready).toBe(false);
    expect(located(json)).toEqual([
      `${at(path.join(dir, 'keypolicy.yaml'), 'false\n  # Codes')} KP_CHECK_RELATED_POLICIES`,
    ]);
  });

  it('fails on init example values: the accountable person and an identifier', async () => {
    const dir = example('england-supported-living', (t) =>
      t
        .replace('firstName: Priya\n    lastName: Chauhan', 'firstName: Alex\n    lastName: Example')
        .replace('cqcProviderId: 1-2048365917', 'cqcProviderId: 1-000000000'),
    );
    const file = path.join(dir, 'keypolicy.yaml');
    const result = await check(dir, '--json');
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout) as CheckJson;
    expect(located(json)).toEqual([
      `${at(file, 'firstName: Alex')} KP_CHECK_ACCOUNTABLE_PERSON`,
      `${at(file, '1-000000000')} KP_CHECK_EXAMPLE_VALUE`,
    ]);
    expect(
      problemsOf(json)
        .map((p) => p.message)
        .join('\n'),
    ).toContain(
      'The accountable registered manager is still `Alex Example`, the example `keypolicy init` wrote',
    );
  });

  it('fails when the regulatory data is more than 12 months old on --date', async () => {
    const dir = example('wales-care-home');
    const data = path.join(root, 'templates/data/wales.yaml');
    const result = await runCli(['check', '--date', '2029-01-01'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${at(data, 'asOf: ', data).replace(/:1$/, ':7')} KP_DATA_OUT_OF_DATE`);
    expect(result.stderr).toContain('more than 12 months before 1 January 2029');
  });

  it('fails on placeholders and a bad link in the profile, at their fields', async () => {
    const dir = example('england-supported-living', (t) =>
      t
        .replace('name: Larkspur Supported Living (Leicester)', 'name: Larkspur Supported Living (TBC)')
        .replace('https://www.larkspursupport.co.uk', 'https://www.example.com'),
    );
    const file = path.join(dir, 'keypolicy.yaml');
    const json = JSON.parse((await check(dir, '--json')).stdout) as CheckJson;
    expect(located(json)).toEqual([
      `${at(file, 'Larkspur Supported Living (TBC)')} KP_CHECK_PLACEHOLDER`,
      `${at(file, 'https://www.example.com')} KP_CHECK_LINK`,
    ]);
  });

  it('fails on an empty section, a leftover placeholder and a broken link in a template pack', async () => {
    const body = [
      '---',
      'id: handbook',
      'title: Staff Handbook',
      'version: 1.0.0',
      '---',
      '## Purpose',
      '',
      'How {{organisation.name}} works.',
      '',
      '## Scope',
      '',
      '## Contacts',
      '',
      'Ask the office on \\{{org_field_x}}, or see https://intranet/policies.',
      '',
    ].join('\n');
    const dir = example('england-supported-living', (t) =>
      t.replace('policies:\n  - key-worker-policy\n', 'templates: [pack]\npolicies: [handbook]\n'),
    );
    mkdirSync(path.join(dir, 'pack'));
    writeFileSync(path.join(dir, 'pack', 'handbook.md'), body);
    const template = path.join(dir, 'pack', 'handbook.md');
    const result = await check(dir, '--json');
    expect(result.code, result.stderr).toBe(1);
    const json = JSON.parse(result.stdout) as CheckJson;
    const shown = (text: string) => at(template, text, 'pack/handbook.md');
    expect(located(json)).toEqual([
      `${shown('## Scope')} KP_CHECK_EMPTY_SECTION`,
      `${shown('{{org_field_x}}')} KP_CHECK_PLACEHOLDER`,
      `${shown('https://intranet/policies')} KP_CHECK_LINK`,
    ]);
    const human = await check(dir);
    expect(human.stderr).toContain(
      `${shown('## Scope')} KP_CHECK_EMPTY_SECTION: The section “Scope” has nothing in it`,
    );
  });

  it('fails an approved policy past its review date, at the register', async () => {
    const dir = example('wales-care-home', (t) =>
      t.replace('reviewIntervalMonths: 12', 'reviewIntervalMonths: 6'),
    );
    expect((await runCli(['build', '--format', 'md', '--date', '2026-11-02'], dir)).code).toBe(0);
    for (const role of ['Manager', 'Responsible Individual']) {
      const approve = await runCli(
        ['approve', '--by', 'A Person', '--role', role, '--date', '2026-11-03'],
        dir,
      );
      expect(approve.code, approve.stderr).toBe(0);
    }
    expect((await runCli(['check', '--date', '2027-05-03'], dir)).code).toBe(0);
    const late = await runCli(['check', '--date', '2027-06-01', '--json'], dir);
    expect(late.code).toBe(1);
    const json = JSON.parse(late.stdout) as CheckJson;
    const register = path.join(dir, 'keypolicy.register.yaml');
    expect(located(json)).toEqual([
      `${at(register, '2027-05-03', 'keypolicy.register.yaml')} KP_CHECK_REVIEW_OVERDUE`,
    ]);
  });
});

describe('keypolicy check: inputs', () => {
  it('reports an invalid profile with its validation errors (exit 1)', async () => {
    const dir = example('wales-care-home', (t) => t.replace('nation: wales', 'nation: scotland'));
    const result = await check(dir, '--json');
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout) as CheckJson;
    expect(json.ready).toBe(false);
    expect(json.profiles[0]?.policies).toEqual([]);
    expect(json.profiles[0]?.problems.map((p) => p.code)).toContain('KP_ENUM');
  });

  it('takes folders and globs, skipping registers and abstract bases with a note', async () => {
    const dir = example('wales-care-home');
    writeFileSync(path.join(dir, 'base.yaml'), 'abstract: true\nnation: wales\n');
    writeFileSync(path.join(dir, 'keypolicy.register.yaml'), 'registerVersion: 2\npolicies: {}\n');
    const json = JSON.parse((await check(dir, '--json', '.')).stdout) as CheckJson;
    expect(json.profiles.map((p) => p.profile)).toEqual(['keypolicy.yaml']);
    expect(json.notes).toEqual([
      'keypolicy.register.yaml: skipped (a register, not a profile)',
      'base.yaml: skipped (an abstract base, never built)',
    ]);
    const none = await check(dir, 'nothing-*.yaml', '--json');
    expect(none.code).toBe(1);
    expect(JSON.parse(none.stdout)).toMatchObject({ ready: false, error: { code: 'KP_NO_PROFILES' } });
  });

  it('treats a bad --date as a usage error (exit 2), still printing one JSON document', async () => {
    const dir = example('wales-care-home');
    const bad = await runCli(['check', '--date', '2026-02-30', '--json'], dir);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout)).toMatchObject({ ready: false, error: { code: 'KP_USAGE' } });
    expect((await runCli(['check', '--no-such-flag'], dir)).code).toBe(2);
  });
});

describe('the age of the regulatory data', () => {
  it('validate --date warns, naming the file and its as-at date, and the profile can silence it', async () => {
    const dir = example('england-supported-living');
    const late = await runCli(['validate', '--date', '2029-01-01', '--json'], dir);
    expect(late.code).toBe(0);
    const json = JSON.parse(late.stdout) as {
      date: string;
      files: { warnings: { code: string; file: string; line: number; message: string; hint: string }[] }[];
    };
    expect(json.date).toBe('2029-01-01');
    const warning = json.files[0]?.warnings.find((w) => w.code === 'KP_DATA_OUT_OF_DATE');
    expect(warning?.file).toBe(path.join(root, 'templates/data/england.yaml'));
    expect(warning?.message).toMatch(
      /^The regulatory facts in templates\/data\/england\.yaml are as at \d+ \w+ 20\d\d, more than 12 months before 1 January 2029/,
    );
    expect(warning?.hint).toContain('Update keypolicy');
    const now = await runCli(['validate', '--date', DATE], dir);
    expect(now.stderr).not.toContain('KP_DATA_OUT_OF_DATE');

    const silenced = example(
      'england-supported-living',
      (t) => `${t}validation:\n  suppress: [KP_DATA_OUT_OF_DATE]\n`,
    );
    const quiet = await runCli(['validate', '--date', '2029-01-01'], silenced);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).not.toContain('KP_DATA_OUT_OF_DATE');
  });

  it('validate and check honour SOURCE_DATE_EPOCH, as build does (the real binary)', () => {
    const dir = example('wales-care-home');
    const env = { SOURCE_DATE_EPOCH: String(Date.UTC(2029, 0, 1) / 1000) };
    const validate = runBinary(dir, ['validate'], env);
    expect(validate.status).toBe(0);
    expect(validate.stderr).toContain('KP_DATA_OUT_OF_DATE');
    const checked = runBinary(dir, ['check', '--json'], env);
    expect(checked.status).toBe(1);
    expect(JSON.parse(checked.stdout)).toMatchObject({ ready: false, date: '2029-01-01' });
  });

  it('templates --json lists each data file with its as-at date, and templates prints them', async () => {
    const result = await runCli(['templates', '--json'], tempDir());
    const json = JSON.parse(result.stdout) as { data: { nation: string; file: string; asOf: string }[] };
    expect(json.data.map((d) => [d.nation, d.file])).toEqual([
      ['england', path.join(root, 'templates/data/england.yaml')],
      ['wales', path.join(root, 'templates/data/wales.yaml')],
    ]);
    for (const d of json.data) expect(readFileSync(d.file, 'utf8')).toContain(`\nasOf: ${d.asOf}\n`);
    expect((await runCli(['templates'], tempDir())).stdout).toMatch(
      /regulatory data\n {2}england +as at \d+ \w+ 20\d\d/,
    );
  });
});
