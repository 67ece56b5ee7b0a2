/** `keypolicy check [PROFILE|DIR|GLOB...] [--date D] [--json]`: is each policy ready to submit to CQC or CIW? */
import { colours, type Io } from '../cli/io.js';
import { reporterFor, type ReportFlags } from '../cli/reporter.js';
import { commandDate, formatUkDate } from '../core/dates.js';
import { ExitCode, type Diagnostic } from '../diagnostics/errors.js';
import { diagnosticJson, plural, shownPath } from '../diagnostics/report.js';
import { expandProfileInputs, skippedNotes } from '../pipeline/inputs.js';
import { checkSubmission, isReady, type ProfileSubmission } from '../pipeline/submission.js';
import { DEFAULT_PROFILE } from './defaults.js';

export interface CheckOptions extends ReportFlags {
  profiles: string[];
  /** The day the policies are judged on (`--date`; default SOURCE_DATE_EPOCH, else today). */
  date?: string;
}

const problemJson = (d: Diagnostic, cwd: string) => diagnosticJson(d, cwd);

export async function runCheck(options: CheckOptions, io: Io): Promise<ExitCode> {
  const reporter = reporterFor(options, io);
  // A failure here reaches the top-level catch, which prints `--json`'s one document for it.
  const date = commandDate(options.date, '--date', io.env);
  const inputs = await expandProfileInputs(
    options.profiles.length > 0 ? options.profiles : [DEFAULT_PROFILE],
    io.cwd,
  );
  const notes = skippedNotes(inputs.skipped, (file) => shownPath(file, io.cwd));
  const results: ProfileSubmission[] = [];
  for (const file of inputs.files) {
    const result = await checkSubmission(file, { date });
    // An abstract base is never built, so it is never submitted.
    if (result.abstract) notes.push(`${shownPath(file, io.cwd)}: skipped (an abstract base, never built)`);
    else results.push(result);
  }
  const ready = results.every(isReady);

  if (reporter.json) {
    if (reporter.github)
      reporter.diagnostics(results.flatMap((r) => [...r.problems, ...r.policies.flatMap((p) => p.problems)]));
    const document = {
      ready,
      date,
      profiles: results.map((r) => ({
        profile: shownPath(r.file, io.cwd),
        organisation: r.organisation,
        ready: isReady(r),
        problems: r.problems.map((d) => problemJson(d, io.cwd)),
        policies: r.policies.map((p) => ({
          id: p.id,
          title: p.title,
          version: p.version,
          status: p.status,
          ready: p.problems.length === 0,
          problems: p.problems.map((d) => problemJson(d, io.cwd)),
          notes: p.notes,
        })),
      })),
      notes,
    };
    io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    return ready ? ExitCode.Success : ExitCode.Invalid;
  }

  const out = colours(io, io.stdout);
  const err = colours(io, io.stderr);
  for (const note of notes) reporter.note(note);
  for (const r of results) {
    const all = [...r.problems, ...r.policies.flatMap((p) => p.problems)];
    const name = r.organisation
      ? `${shownPath(r.file, io.cwd)} (${r.organisation})`
      : shownPath(r.file, io.cwd);
    const titles = r.policies.map((p) => `${p.title} ${p.version}${p.status === 'draft' ? ' (draft)' : ''}`);
    const what = titles.length > 0 ? `: ${titles.join(', ')}` : '';
    if (isReady(r)) {
      if (!reporter.quiet) io.stdout.write(`${out.green('✓')} ${name} is ready to submit${what}\n`);
    } else if (reporter.github) {
      io.stderr.write(`${err.red('✗')} ${name} is not ready to submit (${plural(all.length, 'problem')})\n`);
      reporter.diagnostics(all);
    } else {
      const missing = [...new Set(all.map((d) => d.code))].join(', ');
      io.stderr.write(
        `${err.red('✗')} ${name} is not ready to submit (${plural(all.length, 'problem')}: ${missing})\n`,
      );
      for (const d of all) {
        const where =
          d.line > 0 ? `${shownPath(d.file, io.cwd)}:${d.line}:${d.column}` : shownPath(d.file, io.cwd);
        io.stderr.write(`  - ${err.bold(where)} ${err.dim(d.code)}: ${d.message}\n`);
        if (d.hint) io.stderr.write(`    ${err.dim('hint:')} ${d.hint}\n`);
      }
    }
    if (!reporter.quiet)
      for (const p of r.policies)
        for (const note of p.notes) io.stdout.write(`${out.dim(`note: ${p.title}: ${note}`)}\n`);
  }
  if (!reporter.quiet) io.stdout.write(`${out.dim(`checked as of ${formatUkDate(date)}`)}\n`);
  return ready ? ExitCode.Success : ExitCode.Invalid;
}
