import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli/main.js';
import type { Io } from '../src/cli/io.js';

const made: string[] = [];

/** Remove the folders `tempDir` made (test/setup.ts runs it after each test file). */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A fresh temporary folder holding `files` (relative path → contents). */
export function tempDir(files: Record<string, string | Uint8Array> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'keypolicy-test-'));
  made.push(dir);
  for (const [name, contents] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), contents);
  }
  return dir;
}

/**
 * Copy an example folder without what building it leaves beside its profile (the register, its lock and
 * its folder of snapshots): the README's quick start builds an example in the clone the tests run in.
 */
export function copyExample(from: string, to: string): void {
  cpSync(from, to, { recursive: true, filter: (source) => !/\.register(\.yaml(\.lock)?)?$/.test(source) });
}

const BIN = fileURLToPath(new URL('../bin/keypolicy.js', import.meta.url));

/** Run the real binary, as a separate process, in `cwd` (colours off, no input). */
export function runBinary(cwd: string, args: readonly string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    input: '',
    timeout: 180_000,
  });
}

/** Process groups of browsers seen under each TMPDIR, remembered after their leaders are gone. */
const browserGroups = new Map<string, Set<number>>();

/**
 * The Chromium processes of builds run with TMPDIR=`tmp` (pid, command line). keypolicy starts its
 * browser as a process-group leader with a TMPDIR inside its throw-away profile there; Chromium clears the
 * environment of its helpers (and a headless shell's do not name the profile), so they are found by group.
 */
export function browserProcesses(tmp: string): { pid: number; command: string }[] {
  const marker = `\0TMPDIR=${tmp}/keypolicy-chromium-`;
  const groups = browserGroups.get(tmp) ?? new Set<number>();
  browserGroups.set(tmp, groups);
  const all: { pid: number; group: number; command: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const group = Number(stat.slice(stat.lastIndexOf(') ') + 2).split(' ')[2]);
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      if (`\0${readFileSync(`/proc/${entry}/environ`, 'utf8')}`.includes(marker)) groups.add(group);
      all.push({ pid: Number(entry), group, command });
    } catch {
      // Gone meanwhile, or another user's.
    }
  }
  return all.filter((p) => groups.has(p.group)).map(({ pid, command }) => ({ pid, command }));
}

/** `keypolicy approve` of the key worker policy by the example registered manager. */
export const approveArgs = (role = 'Registered Manager', date?: string): string[] => [
  'approve',
  '--policy',
  'key-worker-policy',
  '--by',
  'Priya Shah',
  '--role',
  role,
  ...(date ? ['--date', date] : []),
];

/** Run the CLI in-process, as `keypolicy ...args` in `cwd`, capturing its output. */
export async function runCli(args: string[], cwd: string, options: { interactive?: boolean } = {}) {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    cwd,
    env: { NO_COLOR: '1' },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    interactive: options.interactive ?? false,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

export const ENGLAND_MINIMAL = `organisation:
  name: Riverside Support Ltd
nation: england
registration:
  cqcLocationId: 1-187729429
people:
  registeredManager:
    firstName: Priya
    lastName: Shah
service:
  type: supported-living
`;

export const WALES_MINIMAL = `organisation:
  name: Cartref Gofal Cyf
nation: wales
registration:
  ciwServiceId: SIN-00001234-ABCD
people:
  responsibleIndividual:
    firstName: Rhys
    lastName: Evans
  manager:
    firstName: Ffion
    lastName: Jones
service:
  type: care-home
`;

/** A 1×1 PNG. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
