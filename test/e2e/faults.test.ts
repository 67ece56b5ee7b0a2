/**
 * Faults a build must survive: a page that never finishes printing, a full disk, a folder it may not
 * write. Each ends in exit 3 with a plain message, and leaves the previous files and register as they
 * were, with no temporary file or browser behind. The faults are real where the machine allows (a huge
 * policy, a stopped renderer, a full tmpfs, a read-only folder for a user who is not root); a full disk
 * is also simulated in-process, so it is tested on every machine and at every write of a build.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { browserProcesses, ENGLAND_MINIMAL, runCli, tempDir } from '../helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(root, 'bin/keypolicy.js');

/** Armed by a test: the `failAt`-th `writeFile` writes half its data, then fails as a full disk does. */
const disk = vi.hoisted(() => ({ failAt: 0, writes: 0, failed: undefined as string | undefined }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const writeFile = (async (file: string, data: string | Uint8Array, options?: object) => {
    if (disk.failAt > 0 && ++disk.writes === disk.failAt) {
      disk.failed = String(file);
      await actual.writeFile(file, data.slice(0, Math.floor(data.length / 2)), options);
      throw Object.assign(new Error(`ENOSPC: no space left on device, write`), {
        code: 'ENOSPC',
        errno: -28,
        syscall: 'write',
      });
    }
    return actual.writeFile(file, data, options);
  }) as typeof actual.writeFile;
  return { ...actual, default: { ...actual, writeFile }, writeFile };
});

interface Result {
  summary: { built: number; unchanged: number; failed: number };
  profiles: {
    profile: string;
    state: string;
    files: { file: string; format: string }[];
    errors: { code: string; message: string; hint?: string }[];
  }[];
}

const org = (name: string) => ENGLAND_MINIMAL.replace('Riverside Support Ltd', name);
const CHANGED = `${ENGLAND_MINIMAL}documentControl:\n  reviewTriggers: [A new local authority contract]\n`;
const SLUG = 'policies/riverside-support-ltd';

/** Every file under `dir` with a hash of its bytes: equal snapshots mean nothing added, lost or changed. */
function snapshot(dir: string): Record<string, string> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return Object.fromEntries(
    files
      .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
      .sort()
      .map((f) => [
        f,
        createHash('sha256')
          .update(readFileSync(path.join(dir, f)))
          .digest('hex'),
      ]),
  );
}

/** CPU time a process has used, in clock ticks (utime + stime of /proc/PID/stat). */
function cpuTicks(pid: number): number {
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  const fields = stat.split(') ')[1]?.split(' ') ?? [];
  return Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `keypolicy build clients --format pdf --jobs 1 --json` with a 2-second print time-out, its browser
 * under `DIR/tmp`. One job, so the organisations after a stuck one print after its time-out: on its page
 * they would be stuck too. Stopped (with its browser) if it has not ended after `limitMs`.
 */
function startBuild(dir: string, limitMs: number) {
  const tmp = path.join(dir, 'tmp');
  mkdirSync(tmp);
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [bin, 'build', 'clients', '--format', 'pdf', '--date', '2026-04-01', '--json', '--jobs', '1'],
    { cwd: dir, env: { ...process.env, NO_COLOR: '1', TMPDIR: tmp, KEYPOLICY_PDF_TIMEOUT: '2' } },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const closed = new Promise((resolve) => child.on('close', resolve));
  const finished = (async () => {
    let browsers = 0;
    let code: number | null | undefined;
    void exited.then((status) => (code = status));
    while (code === undefined && Date.now() - started < limitMs) {
      browsers = Math.max(browsers, browserProcesses(tmp).length);
      await sleep(100);
    }
    const overran = code === undefined;
    if (overran) child.kill('SIGKILL');
    code = await exited;
    const seconds = (Date.now() - started) / 1000;
    // The last of its output, unless a left-over process still holds the pipe.
    await Promise.race([closed, sleep(2000)]);
    // Killed processes may take a moment to be reaped.
    for (let i = 0; i < 20 && browserProcesses(tmp).length > 0; i++) await sleep(100);
    const left = browserProcesses(tmp);
    // Whatever the outcome, nothing of this run outlives the test.
    for (const { pid } of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone meanwhile.
      }
    }
    return { code, overran, stdout, stderr, seconds, browsers, left, tmp };
  })();
  return { tmp, finished };
}

