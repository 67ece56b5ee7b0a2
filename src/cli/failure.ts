/**
 * `--json` promises one JSON document on stdout on every path. A command prints its own document when it
 * can; when it fails before it could (a usage error, no browser, a bug), the top-level catch prints this
 * one instead: the command's usual shape with nothing in it, `ok: false`, and the error.
 */
import type { ExitCode } from '../diagnostics/errors.js';
import type { Io, Output } from './io.js';

/** The options given before any `--`. */
const options = (argv: readonly string[]) => {
  const end = argv.indexOf('--');
  return end === -1 ? argv : argv.slice(0, end);
};

/** The value of `--reporter` on the command line, if any. */
export function reporterWanted(argv: readonly string[]): string | undefined {
  const given = options(argv);
  let value: string | undefined;
  given.forEach((arg, i) => {
    if (arg === '--reporter') value = given[i + 1];
    else if (arg.startsWith('--reporter=')) value = arg.slice('--reporter='.length);
  });
  return value;
}

/** Whether the command line asks for a JSON document (`--json` or `--reporter json`), help and version aside. */
export function jsonWanted(argv: readonly string[]): boolean {
  const given = options(argv);
  if (given.some((a) => a === '--help' || a === '-h' || a === '--version' || a === '-V')) return false;
  return given.includes('--json') || reporterWanted(argv) === 'json';
}

/** Each command's document with nothing in it, so a failure keeps the shape a script reads. */
const EMPTY: Record<string, Record<string, unknown>> = {
  validate: { valid: false, date: null, files: [], notes: [] },
  check: { ready: false, date: null, profiles: [], notes: [] },
  build: { summary: { built: 0, unchanged: 0, failed: 0 }, notes: [], profiles: [] },
  status: { notes: [], profiles: [] },
  diff: { changed: false, notes: [], profiles: [] },
  templates: { valid: false, templates: [], diagnostics: [] },
};

/** The failure document for `command` (the first known command name on the line). */
export function failureDocument(
  argv: readonly string[],
  commands: readonly string[],
  failure: { code: string; message: string; hint?: string | undefined; exitCode: ExitCode },
): string {
  const command = options(argv).find((a) => commands.includes(a));
  const document = {
    ok: false,
    ...(command ? EMPTY[command] : {}),
    error: {
      code: failure.code,
      message: failure.message,
      hint: failure.hint ?? null,
      exitCode: failure.exitCode,
    },
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** An Io whose stdout remembers whether anything was written to it. */
export function trackStdout(io: Io): { io: Io; written: () => boolean } {
  let written = false;
  const stdout: Output = {
    write: (text: string) => {
      if (text !== '') written = true;
      return io.stdout.write(text);
    },
    ...(io.stdout.isTTY !== undefined ? { isTTY: io.stdout.isTTY } : {}),
  };
  return { io: { ...io, stdout }, written: () => written };
}
