/**
 * The register's lifecycle rules: which policy a command means, who may sign, when, and what approval,
 * review and withdrawal record. Pure functions over the register: the commands load, lock and write.
 */
import { addMonths, formatUkDate } from '../core/dates.js';
import { KeypolicyError } from '../diagnostics/errors.js';
import { valueAtPointer } from '../diagnostics/source.js';
import { exampleValuesIn, type ExampleValue } from '../profile/example-values.js';
import { editionName } from '../output/paths.js';
import type { Register, RegisterVersion } from './schema.js';
import { latestRecordedDate, versionInForce } from './versioning.js';

const refuse = (message: string, hint?: string) =>
  new KeypolicyError('KP_APPROVE', message, hint ? { hint } : {});

/** A person acting on the register: the name and role they give, and who ran the command. */
export interface Signer {
  name: string;
  role: string;
  date: string;
  user?: string;
}

export interface PolicyChoice {
  id: string;
  titles: readonly string[];
}

/**
 * The policy a command means: `--policy` as the template id, the edition's file name
 * (`link-worker-policy`) or its title, ignoring case; without it, the only policy there is.
 */
export function selectPolicy(choices: readonly PolicyChoice[], wanted: string | undefined): string {
  const listed = choices.map((c) => `${c.id} (${c.titles.at(-1) ?? c.id})`).join(', ');
  if (wanted === undefined || wanted.trim() === '') {
    if (choices.length === 1) return (choices[0] as PolicyChoice).id;
    throw new KeypolicyError(
      'KP_POLICY',
      choices.length === 0
        ? 'No policy has been built for this profile yet, so there is nothing to sign.'
        : `This profile has ${choices.length} policies; say which one with --policy.`,
      {
        hint: choices.length
          ? `Choices: ${listed}.`
          : 'Run `keypolicy build` first: it records version 1.0 as a draft.',
      },
    );
  }
  const key = wanted.trim().toLowerCase();
  const match = choices.find(
    (c) =>
      c.id.toLowerCase() === key || c.titles.some((t) => t.toLowerCase() === key || editionName(t) === key),
  );
  if (match) return match.id;
  throw new KeypolicyError('KP_POLICY', `There is no policy \`${wanted}\` in this profile's register.`, {
    hint: choices.length
      ? `Choices: ${listed}. --policy takes the id, the file name or the title.`
      : 'Run `keypolicy build` first: it records version 1.0 as a draft.',
  });
}

/** The register's policies as choices, with every title their versions had. */
export const registerChoices = (register: Register): PolicyChoice[] =>
  Object.entries(register.policies).map(([id, p]) => ({
    id,
    titles: [...new Set(p.versions.map((v) => v.title))],
  }));

/** A command dated before the register's latest entry would put its history out of order. */
export function checkDateOrder(register: Register, date: string, what: string): void {
  const latest = latestRecordedDate(register);
  if (latest !== undefined && date < latest)
    throw new KeypolicyError(
      'KP_DATE_ORDER',
      `${what} is dated ${formatUkDate(date)}, before the register’s latest entry (${formatUkDate(latest)}); nothing was recorded.`,
      { hint: `Use --date ${latest} or later (or leave --date out, for today).` },
    );
}

/** The role as the version names it, or a refusal listing the roles that sign. */
function signingRole(version: RegisterVersion, role: string, id: string): string {
  const found = version.approverRoles.find((r) => r.toLowerCase() === role.trim().toLowerCase());
  if (found) return found;
  throw refuse(
    `"${role}" is not a role that signs \`${id}\`.`,
    `Roles that sign it: ${version.approverRoles.map((r) => `"${r}"`).join(', ')} (set by documentControl.approvers).`,
  );
}

/** Example values `init` wrote, in a version's recorded profile (dotted paths) or the profile now (pointers). */
function exampleValuesSigned(
  recorded: Record<string, unknown>,
  now: ((pointer: string) => unknown) | undefined,
): ExampleValue[] {
  const dotted = (pointer: string) => {
    const key = pointer.slice(1).split('/').join('.');
    if (key in recorded) return recorded[key];
    const person = { firstName: recorded[`${key}.firstName`], lastName: recorded[`${key}.lastName`] };
    return person.firstName === undefined ? undefined : person;
  };
  const found = new Map<string, ExampleValue>();
  for (const example of [...exampleValuesIn(dotted), ...(now ? exampleValuesIn(now) : [])])
    found.set(example.pointer, example);
  return [...found.values()];
}

