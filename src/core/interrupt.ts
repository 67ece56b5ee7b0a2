/**
 * Ctrl-C and `kill` during a build: temporary files and locks are removed and the browser is stopped,
 * so the previous outputs and the register stay as they were. Exit 130 (SIGINT) or 143 (SIGTERM).
 */
const cleanups = new Set<() => void>();

/** Run `cleanup` (synchronously) if the process is interrupted before the returned function is called. */
export function onInterrupt(cleanup: () => void): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
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
      for (const cleanup of [...cleanups].reverse()) {
        try {
          cleanup();
        } catch {
          // Best effort: the other cleanups still run.
        }
      }
      process.stderr.write(
        `\nkeypolicy: stopped by ${signal}; previous files and the register are unchanged.\n`,
      );
      process.exit(code);
    });
  }
}
