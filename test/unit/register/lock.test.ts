import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { KeypolicyError } from '../../../src/diagnostics/errors.js';
import { isRunning as isProcessAlive } from '../../../src/core/interrupt.js';
import { withRegisterLock } from '../../../src/register/lock.js';
import { tempDir } from '../../helpers.js';

const LOCK_TS = fileURLToPath(new URL('../../../src/register/lock.ts', import.meta.url));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The pid of a process that has exited (and, this soon, not been reused). */
const deadPid = (): number => {
  const { pid } = spawnSync(process.execPath, ['-e', '0']);
  expect(isProcessAlive(pid)).toBe(false);
  return pid;
};

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

const registerIn = (dir: string) => path.join(dir, 'care.register.yaml');

describe('isProcessAlive', () => {
  it('tells a running process from one that has exited', () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    expect(isProcessAlive(deadPid())).toBe(false);
    // Not pids but process groups for kill(2): never taken as a live holder.
    expect(isProcessAlive(0)).toBe(false);
    expect(isProcessAlive(-1)).toBe(false);
  });
});

describe('withRegisterLock in one process', () => {
  it('lets one call in at a time, so no read-modify-write is lost', async () => {
    const dir = tempDir({ count: '0' });
    const counter = path.join(dir, 'count');
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        withRegisterLock(registerIn(dir), async () => {
          most = Math.max(most, ++inside);
          const n = Number(readFileSync(counter, 'utf8'));
          // The await is where a second call would slip in without the lock.
          await sleep(5);
          writeFileSync(counter, String(n + 1));
          inside -= 1;
        }),
      ),
    );
    expect(readFileSync(counter, 'utf8')).toBe('10');
    expect(most).toBe(1);
    expect(readdirSync(dir)).toEqual(['count']);
  });

  it('releases the lock when the work fails', async () => {
    const dir = tempDir();
    await expect(
      withRegisterLock(registerIn(dir), () => Promise.reject(new Error('render failed'))),
    ).rejects.toThrow('render failed');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('holds the lock with its pid as decimal text', async () => {
    const dir = tempDir();
    const seen = await withRegisterLock(registerIn(dir), () =>
      Promise.resolve(readFileSync(`${registerIn(dir)}.lock`, 'utf8')),
    );
    expect(seen).toBe(String(process.pid));
  });
});

