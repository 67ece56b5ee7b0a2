/**
 * The register lock, `NAME.register.yaml.lock`, holding its holder's pid as decimal text: two keypolicy
 * runs on one profile never change its register at once. A lock whose process no longer runs (killed,
 * crashed, the machine restarted) is stale, and exactly one of the runs waiting for it takes it over.
 *
 * Taking over is the hard part. "Read the dead pid, remove the lock, create ours" lets two runs that both
 * read the dead pid go on together: the second removes the first one's new lock, believing it the dead
 * one's. So a stale file is replaced only by the holder of its guard, `FILE.takeover` (created whole and
 * exclusively, pid inside), and only after re-reading, under the guard, that it still names the same dead
 * process. Until it is replaced nothing else can change it: its holder is dead, it exists so no one can
 * create it, and the guard keeps the other takers out. A guard left by a process that died holding it is
 * stale in the same way, and is taken over by the same rule under its own guard (`FILE.takeover.takeover`),
 * so even a run dying mid-takeover leaves no moment when two runs both hold the lock.
 *
 * What this cannot see: a lock deleted by hand while its holder runs; processes of another machine or
 * container sharing the folder (their pids mean nothing here); and a dead holder's pid reused by an
 * unrelated process, which makes the lock look held, so runs wait and then stop with KP_REGISTER_LOCKED
 * (the safe side) and the hint to delete it.
 */
import { readFileSync, rmSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { isRunning, onInterrupt } from '../core/interrupt.js';
import { KeypolicyError } from '../diagnostics/errors.js';
import { writeFileAtomic } from '../output/atomic-write.js';

const DEFAULT_WAIT_MS = 60_000;
const POLL_MS = 100;

/**
 * Hold the register's lock while `work` runs: a second run on the same profile waits for the first (up to
 * `waitMs`, 60 s by default) and then gives up with a clear message. A stale lock is taken over.
 */
export async function withRegisterLock<T>(
  registerFile: string,
  work: () => Promise<T>,
  options: { waitMs?: number } = {},
): Promise<T> {
  const lock = `${path.resolve(registerFile)}.lock`;
  // Armed before the lock is taken, as a stop can come between the lock appearing and this function
  // going on; it removes the lock only while it holds this process's pid, so never another run's.
  const forget = onInterrupt(() => removeIfMineSync(lock));
  try {
    const release = await takeLock(registerFile, lock, options.waitMs ?? DEFAULT_WAIT_MS);
    try {
      return await work();
    } finally {
      await release();
    }
  } finally {
    forget();
  }
}

type Release = () => Promise<void>;

/** One try at a file: held (with its release), or not, with the live pid holding it when known. */
type Attempt = { release: Release; holder?: undefined } | { release?: undefined; holder?: number };

async function takeLock(registerFile: string, lock: string, waitMs: number): Promise<Release> {
  const started = Date.now();
  for (;;) {
    const attempt = await tryTake(lock);
    if (attempt.release) return attempt.release;
    const waited = Date.now() - started;
    if (waited >= waitMs) {
      const by = attempt.holder ? `another keypolicy (process ${attempt.holder})` : 'another keypolicy';
      throw new KeypolicyError(
        'KP_REGISTER_LOCKED',
        `The register ${path.basename(registerFile)} is being changed by ${by}; gave up after waiting ${waitMs / 1000} s.`,
        {
          hint: `Wait for the other keypolicy to finish and run again. If none is running, delete ${lock} (and ${lock}.takeover, if it is there).`,
        },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, waitMs - waited)));
  }
}

/** Create `file` holding this pid, or take it over if it is stale; never waits. */
async function tryTake(file: string): Promise<Attempt> {
  // A few quick retries when the file vanishes between the failed create and the read (just released).
  for (let tries = 0; tries < 3; tries += 1) {
    const release = await putPid(file, { exclusive: true });
    if (release) return { release };
    const holder = await readHolder(file);
    if (holder === 'missing') continue;
    // Unreadable, empty or not a pid: being written or put there by hand, so not known to be stale.
    if (holder === undefined) return {};
    if (!isStale(file, holder)) return { holder };
    return takeOver(file, holder);
  }
  return {};
}

/** Replace `file`, which named the dead process `dead`, while holding its guard. */
async function takeOver(file: string, dead: number): Promise<Attempt> {
  const guard = `${file}.takeover`;
  // As for the lock: a stop while the guard is held must not leave it to block takeovers.
  const forget = onInterrupt(() => removeIfMineSync(guard));
  try {
    // A guard left by a dead process is itself taken over here, under `guard.takeover`.
    const guarded = await tryTake(guard);
    if (!guarded.release) return {};
    try {
      // Another taker may have been first (and may even be done): replace only the same dead holder.
      if ((await readHolder(file)) !== dead || !isStale(file, dead)) return {};
      // Renamed over it, so readers see the dead pid or ours, never no lock (which anyone could create).
      const release = await putPid(file, { exclusive: false });
      return release ? { release } : {};
    } finally {
      await guarded.release();
    }
  } finally {
    forget();
  }
}

/**
 * Files this process holds, or is creating or replacing, by how many of its calls. A file naming this
 * process's own pid is stale when none of its calls holds it: left by an earlier process given the same
 * pid (in a container every run may be pid 1), which would otherwise look alive forever.
 */
const claims = new Map<string, number>();

function isStale(file: string, pid: number): boolean {
  return pid === process.pid ? !claims.has(file) : !isRunning(pid);
}

/**
 * Write this pid to `file` (only if absent when `exclusive`): its release, or undefined if it exists. Put
 * in place whole, pid and all: a file created empty and then written would, if its process were killed in
 * between, hold no pid to find dead. A failed write (a full disk, a read-only folder) is reported as any
 * other file's is.
 */
async function putPid(file: string, options: { exclusive: boolean }): Promise<Release | undefined> {
  // Claimed before the write, with no await between a staleness check and here, so that no other call of
  // this process sees the file with our pid unclaimed and takes it for a leftover.
  claims.set(file, (claims.get(file) ?? 0) + 1);
  const unclaim = () => {
    const left = (claims.get(file) ?? 1) - 1;
    if (left > 0) claims.set(file, left);
    else claims.delete(file);
  };
  try {
    await writeFileAtomic(file, String(process.pid), options);
  } catch (error) {
    unclaim();
    if (error instanceof KeypolicyError && error.code === 'KP_EXISTS') return undefined;
    throw error;
  }
  return async () => {
    try {
      // Only while it still holds our pid: never remove one someone else put there (say, after a hand
      // deletion).
      if ((await readFile(file, 'utf8').catch(() => '')) === String(process.pid))
        await rm(file, { force: true });
    } finally {
      unclaim();
    }
  };
}

/** The pid a lock or guard names; 'missing' if there is none, undefined if it holds no pid. */
async function readHolder(file: string): Promise<number | 'missing' | undefined> {
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).trim();
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : undefined;
  }
  return /^[1-9]\d*$/.test(text) ? Number(text) : undefined;
}

/** On interrupt: remove `file` only while it holds this process's pid (a missing file is fine). */
function removeIfMineSync(file: string): void {
  try {
    if (readFileSync(file, 'utf8') === String(process.pid)) rmSync(file, { force: true });
  } catch {
    // Not there, or unreadable: nothing of ours to remove.
  }
}
