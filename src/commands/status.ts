/** `keypolicy status [PROFILE|DIR|GLOB...] [--as-of D] [--due-soon-days N] [--grace-days N] [--people] [--fail-on …] [--json]` */
import { colours, type Io } from '../cli/io.js';
import { reporterFor, type ReportFlags } from '../cli/reporter.js';
import { diagnosticJson, shownPath } from '../diagnostics/report.js';
import { expandProfileInputs, skippedNotes } from '../pipeline/inputs.js';
import { commandDate, formatUkDate } from '../core/dates.js';
import { ExitCode, KeypolicyError } from '../diagnostics/errors.js';
import {
  policyStatus,
  severity,
  STATUS_FLAGS,
  type PolicyStatus,
  type StatusFlag as Flag,
} from '../register/status.js';
import { loadProfileState, type ProfileState } from '../pipeline/profile-state.js';
import { readerRoles, requiredReaders } from '../profile/staff.js';
import { DEFAULT_PROFILE } from './defaults.js';

export interface StatusFlags extends ReportFlags {
  profiles: string[];
  asOf?: string;
  dueSoonDays?: string;
  failOn?: string;
  /** Days a version may be in force before staff who have not read it flag it `unacknowledged`. */
  graceDays?: string;
  /** Name the people in `--json` (who has read each version, who has not). */
  people?: boolean;
}

const usage = (message: string) => new KeypolicyError('KP_USAGE', message, { exitCode: ExitCode.Usage });

function parseFailOn(value: string | undefined): Flag[] {
  if (!value) return [];
  const flags = value
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  const unknown = flags.filter((f) => !(STATUS_FLAGS as readonly string[]).includes(f));
  if (unknown.length > 0)
    throw usage(`--fail-on takes ${STATUS_FLAGS.join(', ')}; you wrote \`${unknown.join(', ')}\`.`);
  return flags as Flag[];
}

/** Days before a review that count as due soon: a whole number up to ten years. */
function parseDueSoonDays(value: string | undefined): number {
  const days = /^\d{1,4}$/.test(value ?? '30') ? Number(value ?? 30) : NaN;
  if (!Number.isInteger(days) || days > 3660)
    throw usage(`--due-soon-days takes a whole number of days from 0 to 3660; you wrote \`${value ?? ''}\`.`);
  return days;
}

/** Days of grace before unread staff flag a version: a whole number up to ten years (default 28). */
function parseGraceDays(value: string | undefined): number {
  const days = /^\d{1,4}$/.test(value ?? '28') ? Number(value ?? 28) : NaN;
  if (!Number.isInteger(days) || days > 3660)
    throw usage(`--grace-days takes a whole number of days from 0 to 3660; you wrote \`${value ?? ''}\`.`);
  return days;
}

/** A policy's status for JSON: the people named only when asked for. */
function policyJson(p: PolicyStatus, people: boolean) {
  if (!p.reading) return p;
  const { missing, acknowledgedBy, ...counts } = p.reading;
  return {
    ...p,
    reading: people ? { ...counts, missing, acknowledgedBy } : { ...counts, missing: missing.length },
  };
}

