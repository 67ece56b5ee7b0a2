/** Options several commands take, each defined once so its name, wording and parsing never drift apart. */
import { Argument, Option } from 'commander';
import { CONTROL_CHARACTERS } from '../diagnostics/control-characters.js';
import { ExitCode, KeypolicyError } from '../diagnostics/errors.js';

const usage = (message: string) => new KeypolicyError('KP_USAGE', message, { exitCode: ExitCode.Usage });

/** Commander accumulator for repeatable options. */
const collect = (value: string, previous: string[]) => [...previous, value];

/** `--templates DIR`, repeatable: extra template packs after the built-in one and the profile's. */
export const templatesOption = () =>
  new Option(
    '--templates <dir>',
    'an extra template pack folder (repeatable; later packs override earlier ones by id)',
  )
    .argParser(collect)
    .default([]);

/** `--policy ID`, repeatable: a subset of the policies. */
export const policiesOption = (description: string) =>
  new Option('--policy <id>', description).argParser(collect).default([]);

/** `--policy ID` naming one policy of the register, as its id, file name or title. */
export const policyOption = (required = false) => {
  const option = new Option(
    '--policy <id>',
    `the policy: its id, file name or title${required ? '' : ' (optional when there is one)'}`,
  );
  return required ? option.makeOptionMandatory() : option;
};

/** `--json`: one machine-readable document on stdout, on every path. */
export const jsonOption = (shape?: string) =>
  new Option('--json', `print one JSON document on stdout${shape ? `: ${shape}` : ''}`);

/** `--date D`: the day a command acts as, for reproducible runs. */
export const dateOption = (what: string) =>
  new Option('--date <YYYY-MM-DD>', `${what} (default: SOURCE_DATE_EPOCH, else today in the UK)`);

/** `-o, --out DIR`: the output folder holding OUT/<slug>/. */
export const outOption = (description: string, fallback?: string) => {
  const option = new Option('-o, --out <dir>', description);
  return fallback === undefined ? option : option.default(fallback);
};

/** `-f, --format LIST`: the formats to write. */
export const formatOption = (description: string, fallback?: string) => {
  const option = new Option('-f, --format <list>', description);
  return fallback === undefined ? option : option.default(fallback);
};

/** A name, role or message as given: trimmed, and never with control characters (they would reach the documents). */
export function plainTextFlag(
  value: string | undefined,
  flag: string,
  required: boolean,
): string | undefined {
  const text = value?.trim();
  if (!text) {
    if (required)
      throw usage(
        `${flag} needs a value: ${flag === '--by' ? 'the name of the person signing' : 'the role they sign in'}.`,
      );
    return undefined;
  }
  if (new RegExp(CONTROL_CHARACTERS.source).test(text))
    throw usage(`${flag} holds a control character; type it again as plain text.`);
  return text;
}

/** `[profile...]`: the profiles of a command that takes many, as files, folders or globs. */
export const profilesArgument = () =>
  new Argument(
    '[profile...]',
    'profile files, folders or globs such as "clients/*.yaml" (default: ./keypolicy.yaml)',
  );

/** `--grace-days N`: days staff have to read a version in force before `status` flags it unacknowledged. */
export const graceDaysOption = () =>
  new Option(
    '--grace-days <n>',
    'days staff have to read a version in force before it is flagged unacknowledged',
  ).default('28');

/** `--people`: name the people in `status --json` (who has read each version, who has not). */
export const peopleOption = () =>
  new Option(
    '--people',
    'with --json, list who has and has not read each version (names are left out otherwise)',
  );

/** `--reporter human|json|github`: how diagnostics are reported (github by default under GitHub Actions). */
export const reporterOption = () =>
  new Option(
    '--reporter <name>',
    'how to report problems: human (code frames), json (one document on stdout, as --json) or github (workflow annotations on stderr; the default when GITHUB_ACTIONS=true)',
  ).choices(['human', 'json', 'github']);

/** `--quiet`: only warnings and errors. */
export const quietOption = () =>
  new Option('--quiet', 'print only warnings and errors (no notes, no success lines)');
