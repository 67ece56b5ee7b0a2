/**
 * Build one profile: render its policies, record changed ones in the register, draw every format from
 * one document model, write the files safely, and archive each approved edition once.
 */
import path from 'node:path';
import type { BrowserSession } from '../writers/pdf/session.js';
import { documentSource, type DocumentSource, type PolicyDocument } from '../document/model.js';
import type { Diagnostic } from '../diagnostics/errors.js';
import type { Format } from './formats.js';
import { writeFilesAtomic, type FileWrite } from '../output/atomic-write.js';
import { manifestEntries, readManifest, type ManifestFile } from '../output/manifest.js';
import { editionName, organisationSlug } from '../output/paths.js';
import type { ResolvedProfile } from '../profile/resolve.js';
import { latestVersion, loadRegister, registerPathFor, registerText } from '../register/register.js';
import { withRegisterLock } from '../register/lock.js';
import type { Register } from '../register/schema.js';
import { readSnapshot, snapshotPath, snapshotWrites, sourceHash } from '../register/snapshots.js';
import {
  contentHash,
  documentVersion,
  isRecorded,
  latestRecordedDate,
  profileSnapshot,
  recordVersion,
  versionInForce,
  type RecordOutcome,
} from '../register/versioning.js';
import type { PackReads } from '../templates/packs.js';
import { renderProfilePolicies, type PolicyRendition } from '../templates/policies.js';
import { existsSync } from 'node:fs';
import {
  outputRecordWrite,
  placeEdition,
  readOutputRecord,
  removeEntries,
  renderEdition,
  settleEntries,
  currentEditions,
  isCurrentEntry,
  type Renderers,
} from './editions.js';
import { osUser } from '../register/user.js';
import {
  dateOrderDiagnostic,
  editionClashes,
  folderTaken,
  frozenDiagnostics,
  organisationId,
} from './build-checks.js';

export interface BuildOptions {
  out: string;
  formats: readonly Format[];
  policies?: readonly string[];
  packs?: readonly string[];
  /** The date a changed policy's new version gets (YYYY-MM-DD). */
  date: string;
  /** Record nothing; fail when a policy's words differ from its latest recorded version. */
  frozen?: boolean;
  /** A note added to the change-log entry of every version this build records. */
  message?: string;
  /** Launched only when a PDF is asked for. */
  browser: () => BrowserSession;
  /** Template packs this build has read already, shared by a batch's organisations. */
  packReads?: PackReads;
  /** Draws a DOCX elsewhere (the build's worker threads); by default it is drawn on this thread. */
  docx?: (doc: PolicyDocument) => Promise<Buffer>;
  /**
   * More files written in the same all-or-nothing step as the documents and register (the batch's
   * manifest), given every edition the folder will hold, the register text about to be written and the
   * organisation's id.
   */
  finalWrites?: (
    entries: ManifestFile[],
    register: string | undefined,
    organisationId: string | undefined,
  ) => Promise<FileWrite[]>;
  /** Write into an organisation folder even when its manifest names another organisation. */
  force?: boolean;
}

export interface WrittenFile {
  policy: string;
  version: string;
  status: 'draft' | 'approved';
  effectiveDate: string | null;
  nextReviewDate: string;
  format: Format;
  file: string;
  sha256: string;
  bytes: number;
}

export interface ProfileBuild {
  slug: string;
  /** The newest recorded edition of each policy built, in each format. */
  files: WrittenFile[];
  /** What is odd but readable in the register. */
  warnings?: Diagnostic[];
  /** What the register recorded for each policy. */
  recorded: { policy: string; version: string; outcome: RecordOutcome }[];
  diagnostics: Diagnostic[];
}

/**
 * Render each policy as the register would see it: a recorded policy is rendered with its latest
 * version's date first, so unchanged words give the same hash; a changed one is rendered again with
 * the build's date, the date its new version will carry.
 */
