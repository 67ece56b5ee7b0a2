/** Which profile files a command was given: paths, folders and globs, with registers set aside. */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';

export interface ProfileInputs {
  files: string[];
  /** Inputs passed over, with why (a register is not a profile). */
  skipped: { file: string; reason: string }[];
}

const isRegister = (file: string) => /\.register\.ya?ml$/i.test(file);
const isYaml = (file: string) => /\.ya?ml$/i.test(file);

/** Expand `clients/*.yaml`, `clients/` and plain paths into profile files, sorted and without duplicates. */
export async function expandProfileInputs(inputs: readonly string[], cwd: string): Promise<ProfileInputs> {
  const found: string[] = [];
  for (const input of inputs) {
    const absolute = path.resolve(cwd, input);
    const info = await stat(absolute).catch(() => undefined);
    if (info?.isDirectory()) {
      found.push(...(await glob(['*.yaml', '*.yml'], { cwd: absolute, absolute: true, onlyFiles: true })));
    } else if (!info && /[*?[\]{}]/.test(input)) {
      found.push(...(await glob([input], { cwd, absolute: true, onlyFiles: true })).filter(isYaml));
    } else {
      found.push(absolute); // a missing file is reported by validation, at its name
    }
  }
  const unique = [...new Set(found.map((f) => path.normalize(f)))].sort();
  return {
    files: unique.filter((f) => !isRegister(f)),
    skipped: unique.filter(isRegister).map((file) => ({ file, reason: 'a register, not a profile' })),
  };
}

/** `--shard K/N` → { index: K, count: N }, or a usage problem. */
export function parseShard(value: string): { index: number; count: number } | undefined {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  return match && count >= 1 && index >= 1 && index <= count ? { index, count } : undefined;
}

/**
 * Whether a profile belongs to shard K of N: by a hash of its path relative to the working folder, so
 * every runner of a CI matrix agrees, the shares are disjoint, and together they are the whole.
 */
export function inShard(file: string, cwd: string, shard: { index: number; count: number }): boolean {
  const key = path.relative(cwd, file).split(path.sep).join('/');
  const bucket = createHash('sha256').update(key).digest().readUInt32BE(0) % shard.count;
  return bucket === shard.index - 1;
}
