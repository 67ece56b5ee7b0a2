/** `keypolicy diff [PROFILE] [--policy ID]`: what a build would change now, as a text diff per policy. */
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { colours, type Io } from '../cli/io.js';
import { formatDiagnostic, shownPath } from '../cli/report.js';
import { today } from '../dates.js';
import { ExitCode } from '../errors.js';
import { latestVersion } from '../register/register.js';
import { contentHash, fieldChanges, profileSnapshot } from '../register/versioning.js';
import { loadProfileState } from './profile-state.js';
import { DEFAULT_PROFILE } from './defaults.js';

export interface DiffFlags {
  profile?: string;
  policy?: string[];
  templates?: string[];
}

export async function runDiff(flags: DiffFlags, io: Io): Promise<ExitCode> {
  const file = path.resolve(io.cwd, flags.profile ?? DEFAULT_PROFILE);
  const state = await loadProfileState(file, {
    date: today(io.env),
    ...(flags.policy?.length ? { policies: flags.policy } : {}),
    ...(flags.templates?.length ? { packs: flags.templates.map((t) => path.resolve(io.cwd, t)) } : {}),
  });
  const err = colours(io, io.stderr);
  if (state.diagnostics.length > 0 || !state.register || !state.profile) {
    for (const d of state.diagnostics) io.stderr.write(`${formatDiagnostic(d, io.cwd, err)}\n\n`);
    return ExitCode.Invalid;
  }
  const c = colours(io, io.stdout);
  const snapshot = profileSnapshot(state.profile.data);
  for (const policy of state.current) {
    const latest = latestVersion(state.register, policy.id);
    if (latest && latest.contentHash === contentHash(policy.markdown)) {
      io.stdout.write(`${policy.title}: no change since version ${latest.version}.\n`);
      continue;
    }
    io.stdout.write(
      latest
        ? `${c.bold(policy.title)}: a build would record a change to version ${latest.version}${latest.approvedOn ? ' (a new draft)' : ' (the draft is revised)'}.\n`
        : `${c.bold(policy.title)}: never built; a build would record version 1.0.\n`,
    );
    const fields = latest ? fieldChanges(latest.profile, snapshot) : [];
    for (const field of fields) io.stdout.write(`  profile: ${field}\n`);
    const patch = createTwoFilesPatch(
      `${policy.id} ${latest ? `version ${latest.version}` : '(nothing recorded)'}`,
      `${policy.id} now`,
      latest?.markdown ?? '',
      policy.markdown,
      undefined,
      undefined,
      { context: 2 },
    );
    for (const line of patch.split('\n')) {
      io.stdout.write(
        `${line.startsWith('+') && !line.startsWith('+++') ? c.green(line) : line.startsWith('-') && !line.startsWith('---') ? c.red(line) : line}\n`,
      );
    }
  }
  io.stderr.write(`${shownPath(file, io.cwd)}: nothing was written.\n`);
  return ExitCode.Success;
}
