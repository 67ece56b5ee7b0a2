/** Folders and globs as inputs to validate and diff: registers and their folders skipped, empty matches refused. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandProfileInputs } from '../../src/pipeline/inputs.js';
import { KeypolicyError } from '../../src/diagnostics/errors.js';
import { ENGLAND_MINIMAL, runCli, tempDir, WALES_MINIMAL } from '../helpers.js';

const EMPTY_REGISTER = 'registerVersion: 1\npolicies: {}\n';

/** A consultant's folder: two clients (one extending an abstract base), registers, and a register folder. */
function clientsFolder(): string {
  return tempDir({
    'clients/base.yaml': 'abstract: true\nterminology:\n  worker: key\n',
    'clients/alder.yaml': `extends: base.yaml\n${ENGLAND_MINIMAL.replace('Riverside Support Ltd', 'Alder Care')}`,
    'clients/cartref.yaml': WALES_MINIMAL,
    'clients/alder.register.yaml': EMPTY_REGISTER,
    'clients/cartref.register.yml': EMPTY_REGISTER,
    // Snapshots and the like: YAML that is no profile, and would fail validation if read as one.
    'clients/alder.register/snapshot.yaml': 'not: a profile\n',
    'clients/alder.register/v1/key-worker-policy.yaml': 'not: a profile\n',
    'clients/alder.register.acknowledgements.yaml': 'not: a profile\n',
    'empty/README.md': 'No profiles here.\n',
  });
}

interface ValidateJson {
  valid: boolean;
  files: { file: string; valid: boolean; abstract: boolean; errors: { code: string }[] }[];
  notes: string[];
  error?: { code: string; message: string; hint: string | null };
}

describe('expandProfileInputs', () => {
  it('lists a folder’s YAML files, not its subfolders, and sets registers and what they keep aside', async () => {
    const dir = clientsFolder();
    const inputs = await expandProfileInputs(['clients'], dir);
    expect(inputs.files.map((f) => path.relative(dir, f))).toEqual([
      'clients/alder.yaml',
      'clients/base.yaml',
      'clients/cartref.yaml',
    ]);
    expect(inputs.skipped.map((s) => [path.relative(dir, s.file), s.reason])).toEqual([
      ['clients/alder.register.acknowledgements.yaml', 'kept by keypolicy beside a profile, not a profile'],
      ['clients/alder.register.yaml', 'a register, not a profile'],
      ['clients/cartref.register.yml', 'a register, not a profile'],
    ]);
  });

  it('skips everything inside a register folder, however deep a glob reaches', async () => {
    const dir = clientsFolder();
    const inputs = await expandProfileInputs(['clients/**/*.yaml', 'clients/alder.yaml'], dir);
    expect(inputs.files.map((f) => path.relative(dir, f))).toEqual([
      'clients/alder.yaml',
      'clients/base.yaml',
      'clients/cartref.yaml',
    ]);
    expect(inputs.skipped.map((s) => path.relative(dir, s.file))).toEqual([
      'clients/alder.register.acknowledgements.yaml',
      'clients/alder.register.yaml',
      'clients/alder.register/snapshot.yaml',
      'clients/alder.register/v1/key-worker-policy.yaml',
    ]);
  });

  it('keeps the order given, sorting only what a folder or glob matched, and drops duplicates', async () => {
    const dir = clientsFolder();
    const inputs = await expandProfileInputs(['clients/cartref.yaml', 'clients/*.yaml'], dir);
    expect(inputs.files.map((f) => path.relative(dir, f))).toEqual([
      'clients/cartref.yaml',
      'clients/alder.yaml',
      'clients/base.yaml',
    ]);
  });

  it('passes a plain path that does not exist on to validation', async () => {
    const dir = tempDir();
    const inputs = await expandProfileInputs(['missing.yaml'], dir);
    expect(inputs.files).toEqual([path.join(dir, 'missing.yaml')]);
  });

  it('refuses each folder or glob that yields no profile, naming it', async () => {
    const dir = clientsFolder();
    const refused = (inputs: string[]) =>
      expandProfileInputs(inputs, dir).then(
        () => undefined,
        (error: unknown) => error,
      );
    for (const [inputs, words] of [
      [['nothing/*.yaml'], '`nothing/*.yaml` matches no .yaml or .yml file'],
      [['empty'], 'the folder `empty` holds no .yaml or .yml file'],
      [['clients/*.register.*'], '`clients/*.register.*` matches only registers'],
      [['clients/alder.register'], 'the folder `clients/alder.register` holds only registers'],
      [['clients/alder.register.yaml'], '`clients/alder.register.yaml` is a register, not a profile'],
      // One good input does not excuse a typo in another.
      [['clients', 'clinets/*.yaml'], '`clinets/*.yaml` matches no .yaml or .yml file'],
    ] as const) {
      const error = await refused([...inputs]);
      expect(error, inputs.join(' ')).toBeInstanceOf(KeypolicyError);
      expect((error as KeypolicyError).code).toBe('KP_NO_PROFILES');
      expect((error as KeypolicyError).exitCode).toBe(1);
      expect((error as KeypolicyError).message).toContain(words);
    }
  });
});

