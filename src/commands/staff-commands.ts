/**
 * The commander wiring of the staff commands, `acknowledge` and `sheet`, registered on the program by
 * cli/main.ts; each command's module is loaded only when it runs.
 */
import type { Command } from 'commander';
import type { Io } from '../cli/io.js';
import { dateOption, formatOption, jsonOption, outOption, policyOption } from '../cli/options.js';
import type { ExitCode } from '../diagnostics/errors.js';
import type { AcknowledgeFlags } from './acknowledge.js';
import type { SheetFlags } from './sheet.js';

export function registerStaffCommands(cli: Command, io: Io, setExit: (code: ExitCode) => void): void {
  cli
    .command('acknowledge')
    .description(
      'record that staff have read the version of a policy in force (one person, or a filled sheet)',
    )
    .argument('[profile]', 'the profile (default: ./keypolicy.yaml)')
    .addOption(policyOption())
    .option('--by <name>', 'the person who read it, as the staff list names them (or their staff id)')
    .option(
      '--from <file.csv>',
      'import a filled read-and-sign sheet or an e-learning export (columns name and date)',
    )
    .addOption(dateOption('the day they read it (with --by), or the day the sheet is recorded'))
    .option(
      '--erase <name>',
      'replace this person’s name in every acknowledgement by --pseudonym (on request)',
    )
    .option('--pseudonym <text>', 'the name that replaces theirs, with --erase')
    .addOption(jsonOption('{ ok, policy, version, recorded, acknowledged, required, rows: [...] }'))
    .addHelpText(
      'after',
      '\nThe acknowledgement is bound to the version in force and its content hash; a new version asks again, a\n' +
        'review with no change keeps them. Someone not on the staff list, a date before the version came into force\n' +
        'or no version in force is refused (exit 1). A sheet is imported whole or not at all: each row is reported\n' +
        'accepted, already recorded, skipped (no date) or rejected. Dates: YYYY-MM-DD or DD/MM/YYYY.\n\n' +
        'Examples:\n  keypolicy acknowledge --by "Amy Pond"\n  keypolicy acknowledge --policy key-worker-policy --from signed.csv\n' +
        '  keypolicy acknowledge --erase "Amy Pond" --pseudonym "Former staff 1"',
    )
    .action(async (profile: string | undefined, options: Omit<AcknowledgeFlags, 'profile'>) => {
      const { runAcknowledge } = await import('./acknowledge.js');
      setExit(await runAcknowledge({ ...options, ...(profile ? { profile } : {}) }, io));
    });

  cli
    .command('sheet')
    .description('write a read-and-sign sheet for each policy in force: PDF, DOCX and a CSV to import back')
    .argument('[profile...]', 'profile files, folders or globs (default: ./keypolicy.yaml)')
    .addOption(policyOption())
    .addOption(outOption('output folder (default: the one the last build used, else policies)'))
    .addOption(formatOption('comma-separated formats: pdf, docx, csv (default: all three)'))
    .addOption(dateOption('the day whose version in force the sheet is for'))
    .option(
      '--browser <path>',
      'Chrome or Chromium to print the PDF with (default: KEYPOLICY_BROWSER, then the system’s)',
    )
    .addOption(jsonOption())
    .addHelpText(
      'after',
      '\nOutput: OUT/<slug>/in-force/<policy>-read-and-sign.<format>: the title, version, effective date and content\n' +
        'hash, a statement to sign, and one row per required reader (A–Z) with blank signature and date columns.\n' +
        'The CSV has the header name,date: fill in the dates and import it with keypolicy acknowledge --from.\n\n' +
        'Example:\n  keypolicy sheet --format pdf,csv',
    )
    .action(async (profiles: string[], options: Omit<SheetFlags, 'profiles'>) => {
      const { runSheet } = await import('./sheet.js');
      setExit(await runSheet({ ...options, profiles }, io));
    });
}
