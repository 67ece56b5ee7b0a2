/** Writes that never leave a half-written file: write a temporary sibling, then rename over the target. */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { link, lstat, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isRunning, onInterrupt } from '../core/interrupt.js';
import { ExitCode, KeypolicyError } from '../diagnostics/errors.js';
import { FILE_ERROR_REASONS } from '../diagnostics/file-errors.js';

/**
 * The file-system failures that are the machine's (exit 3), in the words every layer uses for them; a
 * missing file, when writing, means a folder on its path is missing.
 */
const ENVIRONMENT_CODES = new Set([
  'ENOSPC',
  'EDQUOT',
  'EACCES',
  'EPERM',
  'EROFS',
  'ENOENT',
  'ENOTDIR',
  'EEXIST',
  'EISDIR',
]);
const writeReason = (code: string) =>
  code === 'ENOENT' ? 'a folder on its path does not exist' : FILE_ERROR_REASONS[code];

const HINTS: Record<string, string> = {
  ENOSPC: 'Free some space on that disk and run again.',
  EDQUOT: 'Free some space on that disk and run again.',
  EACCES: 'Make the folder writable by the user running keypolicy and run again.',
  EPERM: 'Make the folder writable by the user running keypolicy and run again.',
  EROFS: 'Write to another folder, or remount the file system read-write, and run again.',
};

/** A file-system failure as the user's problem (exit 3), or the original error when it is a bug. */
function ioError(file: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code && ENVIRONMENT_CODES.has(code) ? writeReason(code) : undefined;
  if (!code || !reason) return error;
  return new KeypolicyError('KP_IO', `Could not write ${file}: ${reason} (${code}).`, {
    exitCode: ExitCode.Environment,
    hint: HINTS[code] ?? 'Check that the folder can be created, is writable and has free space.',
    cause: error,
  });
}

/**
 * A hidden sibling of `file`, in its folder so the rename that replaces `file` is atomic:
 * `.NAME.PPPPPPPPRRRRRRRRRRRR.tmp`, the writer's pid in 8 hex digits then 12 random ones, so a later
 * build can tell a temporary file whose writer was killed outright (see `sweepTemporaries`).
 */
export const temporaryFor = (file: string, pid: number = process.pid): string =>
  path.join(
    path.dirname(file),
    `.${path.basename(file)}.${(pid >>> 0).toString(16).padStart(8, '0')}${randomBytes(6).toString('hex')}.tmp`,
  );

/** keypolicy's temporary names: with the writer's pid, and (from earlier versions) without. Nothing else matches. */
const TEMPORARY = /^\..+\.(?:([0-9a-f]{8})[0-9a-f]{12}|[0-9a-f]{12})\.tmp$/;

/** A temporary file this old has outlived any write: a writer stages all its files within moments. */
const STALE_MS = 60_000;

/**
 * Remove what builds killed outright (SIGKILL, a power cut: no clean-up runs) left where a build writes:
 * the output folder `out` and the folders of its `profiles` (registers, locks, snapshots), each with its
 * sub-folders down to `depth` (`OUT/<slug>/archive`, `<name>.register/<policy>`). Only keypolicy's
 * temporary files go, each written by a process that is no longer running, or older than a minute (its
 * pid reused since, or a name without one). A running writer's fresh files, files of any other name,
 * dot-folders, node_modules and symbolic links are never touched. Returns the files removed; a folder
 * that cannot be read or a file that cannot be removed is passed over, as a left-over is harmless and
 * failing a build over one would not be.
 */
export async function sweepTemporaries(
  out: string,
  profiles: readonly string[] = [],
  depth = 2,
): Promise<string[]> {
  // How deep below each folder has been swept: a folder reached again from a nearer start goes deeper.
  const seen = new Map<string, number>();
  const removed = new Set<string>();
  const now = Date.now();
  const sweep = async (folder: string, below: number): Promise<void> => {
    if ((seen.get(folder) ?? -1) >= below) return;
    seen.set(folder, below);
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    await Promise.all(
      entries.map(async (entry) => {
        const file = path.join(folder, entry.name);
        if (entry.isDirectory()) {
          if (below > 0 && !entry.name.startsWith('.') && entry.name !== 'node_modules')
            await sweep(file, below - 1);
          return;
        }
        const match = entry.isFile() ? TEMPORARY.exec(entry.name) : null;
        if (!match) return;
        // A writer that is no longer running left an orphan, whatever its age.
        const orphaned = match[1] !== undefined && !isRunning(Number.parseInt(match[1], 16));
        if (!orphaned) {
          const stats = await lstat(file).catch(() => undefined);
          if (!stats || now - stats.mtimeMs < STALE_MS) return;
        }
        await rm(file, { force: true }).then(
          () => removed.add(file),
          () => undefined,
        );
      }),
    );
  };
  const folders = new Set([path.resolve(out), ...profiles.map((file) => path.dirname(path.resolve(file)))]);
  await Promise.all([...folders].map((folder) => sweep(folder, depth)));
  return [...removed].sort();
}

/**
 * Write `file` (creating its folder) so readers see the old contents or the new, never a mix. With
 * `exclusive`, an existing file is never replaced, even one created by another process meanwhile.
 */
export function writeFileAtomic(
  file: string,
  contents: string | Uint8Array,
  options: { exclusive?: boolean } = {},
): Promise<void> {
  return writeFilesAtomic([{ file, contents, ifExists: options.exclusive ? 'refuse' : 'replace' }]);
}

/** One file of a `writeFilesAtomic` change. */
export interface FileWrite {
  file: string;
  contents: string | Uint8Array;
  /**
   * What an existing file gets: replaced (the default); kept as it is, without an error (an archived
   * edition); or refused with `KP_EXISTS`.
   */
  ifExists?: 'replace' | 'keep' | 'refuse';
}

/**
 * Write several files as one change: every temporary sibling is written first and only then renamed
 * into place, in order, so a failure while writing (a full disk, a read-only folder) changes none of
 * them. A rename within a folder needs no new space, so once every temporary is written a full disk
 * can no longer stop the change half-way.
 */
export async function writeFilesAtomic(writes: readonly FileWrite[]): Promise<void> {
  const staged: (FileWrite & { temporary: string })[] = [];
  const forget = onInterrupt(() => {
    for (const { temporary } of staged) rmSync(temporary, { force: true });
  });
  try {
    for (const write of writes) {
      const temporary = temporaryFor(write.file);
      staged.push({ ...write, temporary });
      try {
        await mkdir(path.dirname(write.file), { recursive: true });
        await writeFile(temporary, write.contents, { flag: 'wx' });
      } catch (error) {
        throw ioError(write.file, error);
      }
    }
    for (const { file, temporary, ifExists = 'replace' } of staged) {
      try {
        if (ifExists === 'replace') await rename(temporary, file);
        else await link(temporary, file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || ifExists === 'replace')
          throw ioError(file, error);
        if (ifExists === 'refuse')
          throw new KeypolicyError('KP_EXISTS', `${file} already exists.`, {
            hint: 'Use --force to overwrite it.',
            cause: error,
          });
      }
    }
  } finally {
    await Promise.all(staged.map(({ temporary }) => rm(temporary, { force: true }).catch(() => undefined)));
    forget();
  }
}
