/** The commander wiring of `preview`: a live page of the HTML edition on 127.0.0.1. */
import type { Command } from 'commander';
import type { PreviewFlags } from '../commands/preview.js';
import type { SetExit } from './commands-profile.js';
import type { Io } from './io.js';
import { templatesOption } from './options.js';

export function registerPreviewCommand(cli: Command, io: Io, setExit: SetExit): void {
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
}