describe('validate over folders and globs', () => {
  it('checks the profiles and the abstract base, and skips registers with a note', async () => {
    const dir = clientsFolder();
    const result = await runCli(['validate', 'clients/'], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('✓ clients/alder.yaml is valid');
    expect(result.stdout).toContain('✓ clients/cartref.yaml is valid');
    expect(result.stdout).toContain('✓ clients/base.yaml is valid (abstract base');
    expect(result.stderr).toContain('note: clients/alder.register.yaml: skipped (a register, not a profile)');
    expect(result.stderr).toContain('note: clients/cartref.register.yml: skipped');
    expect(result.stderr).not.toContain('snapshot');
  });

  it('adds the notes to --json and keeps the fields it had', async () => {
    const dir = clientsFolder();
    const result = await runCli(['validate', 'clients/*.yaml', '--json'], dir);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as ValidateJson;
    expect(json.valid).toBe(true);
    expect(json.files.map((f) => [f.file, f.valid, f.abstract])).toEqual([
      ['clients/alder.yaml', true, false],
      ['clients/base.yaml', true, true],
      ['clients/cartref.yaml', true, false],
    ]);
    expect(json.notes).toEqual([
      'clients/alder.register.acknowledgements.yaml: skipped (kept by keypolicy beside a profile, not a profile)',
      'clients/alder.register.yaml: skipped (a register, not a profile)',
    ]);
  });

  it('counts many skipped registers in one note', async () => {
    const files: Record<string, string> = {};
    for (const name of ['a', 'b', 'c', 'd']) {
      files[`${name}.yaml`] = ENGLAND_MINIMAL;
      files[`${name}.register.yaml`] = EMPTY_REGISTER;
    }
    const result = await runCli(['validate', '.', '--json'], tempDir(files));
    expect((JSON.parse(result.stdout) as ValidateJson).notes).toEqual([
      '4 registers skipped (a.register.yaml, b.register.yaml, …): registers are not profiles',
    ]);
  });

  it('is exit 1 with KP_NO_PROFILES when a glob, a folder or a glob of registers matches no profile', async () => {
    const dir = clientsFolder();
    for (const input of ['nothing/*.yaml', 'empty', 'clients/*.register.yaml']) {
      const result = await runCli(['validate', input], dir);
      expect(result.code, input).toBe(1);
      expect(result.stderr).toContain('KP_NO_PROFILES');
      expect(result.stderr).toContain(`\`${input}\``);
      expect(result.stderr).toContain('hint:');
      expect(result.stderr).not.toMatch(/internal error|\bat .*\.ts:\d+/);
      expect(result.stdout).toBe('');
    }
  });

  it('still prints one JSON document with --json when nothing matches', async () => {
    const result = await runCli(['validate', 'nothing/*.yaml', '--json'], clientsFolder());
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout) as ValidateJson;
    expect(json).toMatchObject({ valid: false, files: [], notes: [], error: { code: 'KP_NO_PROFILES' } });
    expect(result.stderr).toContain('KP_NO_PROFILES');
  });

  it('reports a missing plain file at its name, as before', async () => {
    const result = await runCli(['validate', 'missing.yaml'], tempDir());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('missing.yaml');
    expect(result.stderr).not.toContain('KP_NO_PROFILES');
  });

  it('uses ./keypolicy.yaml without arguments', async () => {
    const result = await runCli(['validate'], tempDir({ 'keypolicy.yaml': ENGLAND_MINIMAL }));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('✓ keypolicy.yaml is valid');
  });
});

describe('diff over folders and globs', () => {
  it('diffs each profile under its own heading and skips the abstract base and registers with a note', async () => {
    const dir = clientsFolder();
    const result = await runCli(['diff', 'clients/*.yaml'], dir);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('note: clients/base.yaml: skipped (an abstract base, never built)');
    expect(result.stderr).toContain('note: clients/alder.register.yaml: skipped (a register, not a profile)');
    expect(result.stderr).toContain('clients/alder.yaml: nothing was written.');
    expect(result.stderr).toContain('clients/cartref.yaml: nothing was written.');
    expect(result.stdout).not.toContain('base.yaml');
    const alder = result.stdout.indexOf('==> clients/alder.yaml <==\n');
    const cartref = result.stdout.indexOf('\n==> clients/cartref.yaml <==\n');
    expect(alder).toBe(0);
    expect(cartref).toBeGreaterThan(alder);
    expect(result.stdout.slice(alder, cartref)).toContain('Key Worker Policy: never built');
    expect(result.stdout.slice(cartref)).toMatch(/never built; a build would record version 1\.0/);
  });

  it('prints one profile exactly as before: no heading', async () => {
    const dir = clientsFolder();
    const result = await runCli(['diff', 'clients/cartref.yaml'], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('==>');
    expect(result.stdout).toMatch(/^.+: never built; a build would record version 1\.0\.\n/);
    expect(result.stderr).toBe('clients/cartref.yaml: nothing was written.\n');
  });

  it('goes on past a profile with errors and exits 1', async () => {
    const dir = tempDir({
      'clients/bad.yaml': 'organisation:\n  name: Bad\nnation: scotland\n',
      'clients/good.yaml': ENGLAND_MINIMAL,
    });
    const result = await runCli(['diff', 'clients'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/clients\/bad\.yaml:\d+:\d+ error/);
    expect(result.stderr).toContain('clients/good.yaml: nothing was written.');
    expect(result.stdout).toContain('==> clients/good.yaml <==');
    expect(result.stdout).not.toContain('bad.yaml');
  });

  it('is exit 1 with KP_NO_PROFILES for an empty folder or a glob of registers only', async () => {
    const dir = clientsFolder();
    for (const input of ['empty', 'clients/*.register.*']) {
      const result = await runCli(['diff', input], dir);
      expect(result.code, input).toBe(1);
      expect(result.stderr).toContain('KP_NO_PROFILES');
      expect(result.stdout).toBe('');
    }
  });
});
