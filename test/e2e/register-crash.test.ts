/**
 * A build killed outright (SIGKILL: no handler runs, nothing is cleaned up) at any point of updating the
 * register leaves the old register or the new one, never a mix, and the next build recovers at once. The
 * kill is timed from outside, by watching the profile's folder, so the product needs no test hooks.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync, watch, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ENGLAND_MINIMAL, runBinary, tempDir } from '../helpers.js';

const bin = fileURLToPath(new URL('../../bin/keypolicy.js', import.meta.url));
const REGISTER = 'keypolicy.register.yaml';
const LOCK = `${REGISTER}.lock`;
const TEMPORARY = /^\.keypolicy\.register\.yaml\.[0-9a-f]+\.tmp$/;

/**
 * Where each run is killed: as the lock appears (a lock left there without its holder's pid once blocked
 * every later build), some milliseconds after (while rendering), as the register write starts (its
 * temporary file appears), some microseconds after that, or as the rename lands.
 */
type Trigger = 'lock' | 'lock+ms' | 'write' | 'write+µs' | 'rename';
const TRIGGERS: Trigger[] = ['lock', 'write', 'lock+ms', 'write+µs', 'rename'];
const ITERATIONS = 10;

const buildArgs = (date: string) => ['build', '--format', 'md', '--date', date, '--quiet'];

/** Each run changes the words (name and term) and the date, so the register must change. */
const profileFor = (i: number) =>
  ENGLAND_MINIMAL.replace('Riverside Support Ltd', `Riverside Support ${i} Ltd`) +
  `terminology:\n  worker: ${i % 2 ? 'link' : 'key'}\n`;
const dateFor = (i: number) => `2026-04-${String(i + 1).padStart(2, '0')}`;

/** Busy-wait: a timer cannot wait less than a millisecond, and the whole write takes about that. */
function spin(micros: number): void {
  const end = process.hrtime.bigint() + BigInt(Math.round(micros * 1000));
  while (process.hrtime.bigint() < end);
}

const temporaries = (dir: string) => readdirSync(dir).filter((f) => TEMPORARY.test(f));
const readRegister = (dir: string) =>
  existsSync(path.join(dir, REGISTER)) ? readFileSync(path.join(dir, REGISTER)) : undefined;

/** Where a kill landed, read from what it left in `dir`: the register, its new temporary files, the lock. */
function landing(dir: string, left: string[], before: Buffer | undefined, next: Buffer): string {
  const after = readRegister(dir);
  if (after?.equals(next)) return 'after the rename';
  if (before ? !after?.equals(before) : after) return `register neither old nor new (${after?.length} bytes)`;
  const temporary = left[0] && readFileSync(path.join(dir, left[0]));
  if (temporary) {
    if (temporary.length === 0) return 'temporary file created, still empty';
    return temporary.equals(next) ? 'temporary file written, not yet renamed' : 'temporary file part-written';
  }
  return existsSync(path.join(dir, LOCK)) ? 'holding the lock, before the register write' : 'taking the lock';
}

/** Run a build in `dir`, and SIGKILL it at `trigger` if given. */
async function build(dir: string, date: string, trigger?: Trigger) {
  // Watching starts before the child does, so none of its file events is missed.
  const watcher = trigger ? watch(dir) : undefined;
  const child = spawn(process.execPath, [bin, ...buildArgs(date)], { cwd: dir, stdio: 'ignore' });
  let armed = false;
  const kill = () => child.kill('SIGKILL');
  watcher?.on('change', (_event, name) => {
    const file = String(name);
    if (armed || !trigger) return;
    if (file === LOCK && trigger.startsWith('lock')) {
      armed = true;
      if (trigger === 'lock') kill();
      else setTimeout(kill, Math.random() * 60);
    } else if ((TEMPORARY.test(file) || file === REGISTER) && trigger.startsWith('write')) {
      // The first event of the write: its temporary file appearing, or the register itself touched.
      armed = true;
      if (trigger === 'write+µs') spin(Math.random() * 1000);
      kill();
    } else if (file === REGISTER && trigger === 'rename') {
      armed = true;
      kill();
    }
  });
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  watcher?.close();
  return { code, signal };
}

