/**
 * `acknowledge`: record that members of staff have read the version of a policy in force — one person
 * (`--by`) or a filled read-and-sign sheet (`--from FILE.csv`), all or nothing — under the register's lock,
 * the record and the register written in one step. Also the erasure of a name on request.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { formatUkDate, isRealDate } from '../core/dates.js';
import { KeypolicyError, type Diagnostic } from '../diagnostics/errors.js';
import { writeFilesAtomic, type FileWrite } from '../output/atomic-write.js';
import { readCsvTable } from '../profile/csv.js';
import type { ResolvedProfile } from '../profile/resolve.js';
import {
  findStaff,
  nameKey,
  nearestStaffName,
  readerRoles,
  requiredReaders,
  type StaffMember,
} from '../profile/staff.js';
import {
  acknowledgementsPath,
  acknowledgementsText,
  alreadyRecorded,
  appendAcknowledgements,
  coverage,
  erasePerson,
  isTheirs,
  readAcknowledgements,
  type Acknowledgement,
} from '../register/acknowledgements.js';
import { withRegisterLock } from '../register/lock.js';
import { loadRegister, registerPathFor, registerText } from '../register/register.js';
import type { Register, RegisterVersion } from '../register/schema.js';
import { checkDateOrder, registerChoices, selectPolicy } from '../register/sign-off.js';
import { osUser } from '../register/user.js';
import { versionInForce } from '../register/versioning.js';
import { checkProfile } from './check-profile.js';

export interface AcknowledgeRequest {
  /** The profile file (absolute). */
  profile: string;
  policy?: string;
  /** The command's date: when `--by` read it, and the day a sheet is recorded on. */
  date: string;
  env: Record<string, string | undefined>;
  /** One person, by name (or staff id). */
  by?: string;
  /** A filled read-and-sign sheet or an e-learning export (absolute path). */
  from?: string;
}

export interface RowOutcome {
  /** The sheet's line, for `--from`. */
  line?: number;
  name: string;
  date: string;
  status: 'accepted' | 'already' | 'skipped' | 'rejected';
  reason?: string;
}

export interface AcknowledgeResult {
  ok: boolean;
  id?: string;
  title?: string;
  version?: string;
  contentHash?: string;
  effectiveDate?: string;
  rows: RowOutcome[];
  /** How many acknowledgements this run recorded. */
  recorded: number;
  required?: number;
  acknowledged?: number;
  /** Why a sheet could not be read, located at its line. */
  diagnostics: Diagnostic[];
}

const refuse = (code: string, message: string, hint?: string) =>
  new KeypolicyError(code, message, hint ? { hint } : {});

/** A sheet's date: YYYY-MM-DD, or DD/MM/YYYY as people write it in the UK. */
export function parseSheetDate(text: string): string | undefined {
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim());
  const iso = uk ? `${uk[3]}-${uk[2]?.padStart(2, '0')}-${uk[1]?.padStart(2, '0')}` : text.trim();
  return isRealDate(iso) ? iso : undefined;
}

/** The profile with its staff list, or a refusal naming what is wrong. */
export async function profileWithStaff(file: string): Promise<ResolvedProfile> {
  const report = await checkProfile(file, { register: false });
  const profile = report.resolved;
  if (!profile) {
    const first = report.errors[0];
    throw refuse(
      'KP_PROFILE',
      report.abstract
        ? `${path.basename(file)} is an abstract base: it has no policies of its own.`
        : `${path.basename(file)} has errors${first ? ` (first: line ${first.line}: ${first.message})` : ''}.`,
      'Run `keypolicy validate` to see them all.',
    );
  }
  if (!profile.staff)
    throw refuse(
      'KP_NO_STAFF',
      `${path.basename(file)} has no staff list, so there is no one to acknowledge a policy.`,
      'Add `staff:` to the profile: a list of people (name, role, optional id), or the path of a staff.yaml or staff.csv file.',
    );
  return profile;
}