describe('withRegisterLock and stale locks', () => {
  it('does not take a lock from a live process, and names the register when it gives up', async () => {
    const dir = tempDir();
    const lock = `${registerIn(dir)}.lock`;
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      writeFileSync(lock, String(holder.pid));
      let ran = false;
      const error = await withRegisterLock(
        registerIn(dir),
        () => {
          ran = true;
          return Promise.resolve();
        },
        { waitMs: 300 },
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KeypolicyError);
      expect((error as KeypolicyError).code).toBe('KP_REGISTER_LOCKED');
      expect((error as KeypolicyError).message).toContain('care.register.yaml');
      expect((error as KeypolicyError).message).toContain(String(holder.pid));
      expect((error as KeypolicyError).hint).toContain(lock);
      expect(ran).toBe(false);
      expect(readFileSync(lock, 'utf8')).toBe(String(holder.pid));
    } finally {
      holder.kill();
      await exited(holder);
    }
    // Once that process is gone its lock is stale, and taken over.
    await withRegisterLock(registerIn(dir), () => Promise.resolve(), { waitMs: 2000 });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('waits on a lock that holds no pid (one being written), rather than taking it', async () => {
    const dir = tempDir({ 'care.register.yaml.lock': '' });
    await expect(
      withRegisterLock(registerIn(dir), () => Promise.resolve(), { waitMs: 250 }),
    ).rejects.toMatchObject({ code: 'KP_REGISTER_LOCKED' });
    expect(readdirSync(dir)).toEqual(['care.register.yaml.lock']);
  });

  it('takes over a lock naming its own pid that none of its calls holds (pid reused)', async () => {
    const dir = tempDir({ 'care.register.yaml.lock': String(process.pid) });
    await withRegisterLock(registerIn(dir), () => Promise.resolve(), { waitMs: 0 });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('is not blocked for ever by takeover guards left by dead processes', async () => {
    const dir = tempDir();
    const lock = `${registerIn(dir)}.lock`;
    writeFileSync(lock, String(deadPid()));
    writeFileSync(`${lock}.takeover`, String(deadPid()));
    // A run that died while taking over a dead guard, too.
    writeFileSync(`${lock}.takeover.takeover`, String(deadPid()));
    await withRegisterLock(registerIn(dir), () => Promise.resolve(), { waitMs: 2000 });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('does not take over while a live process holds the takeover guard', async () => {
    const dir = tempDir();
    const lock = `${registerIn(dir)}.lock`;
    const dead = String(deadPid());
    writeFileSync(lock, dead);
    writeFileSync(`${lock}.takeover`, String(process.ppid));
    await expect(
      withRegisterLock(registerIn(dir), () => Promise.resolve(), { waitMs: 250 }),
    ).rejects.toMatchObject({ code: 'KP_REGISTER_LOCKED' });
    expect(readFileSync(lock, 'utf8')).toBe(dead);
  });
});

describe('withRegisterLock across processes', () => {
  let harness: string;

  // Node 20 cannot import .ts: bundle the lock with a tiny worker. Each worker says it is ready, waits for
  // the go (so all 8 meet the dead lock at once), then does a read-modify-write of the counter under the
  // lock, with an "inside" marker created exclusively to catch two holders at once.
  beforeAll(async () => {
    harness = path.join(tempDir(), 'worker.mjs');
    await build({
      stdin: {
        contents: `
          import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
          import { withRegisterLock } from ${JSON.stringify(LOCK_TS)};
          const [registerFile, counter, inside, overlaps] = process.argv.slice(2);
          process.once('message', async () => {
            process.disconnect();
            await withRegisterLock(registerFile, async () => {
              try {
                writeFileSync(inside, String(process.pid), { flag: 'wx' });
              } catch (error) {
                appendFileSync(overlaps, process.pid + ' ' + error.code + '\\n');
                throw error;
              }
              const n = Number(readFileSync(counter, 'utf8'));
              await new Promise((resolve) => setTimeout(resolve, 15));
              writeFileSync(counter, String(n + 1));
              rmSync(inside);
            }, { waitMs: 20000 });
          });
          process.send('ready');
        `,
        resolveDir: path.dirname(LOCK_TS),
        loader: 'js',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: harness,
      logLevel: 'silent',
    });
  });

  async function round(stale: { guard: boolean }): Promise<void> {
    const dir = tempDir({ count: '0' });
    const lock = `${registerIn(dir)}.lock`;
    writeFileSync(lock, String(deadPid()));
    if (stale.guard) writeFileSync(`${lock}.takeover`, String(deadPid()));
    const files = ['count', 'inside', 'overlaps'].map((name) => path.join(dir, name));
    const workers = Array.from({ length: 8 }, () =>
      spawn(process.execPath, [harness, registerIn(dir), ...files], {
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      }),
    );
    const stderr = workers.map((worker) => {
      let text = '';
      worker.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
      return () => text;
    });
    await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once('message', resolve))));
    for (const worker of workers) worker.send('go');
    const codes = await Promise.all(workers.map(exited));
    expect(existsSync(files[2] as string) ? readFileSync(files[2] as string, 'utf8') : '').toBe('');
    expect(
      codes,
      stderr
        .map((text) => text())
        .filter(Boolean)
        .join('\n'),
    ).toEqual(Array(8).fill(0));
    expect(readFileSync(files[0] as string, 'utf8')).toBe('8');
    // No lock, guard or temporary file left behind.
    expect(readdirSync(dir)).toEqual(['count']);
  }

  it('lets exactly one of 8 processes take over a dead lock at a time', async () => {
    await round({ guard: false });
    await round({ guard: false });
    await round({ guard: true });
  });
});
