/** The command line: commander wiring, lazy-loaded commands, and the only top-level catch. */
import { Command, CommanderError, Option } from 'commander';
import {
  dateOption,
  formatOption,
  graceDaysOption,
  jsonOption,
  outOption,
  peopleOption,
  policiesOption,
  policyOption,
  profilesArgument,
  templatesOption,
} from './options.js';
import { ExitCode, KeypolicyError } from '../diagnostics/errors.js';
import { NATIONS, SERVICE_TYPES, WORKER_TERMS } from '../profile/enums.js';
import { VERSION } from '../core/version.js';
import type { ApproveFlags } from '../commands/approve.js';
import type { ReviewFlags } from '../commands/review.js';
import type { StandingFlags } from '../commands/standing-command.js';
import type { BuildFlags } from '../commands/build.js';
import type { StatusFlags } from '../commands/status.js';
import type { PreviewFlags } from '../commands/preview.js';
import { handleInterrupts } from '../core/interrupt.js';
import { registerStaffCommands } from '../commands/staff-commands.js';
import { registerTemplateCommands } from './commands-templates.js';
import { colours, processIo, type Io } from './io.js';

function program(io: Io, setExit: (code: ExitCode) => void): Command {
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
        'Without a PROFILE, commands use ./keypolicy.yaml. Set NO_COLOR=1 to turn colours off.',
    );

  cli
    .command('init')
    .description(
      'write a new, commented organisation profile (asks questions on a terminal when no flags are given)',
    )
    .option('--name <name>', 'the organisation name (organisation.name)')
    .addOption(
      new Option('--nation <nation>', 'england (regulator CQC) or wales (regulator CIW)').choices(NATIONS),
    )
    .addOption(new Option('--service <type>', 'the kind of service').choices(SERVICE_TYPES))
    .addOption(new Option('--term <term>', 'key worker or link worker terminology').choices(WORKER_TERMS))
    .option('--shared-role', 'key working is a shared (joint) role')
    .option('--out <file>', 'where to write the profile', 'keypolicy.yaml')
    .option('--force', 'overwrite the file if it exists')
    .addHelpText(
      'after',
      '\nWithout a terminal, or with any of the flags above, init never asks: missing answers take defaults\n' +
        '(england, supported-living, key). Registration numbers and names are written as obvious examples;\n' +
        '`keypolicy validate` warns about each one until you replace it.\n\n' +
        'Example:\n  keypolicy init --name "Hafan Care Ltd" --nation wales --service care-home --out hafan.yaml',
    )
    .action(async (options: Record<string, unknown>) => {
      const { runInit } = await import('../commands/init.js');
      setExit(await runInit(options, io));
    });

  cli
    .command('validate')
    .description('check profiles against the schema and the regulators’ rules; report every problem at once')
    .addArgument(profilesArgument())
    .addOption(dateOption('the day the regulatory data’s age is judged on'))
    .addOption(jsonOption('{ valid, date, files: [{ file, errors, warnings }], notes }'))
    .addHelpText(
      'after',
      '\nEach problem is printed as `file:line:col error CODE path: message` with the line and a hint.\n' +
        'A folder takes the .yaml and .yml files directly inside it. Registers (NAME.register.yaml) and what\n' +
        'keypolicy keeps in NAME.register/ are skipped with a note; abstract bases are checked on their own terms.\n' +
        'It warns (KP_DATA_OUT_OF_DATE) when the regulatory data keypolicy holds for the nation is more than\n' +
        '12 months older than --date. Exit code 0 when every profile is valid (warnings allowed), 1 when any\n' +
        'has an error or a folder or glob matches no profile.\n\n' +
        'Examples:\n  keypolicy validate\n  keypolicy validate clients/\n  keypolicy validate "clients/*.yaml" --json',
    )
    .action(async (profiles: string[], options: { date?: string; json?: boolean }) => {
      const { runValidate } = await import('../commands/validate.js');
      setExit(await runValidate({ ...options, profiles }, io));
    });

  cli
    .command('check')
    .description('check each policy against CQC’s (and CIW’s) rules for documents sent to the regulator')
    .addArgument(profilesArgument())
    .addOption(dateOption('the day the policies are judged on'))
    .addOption(jsonOption('{ ready, date, profiles: [{ profile, ready, problems, policies }], notes }'))
    .addHelpText(
      'after',
      '\nRenders each policy in memory as a build would (nothing is written) and checks: relevant to the service,\n' +
        'related policies listed, current references and links, no blank section or placeholder, an accountable\n' +
        'person named, and when it was created and will be reviewed. A draft is noted, not failed. Exit code 0\n' +
        'when every profile is ready to submit, 1 when anything is missing (each problem with file:line:col).\n\n' +
        'Examples:\n  keypolicy check\n  keypolicy check "clients/*.yaml" --json',
    )
    .action(async (profiles: string[], options: { date?: string; json?: boolean }) => {
      const { runCheck } = await import('../commands/check.js');
      setExit(await runCheck({ ...options, profiles }, io));
    });

  cli
    .command('build')
    .description('build the policies of one or more profiles to PDF, DOCX, HTML and Markdown')
    .addArgument(profilesArgument())
    .addOption(outOption('output folder; each organisation gets OUT/<slug>/', 'policies'))
    .addOption(formatOption('comma-separated formats: pdf, docx, html, md', 'pdf,docx,html'))
    .addOption(policiesOption('build only this template id (repeatable); any available template'))
    .addOption(templatesOption())
    .option('--jobs <n>', 'documents printed at once (default: the number of CPU cores)')
    .option(
      '--shard <K/N>',
      'build only share K of N of the organisations (stable and disjoint, for CI matrices)',
    )
    .option('--force', 're-render even when nothing that can change the outputs has changed')
    .addOption(dateOption('the date a changed policy’s new version gets'))
    .option(
      '--frozen',
      'record nothing; exit 1 if any policy’s words differ from its latest recorded version (for CI)',
    )
    .option(
      '--message <text>',
      'the change-log entry of every version this build records (replaces the generated summary)',
    )
    .option(
      '--browser <path>',
      'Chrome or Chromium to print PDFs with (default: KEYPOLICY_BROWSER, CHROME_PATH, then the system’s)',
    )
    .addOption(jsonOption('every file written, with its sha256'))
    .option('--quiet', 'print only errors')
    .addHelpText(
      'after',
      '\nOutput: OUT/<organisation slug>/<policy>.<format>, e.g. policies/riverside-support-ltd/key-worker-policy.pdf.\n' +
        'Registers and abstract bases among the inputs are skipped with a note. One organisation failing never stops the\n' +
        'others; the run ends with a summary. An organisation whose inputs and outputs are unchanged is not rendered again.\n' +
        'Exit codes: 0 built, 1 a profile or template is wrong, 2 usage error, 3 no browser for PDF or an unwritable folder.\n\n' +
        'Examples:\n  keypolicy build\n  keypolicy build clients/a.yaml clients/b.yaml --format pdf,docx --out dist/policies\n  keypolicy build --format md --date 2026-04-01 --json',
    )
    .action(async (profiles: string[], options: Omit<BuildFlags, 'profiles'>) => {
      const { runBuild } = await import('../commands/build.js');
      setExit(await runBuild({ ...options, profiles }, io));
    });

  const standing = (command: Command, verb: string) =>
    command
      .requiredOption('--by <name>', `the name of the person who ${verb}`)
      .requiredOption(
        '--role <role>',
        'the role they act in, as documentControl.approvers names it (any case)',
      )
      .addOption(dateOption('the date'))
      .option('--message <text>', 'a note for the version history')
      .addOption(jsonOption());
  standing(
    cli
      .command('approve')
      .description(
        'sign off the latest version of a policy; the last required sign-off issues the signed edition',
      )
      .argument('[profile]', 'the profile (default: ./keypolicy.yaml)')
      .addOption(policyOption()),
    'signs',
  )
    .addOption(outOption('output folder (default: the one the last build used)'))
    .addOption(formatOption('formats of the signed edition (default: those last built)'))
    .option('--allow-example-values', 'sign even though the profile still holds init’s example values')
    .addHelpText(
      'after',
      '\nThe version is approved when the last required role signs (documentControl.approvers; by default the\n' +
        'Registered Manager in England, the Responsible Individual in Wales). Its effective date is that day and its\n' +
        'next review date that day plus documentControl.reviewIntervalMonths, both recorded in the register. The\n' +
        'signed edition is drawn at once from the version as it was built, into OUT/<slug>/, in-force/ and archive/.\n\n' +
        'Example:\n  keypolicy approve --by "Gareth Pugh" --role "Responsible Individual"',
    )
    .action(async (profile: string | undefined, options: Omit<ApproveFlags, 'profile'>) => {
      const { runApprove } = await import('../commands/approve.js');
      setExit(await runApprove({ ...options, ...(profile ? { profile } : {}) }, io));
    });

  standing(
    cli
      .command('review')
      .description(
        'record a review of the version in force that changed nothing, and set its next review date',
      )
      .argument('[profile]', 'the profile (default: ./keypolicy.yaml)')
      .addOption(policyOption()),
    'reviewed it',
  )
    .option(
      '--allow-example-values',
      'record the review even though the profile still holds init’s example values',
    )
    .addHelpText(
      'after',
      '\nSame version number, a dated "Reviewed, no changes" row in the history, a new next review date (the review\n' +
        'date plus the interval), and the edition in force drawn again. If the policy changed, build and approve instead.\n\n' +
        'Example:\n  keypolicy review --by "Priya Shah" --role "Registered Manager"',
    )
    .action(async (profile: string | undefined, options: Omit<ReviewFlags, 'profile'>) => {
      const { runReview } = await import('../commands/review.js');
      setExit(await runReview({ ...options, ...(profile ? { profile } : {}) }, io));
    });

  standing(
    cli
      .command('withdraw')
      .description('record that a policy is no longer in force; its in-force editions move to the archive')
      .argument('[profile]', 'the profile (default: ./keypolicy.yaml)')
      .addOption(policyOption(true)),
    'withdraws it',
  )
    .addHelpText(
      'after',
      '\nExample:\n  keypolicy withdraw --policy key-worker-policy --by "Priya Shah" --role "Registered Manager"',
    )
    .action(async (profile: string | undefined, options: Omit<StandingFlags, 'profile'>) => {
      const { runWithdraw } = await import('../commands/withdraw.js');
      setExit(await runWithdraw({ ...options, ...(profile ? { profile } : {}) }, io));
    });

  cli
    .command('status')
    .description('show each policy’s version in force, review dates and pending drafts, with flags for CI')
    .argument('[profile...]', 'profile files (default: ./keypolicy.yaml)')
    .option('--as-of <YYYY-MM-DD>', 'answer for another day, including which version was in force then')
    .option('--due-soon-days <n>', 'how many days before a review counts as due soon', '30')
    .addOption(graceDaysOption())
    .addOption(peopleOption())
    .option(
      '--fail-on <flags>',
      'exit 1 when any policy has one of these flags: overdue, due-soon, unapproved, stale, unacknowledged',
    )
    .addOption(jsonOption())
    .addHelpText(
      'after',
      '\nFlags: overdue (the version in force is past its review date), due-soon, unapproved (a draft is pending or\n' +
        'nothing was ever approved), stale (the profile or templates changed since the last recorded build),\n' +
        'unacknowledged (staff on the list have not read the version in force after --grace-days).\n\n' +
        'Example:\n  keypolicy status clients/*.yaml --fail-on overdue,unapproved',
    )
    .action(async (profiles: string[], options: Omit<StatusFlags, 'profiles'>) => {
      const { runStatus } = await import('../commands/status.js');
      setExit(await runStatus({ ...options, profiles }, io));
    });

  cli
    .command('diff')
    .description(
      'show what a build would change now: a text diff of each policy against its latest recorded version',
    )
    .addArgument(profilesArgument())
    .addOption(policiesOption('only this policy (repeatable)'))
    .addOption(templatesOption())
    .addHelpText(
      'after',
      '\nNothing is written: the register and the documents are left as they are. Over several profiles each\n' +
        'diff is headed `==> FILE <==`; registers and abstract bases are skipped with a note.\n' +
        'Exit code 1 when a profile has an error or a folder or glob matches no profile.\n\n' +
        'Examples:\n  keypolicy diff\n  keypolicy diff "clients/*.yaml" --policy key-worker-policy',
    )
    .action(async (profiles: string[], options: { policy: string[]; templates: string[] }) => {
      const { runDiff } = await import('../commands/diff.js');
      setExit(await runDiff({ ...options, profiles }, io));
    });

  registerTemplateCommands(cli, io, setExit);

  cli
    .command('preview')
    .description('show the policies in your browser as you edit: the HTML edition, drawn again on every save')
    .argument('[profile]', 'the profile (default: ./keypolicy.yaml)')
    .option(
      '--policy <id>',
      'the policy shown first: its id, file name or title (a picker offers the others)',
    )
    .option('--port <n>', 'the port on 127.0.0.1 (default: any free one)')
    .option('--open', 'open the page in the system’s browser')
    .addOption(templatesOption())
    .addHelpText(
      'after',
      '\nServes http://127.0.0.1:PORT/ to this computer only. The page follows every save of the profile, the bases it\n' +
        'extends, its template packs and its logo; a problem shows at its file:line:col above the last good render.\n' +
        'Nothing is written, the register included. Press Ctrl-C to stop (exit code 130).\n\n' +
        'Examples:\n  keypolicy preview --open\n  keypolicy preview clients/riverside.yaml --policy key-worker-policy --port 8080',
    )
    .action(async (profile: string | undefined, options: Omit<PreviewFlags, 'profile'>) => {
      const { runPreview } = await import('../commands/preview.js');
      setExit(await runPreview({ ...options, ...(profile ? { profile } : {}) }, io));
    });

  cli
    .command('schema')
    .description('print the profile JSON Schema (2020-12), for editors and other tools')
    .option('--out <file>', 'write the schema to a file instead of stdout')
    .action(async (options: { out?: string }) => {
      const { runSchema } = await import('../commands/schema.js');
      setExit(await runSchema(options, io));
    });

  registerStaffCommands(cli, io, setExit);
  return cli;
}

