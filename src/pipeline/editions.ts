/**
 * Editions in an organisation's folder: a version drawn in each format, and where each copy goes —
 * `OUT/<slug>/<file>.<ext>` (the newest recorded edition), `in-force/<file>.<ext>` (the edition in
 * force) and `archive/<file>-v<version>.<ext>` (every approved edition, never overwritten). Shared by
 * `build` and by the commands that change a version's standing (approve, review, withdraw), so the
 * folder and its manifest follow one set of rules.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserSession } from '../writers/pdf/session.js';
import { renderHtml } from '../writers/html/html.js';
import {
  buildDocument,
  type DocumentSource,
  type PolicyDocument,
  type VersionInfo,
} from '../document/model.js';
import type { FileWrite } from '../output/atomic-write.js';
import type { ManifestFile } from '../output/manifest.js';
import { editionName } from '../output/paths.js';
import type { RegisterVersion } from '../register/schema.js';
import { registerFolderFor } from '../register/snapshots.js';
import { versionInForce } from '../register/versioning.js';
import { escapeMarkdown } from '../templates/escape.js';
import { FORMATS, type Format } from './formats.js';

/** How documents are drawn: PDF by a browser launched on first use, DOCX here or on worker threads. */
export interface Renderers {
  browser: () => BrowserSession;
  docx?: (doc: PolicyDocument) => Promise<Buffer>;
}

/** Draw one version in each format, from one document model. */
export async function renderEdition(
  source: DocumentSource,
  version: VersionInfo,
  formats: readonly Format[],
  renderers: Renderers,
): Promise<{ format: Format; contents: string | Buffer }[]> {
  // The model is needed for every format but Markdown; built once, drawn many times.
  const doc = formats.some((f) => f !== 'md') ? buildDocument(source, version) : undefined;
  // Chromium prints in its own process while this one draws the other formats: they start once it is
  // printing, so this thread is free to answer the browser while it loads the page. A DOCX drawn on a
  // worker thread starts at once.
  let printing = () => {};
  const printed = formats.includes('pdf')
    ? new Promise<void>((resolve) => (printing = resolve))
    : Promise.resolve();
  return Promise.all(
    formats.map(async (format) => {
      if (format !== 'pdf' && !(format === 'docx' && renderers.docx)) await printed;
      return { format, contents: await renderFormat(format, doc, source, renderers, printing) };
    }),
  );
}

async function renderFormat(
  format: Format,
  doc: PolicyDocument | undefined,
  source: DocumentSource,
  renderers: Renderers,
  printing: () => void,
): Promise<string | Buffer> {
  if (format === 'md') return `# ${escapeMarkdown(source.title)}\n\n${source.markdown.trimEnd()}\n`;
  if (!doc) throw new Error('the document model is built for every format but Markdown');
  switch (format) {
    case 'html':
      return renderHtml(doc);
    case 'pdf': {
      const { renderPdf } = await import('../writers/pdf/print.js');
      return renderPdf(doc, renderers.browser(), printing);
    }
    case 'docx': {
      if (renderers.docx) return renderers.docx(doc);
      const { renderDocx } = await import('../writers/docx/docx.js');
      return renderDocx(doc);
    }
  }
}

/** A read-and-sign sheet is `in-force/<file>-read-and-sign.<ext>`, beside the edition it is for. */
export const SHEET_SUFFIX = '-read-and-sign';

/** Where an edition's copies go in the organisation's folder (paths relative to it, `/`-separated). */
export type Placement = 'latest' | 'in-force' | 'archive';

export function placedAt(placement: Placement, name: string, version: string, format: Format): string {
  if (placement === 'latest') return `${name}.${format}`;
  if (placement === 'in-force') return `in-force/${name}.${format}`;
  return `archive/${name}-v${version}.${format}`;
}

/** The writes and manifest entries for copies of one drawn edition. */
export function placeEdition(
  folder: string,
  policy: string,
  name: string,
  version: VersionInfo,
  drawn: readonly { format: Format; contents: string | Buffer }[],
  placements: readonly Placement[],
  archiveSuffix = '',
): { writes: FileWrite[]; entries: ManifestFile[] } {
  const writes: FileWrite[] = [];
  const entries: ManifestFile[] = [];
  for (const { format, contents } of drawn) {
    const sha256 = createHash('sha256').update(contents).digest('hex');
    for (const placement of placements) {
      const relative =
        placement === 'archive'
          ? `archive/${name}-v${version.version}${archiveSuffix}.${format}`
          : placedAt(placement, name, version.version, format);
      writes.push({
        file: path.join(folder, ...relative.split('/')),
        contents,
        ...(placement === 'archive' ? { ifExists: 'keep' as const } : {}),
      });
      // The manifest lists what is outside the archive: the editions a reader should pick up.
      if (placement !== 'archive')
        entries.push({
          file: relative,
          policy,
          format,
          version: version.version,
          status: version.status,
          sha256,
          effectiveDate: version.effectiveDate ?? null,
          nextReviewDate: version.nextReviewDate,
        });
    }
  }
  return { writes, entries };
}

