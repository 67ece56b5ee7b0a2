/** Writes that never leave a half-written file: write a temporary sibling, then rename over the target. */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { link, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { onInterrupt } from '../cli/interrupt.js';
import { ExitCode, KeypolicyError } from '../errors.js';

const ENVIRONMENT_CODES = new Set([
  'ENOENT',
  'EACCES',
  'EPERM',
  'ENOSPC',
  'EROFS',
  'ENOTDIR',
  'EEXIST',
  'EISDIR',
  'EDQUOT',
]);

/** A file-system failure as the user's problem (exit 3), or the original error when it is a bug. */
function ioError(file: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (!code || !ENVIRONMENT_CODES.has(code)) return error;
  return new KeypolicyError('KP_IO', `Could not write ${file} (${code}).`, {
    exitCode: ExitCode.Environment,
    hint: 'Check that the folder can be created, is writable and has free space.',
    cause: error,
  });
}

/**
 * Write `file` (creating its folder) so readers see the old contents or the new, never a mix. With
 * `exclusive`, an existing file is never replaced, even one created by another process meanwhile.
 */
export async function writeFileAtomic(
  file: string,
  contents: string | Uint8Array,
  options: { exclusive?: boolean } = {},
): Promise<void> {
  const temporary = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  const forget = onInterrupt(() => rmSync(temporary, { force: true }));
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(temporary, contents, { flag: 'wx' });
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    forget();
    throw ioError(file, error);
  }
  try {
    if (options.exclusive) await link(temporary, file);
    else await rename(temporary, file);
  } catch (error) {
    if (options.exclusive && (error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new KeypolicyError('KP_EXISTS', `${file} already exists.`, {
        hint: 'Use --force to overwrite it.',
        cause: error,
      });
    }
    throw ioError(file, error);
  } finally {
    await rm(temporary, { force: true }).catch(() => undefined);
    forget();
  }
}