/** Run the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: string[], io?: Io): Promise<ExitCode> {
  if (io) return run(argv, io);
  handleInterrupts();
  const processStreams = processIo();
  // A bug outside the command's own chain (a timer, an event) is reported the same way, then ends the run.
  const stray = (error: unknown) => {
    reportInternal(error, argv, processStreams);
    process.exit(ExitCode.Invalid);
  };
  process.on('uncaughtException', stray);
  process.on('unhandledRejection', stray);
  return run(argv, processStreams);
}

/** `--debug` among the options (before any `--`), or KEYPOLICY_DEBUG set to anything but 0 or false. */
function debugWanted(argv: readonly string[], env: Io['env']): boolean {
  const end = argv.indexOf('--');
  if ((end === -1 ? argv : argv.slice(0, end)).includes('--debug')) return true;
  const value = (env.KEYPOLICY_DEBUG ?? '').trim().toLowerCase();
  return value !== '' && value !== '0' && value !== 'false';
}

/**
 * Anything but a KeypolicyError is a bug in keypolicy, not a problem with the user's input: one line
 * with a code and what to do, as every other failure; the stack only when asked for.
 */
function reportInternal(error: unknown, argv: readonly string[], io: Io): void {
  const c = colours(io, io.stderr);
  const what = (
    error instanceof Error ? `${error.name}: ${error.message.split('\n')[0] ?? ''}` : String(error)
  ).slice(0, 300);
  const debug = debugWanted(argv, io.env);
  io.stderr.write(
    // "internal error" stays in the words: tests and scripts look for it to tell a bug from bad input.
    `${c.red.bold('error')} ${c.dim('KP_INTERNAL')}: keypolicy ${VERSION} hit an internal error (a bug): ${what}\n` +
      `  ${c.dim('hint:')} Please report it to keypolicy's maintainers with the command you ran` +
      (debug
        ? ' and the details below.\n'
        : '; run it again with --debug (or KEYPOLICY_DEBUG=1) to add the details.\n'),
  );
  if (debug) {
    const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr.write(`${stack}\n`);
  }
}

async function run(argv: string[], io: Io): Promise<ExitCode> {
  let exitCode: ExitCode = ExitCode.Success;
  try {
    const cli = program(io, (code) => (exitCode = code));
    // commander answers `keypolicy nosuchcommand --help` with the main help and exit 0; a script
    // probing for a command must get a usage error instead.
    const first = argv[0];
    const known = new Set(['help', ...cli.commands.flatMap((c) => [c.name(), ...c.aliases()])]);
    if (first !== undefined && !first.startsWith('-') && !known.has(first)) {
      io.stderr.write(`error: unknown command '${first}'\n(run keypolicy --help for the list of commands)\n`);
      return ExitCode.Usage;
    }
    await cli.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      const done = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code);
      return done ? ExitCode.Success : ExitCode.Usage;
    }
    const c = colours(io, io.stderr);
    if (error instanceof KeypolicyError) {
      io.stderr.write(`${c.red.bold('error')} ${c.dim(error.code)}: ${error.message}\n`);
      if (error.hint) io.stderr.write(`  ${c.dim('hint:')} ${error.hint}\n`);
      return error.exitCode;
    }
    reportInternal(error, argv, io);
    return ExitCode.Invalid;
  }
}