/** The version in force on `date`, or a refusal saying why there is none. */
function inForceVersion(register: Register, id: string, date: string): RegisterVersion {
  const versions = register.policies[id]?.versions ?? [];
  const inForce = versionInForce(versions, date);
  if (inForce) return inForce;
  const later = versions.find((v) => v.approvedOn !== undefined && v.approvedOn > date);
  if (later && !versions.at(-1)?.withdrawn)
    throw refuse(
      'KP_BEFORE_EFFECTIVE',
      `Version ${later.version} of \`${id}\` came into force on ${formatUkDate(later.approvedOn ?? '')}; an acknowledgement cannot be dated before that (${formatUkDate(date)}).`,
      'Give the date they read it with --date, on or after the effective date.',
    );
  const latest = versions.at(-1);
  const why = latest?.withdrawn
    ? `it was withdrawn on ${formatUkDate(latest.withdrawn.date)}`
    : latest?.approvedOn
      ? `version ${latest.version} comes into force on ${formatUkDate(latest.approvedOn)}`
      : 'no version has been approved yet';
  throw refuse(
    'KP_NOT_IN_FORCE',
    `No version of \`${id}\` is in force on ${formatUkDate(date)}: ${why}, so there is nothing to acknowledge.`,
    'Staff acknowledge the version in force: approve a version first (keypolicy approve).',
  );
}

/** The rows a request names: one person on the command's date, or each line of a sheet. */
async function requestedRows(
  request: AcknowledgeRequest,
): Promise<{ rows: { line?: number; name: string; date: string }[]; diagnostics: Diagnostic[] }> {
  if (request.by !== undefined) return { rows: [{ name: request.by, date: request.date }], diagnostics: [] };
  const file = request.from as string;
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw refuse(
      'KP_FILE_NOT_FOUND',
      `The sheet ${file} cannot be read (${error.code ?? error.message}).`,
      'Check the path given to --from.',
    );
  });
  const table = await readCsvTable(file, text, { required: ['name', 'date'], others: 'ignore' });
  return {
    rows: table.rows.map((r) => ({ line: r.line, name: r.values.name ?? '', date: r.values.date ?? '' })),
    diagnostics: table.diagnostics,
  };
}

/** Judge each row against the staff list, the version and what is already recorded. */
function judgeRows(
  rows: readonly { line?: number; name: string; date: string }[],
  staff: readonly StaffMember[],
  version: RegisterVersion,
  existing: readonly Acknowledgement[],
  today: string,
): { outcomes: RowOutcome[]; accepted: { member: StaffMember; date: string }[] } {
  const outcomes: RowOutcome[] = [];
  const accepted: { member: StaffMember; date: string; line?: number }[] = [];
  const effective = version.approvedOn ?? version.date;
  for (const row of rows) {
    const base = { ...(row.line !== undefined ? { line: row.line } : {}), name: row.name, date: row.date };
    const reject = (reason: string) => outcomes.push({ ...base, status: 'rejected', reason });
    if (row.name === '') {
      reject('no name');
      continue;
    }
    const member = findStaff(staff, row.name);
    if (!member) {
      const guess = nearestStaffName(staff, row.name);
      reject(`not on the staff list${guess ? ` (did you mean ${guess}?)` : ''}`);
      continue;
    }
    if (row.date === '') {
      outcomes.push({ ...base, status: 'skipped', reason: 'no date: not signed yet' });
      continue;
    }
    const date = parseSheetDate(row.date);
    if (!date) {
      reject(`\`${row.date}\` is not a real date written YYYY-MM-DD or DD/MM/YYYY`);
      continue;
    }
    const dated = { ...base, name: member.name, date };
    if (date < effective)
      outcomes.push({
        ...dated,
        status: 'rejected',
        reason: `dated before version ${version.version} came into force (${formatUkDate(effective)})`,
      });
    else if (date > today)
      outcomes.push({ ...dated, status: 'rejected', reason: `dated after today (${formatUkDate(today)})` });
    else {
      const earlier = existing.find((e) => isTheirs(e, member));
      const twice = accepted.find((a) => nameKey(a.member.name) === nameKey(member.name));
      if (earlier)
        outcomes.push({ ...dated, status: 'already', reason: alreadyRecorded(member.name, earlier) });
      else if (twice)
        outcomes.push({
          ...dated,
          status: 'already',
          reason: `also on line ${twice.line ?? '?'} of this sheet`,
        });
      else {
        outcomes.push({ ...dated, status: 'accepted' });
        accepted.push({ member, date, ...(row.line !== undefined ? { line: row.line } : {}) });
      }
    }
  }
  return { outcomes, accepted: accepted.map(({ member, date }) => ({ member, date })) };
}

