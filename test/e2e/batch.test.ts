/** Batch builds through the real CLI: inputs, failure isolation, manifests, incremental rebuilds, shards. */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/output/manifest.js';
import {
  approveArgs,
  browserProcesses,
  ENGLAND_MINIMAL,
  runBinary,
  tempDir,
  WALES_MINIMAL,
} from '../helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(root, 'bin/keypolicy.js');

interface Result {
  ok: boolean;
  summary: { built: number; unchanged: number; failed: number };
  notes: string[];
  profiles: {
    profile: string;
    slug: string | null;
    state: string;
    files: { file: string; sha256: string }[];
    errors: { code: string }[];
  }[];
}

function build(cwd: string, ...args: string[]) {
  const result = spawnSync(
    process.execPath,
    [bin, 'build', '--format', 'md,html', '--date', '2026-04-01', '--json', ...args],
    {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    },
  );
  return { status: result.status, stderr: result.stderr, json: JSON.parse(result.stdout) as Result };
}

describe('batch builds', () => {
  it('takes folders and globs, skips registers and abstract bases with a note, and builds the rest', () => {
    const dir = tempDir();
    cpSync(path.join(root, 'examples'), path.join(dir, 'examples'), {
      recursive: true,
      // The README's quick start leaves a register beside an example; each test starts without one.
      filter: (source) => !source.endsWith('.register.yaml'),
    });
    writeFileSync(
      path.join(dir, 'examples/consultant/clients/old.register.yaml'),
      'registerVersion: 1\npolicies: {}\n',
    );
    const result = build(
      dir,
      'examples/consultant/clients',
      'examples/consultant/*.yaml',
      'examples/*/keypolicy.yaml',
    );
    expect(result.status).toBe(0);
    expect(result.json.notes).toEqual([
      'examples/consultant/clients/old.register.yaml: skipped (a register, not a profile)',
      'examples/consultant/base.yaml: skipped (an abstract base, never built)',
    ]);
    expect(result.json.summary).toEqual({ built: 5, unchanged: 0, failed: 0 });
  });

  it('shows a progress bar with counts and the current organisation on a terminal, plain lines elsewhere', () => {
    const files = Object.fromEntries(
      ['Alder', 'Birch', 'Cedar'].map((name) => [
        `clients/${name.toLowerCase()}.yaml`,
        ENGLAND_MINIMAL.replace('Riverside Support Ltd', `${name} Care`),
      ]),
    );
    const dir = tempDir(files);
    // PDFs, so that each organisation takes long enough for the bar (redrawn ten times a second) to show it.
    const args = ['build', 'clients', '--format', 'pdf', '--jobs', '1', '--date', '2026-04-01'];
    // A real terminal: util-linux's `script` runs the binary on a pseudo-terminal (CI=… turns the bar off).
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'CI'));
    const command = [process.execPath, bin, ...args].map((a) => `'${a}'`).join(' ');
    const onTerminal = spawnSync('script', ['-qec', command, '/dev/null'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...env, NO_COLOR: '1' },
    });
    expect(onTerminal.status, onTerminal.stdout).toBe(0);
    expect(onTerminal.stdout).toMatch(/building [=-]+ [0-3]\/3 (Alder|Birch|Cedar) Care/);
    expect(onTerminal.stdout).toMatch(/building =+ 3\/3/);
    expect(onTerminal.stdout).toContain('3 built, 0 unchanged, 0 failed');
    const piped = runBinary(dir, [...args, '--out', 'again']);
    expect(piped.status).toBe(0);
    expect(piped.stderr).toMatch(/^\[1\/3\] Alder Care: built \(1 file\)$/m);
    expect(piped.stderr).not.toContain('building');
  });

  it('isolates a failing organisation: the others are built, the summary names it, exit 1', () => {
    const dir = tempDir({
      'clients/a.yaml': ENGLAND_MINIMAL,
      'clients/b.yaml': WALES_MINIMAL.replace('type: care-home', 'type: castle'),
      'clients/c.yaml': ENGLAND_MINIMAL.replace('Riverside Support Ltd', 'Hillside Care'),
    });
    const result = build(dir, 'clients');
    expect(result.status).toBe(1);
    expect(result.json.summary).toEqual({ built: 2, unchanged: 0, failed: 1 });
    expect(result.json.profiles.map((p) => [p.profile, p.state])).toEqual([
      ['clients/a.yaml', 'built'],
      ['clients/b.yaml', 'failed'],
      ['clients/c.yaml', 'built'],
    ]);
    expect(result.json.profiles[1]!.errors.map((e) => e.code)).toEqual(['KP_ENUM']);
  });

  it('refuses two organisations that would share a folder, without overwriting', () => {
    const dir = tempDir({
      'a.yaml': ENGLAND_MINIMAL,
      'b.yaml': ENGLAND_MINIMAL.replace('Riverside Support Ltd', 'Riverside  Support, Ltd.'),
    });
    const result = build(dir, 'a.yaml', 'b.yaml');
    expect(result.status).toBe(1);
    expect(result.json.profiles.map((p) => [p.state, p.errors[0]?.code])).toEqual([
      ['built', undefined],
      ['failed', 'KP_SLUG_CLASH'],
    ]);
  });

  it('writes a manifest, rebuilds nothing when nothing changed, and re-renders after an approval or with --force', () => {
    const dir = tempDir({ 'keypolicy.yaml': ENGLAND_MINIMAL });
    expect(build(dir).json.summary.built).toBe(1);
    const manifest = JSON.parse(
      readFileSync(path.join(dir, 'policies/riverside-support-ltd/manifest.json'), 'utf8'),
    ) as Manifest;
    expect(
      manifest.files.map((f) => [f.file, f.policy, f.version, f.status, f.effectiveDate, f.nextReviewDate]),
    ).toEqual([
      ['key-worker-policy.html', 'key-worker-policy', '1.0', 'draft', null, '2027-04-01'],
      ['key-worker-policy.md', 'key-worker-policy', '1.0', 'draft', null, '2027-04-01'],
    ]);
    expect(build(dir).json.summary).toEqual({ built: 0, unchanged: 1, failed: 0 });
    expect(build(dir, '--force').json.summary.built).toBe(1);

    const approve = runBinary(dir, approveArgs('Registered Manager', '2026-04-02'));
    expect(approve.status).toBe(0);
    const after = build(dir);
    expect(after.json.summary.built).toBe(1);
    const html = readFileSync(
      path.join(dir, 'policies/riverside-support-ltd/key-worker-policy.html'),
      'utf8',
    );
    expect(html).toContain('Priya Shah');

    // A file changed on disk no longer matches the manifest: it is rebuilt.
    writeFileSync(path.join(dir, 'policies/riverside-support-ltd/key-worker-policy.md'), 'tampered');
    expect(build(dir).json.summary.built).toBe(1);
    expect(build(dir).json.summary.unchanged).toBe(1);

    // A hand edit of the register is never taken for "unchanged": the build reads it and refuses it.
    const register = path.join(dir, 'keypolicy.register.yaml');
    writeFileSync(register, readFileSync(register, 'utf8').replace('name: Priya Shah', 'name: Someone'));
    const tampered = build(dir);
    expect(tampered.status).toBe(1);
    expect(tampered.json.profiles[0]!.errors.map((e) => e.code)).toContain('KP_REGISTER_TAMPERED');
  });

  it('relaunches Chromium once when it is killed in the middle of a batch, and completes the batch', async () => {
    const files = Object.fromEntries(
      Array.from({ length: 6 }, (_, i) => [
        `clients/c${i}.yaml`,
        ENGLAND_MINIMAL.replace('Riverside Support Ltd', `Client ${i}`),
      ]),
    );
    const dir = tempDir({ ...files, 'tmp/.keep': '' });
    // A TMPDIR of its own: the browser found below is this build's, not another test's.
    const tmp = path.join(dir, 'tmp');
    const child = spawn(
      process.execPath,
      [bin, 'build', 'clients', '--format', 'pdf', '--date', '2026-04-01', '--json', '--jobs', '1'],
      { cwd: dir, env: { ...process.env, TMPDIR: tmp } },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    // Wait for the first PDF, then kill the browser by its pid.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !existsSync(path.join(dir, 'policies/client-0/key-worker-policy.pdf'))) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const pids = browserProcesses(tmp).map((p) => p.pid);
    expect(pids.length).toBeGreaterThan(0);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone with the browser process.
      }
    }
    expect(await exited).toBe(0);
    const result = JSON.parse(stdout) as Result;
    expect(result.summary).toEqual({ built: 6, unchanged: 0, failed: 0 });
    for (let i = 0; i < 6; i++)
      expect(existsSync(path.join(dir, `policies/client-${i}/key-worker-policy.pdf`))).toBe(true);
  }, 120_000);

  it('prints the same PDF bytes on a reused page as on a fresh one', () => {
    // The same organisation under three folders: one batch prints them one after another on one page.
    const files = Object.fromEntries(
      ['a', 'b', 'c'].map((slug) => [`clients/${slug}.yaml`, `${ENGLAND_MINIMAL}output:\n  slug: ${slug}\n`]),
    );
    const dir = tempDir(files);
    const pdf = (folder: string) => readFileSync(path.join(dir, folder, 'key-worker-policy.pdf'));
    expect(build(dir, 'clients', '--format', 'pdf', '--jobs', '1', '--out', 'batch').status).toBe(0);
    const alone = build(dir, 'clients/c.yaml', '--format', 'pdf', '--out', 'alone');
    expect(alone.status).toBe(0);
    const fresh = pdf('alone/c');
    for (const slug of ['a', 'b', 'c']) expect(pdf(`batch/${slug}`).equals(fresh)).toBe(true);
  }, 60_000);

  it('draws DOCX files on worker threads that give the same bytes as this thread', () => {
    const dir = tempDir({
      'clients/a.yaml': ENGLAND_MINIMAL,
      'clients/b.yaml': WALES_MINIMAL.replace('organisation:\n', 'organisation:\n  logo: logo.png\n'),
      'clients/logo.png': readFileSync(path.join(root, 'examples/wales-care-home/logo.png')),
      'clients/c.yaml': `${ENGLAND_MINIMAL}output:\n  slug: c\n`,
    });
    const threads = build(dir, 'clients', '--format', 'docx', '--jobs', '2', '--out', 'threads');
    expect(threads.status).toBe(0);
    const one = build(dir, 'clients', '--format', 'docx', '--jobs', '1', '--out', 'one');
    expect(one.status).toBe(0);
    const bytes = (result: typeof one) =>
      result.json.profiles.flatMap((p) => p.files.map((f) => [path.basename(f.file), f.sha256]));
    expect(bytes(threads)).toEqual(bytes(one));
    expect(bytes(one)).toHaveLength(3);
  }, 60_000);

  it('exits 3 when the output folder cannot be written, and names why', () => {
    const dir = tempDir({ 'keypolicy.yaml': ENGLAND_MINIMAL, 'not-a-folder': 'x' });
    const result = build(dir, '--out', 'not-a-folder');
    expect(result.status).toBe(3);
    expect(result.json.profiles[0]!.errors.map((e) => e.code)).toEqual(['KP_IO']);
    expect(readFileSync(path.join(dir, 'not-a-folder'), 'utf8')).toBe('x');
  });

  it('splits organisations into stable, disjoint shards whose union is the whole', () => {
    const files = Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [
        `clients/c${i}.yaml`,
        ENGLAND_MINIMAL.replace('Riverside Support Ltd', `Client ${i}`),
      ]),
    );
    const dir = tempDir(files);
    const shares = [1, 2, 3].map((k) =>
      build(dir, 'clients', '--shard', `${k}/3`, '--out', `out-${k}`).json.profiles.map((p) => p.profile),
    );
    const all = shares.flat().sort();
    expect(all).toEqual(Object.keys(files).sort());
    expect(new Set(all).size).toBe(all.length);
    expect(
      build(dir, 'clients', '--shard', '2/3', '--out', 'again').json.profiles.map((p) => p.profile),
    ).toEqual(shares[1]);
    expect(spawnSync(process.execPath, [bin, 'build', '--shard', '4/3'], { cwd: dir }).status).toBe(2);
  });
});
