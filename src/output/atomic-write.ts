/** Writes that never leave a half-written file: write a temporary sibling, then rename over the target. */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { link, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { onInterrupt } from '../core/interrupt.js';
import { ExitCode, KeypolicyError } from '../diagnostics/errors.js';

/** The file-system failures that are the machine's (exit 3), each in words a person can act on. */
const ENVIRONMENT_REASONS: Record<string, string> = {
  ENOSPC: 'no space left on the disk',
  EDQUOT: 'the disk quota is used up',
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted',
  EROFS: 'the file system is read-only',
  ENOENT: 'a folder on its path does not exist',
  ENOTDIR: 'part of its path is a file, not a folder',
  EEXIST: 'something else is in the way',
  EISDIR: 'it is a folder',
};

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
  const reason = code ? ENVIRONMENT_REASONS[code] : undefined;
  if (!code || !reason) return error;
  return new KeypolicyError('KP_IO', `Could not write ${file}: ${reason} (${code}).`, {
    exitCode: ExitCode.Environment,
    hint: HINTS[code] ?? 'Check that the folder can be created, is writable and has free space.',
    cause: error,
  });
}

/** A hidden sibling of `file`, in its folder so the rename that replaces `file` is atomic. */
const temporaryFor = (file: string) =>
  path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);

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
