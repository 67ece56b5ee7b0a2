/**
 * CI-native reporting: GitHub Actions annotations (by flag or by GITHUB_ACTIONS), `--json` as one
 * document on every path, `--quiet`, NO_COLOR over FORCE_COLOR, `diff --json` / `--exit-code`, and
 * `build --frozen` located at the profile fields that changed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';
import { tempDir } from '../helpers.js';

async function run(args: string[], cwd: string, env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    cwd,
    env: { NO_COLOR: '1', ...env },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    interactive: false,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

/** A folder with a profile `init` wrote (valid, with example-value warnings). */
async function profileFolder(): Promise<string> {
  const dir = tempDir();
  expect((await run(['init', '--name', 'Reporter Care Ltd'], dir)).code).toBe(0);
  return dir;
}

const BAD = 'organisation:\n  name: Bad Care\nnation: england\nservice:\n  type: nursing-home\n';

describe('GitHub annotations', () => {
  it('are printed on stderr when GITHUB_ACTIONS=true, located and titled by code', async () => {
    const dir = tempDir({ 'keypolicy.yaml': BAD });
    const result = await run(['validate'], dir, { GITHUB_ACTIONS: 'true' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^::error file=keypolicy\.yaml,line=5,col=9,title=KP_ENUM service\.type::.*`nursing-home`/m,
    );
    expect(result.stderr).not.toContain(' | ');
  });

  it('go to stderr beside --json, which stays one document on stdout', async () => {
    const dir = tempDir({ 'keypolicy.yaml': BAD });
    const result = await run(['validate', '--json'], dir, { GITHUB_ACTIONS: 'true' });
    expect(result.code).toBe(1);
    expect((JSON.parse(result.stdout) as { valid: boolean }).valid).toBe(false);
    expect(result.stderr).toMatch(/^::error file=keypolicy\.yaml,line=5,col=9,/m);
  });

  it('are chosen with --reporter github, and --reporter human turns them off under Actions', async () => {
    const dir = tempDir({ 'keypolicy.yaml': BAD });
    expect((await run(['validate', '--reporter', 'github'], dir)).stderr).toMatch(/^::error /m);
    const human = await run(['validate', '--reporter', 'human'], dir, { GITHUB_ACTIONS: 'true' });
    expect(human.stderr).not.toContain('::error');
    expect(human.stderr).toContain('keypolicy.yaml:5:9 error KP_ENUM');
  });

  it('annotate warnings as warnings, and a failure with no file by its code', async () => {
    const dir = await profileFolder();
    const result = await run(['validate'], dir, { GITHUB_ACTIONS: 'true' });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /^::warning file=keypolicy\.yaml,line=\d+,col=\d+,title=KP_EXAMPLE_VALUE /m,
    );
    const missing = await run(['build', '--format', 'pdf'], dir, {
      GITHUB_ACTIONS: 'true',
      KEYPOLICY_BROWSER: path.join(dir, 'no-such-browser'),
    });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/^::error title=KP_BROWSER_NOT_FOUND::/m);
  });

  it('--reporter json is --json', async () => {
    const dir = tempDir({ 'keypolicy.yaml': BAD });
    const result = await run(['validate', '--reporter', 'json'], dir);
    expect((JSON.parse(result.stdout) as { valid: boolean }).valid).toBe(false);
    expect(result.stderr).toBe('');
  });
});

describe('--json prints one document on every path', () => {
  it('build without a browser: the error, exit 3', async () => {
    const dir = await profileFolder();
    const result = await run(['build', '--json', '--format', 'pdf'], dir, {
      KEYPOLICY_BROWSER: path.join(dir, 'no-such-browser'),
    });
    expect(result.code).toBe(3);
    const document = JSON.parse(result.stdout) as { ok: boolean; error: { code: string; exitCode: number } };
    expect(document).toMatchObject({ ok: false, error: { code: 'KP_BROWSER_NOT_FOUND', exitCode: 3 } });
  });

  it.each([
    ['validate', 'missing.yaml'],
    ['check', 'missing.yaml'],
    ['status', 'missing.yaml'],
    ['diff', 'missing.yaml'],
    ['build', 'missing.yaml', '--format', 'md'],
    ['approve', 'missing.yaml', '--by', 'A', '--role', 'B'],
    ['validate', '--no-such-flag'],
    ['diff', '--date', 'yesterday'],
    ['status', '--fail-on', 'sometimes'],
  ])('%s %s …', async (...args) => {
    const dir = tempDir();
    const result = await run([...args, '--json'], dir);
    expect(result.code).not.toBe(0);
    const document = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(document).toBeTypeOf('object');
  });
});

