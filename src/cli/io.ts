/** The streams and environment a command runs against, so tests can run commands in-process. */
import { Chalk, type ChalkInstance } from 'chalk';

export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface Io {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: Output;
  stderr: Output;
  /** Whether a person can answer questions (interactive `init`). */
  interactive: boolean;
}

let guarded = false;

/**
 * A reader that goes away early (`keypolicy diff | head -1`) closes the pipe, and the next write fails
 * with EPIPE. Like `git` and `cat`, keypolicy then says nothing more on that stream, and prints no stack
 * trace: the command finishes its work (a build is never left half-done by it) and exits with its own
 * code. Another failure of standard output is noted once on standard error, never the other way round,
 * so standard output keeps only what a command prints there.
 */
function quietWhenClosed(): void {
  if (guarded) return;
  guarded = true;
  process.stderr.on('error', () => undefined);
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || process.stderr.destroyed) return;
    process.stderr.write(`keypolicy: could not write to standard output (${error.code ?? error.message}).\n`);
  });
}

export function processIo(): Io {
  quietWhenClosed();
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  };
}

/**
 * Colours for one stream: on for a terminal (not a dumb one) or with FORCE_COLOR, but always off with
 * NO_COLOR (no-color.org: a user's NO_COLOR beats a CI system's FORCE_COLOR).
 */
export function colours(io: Io, stream: Output): ChalkInstance {
  const forced =
    io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0' && io.env.FORCE_COLOR !== 'false';
  const off = (io.env.NO_COLOR ?? '') !== '';
  const terminal = stream.isTTY === true && io.env.TERM !== 'dumb';
  return new Chalk({ level: !off && (forced || terminal) ? 1 : 0 });
}
