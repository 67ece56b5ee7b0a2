/**
 * `keypolicy diff [PROFILE|DIR|GLOB...] [--policy ID] [--json] [--exit-code]`: what a build would change
 * now, per policy: whether it changed, its version now and next, the profile fields that changed and a
 * text diff. Nothing is written.
 */
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { expandProfileInputs, skippedNotes } from '../pipeline/inputs.js';
import { colours, type Io } from '../cli/io.js';
import { reporterFor, type Reporter, type ReportFlags } from '../cli/reporter.js';
import { diagnosticJson, shownPath } from '../diagnostics/report.js';
import { today } from '../core/dates.js';
import { ExitCode, type Diagnostic } from '../diagnostics/errors.js';
import { loadMergedProfile } from '../profile/extends.js';
import { latestVersion } from '../register/register.js';
import type { RegisterVersion } from '../register/schema.js';
import { fieldChanges, isRecorded, profileSnapshot, sectionChanges } from '../register/versioning.js';
import { loadProfileState } from '../pipeline/profile-state.js';
import { DEFAULT_PROFILE } from './defaults.js';

export interface DiffFlags extends ReportFlags {
  /** Files, folders and globs (default: ./keypolicy.yaml). */
  profiles: string[];
  policy?: string[];
  templates?: string[];
  /** Exit 1 when a build would record a change. */
  exitCode?: boolean;
}

/** What a build would do to one policy. */
export interface PolicyDiff {
  id: string;
  title: string;
  changed: boolean;
  /** `unchanged`, `first-version` (never recorded), `new-draft` (after an approved version) or `revise-draft`. */
  action: 'unchanged' | 'first-version' | 'new-draft' | 'revise-draft';
  version: { now: string | null; next: string };
  /** Profile fields that changed since the recorded version, as `path: old → new`. */
  fields: string[];
  sections: { added: string[]; removed: string[]; reworded: string[] };
  /** A unified diff of the policy's words (Markdown), empty when they are the same. */
  diff: string;
}

export interface ProfileDiff {
  file: string;
  organisation: string | null;
  abstract: boolean;
  errors: Diagnostic[];
  warnings: Diagnostic[];
  policies: PolicyDiff[];
}

const major = (semver: string) => Number(semver.split('.')[0] ?? 0);

/** The number a build would give a changed policy (as register/versioning.ts's recordVersion does). */
function nextVersion(latest: RegisterVersion | undefined, templateVersion: string): string {
  if (!latest) return '1.0';
  if (latest.approvedOn === undefined && latest.withdrawn === undefined) return latest.version;
  const [current = 1, minor = 0] = latest.version.split('.').map(Number);
  return major(templateVersion) > major(latest.template.version)
    ? `${current + 1}.0`
    : `${current}.${minor + 1}`;
}

/** One profile's diff as data; an abstract base comes back marked, with nothing in it. */
export async function diffProfile(
  file: string,
  flags: Pick<DiffFlags, 'policy' | 'templates'>,
  io: Io,
): Promise<ProfileDiff> {
  const state = await loadProfileState(file, {
    date: today(io.env),
    ...(flags.policy?.length ? { policies: flags.policy } : {}),
    ...(flags.templates?.length ? { packs: flags.templates.map((t) => path.resolve(io.cwd, t)) } : {}),
  });
  const base = { file, organisation: state.profile?.data.organisation.name ?? null, abstract: false };
  if (state.diagnostics.length > 0 || !state.register || !state.profile) {
    // Only a profile that is not ready can be an abstract base; asked only then, so a diff parses once.
    if (!state.profile && (await loadMergedProfile(file)).merged?.data.abstract === true)
      return { ...base, abstract: true, errors: [], warnings: [], policies: [] };
    return { ...base, errors: state.diagnostics, warnings: state.warnings, policies: [] };
  }
  const snapshot = profileSnapshot(state.profile.data);
  const register = state.register;
  const policies = state.current.map((policy): PolicyDiff => {
    const latest = latestVersion(register, policy.id);
    const changed = !isRecorded(latest, policy);
    const action = !changed
      ? 'unchanged'
      : !latest
        ? 'first-version'
        : latest.approvedOn === undefined && latest.withdrawn === undefined
          ? 'revise-draft'
          : 'new-draft';
    const before = latest?.markdown ?? '';
    const words = before !== policy.markdown;
    return {
      id: policy.id,
      title: policy.title,
      changed,
      action,
      version: {
        now: latest?.version ?? null,
        next: changed ? nextVersion(latest, policy.templateVersion) : (latest?.version ?? '1.0'),
      },
      fields: changed && latest ? fieldChanges(latest.profile, snapshot) : [],
      sections:
        changed && latest
          ? sectionChanges(before, policy.markdown)
          : { added: [], removed: [], reworded: [] },
      diff:
        changed && words
          ? createTwoFilesPatch(
              `${policy.id} ${latest ? `version ${latest.version}` : '(nothing recorded)'}`,
              `${policy.id} now`,
              before,
              policy.markdown,
              undefined,
              undefined,
              { context: 2 },
            )
          : '',
    };
  });
  return { ...base, errors: [], warnings: state.warnings, policies };
}

