/** The register file beside each profile: read (with located errors), checked, locked and written atomically. */
import { readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Document } from 'yaml';
import { onInterrupt } from '../cli/interrupt.js';
import type { Diagnostic } from '../errors.js';
import { KeypolicyError } from '../errors.js';
import { writeFileAtomic } from '../output/atomic-write.js';
import { loadYamlFile } from '../profile/load.js';
import { checkAgainstSchema } from '../profile/schema-check.js';
import type { Register, RegisterVersion } from './schema.js';

/** `NAME.yaml` → `NAME.register.yaml`, beside it. */
export function registerPathFor(profileFile: string): string {
  const ext = path.extname(profileFile);
  return path.join(path.dirname(profileFile), `${path.basename(profileFile, ext)}.register.yaml`);
}

const emptyRegister = (): Register => ({ registerVersion: 1, policies: {} });

/** `1.10` sorts after `1.9`. */
export function compareVersions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

/**
 * Read a register. A missing file is an empty register; one that does not parse, fails its schema or
 * records versions out of order comes back as diagnostics at its line, and is never overwritten.
 */
export async function loadRegister(
  file: string,
): Promise<{ register?: Register; diagnostics: Diagnostic[] }> {
  const exists = await stat(file).then(
    () => true,
    () => false,
  );
  if (!exists) return { register: emptyRegister(), diagnostics: [] };
  const loaded = await loadYamlFile(file);
  if (!loaded.data || !loaded.source) return { diagnostics: loaded.diagnostics };
  const source = loaded.source;
  const wrote = (pointer: string, value: unknown) =>
    `\`${source.sourceOf(pointer) ?? (typeof value === 'string' ? value : JSON.stringify(value))}\``;
  const findings = checkAgainstSchema(loaded.data, { check: 'register', wrote });
  const diagnostics = [
    ...loaded.diagnostics,
    ...findings.map((f) => source.diagnostic({ ...f, code: 'KP_REGISTER' })),
  ];
  if (diagnostics.length > 0) return { diagnostics };
  const register = loaded.data as unknown as Register;
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
            hint: 'Registers are written only by `keypolicy build` and `keypolicy approve`. Restore this file from version control.',
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
        diagnostics.push(
          source.diagnostic({
            code: 'KP_REGISTER',
            pointer: `${pointer}/date`,
            message: `Version ${version.version} of \`${id}\` is dated before the version it follows (${previous.date}).`,
            hint: 'The register has been edited by hand. Restore it from version control.',
          }),
        );
      }
    });
  }
  return diagnostics.length > 0 ? { diagnostics } : { register, diagnostics: [] };
}

/** The register as YAML a person can read and git can diff: long text as block scalars, stable key order. */
function registerYaml(register: Register): string {
  const document = new Document(register);
  document.commentBefore =
    ' keypolicy register: every recorded version of each policy, with its change log and sign-off.\n' +
    ' Written by `keypolicy build` and `keypolicy approve`; keep it in version control beside the profile.';
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
  chain(register);
  return registerYaml(register);
}

/** Write the register atomically (never half-written), its entries chained by hash. */
export async function saveRegister(file: string, register: Register): Promise<void> {
  await writeFileAtomic(file, registerText(register));
}

const LOCK_WAIT_MS = 15_000;
const LOCK_POLL_MS = 100;

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Hold the register's lock while `work` runs: a second build of the same profile waits for the first,
 * and gives up with a clear message if it never finishes. A lock left by a process that died is taken over.
 */
export async function withRegisterLock<T>(registerFile: string, work: () => Promise<T>): Promise<T> {
  const lock = `${registerFile}.lock`;
  // Armed before the lock is taken, as a stop can come between the lock appearing and this function
  // going on; it removes the lock only while it holds this process's pid, so never another build's.
  const forget = onInterrupt(() => {
    if (readFileSync(lock, 'utf8') === String(process.pid)) rmSync(lock, { force: true });
  });
  try {
    await takeLock(registerFile, lock);
    try {
      return await work();
    } finally {
      await rm(lock, { force: true });
    }
  } finally {
    forget();
  }
}

async function takeLock(registerFile: string, lock: string): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      // Put in place whole, pid and all: a lock created empty and then written would, if its process
      // were killed in between, hold no pid to find dead, and block every later build. A write that
      // fails (a full disk, a read-only folder) is reported as any other file's is.
      await writeFileAtomic(lock, String(process.pid), { exclusive: true });
      return;
    } catch (error) {
      if (!(error instanceof KeypolicyError && error.code === 'KP_EXISTS')) throw error;
      const holder = Number(await readFile(lock, 'utf8').catch(() => ''));
      if (holder && !isAlive(holder)) {
        await rm(lock, { force: true });
        continue;
      }
      if (Date.now() - started > LOCK_WAIT_MS) {
        throw new KeypolicyError(
          'KP_REGISTER_LOCKED',
          `Another keypolicy (process ${holder || 'unknown'}) is using ${path.basename(registerFile)}; waited ${LOCK_WAIT_MS / 1000} s.`,
          { hint: `Wait for it to finish and run again. If no keypolicy is running, delete ${lock}.` },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    }
  }
}

/** The latest version of a policy, if it was ever recorded. */
export const latestVersion = (register: Register, id: string): RegisterVersion | undefined =>
  register.policies[id]?.versions.at(-1);
