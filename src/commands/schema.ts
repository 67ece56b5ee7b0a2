/** `keypolicy schema [--out FILE]`: the profile JSON Schema, stamped with this keypolicy's version. */
import path from 'node:path';
import type { Io } from '../cli/io.js';
import { ExitCode } from '../diagnostics/errors.js';
import { stampedSchema, writeSchemaCopy } from './schema-copy.js';

export async function runSchema(options: { out?: string }, io: Io): Promise<ExitCode> {
  if (!options.out) {
    io.stdout.write(await stampedSchema());
    return ExitCode.Success;
  }
  await writeSchemaCopy(path.resolve(io.cwd, options.out));
  io.stderr.write(`Wrote the profile schema to ${options.out}\n`);
  return ExitCode.Success;
}