export async function renditions(
  profile: ResolvedProfile,
  register: Register,
  options: Pick<BuildOptions, 'packs' | 'policies' | 'date' | 'frozen' | 'packReads'>,
): Promise<{ policies: PolicyRendition[]; diagnostics: Diagnostic[]; warnings: Diagnostic[] }> {
  const request = {
    ...(options.packs ? { packs: options.packs } : {}),
    ...(options.policies ? { policies: options.policies } : {}),
    ...(options.packReads ? { packReads: options.packReads } : {}),
  };
  const first = await renderProfilePolicies(profile, {
    ...request,
    date: (id) => latestVersion(register, id)?.date ?? options.date,
  });
  if (first.diagnostics.length > 0) return first;
  const redo = first.policies.filter((p) => {
    const latest = latestVersion(register, p.id);
    return latest && latest.contentHash !== contentHash(p.markdown) && latest.date !== options.date;
  });
  if (redo.length === 0 || options.frozen) return first;
  const second = await renderProfilePolicies(profile, {
    ...request,
    policies: redo.map((p) => p.id),
    date: options.date,
  });
  if (second.diagnostics.length > 0) return second;
  // The policies rendered again speak for themselves; the others' warnings come from the first render.
  const again = new Set(redo.map((p) => p.file));
  return {
    policies: first.policies.map((p) => second.policies.find((q) => q.id === p.id) ?? p),
    diagnostics: [],
    warnings: [...first.warnings.filter((w) => !again.has(w.file)), ...second.warnings],
  };
}

export async function buildProfile(profile: ResolvedProfile, options: BuildOptions): Promise<ProfileBuild> {
  const slug = organisationSlug(profile);
  const registerFile = registerPathFor(profile.file);
  const folder = path.join(options.out, slug);
  const renderers: Renderers = { browser: options.browser, ...(options.docx ? { docx: options.docx } : {}) };
  const work = async (): Promise<ProfileBuild> => {
    const loaded = await loadRegister(registerFile);
    if (!loaded.register) return { slug, files: [], recorded: [], diagnostics: loaded.diagnostics };
    const register = loaded.register;
    const rendered = await renditions(profile, register, options);
    const { policies, diagnostics } = rendered;
    const warnings = [...loaded.warnings, ...rendered.warnings];
    if (diagnostics.length > 0) return { slug, files: [], recorded: [], diagnostics, warnings };
    // Read once: whose folder it is, and what it held.
    const manifest = await readManifest(folder);
    const owner = typeof manifest?.organisationId === 'string' ? manifest.organisationId : undefined;
    const refused = [
      ...editionClashes(profile, policies),
      ...(options.force ? [] : folderTaken(profile, folder, register, owner)),
    ];
    if (refused.length > 0) return { slug, files: [], recorded: [], diagnostics: refused, warnings };
    const sources = await Promise.all(policies.map((p) => documentSource(p, profile)));
    const hashes = sources.map(sourceHash);
    const changed = policies.filter(
      (p, i) => !isRecorded(latestVersion(register, p.id), { markdown: p.markdown, source: hashes[i] ?? '' }),
    );
    if (options.frozen && changed.length > 0) {
      const found = await frozenDiagnostics(profile, register, changed);
      return { slug, files: [], recorded: [], diagnostics: found, warnings };
    }
    const latestDate = latestRecordedDate(register);
    if (!options.frozen && changed.length > 0 && latestDate !== undefined && options.date < latestDate) {
      const found = [dateOrderDiagnostic(profile, options.date, latestDate)];
      return { slug, files: [], recorded: [], diagnostics: found, warnings };
    }

    const snapshot = profileSnapshot(profile.data);
    const before = JSON.stringify(register);
    // Made once, at the first build, from what the organisation was then: the manifest names it, so
    // another organisation's folder is known; the same inputs still give the same register.
    if (!options.frozen) register.organisationId ??= organisationId(snapshot, options.date);
    const user = osUser();
    const snapshots: FileWrite[] = [];
    const recorded = policies.map((p, i) => {
      const source = hashes[i] ?? '';
      const hadSnapshot = latestVersion(register, p.id)?.source !== undefined;
      const { version, outcome } = recordVersion(register, {
        id: p.id,
        title: p.title,
        markdown: p.markdown,
        templateId: p.id,
        templateVersion: p.templateVersion,
        profile: snapshot,
        approverRoles: p.approverRoles,
        date: options.date,
        source,
        reviewIntervalMonths: p.reviewIntervalMonths,
        ...(user ? { user } : {}),
        ...(options.message ? { message: options.message } : {}),
      });
      // A new or revised version keeps what it was drawn from; so does one recorded before snapshots,
      // and one whose snapshot file has gone (it is what the register's hash says it was).
      if (
        outcome !== 'unchanged' ||
        !hadSnapshot ||
        !existsSync(snapshotPath(registerFile, p.id, version.version))
      )
        snapshots.push(...snapshotWrites(registerFile, p.id, version.version, sources[i] as DocumentSource));
      return { policy: p.id, version: version.version, outcome };
    });
    const registerChanged = JSON.stringify(register) !== before;

    const previous = manifestEntries(manifest);
    // Snapshots land first, before the register that names them; a frozen build writes neither.
    const writes: FileWrite[] = options.frozen ? [] : snapshots;
    const files: WrittenFile[] = [];
    const placed: ManifestFile[] = [];
    for (const [i, policy] of policies.entries()) {
      const versions = register.policies[policy.id]?.versions ?? [];
      const latest = versions.at(-1);
      // A withdrawn policy is not issued again until its words change.
      if (!latest || latest.withdrawn) continue;
      const info = documentVersion(versions, policy.reviewIntervalMonths);
      const drawn = await renderEdition(sources[i] as DocumentSource, info, options.formats, renderers);
      const name = editionName(latest.title);
      const approved = info.status === 'approved';
      const edition = placeEdition(
        folder,
        policy.id,
        name,
        info,
        drawn,
        approved ? ['latest', 'in-force', 'archive'] : ['latest'],
      );
      writes.push(...edition.writes);
      placed.push(...edition.entries);
      for (const entry of edition.entries.filter((e) => !e.file.startsWith('in-force/')))
        files.push({
          policy: policy.id,
          version: entry.version,
          status: entry.status,
          effectiveDate: entry.effectiveDate,
          nextReviewDate: entry.nextReviewDate,
          format: entry.format as Format,
          file: path.join(folder, entry.file),
          sha256: entry.sha256,
          bytes: Buffer.byteLength(drawn.find((d) => d.format === entry.format)?.contents ?? ''),
        });
      if (!approved)
        placed.push(
          ...(await inForceCopies(
            policy,
            versions,
            { folder, registerFile, previous, renderers, writes },
            options,
          )),
        );
    }
    // A subset build speaks only for the policies it built; a whole build also for editions the
    // profile no longer produces (a terminology switch, a removed policy), though an edition in force
    // stays in force until its successor is approved or it is withdrawn.
    const built = new Set(policies.map((p) => p.id));
    const settled = settleEntries(folder, previous, placed, (entry) =>
      built.has(entry.policy)
        ? !isCurrentEntry(entry, currentEditions(register.policies[entry.policy]?.versions ?? []))
        : !options.policies && !entry.file.startsWith('in-force/'),
    );

    // Everything lands together: every file is written to a temporary name first and only then renamed,
    // so a full disk or a stop part-way leaves the documents, register and manifest as they were.
    let staged: string | undefined;
    if (!options.frozen) {
      if (registerChanged) {
        staged = registerText(register);
        writes.push({ file: registerFile, contents: staged });
      }
      writes.push(
        outputRecordWrite(
          registerFile,
          await readOutputRecord(registerFile),
          folder,
          [...built],
          options.formats,
        ),
      );
      writes.push(...((await options.finalWrites?.(settled.entries, staged, register.organisationId)) ?? []));
    }
    await writeFilesAtomic(writes);
    if (!options.frozen) await removeEntries(folder, settled.remove);
    return { slug, files, recorded, diagnostics: [], warnings };
  };
  return options.frozen ? work() : withRegisterLock(registerFile, work);
}

