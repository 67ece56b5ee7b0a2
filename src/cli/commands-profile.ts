/** The commander wiring of the commands about one profile file: init, validate, check and schema. */
import { Option, type Command } from 'commander';
import { NATIONS, SERVICE_TYPES, WORKER_TERMS } from '../profile/enums.js';
import type { ExitCode } from '../diagnostics/errors.js';
import type { Io } from './io.js';
import { dateOption, jsonOption, profilesArgument, quietOption, reporterOption } from './options.js';
import type { ReportFlags } from './reporter.js';

export type SetExit = (code: ExitCode) => void;

export function registerInit(cli: Command, io: Io, setExit: SetExit): void {
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
        '`keypolicy validate` warns about each one until you replace it. Beside the profile, init writes\n' +
        'keypolicy.schema.json (if it is not there yet), which the profile names as its $schema for editors.\n\n' +
        'Example:\n  keypolicy init --name "Hafan Care Ltd" --nation wales --service care-home --out hafan.yaml',
    )
    .action(async (options: Record<string, unknown>) => {
      const { runInit } = await import('../commands/init.js');
      setExit(await runInit(options, io));
    });
}

export function registerValidate(cli: Command, io: Io, setExit: SetExit): void {
  cli
    .command('validate')
    .description('check profiles against the schema and the regulators’ rules; report every problem at once')
    .addArgument(profilesArgument())
    .addOption(dateOption('the day the regulatory data’s age is judged on'))
    .addOption(jsonOption('{ valid, date, files: [{ file, errors, warnings }], notes }'))
    .addOption(reporterOption())
    .addOption(quietOption())
    .addHelpText(
      'after',
      '\nEach problem is printed as `file:line:col error CODE path: message` with the line and a hint.\n' +
        'A folder takes the .yaml and .yml files directly inside it. Registers (NAME.register.yaml) and what\n' +
        'keypolicy keeps in NAME.register/ are skipped with a note; abstract bases are checked on their own terms.\n' +
        'It warns (KP_DATA_OUT_OF_DATE) when the regulatory data keypolicy holds for the nation is more than\n' +
        '12 months older than --date, and (KP_SCHEMA_COPY_OUTDATED) when the schema copy the profile names\n' +
        'comes from an older keypolicy. Exit code 0 when every profile is valid (warnings allowed), 1 when any\n' +
        'has an error or a folder or glob matches no profile.\n\n' +
        'Examples:\n  keypolicy validate\n  keypolicy validate clients/\n  keypolicy validate "clients/*.yaml" --json',
    )
    .action(async (profiles: string[], options: { date?: string } & ReportFlags) => {
      const { runValidate } = await import('../commands/validate.js');
      setExit(await runValidate({ ...options, profiles }, io));
    });
}

export function registerCheck(cli: Command, io: Io, setExit: SetExit): void {
  cli
    .command('check')
    .description('check each policy against CQC’s (and CIW’s) rules for documents sent to the regulator')
    .addArgument(profilesArgument())
    .addOption(dateOption('the day the policies are judged on'))
    .addOption(jsonOption('{ ready, date, profiles: [{ profile, ready, problems, policies }], notes }'))
    .addOption(reporterOption())
    .addOption(quietOption())
    .addHelpText(
      'after',
      '\nRenders each policy in memory as a build would (nothing is written) and checks: relevant to the service,\n' +
        'related policies listed, current references and links, no blank section or placeholder, an accountable\n' +
        'person named, and when it was created and will be reviewed. A draft is noted, not failed. Exit code 0\n' +
        'when every profile is ready to submit, 1 when anything is missing (each problem with file:line:col).\n\n' +
        'Examples:\n  keypolicy check\n  keypolicy check "clients/*.yaml" --json',
    )
    .action(async (profiles: string[], options: { date?: string } & ReportFlags) => {
      const { runCheck } = await import('../commands/check.js');
      setExit(await runCheck({ ...options, profiles }, io));
    });
}

export function registerSchema(cli: Command, io: Io, setExit: SetExit): void {
  cli
    .command('schema')
    .description('print the profile JSON Schema (2020-12), for editors and other tools')
    .option('--out <file>', 'write the schema to a file instead of stdout (refreshes a profile’s copy)')
    .addHelpText(
      'after',
      '\nExample (refresh the copy init wrote beside a profile):\n  keypolicy schema --out keypolicy.schema.json',
    )
    .action(async (options: { out?: string }) => {
      const { runSchema } = await import('../commands/schema.js');
      setExit(await runSchema(options, io));
    });
}
