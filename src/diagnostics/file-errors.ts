/**
 * The operating system's reasons a file cannot be read or written, in words a person can act on, and
 * what a path is when it is not a plain file. One table for every layer that touches files.
 */
import type { Stats } from 'node:fs';

/** errno code → the reason, as it completes "could not read FILE: …". */
export const FILE_ERROR_REASONS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted',
  ENOENT: 'it does not exist',
  ENOTDIR: 'part of its path is a file, not a folder',
  EISDIR: 'it is a folder',
  ELOOP: 'it is a symbolic link that leads round in a loop',
  ENAMETOOLONG: 'its name or path is too long',
  EMFILE: 'too many files are open at once',
  ENFILE: 'too many files are open at once',
  EIO: 'the disk reported a read or write error',
  ENXIO: 'the device it names is not there',
  ENODEV: 'the device it names is not there',
  EBUSY: 'it is in use',
  ETIMEDOUT: 'the network drive it is on did not answer',
  ENOSPC: 'no space left on the disk',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EEXIST: 'something else is in the way',
};

/** What to do about a file that cannot be read, by errno code. */
const READ_HINTS: Readonly<Record<string, string>> = {
  EACCES:
    'Make the file (and the folders above it) readable by the user running keypolicy, or ask whoever manages this computer to.',
  EPERM:
    'Make the file (and the folders above it) readable by the user running keypolicy, or ask whoever manages this computer to.',
  ELOOP: 'Point the link at the real file, or replace the link with the file itself.',
  ENOTDIR: 'Check the path: one of the folders it names is a file.',
  EMFILE: 'Close some programs, or run keypolicy on fewer files at once.',
  ENFILE: 'Close some programs, or run keypolicy on fewer files at once.',
  EIO: 'Copy the file to another disk and try again; the disk may be failing.',
};

export interface FileErrorReason {
  /** The errno code (`EACCES`), or `ERROR` when the error has none. */
  errno: string;
  /** Plain English, such as "permission denied". */
  reason: string;
  hint: string;
}

/** An operating-system error explained; unknown codes keep their own words, so nothing is hidden. */
export function fileErrorReason(error: unknown): FileErrorReason {
  const errno = (error as NodeJS.ErrnoException | undefined)?.code ?? 'ERROR';
  const known = FILE_ERROR_REASONS[errno];
  const own = error instanceof Error ? error.message.replace(/^[A-Z]+: /, '').split(',')[0] : String(error);
  return {
    errno,
    reason: known ?? `the system reported “${own ?? errno}”`,
    hint: READ_HINTS[errno] ?? 'Check that the file exists and can be read, then run again.',
  };
}

/** What a path is when it is not a regular file (`a folder`, `a device`…), or undefined for a file. */
export function notAFileKind(info: Stats): string | undefined {
  if (info.isFile()) return undefined;
  if (info.isDirectory()) return 'a folder';
  if (info.isCharacterDevice()) return 'a device';
  if (info.isBlockDevice()) return 'a disk device';
  if (info.isFIFO()) return 'a named pipe';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}
