/**
 * Every failure is a diagnostic or one line with a code, and resources are bounded: a bug, Ctrl-C in
 * `init`, a closed pipe, numeric flags and variables out of range, input files that cannot be read or
 * are not files, YAML that nests without end, and profiles of tens of thousands of keys.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';
import { parseJobs } from '../../src/commands/build.js';
import { VERSION } from '../../src/core/version.js';
import { checkProfile } from '../../src/pipeline/check-profile.js';
import { loadMergedProfile } from '../../src/profile/extends.js';
import { printTimeoutSeconds } from '../../src/writers/pdf/session.js';
import { ENGLAND_MINIMAL, tempDir } from '../helpers.js';

const BIN = fileURLToPath(new URL('../../bin/keypolicy.js', import.meta.url));
const root = process.getuid?.() === 0;

// Ctrl-C at a question: @inquirer/prompts rejects with an ExitPromptError.
vi.mock('@inquirer/prompts', () => {
  class ExitPromptError extends Error {
    override name = 'ExitPromptError';
  }
  const stop = () => Promise.reject(new ExitPromptError('User force closed the prompt with SIGINT'));
  return { input: stop, select: stop, confirm: stop };
});

// A bug: the schema command throws something that is not a KeypolicyError.
vi.mock('../../src/commands/schema.js', () => ({
  runSchema: () => Promise.reject(new TypeError("Cannot read properties of undefined (reading 'x')")),
}));

// Permission denied, even for root: reading a file named in `denied` (by the path keypolicy reads) fails.
const denied = vi.hoisted(() => new Set<string>());
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const readFile = ((file: unknown, ...rest: unknown[]) => {
    if (typeof file === 'string' && denied.has(file)) {
      const error = new Error(`EACCES: permission denied, open '${file}'`) as NodeJS.ErrnoException;
      Object.assign(error, { code: 'EACCES', errno: -13, syscall: 'open', path: file });
      return Promise.reject(error);
    }
    return (actual.readFile as (...args: unknown[]) => unknown)(file, ...rest);
  }) as typeof actual.readFile;
  return { ...actual, default: { ...actual, readFile }, readFile };
});

/** A temporary folder holding `files`, those in `locked` unreadable. */
function folderWith(files: Record<string, string>, locked: string[]): string {
  const dir = tempDir(files);
  for (const name of locked) denied.add(path.join(dir, name));
  return dir;
}

