/**
 * Snapshots: for every recorded version, exactly what it was rendered from (its words and the
 * organisation's facts, the logo kept once by its hash), in `NAME.register/` beside the register. The
 * register records each snapshot's hash, so the hash chain covers it and an approved edition can be
 * drawn again, byte for byte, whatever the profile or templates say now.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Document, parse } from 'yaml';
import type { DocumentSource, Logo } from '../document/model.js';
import { KeypolicyError } from '../diagnostics/errors.js';
import type { FileWrite } from '../output/atomic-write.js';

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

const EXTENSIONS: Record<Logo['mime'], string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/svg+xml': 'svg',
};

/** `NAME.register.yaml` → `NAME.register/`, the folder of everything else keypolicy keeps for a profile. */
export const registerFolderFor = (registerFile: string): string => registerFile.replace(/\.ya?ml$/i, '');

/** Where a version's snapshot lives: `NAME.register/<policy>/<version>.yaml`. */
export const snapshotPath = (registerFile: string, policy: string, version: string): string =>
  path.join(registerFolderFor(registerFile), policy, `${version}.yaml`);

const logoPath = (registerFile: string, logo: Logo) =>
  path.join(registerFolderFor(registerFile), 'logos', `${sha256(logo.data)}.${EXTENSIONS[logo.mime]}`);

/** What a snapshot file holds: the source, with the logo named by its hash instead of its bytes. */
interface SnapshotFile {
  title: string;
  organisation: DocumentSource['organisation'];
  logo?: { mime: Logo['mime']; sha256: string };
  markdown: string;
}

const snapshotOf = (source: DocumentSource): SnapshotFile => ({
  title: source.title,
  organisation: source.organisation,
  ...(source.logo ? { logo: { mime: source.logo.mime, sha256: sha256(source.logo.data) } } : {}),
  markdown: source.markdown,
});

/** The hash a version records of its source: equal sources give equal documents. */
export const sourceHash = (source: DocumentSource): string =>
  `sha256:${sha256(JSON.stringify(snapshotOf(source)))}`;

/** The files that keep a version's snapshot: its YAML, and the logo once by its hash. */
export function snapshotWrites(
  registerFile: string,
  policy: string,
  version: string,
  source: DocumentSource,
): FileWrite[] {
  const document = new Document(snapshotOf(source));
  document.commentBefore =
    ` keypolicy snapshot: what version ${version} of ${policy} was rendered from.\n` +
    ' Written by keypolicy and covered by the register’s hashes; keep it in version control, never edit it.';
  const writes: FileWrite[] = [
    {
      file: snapshotPath(registerFile, policy, version),
      contents: document.toString({ lineWidth: 0, blockQuote: 'literal' }),
    },
  ];
  if (source.logo)
    writes.push({ file: logoPath(registerFile, source.logo), contents: source.logo.data, ifExists: 'keep' });
  return writes;
}

const snapshotProblem = (file: string, message: string) =>
  new KeypolicyError('KP_SNAPSHOT', `${file}: ${message}`, {
    hint: 'Restore the register folder from version control, or build again to record the policy as it is now.',
  });

/** Read a version's snapshot back, checked against the hash the register recorded for it. */
export async function readSnapshot(
  registerFile: string,
  policy: string,
  version: string,
  expected: string,
): Promise<DocumentSource> {
  const file = snapshotPath(registerFile, policy, version);
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) throw snapshotProblem(file, `the snapshot of version ${version} is missing.`);
  let stored: SnapshotFile;
  try {
    stored = parse(text) as SnapshotFile;
  } catch {
    throw snapshotProblem(file, 'the snapshot cannot be read.');
  }
  let logo: Logo | undefined;
  if (stored.logo) {
    const logoFile = path.join(
      registerFolderFor(registerFile),
      'logos',
      `${stored.logo.sha256}.${EXTENSIONS[stored.logo.mime]}`,
    );
    const data = await readFile(logoFile).catch(() => undefined);
    if (!data) throw snapshotProblem(logoFile, `the logo of version ${version} is missing.`);
    logo = { data, mime: stored.logo.mime };
  }
  const source: DocumentSource = {
    title: stored.title,
    markdown: stored.markdown,
    organisation: stored.organisation,
    ...(logo ? { logo } : {}),
  };
  if (sourceHash(source) !== expected)
    throw snapshotProblem(file, `version ${version} has been changed since keypolicy recorded it.`);
  return source;
}