/** What a stuck page must come to: exit 3, its organisation alone failed in plain words, no browser left. */
function expectTimedOut(
  dir: string,
  run: Awaited<ReturnType<typeof startBuild>['finished']>,
  stuck: { profile: string; title: string },
) {
  expect(run.overran, `the build was still running after ${run.seconds} s`).toBe(false);
  expect(run.code, run.stderr).toBe(3);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  const result = JSON.parse(run.stdout) as Result;
  for (const profile of result.profiles) {
    if (profile.profile === stuck.profile) {
      expect(profile.state).toBe('failed');
      const [error, ...more] = profile.errors;
      expect(more).toEqual([]);
      expect(error?.code).toBe('KP_PDF_TIMEOUT');
      expect(error?.message).toContain(`"${stuck.title}"`);
      expect(error?.message).toMatch(/in time/);
      expect(error?.message).not.toMatch(/\n|Error\b|\bat \S+:\d+/);
      continue;
    }
    expect(profile.state, JSON.stringify(profile.errors)).toBe('built');
    const [pdf, ...others] = profile.files;
    expect(others).toEqual([]);
    expect(pdf?.format).toBe('pdf');
    const file = path.join(dir, pdf!.file);
    expect(readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const info = spawnSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info.status, info.stderr).toBe(0);
    expect(info.stdout).toMatch(/^Pages:\s+[1-9]/m);
  }
  expect(result.summary).toEqual({ built: result.profiles.length - 1, unchanged: 0, failed: 1 });
  expect(run.browsers).toBeGreaterThan(0);
  expect(run.left).toEqual([]);
  expect(readdirSync(run.tmp).filter((f) => f.startsWith('keypolicy-chromium-'))).toEqual([]);
}

describe('a page that never finishes printing', () => {
  it('fails an organisation whose policy is too long to print in time, and builds the rest', async () => {
    // Thousands of short numbered sections: a second for keypolicy to render, minutes for Chromium to
    // lay out, tag and bookmark (each section is an outline entry).
    const sections = Array.from(
      { length: 8000 },
      (_, i) => `### Duty ${i + 1}\n\nRecord what changed.\n`,
    ).join('\n');
    const dir = tempDir({
      'pack/handbook.md': `---\nid: handbook\ntitle: Staff Handbook\nversion: 1.0.0\n---\n## Duties\n\n${sections}`,
      'clients/a.yaml': org('Alder Care'),
      'clients/b.yaml': `${org('Birch Care')}templates: [../pack]\npolicies: [handbook]\n`,
      'clients/c.yaml': org('Cedar Care'),
      'clients/d.yaml': org('Damson Care'),
    });
    const run = await startBuild(dir, 60_000).finished;
    expectTimedOut(dir, run, { profile: 'clients/b.yaml', title: 'Staff Handbook' });
  }, 90_000);

  it('fails an organisation whose page hangs (renderer stopped), and builds the rest on fresh pages', async () => {
    // Birch's register is locked by this (live) process, so Birch waits before it renders anything.
    const lock = 'clients/b.register.yaml.lock';
    const dir = tempDir({
      'clients/a.yaml': org('Alder Care'),
      'clients/b.yaml': org('Birch Care'),
      'clients/c.yaml': org('Cedar Care'),
      [lock]: String(process.pid),
    });
    const { tmp, finished } = startBuild(dir, 30_000);
    // Alder has printed on the one pooled page, so the busiest renderer is that page's, where Birch prints
    // next. Stopped with SIGSTOP, it never answers again; then Birch may go on.
    const alder = path.join(dir, 'policies/alder-care/key-worker-policy.pdf');
    for (let i = 0; i < 600 && !existsSync(alder); i++) await sleep(20);
    const [page] = browserProcesses(tmp)
      .filter((p) => p.command.includes('--type=renderer') && !p.command.includes('--top-chrome-webui'))
      .map((p) => ({ pid: p.pid, ticks: cpuTicks(p.pid) }))
      .sort((a, b) => b.ticks - a.ticks);
    if (page) process.kill(page.pid, 'SIGSTOP');
    rmSync(path.join(dir, lock));
    const run = await finished;
    expect(page, `no renderer to stop: ${run.stderr}`).toBeDefined();
    expectTimedOut(dir, run, { profile: 'clients/b.yaml', title: 'Key Worker Policy' });
  }, 60_000);
});

/** Build once, change the profile, and arm a full disk at the `failAt`-th write of the next build. */
async function buildWithFullDisk(failAt: number) {
  const dir = tempDir({ 'keypolicy.yaml': ENGLAND_MINIMAL });
  const args = ['build', '--format', 'md,html', '--json'];
  expect((await runCli([...args, '--date', '2026-04-01'], dir)).code).toBe(0);
  writeFileSync(path.join(dir, 'keypolicy.yaml'), CHANGED);
  const before = snapshot(dir);
  Object.assign(disk, { failAt, writes: 0, failed: undefined });
  try {
    const run = await runCli([...args, '--date', '2026-04-02'], dir);
    return { dir, before, run, failed: disk.failed };
  } finally {
    disk.failAt = 0;
  }
}

/** The file a temporary sibling (`.name.hex.tmp`) was to become. */
const target = (temporary: string) =>
  path.join(path.dirname(temporary), path.basename(temporary).replace(/^\.(.+)\.[0-9a-f]+\.tmp$/, '$1'));

