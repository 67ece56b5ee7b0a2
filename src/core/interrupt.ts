/**
 * Ctrl-C and `kill` during a build: temporary files and locks are removed and the browser is stopped,
 * so the previous outputs and the register stay as they were. Exit 130 (SIGINT) or 143 (SIGTERM). What
 * a SIGKILL leaves, the next build sweeps away (`sweepTemporaries`, `sweepBrowserProfiles`).
 */
const cleanups = new Set<() => void>();

/** Run `cleanup` (synchronously) if the process is interrupted before the returned function is called. */
export function onInterrupt(cleanup: () => void): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** Run every clean-up still registered, newest first, each once. */
function runCleanups(): void {
  for (const cleanup of [...cleanups].reverse()) {
    cleanups.delete(cleanup);
    try {
      cleanup();
    } catch {
      // Best effort: the other cleanups still run.
    }
  }
}

/** Whether process `pid` runs on this machine (one of another user's counts: it cannot be signalled, but is there). */
export function isRunning(pid: number): boolean {
  // 0 and negative numbers name process groups for `kill`, not a process.
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let installed = false;

/** Install the signal handlers for a real process (tests calling commands in-process do not). */
export function handleInterrupts(): void {
  if (installed) return;
  installed = true;
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      runCleanups();
      process.stderr.write(
        `\nkeypolicy: stopped by ${signal}; previous files and the register are unchanged.\n`,
      );
      process.exit(code);
    });
  }
  // Any other way out while work is under way (a bug's uncaught error, `process.exit`) cleans up too.
  process.once('exit', runCleanups);
}
