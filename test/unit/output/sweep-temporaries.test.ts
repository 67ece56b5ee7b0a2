import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRunning } from '../../../src/core/interrupt.js';
import { sweepTemporaries, temporaryFor, writeFileAtomic } from '../../../src/output/atomic-write.js';
import { tempDir } from '../../helpers.js';

/** The pid of a process that has ended (and been reaped). */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '']).pid;
const hex = (pid: number) => pid.toString(16).padStart(8, '0');

/** Create `files` (relative to `root`), empty, and age those listed in `old` by two minutes. */
function make(root: string, files: readonly string[], old: readonly string[] = []): void {
  for (const file of [...files, ...old]) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), '');
  }
  const then = new Date(Date.now() - 120_000);
  for (const file of old) utimesSync(path.join(root, file), then, then);
}

const remaining = (root: string, files: readonly string[]) =>
  files.filter((f) => existsSync(path.join(root, f)));

describe('temporary file names', () => {
  it("are hidden siblings naming the writer's pid (8 hex digits) before 12 random ones", () => {
    const name = path.basename(temporaryFor('/out/org/key-worker-policy.pdf', 0x1234));
    expect(name).toMatch(/^\.key-worker-policy\.pdf\.00001234[0-9a-f]{12}\.tmp$/);
    expect(path.dirname(temporaryFor('/out/org/key-worker-policy.pdf'))).toBe('/out/org');
    expect(temporaryFor('/a/b.md')).toContain(`.b.md.${hex(process.pid)}`);
    expect(temporaryFor('/a/b.md')).not.toBe(temporaryFor('/a/b.md'));
  });

  it('are gone once a write has landed', async () => {
    const dir = tempDir();
    await writeFileAtomic(path.join(dir, 'org/a.md'), 'text');
    expect(readdirSync(path.join(dir, 'org'))).toEqual(['a.md']);
  });
});

describe('isRunning', () => {
  it('tells a running process from one that has ended, and never takes a group for a process', () => {
    expect(isRunning(process.pid)).toBe(true);
    expect(isRunning(deadPid())).toBe(false);
    for (const pid of [0, -1, Number.NaN, 1.5]) expect(isRunning(pid)).toBe(false);
  });
});

describe('sweepTemporaries', () => {
  const dead = hex(deadPid());
  const live = hex(process.pid);

  it("removes keypolicy's temporary files whose writer has ended, or that are over a minute old", async () => {
    const root = tempDir();
    const gone = [
      // A killed writer's, however fresh: in the output folder, an organisation's, its archive.
      `out/.a.pdf.${dead}0123456789ab.tmp`,
      `out/org/.key-worker-policy.pdf.${dead}0123456789ab.tmp`,
      `out/org/archive/.key-worker-policy-v1.0.pdf.${dead}ba9876543210.tmp`,
      // Beside a profile (its register, its lock) and in its register's folder (snapshots, logos).
      `clients/.a.register.yaml.${dead}0123456789ab.tmp`,
      `clients/.a.register.yaml.lock.${dead}0123456789ab.tmp`,
      `clients/a.register/key-worker-policy/.1.0.yaml.${dead}0123456789ab.tmp`,
    ];
    const stale = [
      // A running writer's over a minute old (its pid reused), and one of an earlier version's names.
      `out/org/.b.docx.${live}0123456789ab.tmp`,
      'clients/.b.register.yaml.0123456789ab.tmp',
    ];
    make(root, [...gone, 'clients/a.yaml'], stale);
    const removed = await sweepTemporaries(path.join(root, 'out'), [path.join(root, 'clients/a.yaml')]);
    expect(removed).toEqual([...gone, ...stale].map((f) => path.join(root, f)).sort());
    expect(remaining(root, [...gone, ...stale])).toEqual([]);
    expect(existsSync(path.join(root, 'clients/a.yaml'))).toBe(true);
  });

  it('leaves everything else: a running writer’s fresh files, other names, folders it does not search', async () => {
    const root = tempDir();
    const kept = [
      // A build running now, and a fresh file of an earlier version's name (its writer may be running).
      `out/org/.a.pdf.${live}0123456789ab.tmp`,
      'out/org/.a.md.0123456789ab.tmp',
      // Not keypolicy's names.
      'out/.notes.tmp',
      'out/notes.0123456789ab.tmp',
      `out/a.pdf.${dead}0123456789ab.tmp`,
      `out/.a.pdf.${dead}0123456789ab.tmp.bak`,
      `out/.a.pdf.${dead}0123456789a.tmp`,
      `out/.a.pdf.${dead.toUpperCase()}0123456789AB.tmp`,
      '.a.pdf.0123456789ab.tmp.old',
      // Too deep, in a dot-folder, in node_modules, and where no build writes.
      `out/org/archive/deeper/.a.pdf.${dead}0123456789ab.tmp`,
      `out/.git/.a.pdf.${dead}0123456789ab.tmp`,
      `out/node_modules/.a.pdf.${dead}0123456789ab.tmp`,
      `elsewhere/.a.pdf.${dead}0123456789ab.tmp`,
    ];
    make(root, kept, ['out/.old-notes.tmp']);
    // Reached through a symbolic link, and a folder with a temporary file's name.
    symlinkSync(path.join(root, 'elsewhere'), path.join(root, 'out/link'));
    mkdirSync(path.join(root, `out/.c.pdf.${dead}0123456789ab.tmp`));
    const removed = await sweepTemporaries(path.join(root, 'out'), [path.join(root, 'missing/a.yaml')]);
    expect(removed).toEqual([]);
    expect(remaining(root, kept)).toEqual(kept);
    expect(existsSync(path.join(root, `out/.c.pdf.${dead}0123456789ab.tmp`))).toBe(true);
  });

  it('searches a folder reached from two starts as deep as the nearer allows', async () => {
    const root = tempDir();
    // The profile's folder holds the output folder: from there, out/org/archive is too deep.
    const deep = `out/org/archive/.a.pdf.${dead}0123456789ab.tmp`;
    make(root, [deep, 'a.yaml']);
    await sweepTemporaries(path.join(root, 'out'), [path.join(root, 'a.yaml')]);
    expect(remaining(root, [deep])).toEqual([]);
  });

  it('is quiet about an output folder that does not exist yet', async () => {
    await expect(sweepTemporaries(path.join(tempDir(), 'out'))).resolves.toEqual([]);
  });
});
