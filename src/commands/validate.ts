/** `keypolicy validate [PROFILE|DIR|GLOB...] [--date D] [--json]` */
import { expandProfileInputs, skippedNotes, type ProfileInputs } from '../pipeline/inputs.js';
import { colours, type Io } from '../cli/io.js';
import { diagnosticJson, formatDiagnostic, plural, shownPath } from '../diagnostics/report.js';
import { ExitCode, KeypolicyError } from '../diagnostics/errors.js';
import { checkProfile } from '../pipeline/check-profile.js';
import { commandDate } from '../core/dates.js';
import { DEFAULT_PROFILE } from './defaults.js';

export interface ValidateOptions {
  profiles: string[];
  /** The day to judge the regulatory data's age on (`--date`; default SOURCE_DATE_EPOCH, else today). */
  date?: string;
  json?: boolean;
}

export async function runValidate(options: ValidateOptions, io: Io): Promise<ExitCode> {
  let inputs: ProfileInputs;
  let date: string;
  try {
    date = commandDate(options.date, '--date', io.env);
    inputs = await expandProfileInputs(
      options.profiles.length > 0 ? options.profiles : [DEFAULT_PROFILE],
      io.cwd,
    );
  } catch (error) {
    // `--json` promises one document on stdout on every path; the error itself still goes to stderr.
    if (options.json && error instanceof KeypolicyError) {
      const failure = { code: error.code, message: error.message, hint: error.hint ?? null };
      io.stdout.write(`${JSON.stringify({ valid: false, files: [], notes: [], error: failure }, null, 2)}\n`);
    }
    throw error;
  }
  // Abstract bases stay in: validate checks a base on its own (lenient) terms, unlike build.
  const reports = [];
  for (const file of inputs.files) reports.push(await checkProfile(file, { date }));
  const valid = reports.every((r) => r.errors.length === 0);
  const notes = skippedNotes(inputs.skipped, (file) => shownPath(file, io.cwd));

  if (options.json) {
    const document = {
      valid,
      date,
      files: reports.map((r) => ({
        file: shownPath(r.file, io.cwd),
        valid: r.errors.length === 0,
        abstract: r.abstract,
        errors: r.errors.map((d) => diagnosticJson(d, io.cwd)),
        warnings: r.warnings.map((d) => diagnosticJson(d, io.cwd)),
      })),
      notes,
    };
    io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    return valid ? ExitCode.Success : ExitCode.Invalid;
  }

  const err = colours(io, io.stderr);
  const out = colours(io, io.stdout);
  for (const note of notes) io.stderr.write(`note: ${note}\n`);
  for (const report of reports) {
    for (const d of [...report.errors, ...report.warnings])
      io.stderr.write(`${formatDiagnostic(d, io.cwd, err)}\n\n`);
    const name = shownPath(report.file, io.cwd);
    const counts = [plural(report.errors.length, 'error'), plural(report.warnings.length, 'warning')].join(
      ', ',
    );
    const kind = report.abstract ? ' (abstract base: checked leniently, never built)' : '';
    if (report.errors.length === 0)
      io.stdout.write(`${out.green('✓')} ${name} is valid${kind} (${counts})\n`);
    else io.stderr.write(`${err.red('✗')} ${name} is not valid${kind} (${counts})\n`);
  }
  return valid ? ExitCode.Success : ExitCode.Invalid;
}