export async function runStatus(flags: StatusFlags, io: Io): Promise<ExitCode> {
  const reporter = reporterFor(flags, io);
  const asOf = commandDate(flags.asOf, '--as-of', io.env);
  const dueSoonDays = parseDueSoonDays(flags.dueSoonDays);
  const graceDays = parseGraceDays(flags.graceDays);
  const failOn = parseFailOn(flags.failOn);
  const inputs = await expandProfileInputs(
    flags.profiles.length > 0 ? flags.profiles : [DEFAULT_PROFILE],
    io.cwd,
  );
  const notes = skippedNotes(inputs.skipped, (file) => shownPath(file, io.cwd));
  const results: { state: ProfileState; organisation: string | null; policies: PolicyStatus[] }[] = [];
  for (const file of inputs.files) {
    const state = await loadProfileState(file, { date: asOf });
    if (state.abstract) {
      notes.push(`${shownPath(file, io.cwd)}: skipped (an abstract base, never built)`);
      continue;
    }
    const ids = state.register
      ? [...new Set([...Object.keys(state.register.policies), ...state.current.map((p) => p.id)])].sort()
      : [];
    const organisation = state.profile?.data.organisation.name ?? null;
    const staff = state.profile?.staff?.people;
    results.push({
      state,
      organisation,
      policies: ids.map((id) =>
        policyStatus(
          state.register?.policies[id]?.versions ?? [],
          state.current.find((p) => p.id === id),
          {
            id,
            asOf,
            dueSoonDays,
            ...(staff && state.profile
              ? {
                  staff: {
                    readers: requiredReaders(staff, readerRoles(state.profile.data, id)),
                    acknowledgements: state.acknowledgements[id] ?? [],
                    graceDays,
                  },
                }
              : {}),
          },
        ),
      ),
    });
  }
  const failed = results.some(
    (r) => r.state.diagnostics.length > 0 || r.policies.some((p) => p.flags.some((f) => failOn.includes(f))),
  );

  if (reporter.json) {
    reporter.diagnostics(results.flatMap(({ state }) => [...state.diagnostics, ...state.warnings]));
    const document = {
      asOf,
      dueSoonDays,
      graceDays,
      failOn,
      ok: !failed,
      notes,
      profiles: results.map(({ state, organisation, policies }) => ({
        profile: shownPath(state.file, io.cwd),
        organisation,
        policies: policies.map((p) => policyJson(p, flags.people === true)),
        errors: state.diagnostics.map((d) => diagnosticJson(d, io.cwd)),
        warnings: state.warnings.map((d) => diagnosticJson(d, io.cwd)),
      })),
    };
    io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    return failed ? ExitCode.Invalid : ExitCode.Success;
  }
  const c = colours(io, io.stdout);
  const err = colours(io, io.stderr);
  for (const note of notes) reporter.note(note);
  reporter.diagnostics(results.flatMap(({ state }) => [...state.diagnostics, ...state.warnings]));
  interface Row {
    who: string;
    p?: PolicyStatus;
    rank: number;
    broken?: boolean;
  }
  const rows = results
    .flatMap(({ state, organisation, policies }): Row[] => {
      const who = organisation ?? shownPath(state.file, io.cwd);
      if (policies.length === 0) return [{ who, rank: 1, broken: state.diagnostics.length > 0 }];
      return policies.map((p) => ({ who, p, rank: severity(p) }));
    })
    .sort(
      (a, b) =>
        a.rank - b.rank || a.who.localeCompare(b.who) || (a.p?.title ?? '').localeCompare(b.p?.title ?? ''),
    );
  // The staff column only when some profile keeps a staff list: a table without one reads as before.
  const reads = rows.some((r) => r.p?.reading);
  const table = rows.map(({ who, p, broken }) => {
    if (!p)
      return [
        who,
        broken ? '(cannot be read: see the errors above)' : '(no policies recorded yet: run keypolicy build)',
        '',
        '',
        '',
        ...(reads ? [''] : []),
        '',
      ];
    const inForce = p.withdrawn
      ? `withdrawn ${formatUkDate(p.withdrawn.date)}`
      : p.inForce
        ? `${p.inForce.version} since ${formatUkDate(p.inForce.effectiveDate)}`
        : 'none';
    return [
      who,
      p.title,
      inForce,
      p.inForce ? formatUkDate(p.inForce.nextReviewDate) : '',
      p.pending ? `${p.pending.version} of ${formatUkDate(p.pending.date)}` : '',
      ...(reads ? [readCell(p)] : []),
      p.flags.join(', '),
    ];
  });
  const heading = [
    'Organisation',
    'Policy',
    'In force',
    'Next review',
    'Draft pending',
    ...(reads ? ['Read by staff'] : []),
    'Flags',
  ];
  const widths = heading.map((h, i) => Math.max(h.length, ...table.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  io.stdout.write(`${c.dim(`as of ${formatUkDate(asOf)}`)}\n${c.bold(line(heading))}\n`);
  for (const [i, cells] of table.entries()) {
    const flagged = (rows[i]?.p?.flags ?? []).some((f) => failOn.includes(f));
    const text = line(cells);
    io.stdout.write(
      `${flagged ? err.red(text) : (rows[i]?.p?.flags.length ?? 0) > 0 ? c.yellow(text) : text}\n`,
    );
  }
  if (!reporter.quiet)
    for (const { p, who } of rows)
      for (const note of p?.notes ?? []) io.stdout.write(`${c.dim(`note: ${who}, ${p?.title}: ${note}`)}\n`);
  for (const { p, who } of rows)
    if (p?.reading && p.reading.missing.length > 0)
      io.stdout.write(
        `${who}, ${p.title} ${p.reading.version}: not yet read by ${p.reading.missing.join(', ')}\n`,
      );
  return failed ? ExitCode.Invalid : ExitCode.Success;
}

/** "14 of 17 (12 days)": acknowledged of required, and days since the version came into force. */
function readCell(p: PolicyStatus): string {
  const r = p.reading;
  if (!r) return '';
  return `${r.acknowledged} of ${r.required} (${r.daysInForce} day${r.daysInForce === 1 ? '' : 's'} in force)`;
}
