/** `keypolicy approve [PROFILE] --policy ID --by NAME --role ROLE [--date D]`: sign off the latest version. */
import path from 'node:path';
import type { Io } from '../cli/io.js';
import { shownPath } from '../cli/report.js';
import { formatUkDate, parseDateOption, today } from '../dates.js';
import { ExitCode, KeypolicyError } from '../errors.js';
import {
  latestVersion,
  loadRegister,
  registerPathFor,
  saveRegister,
  withRegisterLock,
} from '../register/register.js';
import { DEFAULT_PROFILE } from './defaults.js';

export interface ApproveFlags {
  profile?: string;
  policy: string;
  by: string;
  role: string;
  date?: string;
}

const fail = (message: string, hint?: string) =>
  new KeypolicyError('KP_APPROVE', message, hint ? { hint } : {});

export async function runApprove(flags: ApproveFlags, io: Io): Promise<ExitCode> {
  const profile = path.resolve(io.cwd, flags.profile ?? DEFAULT_PROFILE);
  const date = flags.date !== undefined ? parseDateOption(flags.date, '--date') : today(io.env);
  const name = flags.by.trim();
  if (name === '')
    throw new KeypolicyError('KP_USAGE', '--by needs the name of the person signing.', {
      exitCode: ExitCode.Usage,
    });
  const registerFile = registerPathFor(profile);
  const message = await withRegisterLock(registerFile, async () => {
    const { register, diagnostics } = await loadRegister(registerFile);
    if (!register) {
      const first = diagnostics[0];
      throw new KeypolicyError(
        'KP_REGISTER',
        `${shownPath(registerFile, io.cwd)} cannot be read: ${first?.message ?? 'unknown problem'}`,
        {
          hint: first ? `At line ${first.line}. ${first.hint ?? ''}` : undefined,
        },
      );
    }
    const version = latestVersion(register, flags.policy);
    if (!version) {
      const known = Object.keys(register.policies);
      throw fail(
        `\`${flags.policy}\` has never been built for ${shownPath(profile, io.cwd)}, so there is nothing to approve.`,
        known.length
          ? `Recorded policies: ${known.join(', ')}.`
          : 'Run `keypolicy build` first: it records version 1.0 as a draft.',
      );
    }
    if (version.approvedOn) {
      throw fail(
        `Version ${version.version} of \`${flags.policy}\` was already approved on ${formatUkDate(version.approvedOn)}.`,
        'A new version needs a change to the policy: edit the profile or template and build again.',
      );
    }
    const role = version.approverRoles.find((r) => r.toLowerCase() === flags.role.trim().toLowerCase());
    if (!role) {
      throw fail(
        `"${flags.role}" is not a role that signs \`${flags.policy}\`.`,
        `Roles that sign it: ${version.approverRoles.map((r) => `"${r}"`).join(', ')} (set by documentControl.approvers).`,
      );
    }
    if (version.approvals.some((a) => a.role === role)) {
      throw fail(`The ${role} has already signed version ${version.version} of \`${flags.policy}\`.`);
    }
    if (date < version.date) {
      throw fail(
        `Version ${version.version} is dated ${formatUkDate(version.date)}; it cannot be approved before then (${formatUkDate(date)}).`,
      );
    }
    version.approvals.push({ name, role, date });
    const waiting = version.approverRoles.filter((r) => !version.approvals.some((a) => a.role === r));
    if (waiting.length === 0) version.approvedOn = date;
    await saveRegister(registerFile, register);
    return waiting.length === 0
      ? `Version ${version.version} of ${version.title} is approved, effective ${formatUkDate(date)}. Build again for the signed-off edition.`
      : `${name} signed version ${version.version} of ${version.title} as ${role}; still to sign: ${waiting.join(', ')}.`;
  });
  io.stdout.write(`${message}\n`);
  return ExitCode.Success;
}