describe('register crash safety', () => {
  it('leaves the old or the new register, never a mix, when a build is SIGKILLed updating it', async () => {
    const dir = tempDir();
    // The same builds, never killed, give each run's new register.
    const reference = tempDir();
    const landed: Record<string, number> = {};
    let previous: Buffer | undefined;

    for (let i = 0; i < ITERATIONS; i++) {
      const date = dateFor(i);
      const trigger = TRIGGERS[i % TRIGGERS.length]!;
      writeFileSync(path.join(reference, 'keypolicy.yaml'), profileFor(i));
      writeFileSync(path.join(dir, 'keypolicy.yaml'), profileFor(i));
      const leftBefore = new Set(temporaries(dir));
      // Side by side, to keep the test short.
      const [clean, killed] = await Promise.all([build(reference, date), build(dir, date, trigger)]);
      expect(clean.code).toBe(0);
      const next = readRegister(reference)!;
      expect(previous && next.equals(previous)).toBeFalsy();

      const after = readRegister(dir);
      const left = temporaries(dir).filter((f) => !leftBefore.has(f));
      if (killed.signal !== 'SIGKILL') expect(killed.code).toBe(0);
      const point =
        killed.signal === 'SIGKILL' ? landing(dir, left, previous, next) : 'missed: the build finished first';
      landed[`${trigger} → ${point}`] = (landed[`${trigger} → ${point}`] ?? 0) + 1;

      // Old or new, byte for byte; before the first build's write there is no register at all.
      const oldOrNew = (previous ? after?.equals(previous) : after === undefined) || after?.equals(next);
      expect({ i, trigger, point, oldOrNew }).toEqual({ i, trigger, point, oldOrNew: true });
      if (after) expect(() => void parse(after.toString('utf8'))).not.toThrow();
      // A lock left behind names its dead holder, so the next build can take it over.
      if (existsSync(path.join(dir, LOCK)))
        expect(readFileSync(path.join(dir, LOCK), 'utf8')).toMatch(/^\d+$/);

      // The next build, over the killed one's lock and temporary files, goes ahead at once and records
      // the same new register.
      const lockOf = () =>
        existsSync(path.join(dir, LOCK)) ? readFileSync(path.join(dir, LOCK), 'utf8') : undefined;
      const deadLock = lockOf();
      const started = Date.now();
      const recovery = runBinary(dir, buildArgs(date));
      expect(recovery.stderr).toBe('');
      expect(recovery.status).toBe(0);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(readRegister(dir)?.equals(next)).toBe(true);
      // Its own lock is gone. A build killed after its files landed, just before letting go of the lock,
      // leaves nothing to redo: the recovery then does not touch the register or that dead holder's lock,
      // which the next build that needs the register takes over.
      expect([undefined, deadLock]).toContain(lockOf());
      previous = next;
    }

    // What is left is a register keypolicy accepts as untampered, beside the killed runs' litter.
    expect(runBinary(dir, ['validate']).status).toBe(0);
    const status = runBinary(dir, ['status', '--json']);
    expect(status.status).toBe(0);
    expect(status.stdout).not.toContain('KP_REGISTER');

    console.log(
      `${ITERATIONS} SIGKILLs landed:\n` +
        Object.entries(landed)
          .map(([where, count]) => `  ${count} × ${where}`)
          .join('\n'),
    );
    // A kill that came too late (the build had finished) proves nothing; a loaded machine may make one
    // late, but most must land.
    const missed = Object.entries(landed).filter(([where]) => where.includes('missed'));
    expect(missed.reduce((sum, [, count]) => sum + count, 0)).toBeLessThanOrEqual(2);
  }, 60_000);
});