describe('--quiet and colours', () => {
  it('--quiet prints warnings and errors only: no notes, no success lines', async () => {
    const dir = await profileFolder();
    writeFileSync(path.join(dir, 'keypolicy.register.yaml'), 'registerVersion: 1\npolicies: {}\n');
    const loud = await run(['validate', '.'], dir);
    expect(loud.stderr).toContain('note: ');
    expect(loud.stdout).toContain('is valid');
    const quiet = await run(['validate', '.', '--quiet'], dir);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).not.toContain('note: ');
    expect(quiet.stderr).toContain('warning KP_EXAMPLE_VALUE');
    expect(quiet.stdout).toBe('');
    const build = await run(['build', '--format', 'md', '--quiet', '--date', '2026-06-01'], dir);
    expect(build.code).toBe(0);
    expect(build.stdout).toBe('');
    expect(build.stderr).toContain('warning KP_EXAMPLE_VALUE');
  });

  it('NO_COLOR wins over FORCE_COLOR', async () => {
    const dir = tempDir({ 'keypolicy.yaml': BAD });
    const forced = await run(['validate'], dir, { NO_COLOR: '', FORCE_COLOR: '1' });
    expect(forced.stderr).toContain('\u001b[');
    const both = await run(['validate'], dir, { NO_COLOR: '1', FORCE_COLOR: '1' });
    expect(both.stderr).not.toContain('\u001b[');
  });
});

describe('diff for CI, and build --frozen', () => {
  it('diff --exit-code and --json say what a build would change; --frozen names the field', async () => {
    const dir = await profileFolder();
    expect((await run(['build', '--format', 'md', '--date', '2026-06-01'], dir)).code).toBe(0);
    expect((await run(['diff', '--exit-code'], dir)).code).toBe(0);
    const clean = JSON.parse((await run(['diff', '--json'], dir)).stdout) as { changed: boolean };
    expect(clean.changed).toBe(false);

    const file = path.join(dir, 'keypolicy.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('worker: key', 'worker: link'));
    expect((await run(['diff'], dir)).code).toBe(0);
    const changed = await run(['diff', '--json', '--exit-code'], dir);
    expect(changed.code).toBe(1);
    const document = JSON.parse(changed.stdout) as {
      changed: boolean;
      profiles: {
        changed: boolean;
        policies: {
          id: string;
          changed: boolean;
          version: { now: string; next: string };
          fields: string[];
          diff: string;
        }[];
      }[];
    };
    expect(document.changed).toBe(true);
    const [policy] = document.profiles[0]?.policies ?? [];
    expect(policy).toMatchObject({
      id: 'key-worker-policy',
      changed: true,
      version: { now: '1.0', next: '1.0' },
    });
    expect(policy?.fields).toContain('terminology.worker: key → link');
    expect(policy?.diff).toContain('+');

    const line =
      readFileSync(file, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('worker: link')) + 1;
    const frozen = await run(['build', '--format', 'md', '--frozen', '--date', '2026-06-02'], dir);
    expect(frozen.code).toBe(1);
    expect(frozen.stderr).toContain(`keypolicy.yaml:${line}:11 error KP_FROZEN terminology.worker:`);
    expect(frozen.stderr).toContain('key-worker-policy');
    const json = await run(['build', '--format', 'md', '--frozen', '--json', '--date', '2026-06-02'], dir);
    const built = JSON.parse(json.stdout) as { profiles: { errors: { path: string; line: number }[] }[] };
    expect(built.profiles[0]?.errors).toEqual([
      expect.objectContaining({ path: 'terminology.worker', line }),
    ]);
  });
});
