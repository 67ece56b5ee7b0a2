/** What approve, review and withdraw share as commands: their flags, the signer, and how they report. */
import path from 'node:path';
import { colours, type Io } from '../cli/io.js';
import { plainTextFlag } from '../cli/options.js';
import { reporterFor, type ReporterName } from '../cli/reporter.js';
import { diagnosticJson, shownPath } from '../diagnostics/report.js';
import { githubError } from '../diagnostics/github.js';
import { commandDate } from '../core/dates.js';
import { ExitCode, KeypolicyError } from '../diagnostics/errors.js';
import {
  changeStanding,
  type Redraw,
  type StandingContext,
  type StandingRequest,
  type StandingResult,
} from '../pipeline/standing.js';
import type { Signer } from '../register/sign-off.js';
import { parseFormats } from './build.js';
import { DEFAULT_PROFILE } from './defaults.js';

export interface StandingFlags {
  profile?: string;
  policy?: string;
  by: string;
  role: string;
  date?: string;
  message?: string;
  out?: string;
  format?: string;
  json?: boolean;
  reporter?: ReporterName;
}

/** The request and signer a standing command's flags describe. */
export function standingRequest(flags: StandingFlags, io: Io) {
  const request: StandingRequest = {
    profile: path.resolve(io.cwd, flags.profile ?? DEFAULT_PROFILE),
    date: commandDate(flags.date, '--date', io.env),
    env: io.env,
    ...(flags.policy !== undefined ? { policy: flags.policy } : {}),
    ...(flags.out !== undefined ? { out: path.resolve(io.cwd, flags.out) } : {}),
    ...(flags.format !== undefined ? { formats: parseFormats(flags.format) } : {}),
  };
  const name = plainTextFlag(flags.by, '--by', true) as string;
  const role = plainTextFlag(flags.role, '--role', true) as string;
  const message = plainTextFlag(flags.message, '--message', false);
  return { request, name, role, message };
}

/**
 * Run a standing command and report it: a sentence (and notes) for people, or one JSON document on
 * stdout on every path, failure included.
 */
export async function reportStanding<T>(
  flags: StandingFlags,
  io: Io,
  run: () => Promise<StandingResult<T>>,
  describe: (result: StandingResult<T>) => { message: string; json: Record<string, unknown> },
): Promise<ExitCode> {
  const reporter = reporterFor(flags, io);
  let result: StandingResult<T>;
  try {
    result = await run();
  } catch (error) {
    if (!reporter.json || !(error instanceof KeypolicyError)) throw error;
    if (reporter.github) io.stderr.write(`${githubError(error.code, error.message, error.hint)}\n`);
    const failure = {
      ok: false,
      error: { code: error.code, message: error.message, hint: error.hint ?? null },
    };
    io.stdout.write(`${JSON.stringify(failure, null, 2)}\n`);
    return error.exitCode;
  }
  const { message, json } = describe(result);
  if (reporter.json) {
    reporter.diagnostics(result.warnings);
    const document = {
      ok: true,
      policy: result.id,
      ...json,
      files: result.files.map((f) => ({
        ...f,
        file: result.folder ? shownPath(path.join(result.folder, f.file), io.cwd) : f.file,
      })),
      notes: result.notes,
      warnings: result.warnings.map((d) => diagnosticJson(d, io.cwd)),
    };
    io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    return ExitCode.Success;
  }
  reporter.diagnostics(result.warnings);
  for (const note of result.notes) reporter.note(note);
  io.stdout.write(`${message}\n`);
  const c = colours(io, io.stdout);
  for (const f of result.files)
    if (result.folder)
      io.stdout.write(
        `${c.green('✓')} ${shownPath(path.join(result.folder, f.file), io.cwd)} ${c.dim(`v${f.version} ${f.status}`)}\n`,
      );
  return ExitCode.Success;
}

/** What a standing command's rule is given besides the register: who acts, and their note. */
export interface Given {
  signer: Signer;
  message: string | undefined;
}

/** Parse a standing command's flags, run its rule under the register's lock, and report the result. */
export function runStanding<T>(
  flags: StandingFlags,
  io: Io,
  rule: (context: StandingContext, given: Given) => { outcome: T; redraw: Redraw },
  describe: (result: StandingResult<T>) => { message: string; json: Record<string, unknown> },
): Promise<ExitCode> {
  return reportStanding(
    flags,
    io,
    () => {
      const { request, name, role, message } = standingRequest(flags, io);
      return changeStanding(request, (context) =>
        rule(context, {
          signer: { name, role, date: request.date, ...(context.user ? { user: context.user } : {}) },
          message,
        }),
      );
    },
    describe,
  );
}
