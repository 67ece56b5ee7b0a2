/** `keypolicy approve [PROFILE] [--policy ID] --by NAME --role ROLE`: sign off the latest version. */
import type { Io } from '../cli/io.js';
import { formatUkDate } from '../core/dates.js';
import type { ExitCode } from '../diagnostics/errors.js';
import { approveVersion, refuseExampleValues } from '../register/sign-off.js';
import { runStanding, type StandingFlags } from './standing-command.js';

export interface ApproveFlags extends StandingFlags {
  allowExampleValues?: boolean;
}

export async function runApprove(flags: ApproveFlags, io: Io): Promise<ExitCode> {
  return runStanding(
    flags,
    io,
    (context, { signer, message }) => {
      const latest = context.register.policies[context.id]?.versions.at(-1);
      if (latest && !flags.allowExampleValues) refuseExampleValues(latest, context.profile?.data);
      const result = approveVersion(context.register, context.id, signer, context.intervalMonths);
      if (message) {
        result.version.summary = message;
        result.version.message = message;
      }
      return {
        outcome: { ...result, changed: context.profileChanged },
        redraw:
          result.waiting.length === 0
            ? { kind: 'draw', version: result.version, placements: ['latest', 'in-force', 'archive'] }
            : { kind: 'none' },
      };
    },
    ({ outcome }) => {
      const { version, role, waiting, changed } = outcome;
      const signedAsBuilt = changed
        ? ` The profile has changed since version ${version.version} was built; this signed the version as built. Build again to record the change as a new draft.`
        : '';
      return {
        message:
          waiting.length === 0
            ? `Version ${version.version} of ${version.title} is approved, effective ${formatUkDate(version.approvedOn ?? '')}; next review by ${formatUkDate(version.nextReviewDate ?? '')}.${signedAsBuilt}`
            : `${name(outcome)} signed version ${version.version} of ${version.title} as ${role}; still to sign: ${waiting.join(', ')}.${signedAsBuilt}`,
        json: {
          version: version.version,
          title: version.title,
          role,
          approved: waiting.length === 0,
          effectiveDate: version.approvedOn ?? null,
          nextReviewDate: version.nextReviewDate ?? null,
          waiting,
          profileChanged: changed,
        },
      };
    },
  );
}

const name = (outcome: { version: { approvals: { name: string }[] } }) =>
  outcome.version.approvals.at(-1)?.name ?? '';
