/** `keypolicy diff [PROFILE|DIR|GLOB...] [--policy ID]`: what a build would change now, as a text diff per policy. */
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { expandProfileInputs, skippedNotes } from '../pipeline/inputs.js';
import { colours, type Io } from '../cli/io.js';
import { formatDiagnostic, shownPath } from '../diagnostics/report.js';
import { today } from '../core/dates.js';
import { ExitCode } from '../diagnostics/errors.js';
import { loadMergedProfile } from '../profile/extends.js';
import { latestVersion } from '../register/register.js';
import { contentHash, fieldChanges, profileSnapshot } from '../register/versioning.js';
import { loadProfileState } from '../pipeline/profile-state.js';
import { DEFAULT_PROFILE } from './defaults.js';

export interface DiffFlags {
  /** Files, folders and globs (default: ./keypolicy.yaml). */
  profiles: string[];
  policy?: string[];
  templates?: string[];
}

export async function runDiff(flags: DiffFlags, io: Io): Promise<ExitCode> {
  const inputs = await expandProfileInputs(
    flags.profiles.length > 0 ? flags.profiles : [DEFAULT_PROFILE],
    io.cwd,
  );
  for (const note of skippedNotes(inputs.skipped, (file) => shownPath(file, io.cwd)))
    io.stderr.write(`note: ${note}\n`);
  const c = colours(io, io.stdout);
  let exit: ExitCode = ExitCode.Success;
  let shown = 0;
  for (const file of inputs.files) {
    // Over many profiles each diff is headed by its file, so a reader (or a pipe) can tell them apart.
    const heading = () => {
      if (inputs.files.length > 1)
        io.stdout.write(`${shown++ > 0 ? '\n' : ''}${c.bold(`==> ${shownPath(file, io.cwd)} <==`)}\n`);
    };
    if ((await diffProfile(file, flags, io, heading)) === 'failed') exit = ExitCode.Invalid;
  }
  return exit;
}

/** One profile's diff, output as it always was for a single profile; an abstract base is only noted. */
async function diffProfile(
  file: string,
  flags: DiffFlags,
  io: Io,
  heading: () => void,
): Promise<'shown' | 'abstract' | 'failed'> {
  const state = await loadProfileState(file, {
    date: today(io.env),
    ...(flags.policy?.length ? { policies: flags.policy } : {}),
    ...(flags.templates?.length ? { packs: flags.templates.map((t) => path.resolve(io.cwd, t)) } : {}),
  });
  const err = colours(io, io.stderr);
  if (state.diagnostics.length > 0 || !state.register || !state.profile) {
    // Only a profile that is not ready can be an abstract base; asked only then, so a diff parses once.
    if (!state.profile && (await loadMergedProfile(file)).merged?.data.abstract === true) {
      io.stderr.write(`note: ${shownPath(file, io.cwd)}: skipped (an abstract base, never built)\n`);
      return 'abstract';
    }
    for (const d of state.diagnostics) io.stderr.write(`${formatDiagnostic(d, io.cwd, err)}\n\n`);
    return 'failed';
  }
  heading();
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
  return 'shown';
}
