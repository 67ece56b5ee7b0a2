/** `keypolicy build [PROFILE...]`: validate, render and write every policy's documents. */
import path from 'node:path';
import { colours, type Io } from '../cli/io.js';
import { diagnosticJson, formatDiagnostic, plural, shownPath } from '../cli/report.js';
import {
  buildProfile,
  FORMATS,
  organisationSlug,
  type Format,
  type ProfileBuild,
  type WrittenFile,
} from '../build/build-profile.js';
import { parseDateOption, today } from '../dates.js';
import { BrowserSession, findBrowser } from '../document/browser.js';
import { ExitCode, KeypolicyError, type Diagnostic } from '../errors.js';
import { sourceFromText } from '../profile/source.js';
import { validateProfile } from '../profile/validate.js';
import { DEFAULT_PROFILE } from './validate.js';

export interface BuildFlags {
  profiles: string[];
  out?: string;
  format?: string;
  policy?: string[];
  templates?: string[];
  date?: string;
  browser?: string;
  frozen?: boolean;
  message?: string;
  json?: boolean;
  quiet?: boolean;
}

/** `pdf,docx` → ['pdf', 'docx'], refusing names keypolicy does not write. */
export function parseFormats(value: string | undefined): Format[] {
  const formats = (value ?? 'pdf,docx,html')
    .split(',')
    .map((f) => f.trim().toLowerCase())
    .filter(Boolean);
  const unknown = formats.filter((f) => !(FORMATS as readonly string[]).includes(f));
  if (unknown.length > 0 || formats.length === 0) {
    throw new KeypolicyError(
      'KP_USAGE',
      `--format takes a comma-separated list of ${FORMATS.join(', ')}; you wrote \`${value ?? ''}\`.`,
      {
        exitCode: ExitCode.Usage,
      },
    );
  }
  return [...new Set(formats)] as Format[];
}

interface Outcome {
  profile: string;
  slug?: string;
  files: WrittenFile[];
  recorded: ProfileBuild['recorded'];
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

export async function runBuild(flags: BuildFlags, io: Io): Promise<ExitCode> {
  const formats = parseFormats(flags.format);
  const date = flags.date !== undefined ? parseDateOption(flags.date, '--date') : today(io.env);
  const out = path.resolve(io.cwd, flags.out ?? 'policies');
  const files = (flags.profiles.length > 0 ? flags.profiles : [DEFAULT_PROFILE]).map((p) =>
    path.resolve(io.cwd, p),
  );
  // Found before any work, so a missing browser fails fast with exit 3; launched only on the first PDF.
  const executable = formats.includes('pdf') ? findBrowser(flags.browser, io.env) : undefined;
  // Chromium starts while the profiles are validated and rendered: most of its launch time is hidden.
  const session = executable ? new BrowserSession(executable) : undefined;
  session?.warmUp();
  const browser = () => session as BrowserSession;

  const outcomes: Outcome[] = [];
  const slugs = new Map<string, string>();
  try {
    for (const file of files) {
      const report = await validateProfile(file);
      const outcome: Outcome = {
        profile: file,
        files: [],
        recorded: [],
        errors: report.errors,
        warnings: report.warnings,
      };
      outcomes.push(outcome);
      if (!report.resolved) continue;
      // Checked before anything is written: two organisations never share (and overwrite) a folder.
      const slug = organisationSlug(report.resolved);
      const clash = slugs.get(slug);
      if (clash) {
        outcome.errors.push(
          sourceFromText(file, '').diagnosticAt([0, 0], {
            code: 'KP_SLUG_CLASH',
            message: `This organisation's output folder \`${slug}\` is the same as that of ${shownPath(clash, io.cwd)}.`,
            hint: 'Give one of them its own `output.slug` in the profile.',
          }),
        );
        continue;
      }
      slugs.set(slug, file);
      const built = await buildProfile(report.resolved, {
        out,
        formats,
        date,
        browser,
        ...(flags.frozen ? { frozen: true } : {}),
        ...(flags.message ? { message: flags.message } : {}),
        ...(flags.policy?.length ? { policies: flags.policy } : {}),
        ...(flags.templates?.length ? { packs: flags.templates.map((t) => path.resolve(io.cwd, t)) } : {}),
      });
      outcome.slug = built.slug;
      outcome.files = built.files;
      outcome.recorded = built.recorded;
      outcome.errors.push(...built.diagnostics);
    }
  } finally {
    await session?.close();
  }
  return report(outcomes, flags, io);
}

function report(outcomes: Outcome[], flags: BuildFlags, io: Io): ExitCode {
  const failed = outcomes.filter((o) => o.errors.length > 0);
  if (flags.json) {
    const document = {
      ok: failed.length === 0,
      profiles: outcomes.map((o) => ({
        profile: shownPath(o.profile, io.cwd),
        slug: o.slug ?? null,
        recorded: o.recorded,
        files: o.files.map((f) => ({ ...f, file: shownPath(f.file, io.cwd) })),
        errors: o.errors.map((d) => diagnosticJson(d, io.cwd)),
        warnings: o.warnings.map((d) => diagnosticJson(d, io.cwd)),
      })),
    };
    io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    return failed.length === 0 ? ExitCode.Success : ExitCode.Invalid;
  }
  const err = colours(io, io.stderr);
  const c = colours(io, io.stdout);
  for (const outcome of outcomes) {
    const diagnostics = [...outcome.errors, ...(flags.quiet ? [] : outcome.warnings)];
    for (const d of diagnostics) io.stderr.write(`${formatDiagnostic(d, io.cwd, err)}\n\n`);
    const name = shownPath(outcome.profile, io.cwd);
    if (outcome.errors.length > 0)
      io.stderr.write(`${err.red('✗')} ${name}: not built (${plural(outcome.errors.length, 'error')})\n`);
    else if (!flags.quiet) {
      for (const r of outcome.recorded.filter((x) => x.outcome !== 'unchanged')) {
        io.stdout.write(
          `${r.outcome === 'created' ? 'recorded' : 'revised'} ${r.policy} version ${r.version} (draft) in the register\n`,
        );
      }
      for (const f of outcome.files) {
        io.stdout.write(
          `${c.green('✓')} ${shownPath(f.file, io.cwd)} ${c.dim(`v${f.version} ${f.status}`)}\n`,
        );
      }
    }
  }
  return failed.length === 0 ? ExitCode.Success : ExitCode.Invalid;
}
