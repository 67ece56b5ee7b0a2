/**
 * What a build killed outright leaves (SIGKILL: no handler runs) is swept away by the next build, and
 * nothing else is; a browser killed mid-print is started again and the document printed again, once.
 * Builds run with a TMPDIR of their own, so the browsers and profiles found are theirs alone.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, readFileSync, watch } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { browserProcesses, ENGLAND_MINIMAL, runBinary, tempDir } from '../helpers.js';

const bin = fileURLToPath(new URL('../../bin/keypolicy.js', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** keypolicy's temporary files: `.NAME.` then the writer's pid (8 hex digits) and 12 random ones. */
const TEMPORARY = /^\..+\.([0-9a-f]{8})[0-9a-f]{12}\.tmp$/;
const REGISTER_TEMPORARY = /^\.keypolicy\.register\.yaml\.[0-9a-f]{20}\.tmp$/;
const FOLDER = 'policies/riverside-support-ltd';

/** Every keypolicy temporary file under `dir`, by path relative to it. */
const temporaries = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && TEMPORARY.test(e.name))
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();

const profiles = (tmp: string) => readdirSync(tmp).filter((f) => f.startsWith('keypolicy-chromium-'));

/** CPU time a process has used, in clock ticks (utime + stime of /proc/PID/stat). */
function cpuTicks(pid: number): number {
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  const fields = stat.split(') ')[1]?.split(' ') ?? [];
  return Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
}

function killAll(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone with the browser.
    }
  }
}

/**
 * A PDF build of one organisation, SIGKILLed as it writes its register's temporary file: its documents'
 * and snapshots' temporary files are written by then and its browser's profile is still there.
 */
async function killedBuild(dir: string, tmp: string) {
  const watcher = watch(dir);
  const child = spawn(process.execPath, [bin, 'build', '--format', 'pdf', '--date', '2026-04-01'], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', TMPDIR: tmp },
    stdio: 'ignore',
  });
  watcher.on('change', (_event, name) => {
    if (REGISTER_TEMPORARY.test(String(name))) child.kill('SIGKILL');
  });
  const [, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  watcher.close();
  return { pid: child.pid!, killed: signal === 'SIGKILL' };
}

