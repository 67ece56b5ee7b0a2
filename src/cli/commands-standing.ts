/** The commander wiring of the commands that change a version's standing: approve, review and withdraw. */
import type { Command } from 'commander';
import type { ApproveFlags } from '../commands/approve.js';
import type { ReviewFlags } from '../commands/review.js';
import type { StandingFlags } from '../commands/standing-command.js';
import type { SetExit } from './commands-profile.js';
import type { Io } from './io.js';
import { dateOption, formatOption, jsonOption, outOption, policyOption, reporterOption } from './options.js';

/** The flags the three share: who acts, in which role, when, and how it is reported. */
const standing = (command: Command, verb: string) =>
  command
    .requiredOption('--by <name>', `the name of the person who ${verb}`)
    .requiredOption('--role <role>', 'the role they act in, as documentControl.approvers names it (any case)')
    .addOption(dateOption('the date'))
    .option('--message <text>', 'a note for the version history')
    .addOption(jsonOption())
    .addOption(reporterOption());

export function registerStandingCommands(cli: Command, io: Io, setExit: SetExit): void {
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
}