/**
 * While a draft is pending, the edition in force stays in `in-force/`: copies already there are kept;
 * missing ones are drawn from the in-force version's snapshot.
 */
async function inForceCopies(
  policy: PolicyRendition,
  versions: Register['policies'][string]['versions'],
  at: {
    folder: string;
    registerFile: string;
    previous: readonly ManifestFile[];
    renderers: Renderers;
    writes: FileWrite[];
  },
  options: BuildOptions,
): Promise<ManifestFile[]> {
  const { folder, previous } = at;
  const inForce = versionInForce(versions, '9999-12-31');
  if (!inForce) return [];
  const name = editionName(inForce.title);
  const kept = previous.filter(
    (e) =>
      e.policy === policy.id &&
      e.file.startsWith('in-force/') &&
      e.version === inForce.version &&
      existsSync(path.join(folder, e.file)),
  );
  const missing = options.formats.filter((f) => !kept.some((e) => e.file === `in-force/${name}.${f}`));
  if (missing.length === 0 || !inForce.source) return kept;
  const source = await readSnapshot(at.registerFile, policy.id, inForce.version, inForce.source);
  const info = documentVersion(versions, policy.reviewIntervalMonths, inForce);
  const drawn = await renderEdition(source, info, missing, at.renderers);
  const edition = placeEdition(folder, policy.id, name, info, drawn, ['in-force']);
  at.writes.push(...edition.writes);
  return [...kept, ...edition.entries];
}
