/** Writes that never leave a half-written file: write a temporary sibling, then rename over the target. */
import { randomBytes } from 'node:crypto';
import { link, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ExitCode, KeypolicyError } from '../errors.js';

export async function writeFileAtomic(
  file: string,
  contents: string | Uint8Array,
  options: { exclusive?: boolean } = {},
) {
  const temporary = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    await writeFile(temporary, contents, { flag: 'wx' });
    if (options.exclusive) {
      // link() fails when the target exists, so a file created meanwhile is never overwritten.
      await link(temporary, file);
      await rm(temporary, { force: true });
    } else {
      await rename(temporary, file);
    }
  } catch (error) {
    await rm(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw new KeypolicyError('KP_EXISTS', `${file} already exists.`, {
        hint: 'Use --force to overwrite it.',
        cause: error,
      });
    }
    if (
      code === 'ENOENT' ||
      code === 'EACCES' ||
      code === 'EPERM' ||
      code === 'ENOSPC' ||
      code === 'EROFS' ||
      code === 'ENOTDIR'
    ) {
      throw new KeypolicyError('KP_IO', `Could not write ${file} (${code}).`, {
        exitCode: ExitCode.Environment,
        hint: 'Check that the folder exists, is writable and has free space.',
        cause: error,
      });
    }
    throw error;
  }
}
