/** `keypolicy sheet [PROFILE|DIR|GLOB...] [--policy ID] [-o|--out DIR] [-f|--format pdf,docx,csv] [--json]` */
import path from 'node:path';
import { colours, type Io } from '../cli/io.js';
import { commandDate } from '../core/dates.js';
import { ExitCode, KeypolicyError } from '../diagnostics/errors.js';
import { shownPath } from '../diagnostics/report.js';
import { expandProfileInputs, skippedNotes } from '../pipeline/inputs.js';
import { SHEET_FORMATS, writeSheets, type SheetFormat, type SheetResult } from '../pipeline/sheet.js';
import type { BrowserSession } from '../writers/pdf/session.js';
import { DEFAULT_PROFILE } from './defaults.js';

export interface SheetFlags {
  profiles: string[];
  policy?: string;
  out?: string;
  format?: string;
  date?: string;
  browser?: string;
  json?: boolean;
}

const usage = (message: string) => new KeypolicyError('KP_USAGE', message, { exitCode: ExitCode.Usage });

export function parseSheetFormats(value: string | undefined): SheetFormat[] {
  const formats = (value ?? SHEET_FORMATS.join(','))
    .split(',')
    .map((f) => f.trim().toLowerCase())
    .filter(Boolean);
  const unknown = formats.filter((f) => !(SHEET_FORMATS as readonly string[]).includes(f));
  if (unknown.length > 0 || formats.length === 0)
    throw usage(
      `--format takes ${SHEET_FORMATS.join(', ')} (comma-separated); you wrote \`${value ?? ''}\`.`,
    );
  return [...new Set(formats)] as SheetFormat[];
}

export async function runSheet(flags: SheetFlags, io: Io): Promise<ExitCode> {
  const formats = parseSheetFormats(flags.format);
  const date = commandDate(flags.date, '--date', io.env);
  const inputs = await expandProfileInputs(
    flags.profiles.length > 0 ? flags.profiles : [DEFAULT_PROFILE],
    io.cwd,
  );
  const notes = skippedNotes(inputs.skipped, (file) => shownPath(file, io.cwd));
  // Chromium only when a PDF is asked for; one browser for every profile of the run.
  let session: BrowserSession | undefined;
  let browser: () => BrowserSession = () => {
    throw new Error('no browser without a PDF');
  };
  if (formats.includes('pdf')) {
    const { BrowserSession: Session, printTimeoutSeconds } = await import('../writers/pdf/session.js');
    const { findBrowser } = await import('../writers/pdf/finder.js');
    browser = () =>
      (session ??= new Session(findBrowser(flags.browser, io.env), {
        printMs: printTimeoutSeconds(io.env) * 1000,
      }));
  }
  const results: SheetResult[] = [];
  try {
    for (const file of inputs.files)
      results.push(
        await writeSheets(file, {
          formats,
          date,
          browser,
          fallbackOut: path.resolve(io.cwd, 'policies'),
          ...(flags.out !== undefined ? { out: path.resolve(io.cwd, flags.out) } : {}),
          ...(flags.policy !== undefined ? { policy: flags.policy } : {}),
        }),
      );
  } finally {
    await session?.close();
  }
  const exit = results.reduce<ExitCode>(
    (worst, r) => (r.error && r.error.exitCode > worst ? r.error.exitCode : worst),
    ExitCode.Success,
  );
  if (flags.json) {
    const document = {
      ok: exit === ExitCode.Success,
      notes,
      profiles: results.map((r) => ({
        profile: shownPath(r.profile, io.cwd),
        organisation: r.organisation ?? null,
        files: r.files.map((f) => ({ ...f, file: shownPath(f.file, io.cwd) })),
        notes: r.notes,
        error: r.error ? { code: r.error.code, message: r.error.message, hint: r.error.hint ?? null } : null,
      })),
    };
    io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    return exit;
  }
  const c = colours(io, io.stdout);
  const err = colours(io, io.stderr);
  for (const note of notes) io.stderr.write(`note: ${note}\n`);
  for (const r of results) {
    const who = shownPath(r.profile, io.cwd);
    for (const note of r.notes) io.stderr.write(`note: ${who}: ${note}\n`);
    if (r.error) {
      io.stderr.write(`${err.red.bold('error')} ${err.dim(r.error.code)}: ${who}: ${r.error.message}\n`);
      if (r.error.hint) io.stderr.write(`  ${err.dim('hint:')} ${r.error.hint}\n`);
    }
    for (const f of r.files)
      io.stdout.write(
        `${c.green('✓')} ${shownPath(f.file, io.cwd)} ${c.dim(`v${f.version}, ${f.readers} to sign`)}\n`,
      );
  }
  return exit;
}