describe('a build killed outright (SIGKILL)', () => {
  it('leaves temporary files and a browser profile that the next build sweeps away, and nothing else', async () => {
    const tmp = tempDir();
    // What keypolicy did not make, or a running process is using, stays: a file of another name, a
    // running writer's fresh temporary file, a running process's browser profile, a folder of another name.
    const live = process.pid.toString(16).padStart(8, '0');
    const keep = {
      files: ['.notes.tmp', `policies/.other.pdf.${live}0123456789ab.tmp`],
      profiles: [`keypolicy-chromium-${process.pid}-AbC123`, 'keypolicy-chromium-notes'],
    };
    for (const name of keep.profiles) mkdirSync(path.join(tmp, name));

    // A kill that comes too late (the build wrote everything first) leaves nothing to sweep: try again.
    let dir = '';
    let run = { pid: 0, killed: false };
    let left: string[] = [];
    for (let i = 0; i < 4 && left.length === 0; i++) {
      dir = tempDir({
        'keypolicy.yaml': ENGLAND_MINIMAL,
        ...Object.fromEntries(keep.files.map((f) => [f, ''])),
      });
      run = await killedBuild(dir, tmp);
      left = temporaries(dir).filter((f) => !keep.files.includes(f));
    }
    expect(run.killed).toBe(true);
    // The documents' in the organisation's folder, the register's beside the profile and the
    // snapshots' in the register's folder, each naming its dead writer.
    const dead = run.pid.toString(16).padStart(8, '0');
    expect(left.every((f) => TEMPORARY.exec(path.basename(f))?.[1] === dead)).toBe(true);
    expect(left.some((f) => f.startsWith(`${FOLDER}/.key-worker-policy.pdf.`))).toBe(true);
    expect(left.some((f) => REGISTER_TEMPORARY.test(f))).toBe(true);
    expect(left.some((f) => f.startsWith('keypolicy.register/'))).toBe(true);
    const orphan = profiles(tmp).filter((f) => f.startsWith(`keypolicy-chromium-${run.pid}-`));
    expect(orphan).toHaveLength(1);

    const next = runBinary(dir, ['build', '--format', 'pdf', '--date', '2026-04-01', '--quiet'], {
      TMPDIR: tmp,
    });
    expect(next.stderr).toBe('');
    expect(next.status).toBe(0);
    expect(
      readFileSync(path.join(dir, FOLDER, 'key-worker-policy.pdf'))
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    expect(temporaries(dir)).toEqual(keep.files.filter((f) => TEMPORARY.test(path.basename(f))));
    for (const file of keep.files) expect(existsSync(path.join(dir, file))).toBe(true);
    expect(profiles(tmp).sort()).toEqual([...keep.profiles].sort());
  }, 60_000);
});

/** Thousands of short numbered sections: a second or two for Chromium to lay out, tag and print. */
const LONG_POLICY = `---\nid: handbook\ntitle: Staff Handbook\nversion: 1.0.0\n---\n## Duties\n\n${Array.from(
  { length: 1500 },
  (_, i) => `### Duty ${i + 1}\n\nRecord what changed.\n`,
).join('\n')}`;

/**
 * Build the long policy as a PDF and SIGKILL the whole browser (every process of its group) `kills`
 * times, each while it prints: once the page's renderer has worked for a tenth of a second.
 */
async function buildKillingBrowser(kills: number) {
  const dir = tempDir({
    'keypolicy.yaml': `${ENGLAND_MINIMAL}templates: [pack]\npolicies: [handbook]\n`,
    'pack/handbook.md': LONG_POLICY,
  });
  const tmp = tempDir();
  const pdf = path.join(dir, 'policies/riverside-support-ltd/staff-handbook.pdf');
  const child = spawn(
    process.execPath,
    [bin, 'build', '--format', 'pdf', '--date', '2026-04-01', '--json', '--jobs', '1'],
    { cwd: dir, env: { ...process.env, NO_COLOR: '1', TMPDIR: tmp } },
  );
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  let code: number | null | undefined;
  const exited = once(child, 'exit').then(([status]) => (code = status as number | null));
  const killed = new Set<number>();
  const landed: { printed: boolean }[] = [];
  let relaunched = false;
  const deadline = Date.now() + 60_000;
  while (code === undefined && Date.now() < deadline) {
    const browser = browserProcesses(tmp).filter((p) => !killed.has(p.pid));
    if (killed.size > 0 && browser.length > 0) relaunched = true;
    const busy = browser.some((p) => p.command.includes('--type=renderer') && cpuTicks(p.pid) >= 10);
    if (busy && landed.length < kills) {
      landed.push({ printed: existsSync(pdf) });
      for (const { pid } of browser) killed.add(pid);
      killAll([...killed]);
    }
    await sleep(20);
  }
  if (code === undefined) child.kill('SIGKILL');
  await exited;
  // Killed processes may take a moment to be reaped.
  for (let i = 0; i < 20 && browserProcesses(tmp).length > 0; i++) await sleep(100);
  const left = browserProcesses(tmp);
  killAll(left.map((p) => p.pid));
  return { code, stdout, landed, relaunched, left, profiles: profiles(tmp), pdf };
}

interface Result {
  summary: { built: number; failed: number };
  profiles: { state: string; errors: { code: string; message: string }[] }[];
}

describe('a browser killed while it prints', () => {
  it('is started again and the document printed again, so the build succeeds', async () => {
    const run = await buildKillingBrowser(1);
    // The kill landed while the document was printing (its PDF is written only once printed).
    expect(run.landed).toEqual([{ printed: false }]);
    expect(run.code, run.stdout).toBe(0);
    expect(run.relaunched).toBe(true);
    expect((JSON.parse(run.stdout) as Result).summary).toEqual({ built: 1, unchanged: 0, failed: 0 });
    expect(readFileSync(run.pdf).subarray(0, 5).toString()).toBe('%PDF-');
    expect(run.left).toEqual([]);
    expect(run.profiles).toEqual([]);
  }, 60_000);

  it('fails the document with KP_BROWSER_FAILED when the browser started again is killed too', async () => {
    const run = await buildKillingBrowser(2);
    expect(run.landed).toEqual([{ printed: false }, { printed: false }]);
    expect(run.code, run.stdout).toBe(3);
    const result = JSON.parse(run.stdout) as Result;
    expect(result.summary).toEqual({ built: 0, unchanged: 0, failed: 1 });
    expect(result.profiles[0]?.errors.map((e) => e.code)).toEqual(['KP_BROWSER_FAILED']);
    expect(result.profiles[0]?.errors[0]?.message).toContain('"Staff Handbook"');
    expect(existsSync(run.pdf)).toBe(false);
    expect(run.left).toEqual([]);
    expect(run.profiles).toEqual([]);
  }, 60_000);
});
