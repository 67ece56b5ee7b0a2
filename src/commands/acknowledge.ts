/**
 * `keypolicy acknowledge [PROFILE] [--policy ID] (--by NAME | --from FILE.csv) [--date D] [--json]`, and
 * `--erase NAME --pseudonym P`: record that staff have read the version in force, or erase a name.
 */
import path from 'node:path';
import { colours, type Io } from '../cli/io.js';
import { plainTextFlag } from '../cli/options.js';
import { commandDate, formatUkDate } from '../core/dates.js';
import { ExitCode, KeypolicyError } from '../diagnostics/errors.js';
import { diagnosticJson, formatDiagnostic, shownPath } from '../diagnostics/report.js';
import { acknowledge, erase, type AcknowledgeResult, type RowOutcome } from '../pipeline/acknowledge.js';
import { DEFAULT_PROFILE } from './defaults.js';

export interface AcknowledgeFlags {
  profile?: string;
  policy?: string;
  by?: string;
  from?: string;
  date?: string;
  erase?: string;
  pseudonym?: string;
  json?: boolean;
}

const usage = (message: string) => new KeypolicyError('KP_USAGE', message, { exitCode: ExitCode.Usage });

export async function runAcknowledge(flags: AcknowledgeFlags, io: Io): Promise<ExitCode> {
  const given = [flags.by, flags.from, flags.erase].filter((f) => f !== undefined).length;
  if (given !== 1)
    throw usage(
      'acknowledge needs one of --by NAME (one person), --from FILE.csv (a filled read-and-sign sheet) or --erase NAME.',
    );
  if (flags.pseudonym !== undefined && flags.erase === undefined)
    throw usage('--pseudonym goes with --erase NAME.');
  const profile = path.resolve(io.cwd, flags.profile ?? DEFAULT_PROFILE);
  try {
    if (flags.erase !== undefined) return await runErase(flags, profile, io);
    const by = flags.by !== undefined ? plainTextFlag(flags.by, '--by', true) : undefined;
    if (flags.from !== undefined && flags.from.trim() === '')
      throw usage('--from needs the path of a CSV file.');
    const result = await acknowledge({
      profile,
      date: commandDate(flags.date, '--date', io.env),
      env: io.env,
      ...(flags.policy !== undefined ? { policy: flags.policy } : {}),
      ...(by !== undefined ? { by } : {}),
      ...(flags.from !== undefined ? { from: path.resolve(io.cwd, flags.from) } : {}),
    });
    return report(result, flags, io);
  } catch (error) {
    if (!flags.json || !(error instanceof KeypolicyError)) throw error;
    const failure = {
      ok: false,
      error: { code: error.code, message: error.message, hint: error.hint ?? null },
    };
    io.stdout.write(`${JSON.stringify(failure, null, 2)}\n`);
    return error.exitCode;
  }
}

async function runErase(flags: AcknowledgeFlags, profile: string, io: Io): Promise<ExitCode> {
  const name = plainTextFlag(flags.erase, '--erase', true) as string;
  const pseudonym = plainTextFlag(flags.pseudonym, '--pseudonym', false);
  if (!pseudonym)
    throw usage('--erase needs --pseudonym P: the name that replaces theirs, e.g. "Former staff 7".');
  const result = await erase({ profile, name, pseudonym });
  const note = result.stillListed
    ? `${name} is still on the staff list: replace the name there with "${pseudonym}" (or remove them if they have left), or their acknowledgements no longer count.`
    : undefined;
  if (flags.json) {
    io.stdout.write(
      `${JSON.stringify({ ok: true, replaced: result.replaced, pseudonym, notes: note ? [note] : [] }, null, 2)}\n`,
    );
    return ExitCode.Success;
  }
  io.stdout.write(
    `Replaced the name in ${result.replaced} acknowledgement${result.replaced === 1 ? '' : 's'} by "${pseudonym}"; every hash and count still holds.\n`,
  );
  if (note) io.stderr.write(`note: ${note}\n`);
  io.stderr.write(
    'note: earlier copies of the record in version control still hold the name; remove them from its history if they must go too.\n',
  );
  return ExitCode.Success;
}

const rowLabel = (row: RowOutcome) =>
  `${row.line !== undefined ? `line ${row.line}: ` : ''}${row.name || '(no name)'}${row.date ? `, ${row.date}` : ''}`;

function report(result: AcknowledgeResult, flags: AcknowledgeFlags, io: Io): ExitCode {
  const exit = result.ok ? ExitCode.Success : ExitCode.Invalid;
  if (flags.json) {
    const document = {
      ok: result.ok,
      policy: result.id ?? null,
      title: result.title ?? null,
      version: result.version ?? null,
      contentHash: result.contentHash ?? null,
      effectiveDate: result.effectiveDate ?? null,
      recorded: result.recorded,
      acknowledged: result.acknowledged ?? null,
      required: result.required ?? null,
      rows: result.rows,
      errors: result.diagnostics.map((d) => diagnosticJson(d, io.cwd)),
    };
    io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    return exit;
  }
  const err = colours(io, io.stderr);
  const c = colours(io, io.stdout);
  for (const d of result.diagnostics) io.stderr.write(`${formatDiagnostic(d, io.cwd, err)}\n\n`);
  if (result.diagnostics.length > 0) {
    io.stderr.write(
      `${err.red.bold('error')} ${err.dim('KP_SHEET')}: ${shownPath(flags.from ?? '', io.cwd)} cannot be imported; nothing was recorded.\n`,
    );
    return ExitCode.Invalid;
  }
  const what = `version ${result.version ?? ''} of ${result.title ?? ''}`;
  if (flags.by !== undefined) {
    const [row] = result.rows;
    if (!row) return exit;
    if (row.status === 'rejected') {
      io.stderr.write(
        `${err.red.bold('error')} ${err.dim('KP_ACKNOWLEDGE')}: ${row.name} cannot acknowledge ${what}: ${row.reason ?? ''}; nothing was recorded.\n`,
      );
      return ExitCode.Invalid;
    }
    io.stdout.write(
      row.status === 'already'
        ? `${row.reason ?? ''} Nothing new was recorded.\n`
        : `Recorded: ${row.name} has read ${what} (${formatUkDate(row.date)}).\n`,
    );
  } else {
    for (const row of result.rows) {
      const mark =
        row.status === 'rejected' ? err.red('✗') : row.status === 'accepted' ? c.green('✓') : c.dim('·');
      const text = `${mark} ${rowLabel(row)}: ${row.status}${row.reason ? ` (${row.reason})` : ''}\n`;
      if (row.status === 'rejected') io.stderr.write(text);
      else io.stdout.write(text);
    }
    if (!result.ok) {
      const rejected = result.rows.filter((r) => r.status === 'rejected').length;
      io.stderr.write(
        `${err.red.bold('error')} ${err.dim('KP_SHEET_REJECTED')}: ${rejected} of ${result.rows.length} row${result.rows.length === 1 ? '' : 's'} rejected, so nothing was recorded.\n  ${err.dim('hint:')} Correct or remove those rows and import the sheet again; the whole sheet is recorded at once.\n`,
      );
      return ExitCode.Invalid;
    }
    io.stdout.write(
      `Recorded ${result.recorded} acknowledgement${result.recorded === 1 ? '' : 's'} of ${what}.\n`,
    );
  }
  if (result.required !== undefined)
    io.stdout.write(
      `${c.dim(`${result.acknowledged ?? 0} of ${result.required} staff have read ${what}.`)}\n`,
    );
  return exit;
}
