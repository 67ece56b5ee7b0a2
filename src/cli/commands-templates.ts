/** The commander wiring of `templates`: list, check and scaffold template packs. */
import type { Command } from 'commander';
import type { ExitCode } from '../diagnostics/errors.js';
import type { Io } from './io.js';
import { jsonOption, templatesOption } from './options.js';

export function registerTemplateCommands(cli: Command, io: Io, setExit: (code: ExitCode) => void): void {
  const templates = cli
    .command('templates')
    .description('list the available policy templates, their versions and the variants each applies to')
    .argument(
      '[profile]',
      'a profile whose template packs to include (default: ./keypolicy.yaml, if it exists)',
    )
    .addOption(templatesOption())
    .addOption(jsonOption('{ valid, templates: [...], diagnostics: [...] }'))
    .option(
      '--check',
      'also check every field each template reads against the profile schema; exit 1 on a mistake',
    )
    .option('--sections <id>', 'list the section ids of this template (for a profile’s section overrides)')
    .addHelpText(
      'after',
      '\nThe built-in pack comes first, then the profile’s `templates:` packs, then each --templates DIR.\n' +
        'A template without front matter is a foreign template: its id is its file name and it applies to every variant.\n\n' +
        'Examples:\n  keypolicy templates\n  keypolicy templates --templates ./our-pack --check',
    )
    .action(
      async (
        profile: string | undefined,
        options: { templates: string[]; json?: boolean; check?: boolean; sections?: string },
      ) => {
        const { runTemplates } = await import('../commands/templates.js');
        setExit(await runTemplates({ ...options, ...(profile ? { profile } : {}) }, io));
      },
    );

  templates
    .command('new')
    .description('scaffold a template pack in a new (or empty) folder')
    .argument('<dir>', 'the folder to make the pack in')
    .action(async (dir: string) => {
      const { runTemplatesNew } = await import('../commands/templates-sections.js');
      setExit(await runTemplatesNew({ dir }, io));
    });
}
