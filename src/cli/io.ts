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

export function processIo(): Io {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  };
}

/** Colours for one stream: off unless it is a terminal, and always off with NO_COLOR (no-color.org). */
export function colours(io: Io, stream: Output): ChalkInstance {
  const forced = io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0';
  const off = (io.env.NO_COLOR ?? '') !== '' || io.env.TERM === 'dumb';
  return new Chalk({ level: forced || (!off && stream.isTTY) ? 1 : 0 });
}
