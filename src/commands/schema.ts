/** `keypolicy schema [--out FILE]` */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Io } from '../cli/io.js';
import { ExitCode } from '../diagnostics/errors.js';
import { writeFileAtomic } from '../output/atomic-write.js';
import { PROFILE_SCHEMA_FILE } from '../profile/schema-lookup.js';

export async function runSchema(options: { out?: string }, io: Io): Promise<ExitCode> {
  const text = await readFile(PROFILE_SCHEMA_FILE, 'utf8');
  if (!options.out) {
    io.stdout.write(text);
    return ExitCode.Success;
  }
  await writeFileAtomic(path.resolve(io.cwd, options.out), text);
  io.stderr.write(`Wrote the profile schema to ${options.out}\n`);
  return ExitCode.Success;
}
