/** `keypolicy review [PROFILE] [--policy ID] --by NAME --role ROLE`: a review of the version in force that changed nothing. */
import type { Io } from '../cli/io.js';
import { formatUkDate } from '../core/dates.js';
import { KeypolicyError, type ExitCode } from '../diagnostics/errors.js';
import { refuseExampleValues, reviewVersion } from '../register/sign-off.js';
import { runStanding, type StandingFlags } from './standing-command.js';

export interface ReviewFlags extends StandingFlags {
  allowExampleValues?: boolean;
}

export async function runReview(flags: ReviewFlags, io: Io): Promise<ExitCode> {
  return runStanding(
    flags,
    io,
    (context, { signer, message }) => {
      if (context.profileChanged)
        throw new KeypolicyError(
          'KP_REVIEW_CHANGED',
          `The policy has changed since its version in force was built, so it cannot be reviewed as unchanged.`,
          { hint: 'Run `keypolicy build` to record the change as a new draft, then `keypolicy approve` it.' },
        );
      const inForce = context.register.policies[context.id]?.versions.at(-1);
      if (inForce && !flags.allowExampleValues) refuseExampleValues(inForce, context.profile?.data);
      const result = reviewVersion(context.register, context.id, signer, context.intervalMonths, message);
      return {
        outcome: result,
        redraw: {
          kind: 'draw',
          version: result.version,
          placements: ['latest', 'in-force', 'archive'],
          archiveSuffix: `-reviewed-${signer.date}`,
        },
      };
    },
    ({ outcome }) => ({
      message: `Version ${outcome.version.version} of ${outcome.version.title} was reviewed with no changes; next review by ${formatUkDate(outcome.nextReviewDate)}.`,
      json: {
        version: outcome.version.version,
        title: outcome.version.title,
        role: outcome.role,
        nextReviewDate: outcome.nextReviewDate,
      },
    }),
  );
}
