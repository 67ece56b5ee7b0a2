/** The commander wiring of the commands over many profiles that read or write documents: build, diff and status. */
import type { Command } from 'commander';
import type { BuildFlags } from '../commands/build.js';
import type { DiffFlags } from '../commands/diff.js';
import type { StatusFlags } from '../commands/status.js';
import type { SetExit } from './commands-profile.js';
import type { Io } from './io.js';
import {
  dateOption,
  formatOption,
  graceDaysOption,
  jsonOption,
  outOption,
  peopleOption,
  policiesOption,
  profilesArgument,
  quietOption,
  reporterOption,
  templatesOption,
} from './options.js';

export function registerBuild(cli: Command, io: Io, setExit: SetExit): void {
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
    .addOption(reporterOption())
    .addOption(quietOption())
    .addHelpText(
      'after',
      '\nOutput: OUT/<organisation slug>/<policy>.<format>, e.g. policies/riverside-support-ltd/key-worker-policy.pdf.\n' +
        'Registers and abstract bases among the inputs are skipped with a note. One organisation failing never stops the\n' +
        'others; the run ends with a summary. An organisation whose inputs and outputs are unchanged is not rendered again.\n' +
        'With --frozen, each unrecorded change is reported at the profile field that caused it.\n' +
        'Exit codes: 0 built, 1 a profile or template is wrong, 2 usage error, 3 no browser for PDF or an unwritable folder.\n\n' +
        'Examples:\n  keypolicy build\n  keypolicy build clients/a.yaml clients/b.yaml --format pdf,docx --out dist/policies\n  keypolicy build --format md --date 2026-04-01 --json',
    )
    .action(async (profiles: string[], options: Omit<BuildFlags, 'profiles'>) => {
      const { runBuild } = await import('../commands/build.js');
      setExit(await runBuild({ ...options, profiles }, io));
    });
}

export function registerStatus(cli: Command, io: Io, setExit: SetExit): void {
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
    .addOption(reporterOption())
    .addOption(quietOption())
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
}

export function registerDiff(cli: Command, io: Io, setExit: SetExit): void {
  cli
    .command('diff')
    .description(
      'show what a build would change now: a text diff of each policy against its latest recorded version',
    )
    .addArgument(profilesArgument())
    .addOption(policiesOption('only this policy (repeatable)'))
    .addOption(templatesOption())
    .addOption(
      jsonOption(
        '{ changed, profiles: [{ profile, policies: [{ id, changed, version: { now, next }, fields, diff }] }] }',
      ),
    )
    .option('--exit-code', 'exit 1 when a build would record a change (like git diff --exit-code)')
    .addOption(reporterOption())
    .addOption(quietOption())
    .addHelpText(
      'after',
      '\nNothing is written: the register and the documents are left as they are. Over several profiles each\n' +
        'diff is headed `==> FILE <==`; registers and abstract bases are skipped with a note.\n' +
        'Exit code 1 when a profile has an error, a folder or glob matches no profile, or (with --exit-code)\n' +
        'a build would change something.\n\n' +
        'Examples:\n  keypolicy diff\n  keypolicy diff "clients/*.yaml" --policy key-worker-policy\n  keypolicy diff --json --exit-code',
    )
    .action(async (profiles: string[], options: Omit<DiffFlags, 'profiles'>) => {
      const { runDiff } = await import('../commands/diff.js');
      setExit(await runDiff({ ...options, profiles }, io));
    });
}
