/**
 * What can change a profile's outputs, as one hash: keypolicy's version, the profile and its `extends`
 * chain, its logo, every template pack's files, its register, the formats and options, the browser.
 * When it matches the manifest and the files on disk do too, an incremental build renders nothing.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { registerPathFor } from '../register/register.js';
import type { ResolvedProfile } from '../profile/resolve.js';
import { BUILT_IN_PACK } from '../templates/packs.js';
import { VERSION } from '../core/version.js';

/**
 * Hashes of whole packs, by folder, made once per build and shared by its organisations (the next build
 * hashes them again, so an edited template is seen even in the same process).
 */
export type PackHashes = Map<string, Promise<string>>;

function hashPack(pack: string, hashes: PackHashes): Promise<string> {
  let hash = hashes.get(pack);
  if (!hash) {
    hash = (async () => {
      const files = (await glob(['**/*'], { cwd: pack, onlyFiles: true, dot: false })).sort();
      const digest = createHash('sha256');
      for (const file of files) {
        digest.update(`${file}\0`);
        digest.update(await readFile(path.join(pack, file)).catch(() => Buffer.alloc(0)));
      }
      return digest.digest('hex');
    })();
    hashes.set(pack, hash);
  }
  return hash;
}

export async function inputsFingerprint(
  profile: ResolvedProfile,
  chain: readonly string[],
  options: {
    formats: readonly string[];
    policies?: readonly string[];
    packs?: readonly string[];
    browser?: string;
    register?: string;
    packHashes: PackHashes;
  },
): Promise<string> {
  const digest = createHash('sha256');
  const add = (label: string, value: string | Buffer) =>
    digest.update(`${label}\0`).update(value).update('\0');
  add('keypolicy', VERSION);
  add(
    'options',
    JSON.stringify({
      formats: options.formats,
      policies: options.policies ?? [],
      browser: options.browser ?? '',
    }),
  );
  for (const file of chain) add(file, await readFile(file));
  if (profile.logo) add('logo', await readFile(profile.logo).catch(() => Buffer.alloc(0)));
  add(
    'register',
    options.register ?? (await readFile(registerPathFor(profile.file)).catch(() => Buffer.alloc(0))),
  );
  for (const pack of [BUILT_IN_PACK, ...profile.templatePacks, ...(options.packs ?? [])])
    add(pack, await hashPack(pack, options.packHashes));
  return digest.digest('hex');
}
