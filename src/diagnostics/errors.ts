/** The error model: user-facing problems are values with a code, a plain-English message and a location. */

export const ExitCode = {
  Success: 0,
  /** The input is wrong or a check failed. */
  Invalid: 1,
  /** The command line itself is wrong. */
  Usage: 2,
  /** The machine lacks something (a browser, a writable folder). */
  Environment: 3,
  /** Stopped by the user (Ctrl-C): 128 + SIGINT, as a shell reports it. */
  Interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export type Severity = 'error' | 'warning';

/**
 * One problem found in an input file, located at `file:line:column` (1-based). Line 0 means the problem
 * has no place in the file (it is missing, too large, a folder…): column and length are 0 too, the path
 * is empty, and it prints as `file severity CODE: message` (see `diagnosticForFile`).
 */
export interface Diagnostic {
  code: string;
  severity: Severity;
  file: string;
  /** Dotted path to the field (`terminology.worker`, `policies[0].id`); empty for the whole file. */
  path: string;
  /** 1-based; 0 when the problem has no place in the file. */
  line: number;
  /** 1-based; 0 when the problem has no place in the file. */
  column: number;
  /** How many characters the caret underlines (0 when there is no place to underline). */
  length: number;
  message: string;
  hint?: string;
  /** The offending line of the file, for the code frame. */
  sourceLine?: string;
}

/** A problem the user can fix, as opposed to a bug in keypolicy. */
export class KeypolicyError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;

  constructor(
    code: string,
    message: string,
    options: { exitCode?: ExitCode; hint?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'KeypolicyError';
    this.code = code;
    this.exitCode = options.exitCode ?? ExitCode.Invalid;
    this.hint = options.hint;
  }
}
