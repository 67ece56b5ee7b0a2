/** `keypolicy init`: write a starter profile from flags, or from answers on a terminal. */
import { access } from 'node:fs/promises';
import path from 'node:path';
import type { Io } from '../cli/io.js';
import { shownPath } from '../diagnostics/report.js';
import { ExitCode, KeypolicyError } from '../diagnostics/errors.js';
import { writeFileAtomic } from '../output/atomic-write.js';
import { starterProfileYaml, type StarterOptions } from '../profile/starter.js';
import { SCHEMA_COPY, writeSchemaCopy } from './schema-copy.js';

export interface InitFlags {
  name?: string;
  nation?: StarterOptions['nation'];
  service?: StarterOptions['service'];
  term?: StarterOptions['term'];
  sharedRole?: boolean;
  out?: string;
  force?: boolean;
}

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

const ANSWER_FLAGS = ['name', 'nation', 'service', 'term', 'sharedRole'] as const;

/** Ask on a terminal; the prompt library is loaded only here. */
async function ask(flags: InitFlags): Promise<StarterOptions> {
  const { input, select, confirm } = await import('@inquirer/prompts');
  const name = await input({
    message: 'Organisation name',
    validate: (v) => v.trim() !== '' || 'Please enter a name',
  });
  const choose = <T extends string>(message: string, choices: [string, T][]) =>
    select({ message, choices: choices.map(([label, value]) => ({ name: label, value })) });
  const nation = await choose('Nation', [
    ['England (regulator: CQC)', 'england'],
    ['Wales (regulator: CIW)', 'wales'],
  ]);
  const service = await choose('Service type', [
    ['Supported living', 'supported-living'],
    ['Care home', 'care-home'],
    ['Domiciliary care', 'domiciliary'],
  ]);
  const term = await choose('What do you call the role?', [
    ['Key worker', 'key'],
    ['Link worker', 'link'],
  ]);
  const sharedRole = await confirm({ message: 'Is key working a shared (joint) role?', default: false });
  return { ...flags, name: name.trim(), nation, service, term, sharedRole };
}

export async function runInit(flags: InitFlags, io: Io): Promise<ExitCode> {
  const out = path.resolve(io.cwd, flags.out ?? 'keypolicy.yaml');
  if ((await exists(out)) && !flags.force) {
    throw new KeypolicyError(
      'KP_EXISTS',
      `${shownPath(out, io.cwd)} already exists; init did not change it.`,
      {
        hint: 'Use --force to overwrite it, or --out to write somewhere else.',
      },
    );
  }
  const anyFlag = ANSWER_FLAGS.some((flag) => flags[flag] !== undefined);
  let answers: StarterOptions | undefined;
  if (io.interactive && !anyFlag) {
    answers = await ask(flags).catch((error: unknown) => {
      // Ctrl-C (or the terminal closing) mid-question: the prompt library throws ExitPromptError.
      if (error instanceof Error && error.name === 'ExitPromptError') return undefined;
      throw error;
    });
    if (!answers) {
      io.stderr.write('\nkeypolicy: init stopped; nothing was written.\n');
      return ExitCode.Interrupted;
    }
  }
  const options: StarterOptions = answers ?? {
    ...(flags.name !== undefined ? { name: flags.name } : {}),
    nation: flags.nation ?? 'england',
    service: flags.service ?? 'supported-living',
    term: flags.term ?? 'key',
    sharedRole: flags.sharedRole ?? false,
  };
  // The editor's schema is a copy beside the profile, named by a relative path: it works on any machine
  // that has the folder. An existing copy is left alone (a second profile in the folder shares it).
  const schemaFile = path.join(path.dirname(out), SCHEMA_COPY);
  const copied = !(await exists(schemaFile));
  if (copied) await writeSchemaCopy(schemaFile);
  await writeFileAtomic(out, starterProfileYaml(options, `./${SCHEMA_COPY}`), { exclusive: !flags.force });
  io.stderr.write(
    `Wrote ${shownPath(out, io.cwd)}${copied ? ` and ${shownPath(schemaFile, io.cwd)} (the schema your editor checks it with)` : ''}.\n` +
      'Next: replace the example registration numbers and names, then run `keypolicy validate` ' +
      '(it warns about every example value still there).\n',
  );
  return ExitCode.Success;
}
