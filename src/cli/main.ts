/** The command line: commander wiring, lazy-loaded commands, and the only top-level catch. */
import { Command, CommanderError } from 'commander';
import { ExitCode, KeypolicyError } from '../diagnostics/errors.js';
import { githubError } from '../diagnostics/github.js';
import { VERSION } from '../core/version.js';
import { handleInterrupts } from '../core/interrupt.js';
import { registerStaffCommands } from '../commands/staff-commands.js';
import { registerBuild, registerDiff, registerStatus } from './commands-build.js';
import { registerPreviewCommand } from './commands-preview.js';
import { registerCheck, registerInit, registerSchema, registerValidate } from './commands-profile.js';
import { registerStandingCommands } from './commands-standing.js';
import { registerTemplateCommands } from './commands-templates.js';
import { failureDocument, jsonWanted, reporterWanted, trackStdout } from './failure.js';
import { colours, processIo, type Io } from './io.js';
import { githubWanted } from './reporter.js';

/** The whole command line, its commands registered from cli/commands-*.ts (each loads its module lazily). */
export function program(io: Io, setExit: (code: ExitCode) => void): Command {
  const cli = new Command('keypolicy')
    .description(
      'Policy-as-code for adult social care in England (CQC) and Wales (CIW): describe your organisation ' +
        'once in a YAML profile, validate it, and build controlled policy documents.',
    )
    .version(VERSION, '-V, --version', 'print the keypolicy version')
    .helpOption('-h, --help', 'show help for keypolicy or a command')
    .option('--debug', 'if keypolicy hits a bug, print its stack trace too (or set KEYPOLICY_DEBUG=1)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .addHelpText(
      'after',
      '\nExit codes: 0 success, 1 invalid input or failed check, 2 usage error, 3 environment failure,\n' +
        '130 stopped with Ctrl-C.\n' +
        'Without a PROFILE, commands use ./keypolicy.yaml. Set NO_COLOR=1 to turn colours off (it wins over\n' +
        'FORCE_COLOR). Under GitHub Actions (GITHUB_ACTIONS=true) problems are reported as annotations.',
    );

  // In the order `keypolicy --help` lists them.
  for (const register of [
    registerInit,
    registerValidate,
    registerCheck,
    registerBuild,
    registerStandingCommands, // approve, review, withdraw
    registerStatus,
    registerDiff,
    registerTemplateCommands,
    registerPreviewCommand,
    registerSchema,
    registerStaffCommands, // acknowledge, sheet
  ])
    register(cli, io, setExit);
  return cli;
}

/** Run the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: string[], io?: Io): Promise<ExitCode> {
  if (io) return run(argv, trackStdout(io));
  handleInterrupts();
  const tracked = trackStdout(processIo());
  // A bug outside the command's own chain (a timer, an event) is reported the same way, then ends the run.
  const stray = (error: unknown) => {
    reportInternal(error, argv, tracked);
    process.exit(ExitCode.Invalid);
  };
  process.on('uncaughtException', stray);
  process.on('unhandledRejection', stray);
  return run(argv, tracked);
}

type Tracked = ReturnType<typeof trackStdout>;

/** `--debug` among the options (before any `--`), or KEYPOLICY_DEBUG set to anything but 0 or false. */
function debugWanted(argv: readonly string[], env: Io['env']): boolean {
  const end = argv.indexOf('--');
  if ((end === -1 ? argv : argv.slice(0, end)).includes('--debug')) return true;
  const value = (env.KEYPOLICY_DEBUG ?? '').trim().toLowerCase();
  return value !== '' && value !== '0' && value !== 'false';
}

/** The names of the commands, for telling which one a failed command line ran. */
const COMMANDS = ['init', 'validate', 'check', 'build', 'approve', 'review', 'withdraw', 'status', 'diff'];
const OTHER_COMMANDS = ['templates', 'preview', 'schema', 'acknowledge', 'sheet'];

/**
 * A failure the command could not report itself: with `--json` and nothing on stdout yet, the failure
 * document; under GitHub Actions (or `--reporter github`), an annotation on stderr too.
 */
function reportFailure(
  argv: readonly string[],
  { io, written }: Tracked,
  failure: { code: string; message: string; hint?: string | undefined; exitCode: ExitCode },
): void {
  if (jsonWanted(argv) && !written())
    io.stdout.write(failureDocument(argv, [...COMMANDS, ...OTHER_COMMANDS], failure));
  if (githubWanted(reporterWanted(argv), io.env))
    io.stderr.write(`${githubError(failure.code, failure.message, failure.hint)}\n`);
}

/**
 * Anything but a KeypolicyError is a bug in keypolicy, not a problem with the user's input: one line
 * with a code and what to do, as every other failure; the stack only when asked for.
 */
function reportInternal(error: unknown, argv: readonly string[], tracked: Tracked): void {
  const { io } = tracked;
  const c = colours(io, io.stderr);
  const what = (
    error instanceof Error ? `${error.name}: ${error.message.split('\n')[0] ?? ''}` : String(error)
  ).slice(0, 300);
  const debug = debugWanted(argv, io.env);
  const message = `keypolicy ${VERSION} hit an internal error (a bug): ${what}`;
  io.stderr.write(
    // "internal error" stays in the words: tests and scripts look for it to tell a bug from bad input.
    `${c.red.bold('error')} ${c.dim('KP_INTERNAL')}: ${message}\n` +
      `  ${c.dim('hint:')} Please report it to keypolicy's maintainers with the command you ran` +
      (debug
        ? ' and the details below.\n'
        : '; run it again with --debug (or KEYPOLICY_DEBUG=1) to add the details.\n'),
  );
  if (debug) {
    const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr.write(`${stack}\n`);
  }
  reportFailure(argv, tracked, { code: 'KP_INTERNAL', message, exitCode: ExitCode.Invalid });
}

async function run(argv: string[], tracked: Tracked): Promise<ExitCode> {
  const { io } = tracked;
  let exitCode: ExitCode = ExitCode.Success;
  try {
    const cli = program(io, (code) => (exitCode = code));
    // commander answers `keypolicy nosuchcommand --help` with the main help and exit 0; a script
    // probing for a command must get a usage error instead.
    const first = argv[0];
    const known = new Set(['help', ...cli.commands.flatMap((c) => [c.name(), ...c.aliases()])]);
    if (first !== undefined && !first.startsWith('-') && !known.has(first)) {
      const message = `unknown command '${first}'`;
      io.stderr.write(`error: ${message}\n(run keypolicy --help for the list of commands)\n`);
      reportFailure(argv, tracked, { code: 'KP_USAGE', message, exitCode: ExitCode.Usage });
      return ExitCode.Usage;
    }
    await cli.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      const done = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code);
      if (done) return ExitCode.Success;
      const message = error.message.replace(/^error: /, '');
      reportFailure(argv, tracked, { code: 'KP_USAGE', message, exitCode: ExitCode.Usage });
      return ExitCode.Usage;
    }
    const c = colours(io, io.stderr);
    if (error instanceof KeypolicyError) {
      io.stderr.write(`${c.red.bold('error')} ${c.dim(error.code)}: ${error.message}\n`);
      if (error.hint) io.stderr.write(`  ${c.dim('hint:')} ${error.hint}\n`);
      reportFailure(argv, tracked, error);
      return error.exitCode;
    }
    reportInternal(error, argv, tracked);
    return ExitCode.Invalid;
  }
}