/** `keypolicy ...args` in-process, in `cwd`, with extra environment variables. */
async function run(args: string[], cwd: string, env: Record<string, string> = {}, interactive = false) {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    cwd,
    env: { NO_COLOR: '1', ...env },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    interactive,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

const noTrace = (text: string) => expect(text).not.toMatch(/^\s+at /m);

describe('a bug is one line with a code', () => {
  const oneLine =
    `error KP_INTERNAL: keypolicy ${VERSION} hit an internal error (a bug): TypeError: Cannot read properties of undefined (reading 'x')\n` +
    "  hint: Please report it to keypolicy's maintainers with the command you ran; run it again with --debug (or KEYPOLICY_DEBUG=1) to add the details.\n";

  it('prints KP_INTERNAL and a "please report" hint, no stack, exit 1', async () => {
    const result = await run(['schema'], tempDir());
    expect(result).toEqual({ code: 1, stdout: '', stderr: oneLine });
  });

  it('adds the stack with --debug (anywhere before --) or KEYPOLICY_DEBUG=1', async () => {
    for (const [args, env] of [
      [['--debug', 'schema'], {}],
      [['schema', '--debug'], {}],
      [['schema'], { KEYPOLICY_DEBUG: '1' }],
    ] as const) {
      const result = await run([...args], tempDir(), env);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^error KP_INTERNAL: .*\n {2}hint: .*details below\.\nTypeError: .*\n\s+at /,
      );
    }
    expect((await run(['schema'], tempDir(), { KEYPOLICY_DEBUG: '0' })).stderr).toBe(oneLine);
  });

  it('accepts --debug when nothing goes wrong', async () => {
    const dir = tempDir({ 'keypolicy.yaml': ENGLAND_MINIMAL });
    const result = await run(['validate', '--debug'], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('is valid');
  });
});

describe('Ctrl-C in interactive init', () => {
  it('exits 130 with one line and writes nothing', async () => {
    const dir = tempDir();
    const result = await run(['init'], dir, {}, true);
    expect(result).toEqual({
      code: 130,
      stdout: '',
      stderr: '\nkeypolicy: init stopped; nothing was written.\n',
    });
    expect(existsSync(path.join(dir, 'keypolicy.yaml'))).toBe(false);
  });
});

describe('numeric flags and variables are usage errors (exit 2) when out of range', () => {
  const cases: [string, string[], Record<string, string>, string][] = [
    ['--jobs in exponent form', ['build', '--jobs', '1e3'], {}, '--jobs takes a whole number from 1 to '],
    ['--jobs far above the cap', ['build', '--jobs', '1000'], {}, '--jobs takes a whole number from 1 to '],
    ['--jobs 0', ['build', '--jobs', '0'], {}, 'you wrote `0`'],
    ['--jobs 2.5', ['build', '--jobs', '2.5'], {}, 'you wrote `2.5`'],
    ['--shard beyond a number', ['build', '--shard', '1/1e400'], {}, '1 ≤ K ≤ N ≤ 10000'],
    ['--shard above 10000', ['build', '--shard', '1/10001'], {}, 'you wrote `1/10001`'],
    ['--shard with 20 digits', ['build', '--shard', '1/99999999999999999999'], {}, '1 ≤ K ≤ N ≤ 10000'],
    ['--due-soon-days beyond a number', ['status', '--due-soon-days', '1e400'], {}, 'from 0 to 3660'],
    ['--due-soon-days too many', ['status', '--due-soon-days', '3661'], {}, 'you wrote `3661`'],
    ...(['1e10', '601', '0', '-5', 'Infinity', '0x10', 'soon'].map((value) => [
      `KEYPOLICY_PDF_TIMEOUT=${value}`,
      ['build', '--format', 'pdf'],
      { KEYPOLICY_PDF_TIMEOUT: value },
      `KEYPOLICY_PDF_TIMEOUT takes a number of seconds above 0 and at most 600; it is \`${value}\`.`,
    ]) as [string, string[], Record<string, string>, string][]),
  ];

  it.each(cases)('%s', async (_name, args, env, message) => {
    const dir = tempDir({ 'keypolicy.yaml': ENGLAND_MINIMAL });
    const result = await run(args, dir, env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error KP_USAGE: /);
    expect(result.stderr).toContain(message);
    noTrace(result.stderr);
  });

  it('caps --jobs at four per CPU core, naming the cap', () => {
    expect(parseJobs(undefined, 2)).toBe(2);
    expect(parseJobs('8', 2)).toBe(8);
    expect(() => parseJobs('9', 2)).toThrow(
      "--jobs takes a whole number from 1 to 8 (4 × this machine's 2 CPU cores)",
    );
    expect(() => parseJobs('5', 1)).toThrow("from 1 to 4 (4 × this machine's 1 CPU core)");
  });

  it('keeps KEYPOLICY_PDF_TIMEOUT within what a timer can hold', () => {
    expect(printTimeoutSeconds({})).toBe(60);
    expect(printTimeoutSeconds({ KEYPOLICY_PDF_TIMEOUT: '600' })).toBe(600);
    expect(printTimeoutSeconds({ KEYPOLICY_PDF_TIMEOUT: '0.5' })).toBe(0.5);
    expect(600 * 1000).toBeLessThan(2 ** 31 - 1);
  });
});

describe('input files that cannot be read, or are not files', () => {
  const cannotRead = (what: string) => `This ${what} cannot be read: permission denied (EACCES).`;

  it('an unreadable profile is a located diagnostic', async () => {
    const dir = folderWith({ 'p.yaml': ENGLAND_MINIMAL }, ['p.yaml']);
    const result = await run(['validate', 'p.yaml'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `p.yaml:1:1 error KP_FILE_UNREADABLE: ${cannotRead('profile')}\n` +
        '  hint: Make the file (and the folders above it) readable by the user running keypolicy, or ask whoever manages this computer to.\n\n' +
        '✗ p.yaml is not valid (1 error, 0 warnings)\n',
    );
  });

  it('an unreadable register is named as the register', async () => {
    const register = 'registerVersion: 2\npolicies: {}\n';
    const dir = folderWith({ 'p.yaml': ENGLAND_MINIMAL, 'p.register.yaml': register }, ['p.register.yaml']);
    const result = await run(['validate', '--json', 'p.yaml'], dir);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      files: { errors: { file: string; code: string; message: string; line: number }[] }[];
    };
    expect(report.files[0]?.errors).toMatchObject([
      { file: 'p.register.yaml', code: 'KP_FILE_UNREADABLE', message: cannotRead('register'), line: 1 },
    ]);
  });

  it('an unreadable base profile is named as the base', async () => {
    const dir = folderWith(
      {
        'client.yaml': 'extends: base.yaml\norganisation:\n  name: Riverside Support Ltd\n',
        'base.yaml': ENGLAND_MINIMAL,
      },
      ['base.yaml'],
    );
    const result = await run(['validate', 'client.yaml'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`base.yaml:1:1 error KP_FILE_UNREADABLE: ${cannotRead('base profile')}`);
  });

  it('a base behind a looping link is named at `extends`, with the reason', async () => {
    const dir = tempDir({
      'client.yaml': 'extends: base.yaml\norganisation:\n  name: Riverside Support Ltd\n',
    });
    symlinkSync('base.yaml', path.join(dir, 'base.yaml'));
    const result = await run(['validate', 'client.yaml'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'client.yaml:1:10 error KP_FILE_UNREADABLE extends: `extends` names `base.yaml`, which cannot be read: it is a symbolic link that leads round in a loop (ELOOP; chain: client.yaml → base.yaml).',
    );
  });

  it('an unreadable profile in a batch fails alone; the others are built', async () => {
    const dir = folderWith(
      {
        'clients/a.yaml': ENGLAND_MINIMAL,
        'clients/b.yaml': ENGLAND_MINIMAL.replace('Riverside Support Ltd', 'Hillside Care Ltd'),
      },
      ['clients/a.yaml'],
    );
    const result = await run(['build', 'clients', '--format', 'md', '--date', '2026-04-01'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`clients/a.yaml:1:1 error KP_FILE_UNREADABLE: ${cannotRead('profile')}`);
    expect(result.stderr).toContain('1 built, 0 unchanged, 1 failed');
    expect(existsSync(path.join(dir, 'policies/hillside-care-ltd'))).toBe(true);
    noTrace(result.stderr);
  });

  it('a profile without read permission (chmod 000) is a diagnostic', async () => {
    const dir = tempDir({ 'p.yaml': ENGLAND_MINIMAL });
    chmodSync(path.join(dir, 'p.yaml'), 0);
    if (!root) {
      const result = await run(['validate', 'p.yaml'], dir);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`p.yaml:1:1 error KP_FILE_UNREADABLE: ${cannotRead('profile')}`);
      return;
    }
    // Root reads any file, so the real binary runs as an unprivileged user (CI runs as root).
    chmodSync(dir, 0o755);
    const bin = fileURLToPath(new URL('../../bin/keypolicy.js', import.meta.url));
    const result = spawnSync(
      'setpriv',
      ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, bin, 'validate', 'p.yaml'],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`p.yaml:1:1 error KP_FILE_UNREADABLE: ${cannotRead('profile')}`);
  });

  it('/dev/null is a device, not a folder', async () => {
    const result = await run(['validate', '/dev/null'], tempDir());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      '/dev/null:1:1 error KP_NOT_A_FILE: This is a device, not a profile file.',
    );
  });

  const mkfifo = spawnSync('mkfifo', ['--version']).status === 0;
  it.skipIf(!mkfifo)('a named pipe is named, and never opened (which would wait for a writer)', async () => {
    const dir = tempDir();
    expect(spawnSync('mkfifo', [path.join(dir, 'pipe.yaml')]).status).toBe(0);
    const result = await run(['validate', 'pipe.yaml'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'pipe.yaml:1:1 error KP_NOT_A_FILE: This is a named pipe, not a profile file.',
    );
  });

  it('a register that is a folder is named as one', async () => {
    const dir = tempDir({ 'p.yaml': ENGLAND_MINIMAL });
    mkdirSync(path.join(dir, 'p.register.yaml'));
    const result = await run(['validate', 'p.yaml'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'p.register.yaml:1:1 error KP_NOT_A_FILE: This is a folder, not a register file.',
    );
  });
});

describe('resources are bounded', () => {
  it('lists nested thousands deep are KP_YAML_TOO_DEEP, not a stack overflow', async () => {
    const dir = tempDir({ 'p.yaml': `${ENGLAND_MINIMAL}x: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n` });
    const result = await run(['validate', '--json', 'p.yaml'], dir);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { files: { errors: { code: string; path: string }[] }[] };
    expect(report.files[0]?.errors.map((e) => e.code)).toEqual(['KP_YAML_TOO_DEEP']);
    expect(report.files[0]?.errors[0]?.path).toBe('');
  });

  /** Milliseconds `step` takes on a profile of this text, the best of two runs. */
  async function timed(text: string, step: (file: string) => Promise<unknown>): Promise<number> {
    const file = path.join(tempDir({ 'p.yaml': text }), 'p.yaml');
    let best = Infinity;
    for (let i = 0; i < 2; i++) {
      const start = performance.now();
      await step(file);
      best = Math.min(best, performance.now() - start);
    }
    return best;
  }

  const topLevelKeys = (n: number) =>
    ENGLAND_MINIMAL + Array.from({ length: n }, (_, i) => `k${i.toString(36)}: 1\n`).join('');
  const tabbedLines = (n: number) =>
    ENGLAND_MINIMAL + Array.from({ length: n }, (_, i) => `t${i.toString(36)}:\n\tv: 1\n`).join('');

  // Four times the input may take about four times as long, never sixteen. Each case was quadratic:
  // the YAML parser's duplicate-key check and the `extends` merge compared every key with every other
  // (60,000 keys took 216 s), and each YAML error's field was looked up among all fields.
  it.each([
    ['loading and merging: keys', topLevelKeys, 5_000, loadMergedProfile],
    ['validating: tab-indented lines, each an error', tabbedLines, 4_000, checkProfile],
  ] as const)('%s is linear in their number', async (_name, make, small, step) => {
    await timed(make(100), step); // warm up
    const ratio = (await timed(make(small * 4), step)) / (await timed(make(small), step));
    expect(ratio).toBeLessThan(8);
  });
});

describe('a closed pipe (the real binary; needs `npm run build`)', () => {
  it('stops writing quietly: no EPIPE trace, the command’s own exit code', async () => {
    const child = spawn(process.execPath, [BIN, 'schema'], {
      cwd: tempDir(),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    // The reader goes away before the first write, as `keypolicy schema | head -0` would.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });
});
