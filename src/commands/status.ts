/** `keypolicy status [PROFILE...] [--as-of D] [--due-soon-days N] [--fail-on …] [--json]` */
import path from 'node:path';
import { colours, type Io } from '../cli/io.js';
import { diagnosticJson, formatDiagnostic, shownPath } from '../cli/report.js';
import { formatUkDate, parseDateOption, today } from '../dates.js';
import { ExitCode, KeypolicyError } from '../errors.js';
import { contentHash, nextReview, versionInForce } from '../register/versioning.js';
import { loadProfileState } from './profile-state.js';
import { DEFAULT_PROFILE } from './defaults.js';

const STATUS_FLAGS = ['overdue', 'due-soon', 'unapproved', 'stale'] as const;
type Flag = (typeof STATUS_FLAGS)[number];

export interface StatusFlags {
  profiles: string[];
  asOf?: string;
  dueSoonDays?: string;
  failOn?: string;
  json?: boolean;
}

interface PolicyStatus {
  id: string;
  title: string;
  inForce: { version: string; effectiveDate: string; nextReviewDate: string } | null;
  pending: { version: string; date: string } | null;
  flags: Flag[];
}

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

function parseFailOn(value: string | undefined): Flag[] {
  if (!value) return [];
  const flags = value
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  const unknown = flags.filter((f) => !(STATUS_FLAGS as readonly string[]).includes(f));
  if (unknown.length > 0) {
    throw new KeypolicyError(
      'KP_USAGE',
      `--fail-on takes ${STATUS_FLAGS.join(', ')}; you wrote \`${unknown.join(', ')}\`.`,
      {
        exitCode: ExitCode.Usage,
      },
    );
  }
  return flags as Flag[];
}

export async function runStatus(flags: StatusFlags, io: Io): Promise<ExitCode> {
  const asOf = flags.asOf !== undefined ? parseDateOption(flags.asOf, '--as-of') : today(io.env);
  const dueSoonDays = Number(flags.dueSoonDays ?? 30);
  if (!Number.isInteger(dueSoonDays) || dueSoonDays < 0) {
    throw new KeypolicyError(
      'KP_USAGE',
      `--due-soon-days takes a whole number of days; you wrote \`${flags.dueSoonDays ?? ''}\`.`,
      {
        exitCode: ExitCode.Usage,
      },
    );
  }
  const failOn = parseFailOn(flags.failOn);
  const files = (flags.profiles.length > 0 ? flags.profiles : [DEFAULT_PROFILE]).map((p) =>
    path.resolve(io.cwd, p),
  );
  const results = [];
  for (const file of files) {
    const state = await loadProfileState(file, { date: asOf });
    const policies: PolicyStatus[] = [];
    if (state.register) {
      const ids = [
        ...new Set([...Object.keys(state.register.policies), ...state.current.map((p) => p.id)]),
      ].sort();
      for (const id of ids) {
        const versions = state.register.policies[id]?.versions ?? [];
        const current = state.current.find((p) => p.id === id);
        const interval = current?.reviewIntervalMonths ?? 12;
        const latest = versions.at(-1);
        const inForce = versionInForce(versions, asOf);
        const review = inForce ? nextReview(inForce, interval) : undefined;
        const pending = latest && !latest.approvedOn ? latest : undefined;
        const statusFlags: Flag[] = [];
        if (review && review < asOf) statusFlags.push('overdue');
        else if (review && review <= addDays(asOf, dueSoonDays)) statusFlags.push('due-soon');
        if (pending || !inForce) statusFlags.push('unapproved');
        if (current && (!latest || latest.contentHash !== contentHash(current.markdown)))
          statusFlags.push('stale');
        policies.push({
          id,
          title: latest?.title ?? current?.title ?? id,
          inForce:
            inForce && review
              ? { version: inForce.version, effectiveDate: inForce.approvedOn ?? '', nextReviewDate: review }
              : null,
          pending: pending ? { version: pending.version, date: pending.date } : null,
          flags: statusFlags,
        });
      }
    }
    results.push({ state, policies });
  }
  const failed = results.some(
    (r) => r.state.diagnostics.length > 0 || r.policies.some((p) => p.flags.some((f) => failOn.includes(f))),
  );

  if (flags.json) {
    const document = {
      asOf,
      dueSoonDays,
      failOn,
      ok: !failed,
      profiles: results.map(({ state, policies }) => ({
        profile: shownPath(state.file, io.cwd),
        policies,
        errors: state.diagnostics.map((d) => diagnosticJson(d, io.cwd)),
      })),
    };
    io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    return failed ? ExitCode.Invalid : ExitCode.Success;
  }
  const c = colours(io, io.stdout);
  const err = colours(io, io.stderr);
  for (const { state, policies } of results) {
    for (const d of state.diagnostics) io.stderr.write(`${formatDiagnostic(d, io.cwd, err)}\n\n`);
    const name = (state.profile?.data as { organisation?: { name?: string } } | undefined)?.organisation
      ?.name;
    io.stdout.write(
      `${c.bold(name ?? shownPath(state.file, io.cwd))} ${c.dim(`(${shownPath(state.file, io.cwd)}, as of ${formatUkDate(asOf)})`)}\n`,
    );
    if (policies.length === 0 && state.diagnostics.length === 0)
      io.stdout.write('  no policies recorded yet: run keypolicy build\n');
    for (const p of policies) {
      const inForce = p.inForce
        ? `version ${p.inForce.version} in force since ${formatUkDate(p.inForce.effectiveDate)}, next review ${formatUkDate(p.inForce.nextReviewDate)}`
        : 'no approved version';
      const pending = p.pending
        ? `; draft ${p.pending.version} of ${formatUkDate(p.pending.date)} awaiting approval`
        : '';
      const marks = p.flags.map((f) => (failOn.includes(f) ? err.red(f) : c.yellow(f))).join(', ');
      io.stdout.write(`  ${p.title}: ${inForce}${pending}${marks ? ` [${marks}]` : ''}\n`);
    }
  }
  return failed ? ExitCode.Invalid : ExitCode.Success;
}