/** `keypolicy build --format md,html --json` through the real binary, optionally as another user. */
function build(dir: string, date: string, args: string[] = [], user: { uid?: number; gid?: number } = {}) {
  const result = spawnSync(
    process.execPath,
    [bin, 'build', '--format', 'md,html', '--date', date, '--json', ...args],
    { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, ...user },
  );
  expect(result.error).toBeUndefined();
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Exit 3 and one KP_IO error naming the file and saying why in words, never a stack trace. */
function expectIoFailure(
  result: { status: number | null; stdout: string; stderr: string },
  file: string,
  why: RegExp,
) {
  expect(result.status, result.stderr).toBe(3);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  const errors = (JSON.parse(result.stdout) as Result).profiles[0]!.errors;
  expect(errors.map((e) => e.code)).toEqual(['KP_IO']);
  expect(errors[0]!.message).toContain(file);
  expect(errors[0]!.message).toMatch(why);
}

describe('a full disk (ENOSPC)', () => {
  it('fails a document write with exit 3, naming the file and the lack of space, and changes nothing', async () => {
    // The first write after the register's lock is the first document's temporary file.
    let attempt = await buildWithFullDisk(1);
    for (let n = 2; n < 10 && !attempt.failed?.includes(`${path.sep}policies${path.sep}`); n++)
      attempt = await buildWithFullDisk(n);
    const { dir, before, run, failed } = attempt;
    expect(failed).toContain(`${SLUG}/.key-worker-policy.`);
    expect(run.stderr).toBe('');
    expectIoFailure({ ...run, status: run.code }, target(failed!), /no space/i);
    expect(snapshot(dir)).toEqual(before);
  });

  it('leaves the previous files, register and manifest unchanged whichever write of a build fails', async () => {
    const problems: string[] = [];
    let writes = 0;
    for (let n = 1; n <= 20; n++) {
      const { dir, before, run, failed } = await buildWithFullDisk(n);
      // The whole build ran without reaching the n-th write: every write has had its turn.
      if (failed === undefined) {
        expect(run.code).toBe(0);
        break;
      }
      writes = n;
      const where = `ENOSPC at write ${n} (${path.relative(dir, failed)})`;
      const message = (JSON.parse(run.stdout || '{"profiles":[{"errors":[]}]}') as Result).profiles[0]
        ?.errors[0]?.message;
      if (run.code !== 3) problems.push(`${where}: exit ${run.code} ${run.stderr.split('\n')[1] ?? ''}`);
      // A lock is named by the register it guards.
      if (!message?.includes(target(failed).replace(/\.lock$/, '')) || !/no space/i.test(message))
        problems.push(`${where}: message ${JSON.stringify(message)}`);
      const after = snapshot(dir);
      const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
        (f) => before[f] !== after[f],
      );
      if (changed.length > 0) problems.push(`${where}: changed ${changed.join(', ')}`);
    }
    expect(writes).toBeGreaterThanOrEqual(3);
    expect(problems).toEqual([]);
  });

  /** Whether this machine lets the test mount a tmpfs (root on Linux, outside most containers). */
  const canMount = (() => {
    if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
    const probe = mkdtempSync(path.join(tmpdir(), 'keypolicy-mount-'));
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]).status === 0;
    if (mounted) spawnSync('umount', [probe]);
    rmdirSync(probe);
    return mounted;
  })();

  // Where mounting is refused, the two tests above still cover a full disk.
  it.skipIf(!canMount)('exits 3 on a real full file system and changes nothing (needs mount)', () => {
    const dir = tempDir({ 'keypolicy.yaml': ENGLAND_MINIMAL });
    const out = path.join(dir, 'out');
    mkdirSync(out);
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', out]).status).toBe(0);
    try {
      expect(build(dir, '2026-04-01', ['--out', 'out']).status).toBe(0);
      // Fill what is left of the disk, down to the last byte it will take.
      const filler = openSync(path.join(out, 'filler'), 'w');
      for (const size of [65536, 4096, 1]) {
        try {
          for (;;) writeSync(filler, Buffer.alloc(size));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
        }
      }
      closeSync(filler);
      writeFileSync(path.join(dir, 'keypolicy.yaml'), CHANGED);
      const before = snapshot(dir);
      const result = build(dir, '2026-04-02', ['--out', 'out']);
      expectIoFailure(result, path.join(out, 'riverside-support-ltd/key-worker-policy.'), /no space/i);
      expect(snapshot(dir)).toEqual(before);
    } finally {
      if (spawnSync('umount', [out]).status !== 0) spawnSync('umount', ['-l', out]);
    }
  });
});

describe('a folder that cannot be written (EACCES)', () => {
  it('exits 3, naming the file and why, and leaves the previous files and register unchanged', () => {
    const dir = tempDir({ 'keypolicy.yaml': ENGLAND_MINIMAL });
    // Root writes through any mode bits: as root, both builds run as `nobody`, for whom 0555 is read-only.
    const user = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    if (user.uid !== undefined) expect(spawnSync('chown', ['-R', '65534:65534', dir]).status).toBe(0);
    expect(build(dir, '2026-04-01', [], user).status).toBe(0);
    const folder = path.join(dir, SLUG);
    chmodSync(folder, 0o555);
    try {
      writeFileSync(path.join(dir, 'keypolicy.yaml'), CHANGED);
      const before = snapshot(dir);
      const result = build(dir, '2026-04-02', [], user);
      expectIoFailure(result, path.join(folder, 'key-worker-policy.'), /permission denied/i);
      expect(snapshot(dir)).toEqual(before);
    } finally {
      chmodSync(folder, 0o755);
    }
  });
});
