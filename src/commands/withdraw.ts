/** `keypolicy withdraw [PROFILE] --policy ID --by NAME --role ROLE`: the policy is no longer in force. */
import type { Io } from '../cli/io.js';
import { formatUkDate } from '../core/dates.js';
import type { ExitCode } from '../diagnostics/errors.js';
import { withdrawPolicy } from '../register/sign-off.js';
import { runStanding, type StandingFlags } from './standing-command.js';

export async function runWithdraw(flags: StandingFlags, io: Io): Promise<ExitCode> {
  return runStanding(
    flags,
    io,
    (context, { signer, message }) => ({
      outcome: withdrawPolicy(context.register, context.id, signer, message),
      redraw: { kind: 'withdraw' },
    }),
    ({ outcome }) => ({
      message: `${outcome.title} is withdrawn from ${formatUkDate(outcome.withdrawn?.date ?? '')}; its editions in force were moved to the archive.`,
      json: { version: outcome.version, title: outcome.title, withdrawn: outcome.withdrawn ?? null },
    }),
  );
}
