/**
 * How a command reports: `--json` (or `--reporter json`) puts one document on stdout; diagnostics go to
 * stderr as code frames (human), as GitHub Actions annotations (github: `--reporter github`, or by
 * default when GITHUB_ACTIONS=true — beside `--json` too, since stdout keeps the document), or not at
 * all (json). `--quiet` leaves out notes and success lines: only warnings and errors are printed.
 */
import type { Diagnostic } from '../diagnostics/errors.js';
import { githubAnnotation } from '../diagnostics/github.js';
import { formatDiagnostic } from '../diagnostics/report.js';
import { colours, type Io } from './io.js';

export const REPORTERS = ['human', 'json', 'github'] as const;
export type ReporterName = (typeof REPORTERS)[number];

/** The flags every reporting command takes. */
export interface ReportFlags {
  json?: boolean;
  reporter?: ReporterName;
  quiet?: boolean;
}

export interface Reporter {
  /** One JSON document on stdout. */
  readonly json: boolean;
  /** Diagnostics as workflow-command annotations on stderr. */
  readonly github: boolean;
  /** Only warnings and errors. */
  readonly quiet: boolean;
  /** Print diagnostics on stderr in the chosen form (nothing with a plain `--json`). */
  diagnostics(list: readonly Diagnostic[]): void;
  /** A `note:` line on stderr, unless quiet or JSON. */
  note(text: string): void;
}

/** Whether GitHub annotations are wanted: `--reporter github`, or GITHUB_ACTIONS=true when no reporter is named. */
export const githubWanted = (reporter: string | undefined, env: Io['env']): boolean =>
  reporter === 'github' || (reporter === undefined && env.GITHUB_ACTIONS === 'true');

export function reporterFor(flags: ReportFlags, io: Io): Reporter {
  const json = flags.json === true || flags.reporter === 'json';
  const github = githubWanted(flags.reporter, io.env);
  const quiet = flags.quiet === true;
  return {
    json,
    github,
    quiet,
    diagnostics(list) {
      if (github) {
        for (const d of list) io.stderr.write(`${githubAnnotation(d, io.cwd)}\n`);
        return;
      }
      if (json) return;
      const c = colours(io, io.stderr);
      for (const d of list) io.stderr.write(`${formatDiagnostic(d, io.cwd, c)}\n\n`);
    },
    note(text) {
      if (!json && !quiet) io.stderr.write(`note: ${text}\n`);
    },
  };
}
