/**
 * Staff acknowledgements: who has read a version in force, and when. Kept beside the register in
 * `NAME.register/<policy>/<version>.acknowledgements.yaml`, one entry appended per acknowledgement (so git
 * shows only added lines), each chained by hash to the one before it; the register records the count and
 * the last hash on the version (`acknowledgements:`), so its own hash chain covers them, as it covers the
 * snapshots. The register is written after the record: entries past the recorded count were never
 * committed and are ignored.
 *
 * The chain covers a salted digest of the person (`person`), not their name: a name can be replaced by a
 * pseudonym on request (the salt and staff id deleted with it) and every hash, count and date still
 * holds, while the digest left behind can no longer be tied to the name.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Document, parse } from 'yaml';
import { formatUkDate } from '../core/dates.js';
import { KeypolicyError } from '../diagnostics/errors.js';
import { nameKey, type StaffMember } from '../profile/staff.js';
import type { RegisterVersion } from './schema.js';
import { registerFolderFor } from './snapshots.js';

export interface Acknowledgement {
  /** The name as the staff list wrote it when they acknowledged (or the pseudonym that replaced it). */
  name: string;
  /** Their staff id, when the list gives one. */
  id?: string;
  /** sha256 of salt, name and id: what the chain covers. */
  person: string;
  /** Deleted when the name is erased, so `person` can no longer be tied to it. */
  salt?: string;
  /** True once the name was replaced by a pseudonym. */
  pseudonym?: boolean;
  version: string;
  /** The content hash of the version read. */
  contentHash: string;
  /** When they read it. */
  date: string;
  /** When it was recorded (the command's date). */
  recorded: string;
  /** The operating-system user who recorded it. */
  user?: string;
  /** sha256 of this entry's covered fields and the hash before it. */
  hash: string;
}

const sha256 = (...parts: string[]) => {
  const digest = createHash('sha256');
  for (const part of parts) digest.update(part).update('\0');
  return `sha256:${digest.digest('hex')}`;
};

/** Where a version's acknowledgements are kept. */
export const acknowledgementsPath = (registerFile: string, policy: string, version: string): string =>
  path.join(registerFolderFor(registerFile), policy, `${version}.acknowledgements.yaml`);

const personDigest = (salt: string, name: string, id: string | undefined) => sha256(salt, name, id ?? '');

/** The hash of an entry: everything but the name, id, salt and pseudonym flag, chained to the one before. */
function entryHash(entry: Omit<Acknowledgement, 'hash'>, previous: string): string {
  const covered = {
    version: entry.version,
    contentHash: entry.contentHash,
    person: entry.person,
    date: entry.date,
    recorded: entry.recorded,
    ...(entry.user ? { user: entry.user } : {}),
  };
  return sha256(previous, JSON.stringify(covered));
}

/** The file's text: a header, then the entries in the order recorded. */
export function acknowledgementsText(
  policy: string,
  version: string,
  entries: readonly Acknowledgement[],
): string {
  const document = new Document(entries.map((e) => ({ ...e })));
  document.commentBefore =
    ` keypolicy acknowledgements: who has read version ${version} of ${policy}, and when.\n` +
    ' Written by keypolicy (acknowledge); entries are chained by hash and the register records the last.\n' +
    ' Keep it in version control with the register; never edit it (to erase a name: keypolicy acknowledge --erase).';
  return document.toString({ lineWidth: 0 });
}

const broken = (file: string, message: string) =>
  new KeypolicyError('KP_ACKNOWLEDGEMENTS', `${file}: ${message}`, {
    hint: 'Restore the register folder from version control. Acknowledgements are written only by keypolicy.',
  });

/**
 * A version's acknowledgements, checked: every committed entry chains to the hash the register recorded,
 * belongs to this version, and (while it has its salt) still names the person its digest was made from.
 */
