/** Which profile files a command was given: paths, folders and globs, with registers set aside. */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { KeypolicyError } from '../diagnostics/errors.js';

export interface ProfileInputs {
  files: string[];
  /** Inputs passed over, with why (a register is not a profile). */
  skipped: { file: string; reason: string }[];
}

const REGISTER_REASON = 'a register, not a profile';

const isYaml = (file: string) => /\.ya?ml$/i.test(file);
const isGlob = (input: string) => /[*?[\]{}]/.test(input);

/**
 * Why `file` is not a profile, if it is not: a register (`NAME.register.yaml`), another file keypolicy
 * keeps beside a profile (`NAME.register.*`), or anything inside a `NAME.register/` folder (snapshots).
 */
function notAProfile(file: string): string | undefined {
  const base = path.basename(file);
  if (/^.+\.register\.ya?ml$/i.test(base)) return REGISTER_REASON;
  if (/^.+\.register\..+$/i.test(base)) return 'kept by keypolicy beside a profile, not a profile';
  const folders = path.dirname(file).split(/[\\/]/);
  if (folders.some((folder) => /^.+\.register$/i.test(folder)))
    return 'inside a register folder, kept by keypolicy, not a profile';
  return undefined;
}

/**
 * Expand `clients/*.yaml`, `clients/` and plain paths into profile files, without duplicates, in the order
 * given (a folder's or glob's matches sorted, as a shell sorts them). A folder lists the YAML files
 * directly inside it, not its subfolders. A folder or glob that yields no profile throws
 * KP_NO_PROFILES (a typo in CI must not pass on an empty set); so do inputs that leave no profile at all.
 */
export async function expandProfileInputs(inputs: readonly string[], cwd: string): Promise<ProfileInputs> {
  const found: string[] = [];
  const barren: string[] = [];
  for (const input of inputs) {
    const absolute = path.resolve(cwd, input);
    const info = await stat(absolute).catch(() => undefined);
    let matched: string[];
    if (info?.isDirectory()) {
      const { glob } = await import('tinyglobby');
      matched = await glob(['*.yaml', '*.yml'], { cwd: absolute, absolute: true, onlyFiles: true });
    } else if (!info && isGlob(input)) {
      // expandDirectories off: `client*` must not turn into every file below a `clients` folder.
      // Loaded only for a folder or a glob: a plain file name needs no globbing.
      const { glob } = await import('tinyglobby');
      const hits = await glob([input], { cwd, absolute: true, onlyFiles: true, expandDirectories: false });
      matched = hits.filter(isYaml);
    } else {
      found.push(absolute); // a missing file is reported by validation, at its name
      continue;
    }
    found.push(...matched.sort());
    if (!matched.some((file) => !notAProfile(file)))
      barren.push(emptyInput(input, info?.isDirectory() === true, matched.length));
  }
  const unique = [...new Set(found.map((f) => path.normalize(f)))];
  const staffFiles = await staffListsNamed(unique.filter((f) => !notAProfile(f)));
  const why = (file: string) => notAProfile(file) ?? staffFiles.get(file);
  const files = unique.filter((f) => !why(f));
  const skipped = unique.flatMap((file) => {
    const reason = why(file);
    return reason ? [{ file, reason }] : [];
  });
  if (barren.length > 0 || (files.length === 0 && inputs.length > 0)) {
    // No barren folder or glob, yet nothing left: every input was a plain path to a register or the like.
    const what =
      barren.length > 0
        ? barren.join('; ')
        : inputs
            .map((input) => `\`${input}\` is ${notAProfile(path.resolve(cwd, input)) ?? 'not a profile'}`)
            .join('; ');
    throw new KeypolicyError('KP_NO_PROFILES', `No profile found: ${what}.`, {
      hint:
        'Check the spelling and the folder you run keypolicy from. A folder ' +
        'input takes the .yaml and .yml files directly inside it; registers (NAME.register.yaml) and NAME.register/ ' +
        'folders are never profiles.',
    });
  }
  return { files, skipped };
}

/** Profiles larger than this are not read for a `staff:` file name (no real profile comes near it). */
const STAFF_SCAN_LIMIT = 1024 * 1024;

/**
 * The staff lists the profiles among `files` name (`staff: staff.yaml`), with why each is not a profile:
 * a folder holding a profile and its staff file takes only the profile.
 */
async function staffListsNamed(files: readonly string[]): Promise<Map<string, string>> {
  const named = new Map<string, string>();
  for (const file of files) {
    // Only regular files of a profile's size are read here: a named pipe would wait for a writer, and
    // anything else is reported when the profile itself is loaded.
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile() || info.size > STAFF_SCAN_LIMIT) continue;
    const text = await readFile(file, 'utf8').catch(() => '');
    // Parsed only when a top-level `staff:` key is there: most profiles keep no staff file.
    if (!/^staff\s*:/m.test(text)) continue;
    let data: unknown;
    try {
      data = parse(text);
    } catch {
      continue; // reported when the profile itself is validated
    }
    const staff = (data as { staff?: unknown } | null)?.staff;
    if (typeof staff === 'string')
      named.set(
        path.normalize(path.resolve(path.dirname(file), staff)),
        `a staff list that ${path.basename(file)} names, not a profile`,
      );
  }
  return named;
}

/** Why a folder or glob gave no profile, in words naming it as it was typed. */
function emptyInput(input: string, folder: boolean, yamlFiles: number): string {
  if (folder)
    return yamlFiles === 0
      ? `the folder \`${input}\` holds no .yaml or .yml file`
      : `the folder \`${input}\` holds only registers and files keypolicy keeps beside them`;
  return yamlFiles === 0
    ? `\`${input}\` matches no .yaml or .yml file`
    : `\`${input}\` matches only registers and files keypolicy keeps beside them`;
}

/**
 * Notes for skipped inputs, paths shown by `show`. A folder of clients holds a register beside every
 * profile: a few are named, many are counted (as build reports them).
 */
export function skippedNotes(skipped: ProfileInputs['skipped'], show: (file: string) => string): string[] {
  if (skipped.length <= 3) return skipped.map((s) => `${show(s.file)}: skipped (${s.reason})`);
  const examples = `${skipped
    .slice(0, 2)
    .map((s) => show(s.file))
    .join(', ')}, …`;
  return skipped.every((s) => s.reason === REGISTER_REASON)
    ? [`${skipped.length} registers skipped (${examples}): registers are not profiles`]
    : [
        `${skipped.length} files skipped (${examples}): registers and the files keypolicy keeps beside them are not profiles`,
      ];
}

/** The most shares `--shard` splits a batch into: far more than any CI matrix runs. */
export const MAX_SHARDS = 10_000;

/** `--shard K/N` → { index: K, count: N } with 1 ≤ K ≤ N ≤ MAX_SHARDS, or undefined (a usage problem). */
export function parseShard(value: string): { index: number; count: number } | undefined {
  // At most nine digits each: no number so long it loses its value (`1/1e400`, twenty nines).
  const match = /^(\d{1,9})\/(\d{1,9})$/.exec(value.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  return match && count >= 1 && count <= MAX_SHARDS && index >= 1 && index <= count
    ? { index, count }
    : undefined;
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