/** Refuse to sign a version built from `init`'s example values, or while the profile (`now`) holds them. */
export function refuseExampleValues(version: RegisterVersion, now: unknown): void {
  const found = exampleValuesSigned(
    version.profile,
    now === undefined ? undefined : (pointer) => valueAtPointer(now, pointer),
  );
  if (found.length === 0) return;
  const fields = found.map((e) => `${e.pointer.slice(1).split('/').join('.')} (${e.replaceWith})`);
  throw new KeypolicyError(
    'KP_EXAMPLE_VALUES',
    `Version ${version.version} still shows example values that \`keypolicy init\` wrote: ${fields.join('; ')}.`,
    {
      hint: 'Replace them in the profile, build again, and sign the new version. To sign anyway, add --allow-example-values.',
    },
  );
}

export interface ApprovalResult {
  version: RegisterVersion;
  role: string;
  /** Roles still to sign; empty when this sign-off approved the version. */
  waiting: string[];
}

/**
 * Sign the latest version of a policy. The last required role to sign approves it: its effective date
 * is that day and its next review date that day plus the interval now, both recorded.
 */
export function approveVersion(
  register: Register,
  id: string,
  signer: Signer,
  intervalMonths: number,
): ApprovalResult {
  const version = register.policies[id]?.versions.at(-1);
  if (!version) throw refuse(`\`${id}\` has never been built, so there is nothing to approve.`);
  if (version.withdrawn)
    throw refuse(
      `\`${id}\` was withdrawn on ${formatUkDate(version.withdrawn.date)}.`,
      'Build it again to record a new draft, then approve that.',
    );
  if (version.approvedOn)
    throw refuse(
      `Version ${version.version} of \`${id}\` was already approved on ${formatUkDate(version.approvedOn)}.`,
      'A new version needs a change to the policy: edit the profile or template and build again.',
    );
  const role = signingRole(version, signer.role, id);
  const already = version.approvals.find((a) => a.role === role);
  if (already)
    throw refuse(
      `The ${role} has already signed version ${version.version} of \`${id}\` (${already.name}, ${formatUkDate(already.date)}).`,
    );
  if (signer.date < version.date)
    throw refuse(
      `Version ${version.version} is dated ${formatUkDate(version.date)}; it cannot be approved before then (${formatUkDate(signer.date)}).`,
    );
  const earlier = version.approvals.find((a) => a.date > signer.date);
  if (earlier)
    throw refuse(
      `${earlier.name} signed version ${version.version} on ${formatUkDate(earlier.date)}; a later sign-off cannot be dated before that (${formatUkDate(signer.date)}).`,
    );
  checkDateOrder(register, signer.date, 'This sign-off');
  version.approvals.push({
    name: signer.name,
    role,
    date: signer.date,
    ...(signer.user ? { user: signer.user } : {}),
  });
  const waiting = version.approverRoles.filter((r) => !version.approvals.some((a) => a.role === r));
  if (waiting.length === 0) {
    version.approvedOn = signer.date;
    version.nextReviewDate = addMonths(signer.date, intervalMonths);
  }
  return { version, role, waiting };
}

/** Record a review of the version in force that changed nothing: a new next review date, same version. */
export function reviewVersion(
  register: Register,
  id: string,
  signer: Signer,
  intervalMonths: number,
  message: string | undefined,
): { version: RegisterVersion; role: string; nextReviewDate: string } {
  const versions = register.policies[id]?.versions ?? [];
  const latest = versions.at(-1);
  const inForce = versionInForce(versions, signer.date);
  if (!latest || !inForce)
    throw refuse(
      `\`${id}\` has no version in force to review.`,
      'Approve a version first (keypolicy approve).',
    );
  if (latest !== inForce)
    throw refuse(
      `Version ${latest.version} of \`${id}\` is a draft waiting for approval, so version ${inForce.version} cannot be reviewed as unchanged.`,
      'Approve the draft instead (keypolicy approve).',
    );
  const role = signingRole(inForce, signer.role, id);
  checkDateOrder(register, signer.date, 'This review');
  const nextReviewDate = addMonths(signer.date, intervalMonths);
  (inForce.reviews ??= []).push({
    name: signer.name,
    role,
    date: signer.date,
    nextReviewDate,
    ...(message ? { message } : {}),
    ...(signer.user ? { user: signer.user } : {}),
  });
  return { version: inForce, role, nextReviewDate };
}

/** Record that a policy is no longer in force from a date. */
export function withdrawPolicy(
  register: Register,
  id: string,
  signer: Signer,
  message: string | undefined,
): RegisterVersion {
  const latest = register.policies[id]?.versions.at(-1);
  if (!latest) throw refuse(`\`${id}\` has never been built, so there is nothing to withdraw.`);
  if (latest.withdrawn)
    throw refuse(`\`${id}\` was already withdrawn on ${formatUkDate(latest.withdrawn.date)}.`);
  checkDateOrder(register, signer.date, 'This withdrawal');
  latest.withdrawn = {
    name: signer.name,
    role: signer.role.trim(),
    date: signer.date,
    ...(message ? { message } : {}),
    ...(signer.user ? { user: signer.user } : {}),
  };
  return latest;
}