export async function readAcknowledgements(
  registerFile: string,
  policy: string,
  version: RegisterVersion,
): Promise<Acknowledgement[]> {
  const recorded = version.acknowledgements;
  if (!recorded) return [];
  const file = acknowledgementsPath(registerFile, policy, version.version);
  const shown = path.relative(path.dirname(registerFile), file);
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined)
    throw broken(shown, `the acknowledgements of version ${version.version} of \`${policy}\` are missing.`);
  let entries: unknown;
  try {
    entries = parse(text);
  } catch {
    throw broken(shown, 'this file cannot be read as YAML.');
  }
  if (!Array.isArray(entries) || entries.length < recorded.count)
    throw broken(
      shown,
      `the register records ${recorded.count} acknowledgements of version ${version.version}; the file holds fewer.`,
    );
  const committed = (entries as Acknowledgement[]).slice(0, recorded.count);
  let previous = '';
  committed.forEach((entry, index) => {
    const ok =
      entry !== null &&
      typeof entry === 'object' &&
      typeof entry.name === 'string' &&
      entry.version === version.version &&
      entry.contentHash === version.contentHash &&
      entry.hash === entryHash(entry, previous) &&
      (entry.salt === undefined || entry.person === personDigest(entry.salt, entry.name, entry.id));
    if (!ok) throw broken(shown, `entry ${index + 1} has been changed since keypolicy recorded it.`);
    previous = entry.hash;
  });
  if (previous !== recorded.head)
    throw broken(shown, `the entries do not end where the register says (${recorded.count} entries).`);
  return committed;
}

/** Whether an entry is this member of staff's: by staff id when both have one, else by name. */
export const isTheirs = (entry: Acknowledgement, member: StaffMember): boolean =>
  entry.id !== undefined && member.id !== undefined
    ? entry.id === member.id
    : nameKey(entry.name) === nameKey(member.name);

/**
 * Append acknowledgements to a version's (checked) entries and record the new count and head on the
 * version, so the register's chain covers them. Returns every entry, old and new.
 */
export function appendAcknowledgements(
  version: RegisterVersion,
  existing: readonly Acknowledgement[],
  added: readonly { member: StaffMember; date: string }[],
  recorded: string,
  user: string | undefined,
): Acknowledgement[] {
  const entries = [...existing];
  let previous = entries.at(-1)?.hash ?? '';
  for (const { member, date } of added) {
    const salt = randomBytes(16).toString('hex');
    const base: Omit<Acknowledgement, 'hash'> = {
      name: member.name,
      ...(member.id !== undefined ? { id: member.id } : {}),
      person: personDigest(salt, member.name, member.id),
      salt,
      version: version.version,
      contentHash: version.contentHash,
      date,
      recorded,
      ...(user ? { user } : {}),
    };
    const entry = { ...base, hash: entryHash(base, previous) };
    entries.push(entry);
    previous = entry.hash;
  }
  if (entries.length > 0) {
    const latest = entries.map((e) => e.recorded).reduce((a, b) => (b > a ? b : a));
    version.acknowledgements = { count: entries.length, head: previous, latest };
  }
  return entries;
}

/**
 * Replace a person's name by a pseudonym in a version's entries, deleting the salt and staff id that
 * could tie the digest back to them. The hashes do not cover these fields, so the chain still holds.
 */
export function erasePerson(entries: Acknowledgement[], name: string, pseudonym: string): number {
  let changed = 0;
  for (const entry of entries)
    if (nameKey(entry.name) === nameKey(name) || (entry.id !== undefined && entry.id === name.trim())) {
      entry.name = pseudonym;
      delete entry.salt;
      delete entry.id;
      entry.pseudonym = true;
      changed += 1;
    }
  return changed;
}

export interface Coverage {
  /** Required readers who acknowledged by the day asked about, with the date they did. */
  acknowledged: { name: string; date: string }[];
  /** Required readers who have not, by name as written. */
  missing: string[];
}

/** Who of `readers` has acknowledged the version by `asOf`. */
export function coverage(
  readers: readonly StaffMember[],
  entries: readonly Acknowledgement[],
  asOf: string,
): Coverage {
  const acknowledged: Coverage['acknowledged'] = [];
  const missing: string[] = [];
  for (const member of readers) {
    const entry = entries.find((e) => e.date <= asOf && isTheirs(e, member));
    if (entry) acknowledged.push({ name: member.name, date: entry.date });
    else missing.push(member.name);
  }
  return { acknowledged, missing };
}

/** A sentence for an acknowledgement already recorded. */
export const alreadyRecorded = (name: string, entry: Acknowledgement) =>
  `${name} already acknowledged version ${entry.version} on ${formatUkDate(entry.date)}.`;