export async function runDiff(flags: DiffFlags, io: Io): Promise<ExitCode> {
  const reporter = reporterFor(flags, io);
  // A failure here reaches the top-level catch, which prints `--json`'s one document for it.
  const inputs = await expandProfileInputs(
    flags.profiles.length > 0 ? flags.profiles : [DEFAULT_PROFILE],
    io.cwd,
  );
  const notes = skippedNotes(inputs.skipped, (file) => shownPath(file, io.cwd));
  const diffs: ProfileDiff[] = [];
  for (const file of inputs.files) {
    const found = await diffProfile(file, flags, io);
    if (found.abstract) notes.push(`${shownPath(file, io.cwd)}: skipped (an abstract base, never built)`);
    else diffs.push(found);
  }
  const failed = diffs.some((d) => d.errors.length > 0);
  const changed = diffs.some((d) => d.policies.some((p) => p.changed));
  const exit = failed || (flags.exitCode === true && changed) ? ExitCode.Invalid : ExitCode.Success;
  if (reporter.json) {
    reporter.diagnostics(diffs.flatMap((d) => [...d.errors, ...d.warnings]));
    io.stdout.write(`${JSON.stringify(diffJson(diffs, notes, changed, io), null, 2)}\n`);
    return exit;
  }
  printDiffs(diffs, notes, reporter, io);
  return exit;
}

/** The `--json` document (schemas/diff.schema.json). */
function diffJson(diffs: ProfileDiff[], notes: string[], changed: boolean, io: Io) {
  return {
    ok: diffs.every((d) => d.errors.length === 0),
    changed,
    notes,
    profiles: diffs.map((d) => ({
      profile: shownPath(d.file, io.cwd),
      organisation: d.organisation,
      changed: d.policies.some((p) => p.changed),
      errors: d.errors.map((e) => diagnosticJson(e, io.cwd)),
      warnings: d.warnings.map((e) => diagnosticJson(e, io.cwd)),
      policies: d.policies,
    })),
  };
}

/** The text a person reads: per policy, what a build would record, the fields, and a coloured diff. */
function printDiffs(diffs: ProfileDiff[], notes: string[], reporter: Reporter, io: Io): void {
  const c = colours(io, io.stdout);
  for (const note of notes) reporter.note(note);
  let shown = 0;
  for (const d of diffs) {
    if (d.errors.length > 0) {
      reporter.diagnostics([...d.errors, ...d.warnings]);
      continue;
    }
    reporter.diagnostics(d.warnings);
    // Over many profiles each diff is headed by its file, so a reader (or a pipe) can tell them apart.
    if (diffs.length > 1)
      io.stdout.write(`${shown++ > 0 ? '\n' : ''}${c.bold(`==> ${shownPath(d.file, io.cwd)} <==`)}\n`);
    for (const p of d.policies) {
      if (!p.changed) {
        io.stdout.write(`${p.title}: no change since version ${p.version.now ?? ''}.\n`);
        continue;
      }
      io.stdout.write(
        p.action === 'first-version'
          ? `${c.bold(p.title)}: never built; a build would record version 1.0.\n`
          : `${c.bold(p.title)}: a build would record a change to version ${p.version.now ?? ''}${p.action === 'new-draft' ? ' (a new draft)' : ' (the draft is revised)'}.\n`,
      );
      for (const field of p.fields) io.stdout.write(`  profile: ${field}\n`);
      for (const line of p.diff ? p.diff.split('\n') : []) {
        io.stdout.write(
          `${line.startsWith('+') && !line.startsWith('+++') ? c.green(line) : line.startsWith('-') && !line.startsWith('---') ? c.red(line) : line}\n`,
        );
      }
    }
    if (!reporter.quiet) io.stderr.write(`${shownPath(d.file, io.cwd)}: nothing was written.\n`);
  }
}
