/**
 * `sheet`: a read-and-sign sheet for each policy in force, `OUT/<slug>/in-force/<file>-read-and-sign.<ext>`,
 * listed in the manifest beside the edition it is for (and removed with it when a new version comes into
 * force). One browser for every PDF of a run, launched only when a PDF is asked for.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { KeypolicyError } from '../diagnostics/errors.js';
import { writeFilesAtomic, type FileWrite } from '../output/atomic-write.js';
import { manifestEntries, manifestWrite, readManifest, type ManifestFile } from '../output/manifest.js';
import { editionName, organisationSlug } from '../output/paths.js';
import { readerRoles, requiredReaders } from '../profile/staff.js';
import { withRegisterLock } from '../register/lock.js';
import { loadRegister, registerPathFor } from '../register/register.js';
import { registerChoices, selectPolicy } from '../register/sign-off.js';
import { recordedReview, versionInForce } from '../register/versioning.js';
import type { BrowserSession } from '../writers/pdf/session.js';
import { sortReaders, type ReadAndSignSheet } from '../writers/sheet/model.js';
import { profileWithStaff } from './acknowledge.js';
import { readOutputRecord, removeEntries, settleEntries, SHEET_SUFFIX } from './editions.js';

export const SHEET_FORMATS = ['pdf', 'docx', 'csv'] as const;
export type SheetFormat = (typeof SHEET_FORMATS)[number];

export interface SheetRequest {
  policy?: string;
  /** OUT, when given; else the folder the last build used, else `fallbackOut`. */
  out?: string;
  fallbackOut: string;
  formats: readonly SheetFormat[];
  date: string;
  /** The browser for PDFs, made on first use and shared by every profile of the run. */
  browser: () => BrowserSession;
}

export interface SheetFile {
  file: string;
  policy: string;
  version: string;
  format: SheetFormat;
  readers: number;
}

export interface SheetResult {
  profile: string;
  organisation?: string;
  files: SheetFile[];
  notes: string[];
  error?: KeypolicyError;
}

async function draw(
  sheet: ReadAndSignSheet,
  format: SheetFormat,
  request: SheetRequest,
): Promise<string | Buffer> {
  if (format === 'csv') return (await import('../writers/sheet/csv.js')).renderSheetCsv(sheet);
  if (format === 'docx') return (await import('../writers/sheet/docx.js')).renderSheetDocx(sheet);
  return (await import('../writers/sheet/pdf.js')).renderSheetPdf(sheet, request.browser());
}

/** Write the read-and-sign sheets of one profile; a user error comes back in the result, never thrown. */
export async function writeSheets(file: string, request: SheetRequest): Promise<SheetResult> {
  const result: SheetResult = { profile: file, files: [], notes: [] };
  try {
    const profile = await profileWithStaff(file);
    result.organisation = profile.data.organisation.name;
    const staff = profile.staff?.people ?? [];
    const registerFile = registerPathFor(file);
    await withRegisterLock(registerFile, async () => {
      const loaded = await loadRegister(registerFile);
      if (!loaded.register)
        throw new KeypolicyError(
          'KP_REGISTER',
          `${path.basename(registerFile)} cannot be used: ${loaded.diagnostics[0]?.message ?? ''}`,
        );
      const register = loaded.register;
      const ids = request.policy
        ? [selectPolicy(registerChoices(register), request.policy)]
        : Object.keys(register.policies).sort();
      const record = await readOutputRecord(registerFile);
      const slug = record ? path.basename(record.folder) : organisationSlug(profile);
      const folder = request.out
        ? path.join(request.out, slug)
        : record
          ? path.resolve(path.dirname(registerFile), record.folder)
          : path.join(request.fallbackOut, slug);
      const writes: FileWrite[] = [];
      const placed: ManifestFile[] = [];
      for (const id of ids) {
        const versions = register.policies[id]?.versions ?? [];
        const inForce = versionInForce(versions, request.date);
        if (!inForce) {
          result.notes.push(`${id}: no version is in force, so there is no sheet to sign`);
          continue;
        }
        const readers = requiredReaders(staff, readerRoles(profile.data, id));
        if (readers.length === 0)
          result.notes.push(`${id}: no one on the staff list has a role that reads it`);
        const sheet: ReadAndSignSheet = {
          organisation: profile.data.organisation.name,
          title: inForce.title,
          version: inForce.version,
          effectiveDate: inForce.approvedOn ?? inForce.date,
          contentHash: inForce.contentHash,
          readers: sortReaders(readers.map((p) => p.name)),
        };
        for (const format of request.formats) {
          const contents = await draw(sheet, format, request);
          const relative = `in-force/${editionName(inForce.title)}${SHEET_SUFFIX}.${format}`;
          writes.push({ file: path.join(folder, ...relative.split('/')), contents });
          placed.push({
            file: relative,
            policy: id,
            format,
            version: inForce.version,
            status: 'approved',
            sha256: createHash('sha256').update(contents).digest('hex'),
            effectiveDate: sheet.effectiveDate,
            nextReviewDate: recordedReview(inForce, inForce.reviewIntervalMonths ?? 12),
          });
          result.files.push({
            file: path.join(folder, ...relative.split('/')),
            policy: id,
            version: inForce.version,
            format,
            readers: readers.length,
          });
        }
      }
      if (writes.length === 0) return;
      const manifest = await readManifest(folder);
      // Earlier sheets of these policies for another version go; other files stay as they are.
      const drawn = new Set(placed.map((e) => `${e.policy} ${e.version}`));
      const settled = settleEntries(
        folder,
        manifestEntries(manifest),
        placed,
        (e) =>
          ids.includes(e.policy) &&
          e.file.includes(`${SHEET_SUFFIX}.`) &&
          !drawn.has(`${e.policy} ${e.version}`),
      );
      writes.push(
        manifestWrite(folder, {
          organisation: manifest?.organisation ?? profile.data.organisation.name,
          ...(register.organisationId ? { organisationId: register.organisationId } : {}),
          slug: path.basename(folder),
          // Sheets change no input of a build: an unchanged profile still needs no rendering.
          inputs: typeof manifest?.inputs === 'string' ? manifest.inputs : '',
          files: settled.entries,
        }),
      );
      await writeFilesAtomic(writes);
      await removeEntries(folder, settled.remove);
    });
  } catch (error) {
    if (!(error instanceof KeypolicyError)) throw error;
    result.error = error;
  }
  return result;
}