/** Which editions of a policy the folder should hold now: the newest recorded one and the one in force. */
export interface CurrentEditions {
  latest?: { name: string; version: string; status: 'draft' | 'approved' };
  inForce?: { name: string; version: string };
}

export function currentEditions(versions: readonly RegisterVersion[]): CurrentEditions {
  const latest = versions.at(-1);
  const inForce = versionInForce(versions, '9999-12-31');
  return {
    ...(latest && !latest.withdrawn
      ? {
          latest: {
            name: editionName(latest.title),
            version: latest.version,
            status: latest.approvedOn ? ('approved' as const) : ('draft' as const),
          },
        }
      : {}),
    ...(inForce ? { inForce: { name: editionName(inForce.title), version: inForce.version } } : {}),
  };
}

/** Whether an earlier manifest entry is still one of the editions the folder should hold (in any format). */
export function isCurrentEntry(entry: ManifestFile, current: CurrentEditions): boolean {
  const { latest, inForce } = current;
  if (entry.file.startsWith('in-force/'))
    return (
      inForce !== undefined &&
      // The edition, or its read-and-sign sheet (keypolicy sheet), while that version is in force.
      (entry.file === `in-force/${inForce.name}.${entry.format}` ||
        entry.file === `in-force/${inForce.name}${SHEET_SUFFIX}.${entry.format}`) &&
      entry.version === inForce.version
    );
  return (
    latest !== undefined &&
    entry.file === `${latest.name}.${entry.format}` &&
    entry.version === latest.version &&
    entry.status === latest.status
  );
}

/**
 * Settle the folder after new entries are placed: earlier entries that are replaced or no longer wanted
 * are dropped (their files removed after the new ones land), the rest carried. `owned(entry)` says
 * which earlier entries this change speaks for; others stay as they are.
 */
export function settleEntries(
  folder: string,
  previous: readonly ManifestFile[],
  placed: readonly ManifestFile[],
  owned: (entry: ManifestFile) => boolean,
): { entries: ManifestFile[]; remove: string[] } {
  const now = new Set(placed.map((e) => e.file));
  const carried: ManifestFile[] = [];
  const remove: string[] = [];
  for (const entry of previous) {
    if (now.has(entry.file) || entry.file.startsWith('archive/')) continue;
    if (owned(entry)) remove.push(entry.file);
    // The manifest lists exactly the files present: one deleted by hand is no longer listed.
    else if (existsSync(path.join(folder, ...entry.file.split('/')))) carried.push(entry);
  }
  return { entries: [...carried, ...placed], remove };
}

/** Remove files an organisation's folder no longer holds (never from `archive/`). */
export async function removeEntries(folder: string, files: readonly string[]): Promise<void> {
  for (const file of files)
    if (!file.startsWith('archive/') && !file.includes('..'))
      await rm(path.join(folder, ...file.split('/')), { force: true });
}

/**
 * Move in-force copies to the archive (a withdrawn policy): a copy whose archived edition is already
 * there is simply removed.
 */
export async function archiveEntries(
  folder: string,
  entries: readonly ManifestFile[],
  name: (e: ManifestFile) => string,
) {
  for (const entry of entries) {
    const from = path.join(folder, ...entry.file.split('/'));
    const to = path.join(folder, 'archive', `${name(entry)}-v${entry.version}.${entry.format}`);
    if (existsSync(to)) await rm(from, { force: true });
    else await rename(from, to).catch(() => rm(from, { force: true }));
  }
}

/** Where the last build of a profile wrote, per policy, so approve and review write there too. */
export interface OutputRecord {
  /** The organisation's folder, relative to the profile's folder. */
  folder: string;
  formats: Record<string, Format[]>;
}

const outputRecordPath = (registerFile: string) => path.join(registerFolderFor(registerFile), 'output.json');

export async function readOutputRecord(registerFile: string): Promise<OutputRecord | undefined> {
  const text = await readFile(outputRecordPath(registerFile), 'utf8').catch(() => undefined);
  if (!text) return undefined;
  try {
    const record = JSON.parse(text) as OutputRecord;
    if (typeof record.folder !== 'string' || typeof record.formats !== 'object' || !record.formats)
      return undefined;
    for (const [id, formats] of Object.entries(record.formats))
      record.formats[id] = (Array.isArray(formats) ? formats : []).filter((f): f is Format =>
        (FORMATS as readonly string[]).includes(f),
      );
    return record;
  } catch {
    return undefined;
  }
}

/** The output record after a build that wrote `formats` of `policies` into `folder`. */
export function outputRecordWrite(
  registerFile: string,
  previous: OutputRecord | undefined,
  folder: string,
  policies: readonly string[],
  formats: readonly Format[],
): FileWrite {
  const relative = path.relative(path.dirname(registerFile), folder).split(path.sep).join('/');
  const kept = previous?.folder === relative ? previous.formats : {};
  const record: OutputRecord = {
    folder: relative,
    formats: { ...kept, ...Object.fromEntries(policies.map((p) => [p, [...formats]])) },
  };
  record.formats = Object.fromEntries(Object.entries(record.formats).sort(([a], [b]) => a.localeCompare(b)));
  return { file: outputRecordPath(registerFile), contents: `${JSON.stringify(record, null, 2)}\n` };
}
