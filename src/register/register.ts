/** The register file beside each profile: read (with located errors), checked, locked and written atomically. */
import { createHash } from 'node:crypto';
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { Document } from 'yaml';
import type { Diagnostic } from '../diagnostics/errors.js';
import { writeFileAtomic } from '../output/atomic-write.js';
import { loadYamlFile } from '../profile/load.js';
import { checkAgainstSchema } from '../profile/schema-check.js';
import {
  ACKNOWLEDGED_FORMAT,
  READABLE_REGISTER_FORMATS,
  REGISTER_FORMAT,
  type Register,
  type RegisterVersion,
} from './schema.js';

/** `NAME.yaml` → `NAME.register.yaml`, beside it. */
export function registerPathFor(profileFile: string): string {
  const ext = path.extname(profileFile);
  return path.join(path.dirname(profileFile), `${path.basename(profileFile, ext)}.register.yaml`);
}

const emptyRegister = (): Register => ({ registerVersion: REGISTER_FORMAT, policies: {} });

/** `1.10` sorts after `1.9`. */
export function compareVersions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

export interface LoadedRegister {
  register?: Register;
  /** Why the register cannot be used: it is never written while any is present. */
  diagnostics: Diagnostic[];
  /** What is odd but readable (history out of date order), so the user can go on and put it right. */
  warnings: Diagnostic[];
}

/**
 * Read a register. A missing file is an empty register; one that does not parse, fails its schema,
 * comes from a newer keypolicy or has been edited by hand comes back as diagnostics at its line, and is
 * never overwritten. History out of date order is read with a warning, never refused: the user must be
 * able to reach their own records to put them right.
 */
export async function loadRegister(file: string): Promise<LoadedRegister> {
  // Only a register that is not there is a new, empty one; one that cannot be read (no permission, a
  // link that loops) is reported by the loader, never taken for empty and overwritten.
  const missing = await lstat(file).then(
    () => false,
    (error: NodeJS.ErrnoException) => error.code === 'ENOENT' || error.code === 'ENOTDIR',
  );
  if (missing) return { register: emptyRegister(), diagnostics: [], warnings: [] };
  const loaded = await loadYamlFile(file, 'register');
  if (!loaded.data || !loaded.source) return { diagnostics: loaded.diagnostics, warnings: [] };
  const source = loaded.source;
  const format = loaded.data.registerVersion;
  if (typeof format === 'number' && !READABLE_REGISTER_FORMATS.includes(format)) {
    const diagnostic = source.diagnostic({
      code: 'KP_REGISTER_FORMAT',
      pointer: '/registerVersion',
      message: `This register was written in format ${format}, by a newer keypolicy; this keypolicy reads formats ${READABLE_REGISTER_FORMATS.slice(0, -1).join(', ')} and ${READABLE_REGISTER_FORMATS.at(-1) ?? ''}.`,
      hint: 'Upgrade keypolicy to read it. It has not been changed.',
    });
    return { diagnostics: [diagnostic], warnings: [] };
  }
  const wrote = (pointer: string, value: unknown) =>
    `\`${source.sourceOf(pointer) ?? (typeof value === 'string' ? value : JSON.stringify(value))}\``;
  const findings = checkAgainstSchema(loaded.data, { check: 'register', wrote });
  const diagnostics = [
    ...loaded.diagnostics,
    ...findings.map((f) => source.diagnostic({ ...f, code: 'KP_REGISTER' })),
  ];
  if (diagnostics.length > 0) return { diagnostics, warnings: [] };
  const register = loaded.data as unknown as Register;
  const warnings: Diagnostic[] = [];
  for (const [id, policy] of Object.entries(register.policies)) {
    let chained = '';
    policy.versions.forEach((version, index) => {
      const previous = policy.versions[index - 1];
      const pointer = `/policies/${id}/versions/${index}`;
      const expected = entryHash(version, chained);
      if (version.entryHash !== expected) {
        diagnostics.push(
          source.diagnostic({
            code: 'KP_REGISTER_TAMPERED',
            pointer,
            message: `Version ${version.version} of \`${id}\` has been changed since keypolicy recorded it (its hash no longer matches).`,
            hint: 'Registers are written only by keypolicy itself. Restore this file from version control.',
          }),
        );
      }
      chained = version.entryHash ?? expected;
      if (previous && compareVersions(version.version, previous.version) <= 0) {
        diagnostics.push(
          source.diagnostic({
            code: 'KP_REGISTER',
            pointer: `${pointer}/version`,
            message: `Version ${version.version} of \`${id}\` comes after version ${previous.version}; versions must go up.`,
            hint: 'The register has been edited by hand. Restore it from version control.',
          }),
        );
      }
      if (previous && version.date < previous.date) {
        warnings.push(
          source.diagnostic({
            code: 'KP_REGISTER_DATES',
            severity: 'warning',
            pointer: `${pointer}/date`,
            message: `Version ${version.version} of \`${id}\` is dated before the version it follows (${previous.date}).`,
            hint: 'Later commands need a date on or after the register’s latest; the history is shown as recorded.',
          }),
        );
      }
    });
  }
  return diagnostics.length > 0 ? { diagnostics, warnings } : { register, diagnostics: [], warnings };
}

/** The register as YAML a person can read and git can diff: long text as block scalars, stable key order. */
function registerYaml(register: Register): string {
  const document = new Document(register);
  document.commentBefore =
    ' keypolicy register: every recorded version of each policy, with its change log and sign-off.\n' +
    ' Written by keypolicy (build, approve, review, withdraw, acknowledge); keep it in version control beside the profile,\n' +
    ' with the snapshots in the folder of the same name.';
  return document.toString({ lineWidth: 0, blockQuote: 'literal' });
}

/** The hash that chains an entry to the one before it (over everything but the hash itself). */
function entryHash(entry: RegisterVersion, previous: string): string {
  const content: Partial<RegisterVersion> = { ...entry };
  delete content.entryHash;
  return `sha256:${createHash('sha256').update(previous).update(JSON.stringify(content)).digest('hex')}`;
}

/** Each entry carries the hash of itself and the one before it, so a hand edit of history is evident. */
function chain(register: Register): void {
  for (const policy of Object.values(register.policies)) {
    let previous = '';
    for (const entry of policy.versions) {
      entry.entryHash = entryHash(entry, previous);
      previous = entry.entryHash;
    }
  }
}

/** The register's text, its entries chained by hash. */
export function registerText(register: Register): string {
  // An older format is upgraded when it is next written; one with acknowledgements is format 3, so a
  // keypolicy that would drop them refuses it instead.
  const acknowledged = Object.values(register.policies).some((p) =>
    p.versions.some((v) => v.acknowledgements !== undefined),
  );
  register.registerVersion = acknowledged ? ACKNOWLEDGED_FORMAT : REGISTER_FORMAT;
  chain(register);
  return registerYaml(register);
}

/** Write the register atomically (never half-written), its entries chained by hash. */
export async function saveRegister(file: string, register: Register): Promise<void> {
  await writeFileAtomic(file, registerText(register));
}

/** The latest version of a policy, if it was ever recorded. */
export const latestVersion = (register: Register, id: string): RegisterVersion | undefined =>
  register.policies[id]?.versions.at(-1);
