/** `OUT/<slug>/manifest.json`: every file of an organisation with its version, status, hash and dates. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { VERSION } from '../core/version.js';

export interface ManifestFile {
  /** Relative to the organisation's folder. */
  file: string;
  policy: string;
  format: string;
  version: string;
  status: 'draft' | 'approved';
  sha256: string;
  effectiveDate: string | null;
  nextReviewDate: string;
}

export interface Manifest {
  organisation: string;
  /** The organisation's id from its register: whose folder this is. */
  organisationId?: string;
  slug: string;
  keypolicy: string;
  /** The inputs fingerprint these files were built from (see build/fingerprint.ts). */
  inputs: string;
  files: ManifestFile[];
}

const manifestPath = (folder: string) => path.join(folder, 'manifest.json');

/** The manifest as a file to write, alongside the documents it lists. */
export function manifestWrite(folder: string, manifest: Omit<Manifest, 'keypolicy'>) {
  const document: Manifest = {
    ...manifest,
    keypolicy: VERSION,
    files: [...manifest.files].sort((a, b) => a.file.localeCompare(b.file)),
  };
  return { file: manifestPath(folder), contents: `${JSON.stringify(document, null, 2)}\n` };
}

/** An organisation folder's manifest as last written: undefined when there is none or it is not JSON. */
export async function readManifest(folder: string): Promise<Partial<Manifest> | undefined> {
  const text = await readFile(manifestPath(folder), 'utf8').catch(() => undefined);
  if (!text) return undefined;
  try {
    const manifest: unknown = JSON.parse(text);
    return manifest !== null && typeof manifest === 'object' ? manifest : undefined;
  } catch {
    return undefined;
  }
}

/** The entries of a manifest that name a file (a hand-edited one may hold anything). */
export const manifestEntries = (manifest: Partial<Manifest> | undefined): ManifestFile[] =>
  Array.isArray(manifest?.files) ? manifest.files.filter((f) => typeof f?.file === 'string') : [];

/** True when the manifest was built from these inputs and every file it lists is on disk unchanged. */
export async function manifestIsCurrent(folder: string, inputs: string): Promise<Manifest | undefined> {
  const manifest = await readManifest(folder);
  if (manifest?.inputs !== inputs || manifest.keypolicy !== VERSION || !Array.isArray(manifest.files))
    return undefined;
  for (const entry of manifest.files) {
    const bytes = await readFile(path.join(folder, entry.file)).catch(() => undefined);
    if (!bytes || createHash('sha256').update(bytes).digest('hex') !== entry.sha256) return undefined;
  }
  return manifest as Manifest;
}
