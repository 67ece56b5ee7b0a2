/** `keypolicy validate [PROFILE|DIR|GLOB...] [--date D] [--json]` */
import { expandProfileInputs, skippedNotes } from '../pipeline/inputs.js';
import { colours, type Io } from '../cli/io.js';
import { reporterFor, type ReportFlags } from '../cli/reporter.js';
import { diagnosticJson, plural, shownPath } from '../diagnostics/report.js';
import { ExitCode } from '../diagnostics/errors.js';
import { checkProfile } from '../pipeline/check-profile.js';
import { commandDate } from '../core/dates.js';
import { DEFAULT_PROFILE } from './defaults.js';
import { schemaCopyWarnings } from './schema-copy.js';

export interface ValidateOptions extends ReportFlags {
  profiles: string[];
  /** The day to judge the regulatory data's age on (`--date`; default SOURCE_DATE_EPOCH, else today). */
  date?: string;
}

export async function runValidate(options: ValidateOptions, io: Io): Promise<ExitCode> {
  const reporter = reporterFor(options, io);
  // A failure here reaches the top-level catch, which prints `--json`'s one document for it.
  const date = commandDate(options.date, '--date', io.env);
  const inputs = await expandProfileInputs(
    options.profiles.length > 0 ? options.profiles : [DEFAULT_PROFILE],
    io.cwd,
  );
  // Abstract bases stay in: validate checks a base on its own (lenient) terms, unlike build.
  const reports = [];
  for (const file of inputs.files) {
    const report = await checkProfile(file, { date });
    report.warnings.push(...(await schemaCopyWarnings(report)));
    reports.push(report);
  }
  const valid = reports.every((r) => r.errors.length === 0);
  const notes = skippedNotes(inputs.skipped, (file) => shownPath(file, io.cwd));

  if (reporter.json) {
    reporter.diagnostics(reports.flatMap((r) => [...r.errors, ...r.warnings]));
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
  for (const note of notes) reporter.note(note);
  for (const report of reports) {
    reporter.diagnostics([...report.errors, ...report.warnings]);
    const name = shownPath(report.file, io.cwd);
    const counts = [plural(report.errors.length, 'error'), plural(report.warnings.length, 'warning')].join(
      ', ',
    );
    const kind = report.abstract ? ' (abstract base: checked leniently, never built)' : '';
    if (report.errors.length === 0) {
      if (!reporter.quiet) io.stdout.write(`${out.green('✓')} ${name} is valid${kind} (${counts})\n`);
    } else io.stderr.write(`${err.red('✗')} ${name} is not valid${kind} (${counts})\n`);
  }
  return valid ? ExitCode.Success : ExitCode.Invalid;
}