/** Record acknowledgements of the version in force: every row accepted, or nothing written. */
export async function acknowledge(request: AcknowledgeRequest): Promise<AcknowledgeResult> {
  const profile = await profileWithStaff(request.profile);
  const staff = profile.staff?.people ?? [];
  const { rows, diagnostics } = await requestedRows(request);
  if (diagnostics.length > 0) return { ok: false, rows: [], recorded: 0, diagnostics };
  const registerFile = registerPathFor(request.profile);
  return withRegisterLock(registerFile, async () => {
    const loaded = await loadRegister(registerFile);
    if (!loaded.register) {
      const first = loaded.diagnostics[0];
      throw refuse(
        first?.code ?? 'KP_REGISTER',
        `${path.basename(registerFile)} cannot be used: ${first?.message ?? ''}`,
        first?.hint,
      );
    }
    const register = loaded.register;
    const id = selectPolicy(registerChoices(register), request.policy);
    const version = inForceVersion(register, id, request.date);
    const existing = await readAcknowledgements(registerFile, id, version);
    const readers = requiredReaders(staff, readerRoles(profile.data, id));
    const summary = {
      id,
      title: version.title,
      version: version.version,
      contentHash: version.contentHash,
      effectiveDate: version.approvedOn ?? version.date,
      required: readers.length,
      diagnostics: [],
    };
    if (request.from !== undefined && rows.length === 0)
      throw refuse('KP_SHEET_EMPTY', `${path.basename(request.from)} has a header row but no names.`);
    const { outcomes, accepted } = judgeRows(rows, staff, version, existing, request.date);
    const covered = (entries: readonly Acknowledgement[]) =>
      coverage(readers, entries, request.date).acknowledged.length;
    if (outcomes.some((o) => o.status === 'rejected'))
      return { ...summary, ok: false, rows: outcomes, recorded: 0, acknowledged: covered(existing) };
    if (accepted.length === 0)
      return { ...summary, ok: true, rows: outcomes, recorded: 0, acknowledged: covered(existing) };
    checkDateOrder(register, request.date, 'This acknowledgement');
    const entries = appendAcknowledgements(version, existing, accepted, request.date, osUser(request.env));
    // The record lands before the register that commits it (see acknowledgements.ts).
    await writeFilesAtomic([
      {
        file: acknowledgementsPath(registerFile, id, version.version),
        contents: acknowledgementsText(id, version.version, entries),
      },
      { file: registerFile, contents: registerText(register) },
    ]);
    return {
      ...summary,
      ok: true,
      rows: outcomes,
      recorded: accepted.length,
      acknowledged: covered(entries),
    };
  });
}

export interface ErasureResult {
  /** Entries whose name was replaced. */
  replaced: number;
  /** The name is still on the staff list: it should be replaced there too, or removed. */
  stillListed: boolean;
}

/**
 * Replace a person's name by a pseudonym in every acknowledgement of a profile, on request. The register
 * is not changed and every hash still holds; the staff list is the user's to change.
 */
export async function erase(request: {
  profile: string;
  name: string;
  pseudonym: string;
}): Promise<ErasureResult> {
  const report = await checkProfile(request.profile, { register: false });
  const staff = report.resolved?.staff?.people ?? [];
  const clash = findStaff(staff, request.pseudonym);
  if (clash && nameKey(clash.name) !== nameKey(request.name))
    throw refuse(
      'KP_ERASE',
      `The pseudonym \`${request.pseudonym}\` is the name of ${clash.name}, on the staff list.`,
      'Choose a pseudonym no one has, e.g. "Former staff member 7".',
    );
  const registerFile = registerPathFor(request.profile);
  return withRegisterLock(registerFile, async () => {
    const loaded = await loadRegister(registerFile);
    if (!loaded.register)
      throw refuse(
        'KP_REGISTER',
        `${path.basename(registerFile)} cannot be used: ${loaded.diagnostics[0]?.message ?? ''}`,
      );
    const writes: FileWrite[] = [];
    let replaced = 0;
    for (const [id, policy] of Object.entries(loaded.register.policies))
      for (const version of policy.versions) {
        if (!version.acknowledgements) continue;
        const entries = await readAcknowledgements(registerFile, id, version);
        const changed = erasePerson(entries, request.name, request.pseudonym);
        if (changed === 0) continue;
        replaced += changed;
        writes.push({
          file: acknowledgementsPath(registerFile, id, version.version),
          contents: acknowledgementsText(id, version.version, entries),
        });
      }
    if (replaced === 0)
      throw refuse(
        'KP_ERASE',
        `No acknowledgement in this register is by \`${request.name}\`; nothing was changed.`,
        'Give the name as it was recorded (any letter case), or the staff id.',
      );
    await writeFilesAtomic(writes);
    return { replaced, stillListed: findStaff(staff, request.name) !== undefined };
  });
}
