/**
 * Approve, review and withdraw: change a policy's standing in the register and, in the same locked,
 * all-or-nothing step, the editions in the organisation's folder — the signed edition drawn from the
 * version's snapshot (never from today's profile), `in-force/`, the archive and the manifest.
 */
import path from 'node:path';
import { findBrowser } from '../writers/pdf/finder.js';
import { BrowserSession, printTimeoutSeconds } from '../writers/pdf/session.js';
import type { DocumentSource } from '../document/model.js';
import { KeypolicyError, type Diagnostic } from '../diagnostics/errors.js';
import { writeFilesAtomic, type FileWrite } from '../output/atomic-write.js';
import { manifestEntries, manifestWrite, readManifest, type ManifestFile } from '../output/manifest.js';
import type { ResolvedProfile } from '../profile/resolve.js';
import { checkProfile } from './check-profile.js';
import { withRegisterLock } from '../register/lock.js';
import { loadRegister, registerPathFor, registerText } from '../register/register.js';
import type { Register, RegisterVersion } from '../register/schema.js';
import { registerChoices, selectPolicy } from '../register/sign-off.js';
import { readSnapshot, snapshotWrites, sourceHash } from '../register/snapshots.js';
import { osUser } from '../register/user.js';
import { contentHash, documentVersion } from '../register/versioning.js';
import { documentSource } from '../document/model.js';
import { editionName, organisationSlug } from '../output/paths.js';
import { renditions } from './build-profile.js';
import {
  archiveEntries,
  placeEdition,
  readOutputRecord,
  removeEntries,
  renderEdition,
  settleEntries,
  currentEditions,
  isCurrentEntry,
  type Placement,
} from './editions.js';
import type { Format } from './formats.js';

export interface StandingRequest {
  /** The profile file (absolute). */
  profile: string;
  policy?: string;
  date: string;
  /** The output folder (OUT), when given; else the one the last build used. */
  out?: string;
  formats?: readonly Format[];
  env: Record<string, string | undefined>;
}

/** What a rule sees: the register (to change), the policy chosen, and the profile as it is now. */
export interface StandingContext {
  register: Register;
  id: string;
  user: string | undefined;
  profile: ResolvedProfile | undefined;
  /** The review interval now: the profile's, else the one the version was built with, else 12. */
  intervalMonths: number;
  /** True when the profile now renders this policy differently from its latest recorded version. */
  profileChanged: boolean;
}

/** What a rule decided the folder needs. */
export type Redraw =
  | { kind: 'none' }
  | { kind: 'draw'; version: RegisterVersion; placements: Placement[]; archiveSuffix?: string }
  | { kind: 'withdraw' };

export interface StandingResult<T> {
  outcome: T;
  id: string;
  folder: string | undefined;
  files: ManifestFile[];
  notes: string[];
  warnings: Diagnostic[];
}

const registerProblem = (file: string, diagnostics: readonly Diagnostic[]) => {
  const first = diagnostics[0];
  return new KeypolicyError(
    first?.code ?? 'KP_REGISTER',
    `${path.basename(file)} cannot be used: ${first?.message ?? 'unknown problem'}`,
    {
      ...(first
        ? { hint: `At ${path.basename(file)}:${first.line}:${first.column}. ${first.hint ?? ''}`.trim() }
        : {}),
    },
  );
};

/** The policy's latest rendering from the profile now, to tell whether it changed since it was built. */
async function changedSinceBuilt(
  profile: ResolvedProfile | undefined,
  register: Register,
  id: string,
): Promise<{ changed: boolean; interval?: number }> {
  const latest = register.policies[id]?.versions.at(-1);
  if (!profile || !latest) return { changed: false };
  const now = await renditions(profile, register, { date: latest.date, frozen: true, policies: [id] }).catch(
    () => undefined,
  );
  const policy = now?.policies.find((p) => p.id === id);
  if (!policy) return { changed: true };
  const source = sourceHash(await documentSource(policy, profile));
  return {
    changed: latest.source !== undefined && latest.source !== source,
    interval: policy.reviewIntervalMonths,
  };
}

/**
 * Run `rule` on the register under its lock, then draw and place what it asks for and write it all in
 * one step: the register, the snapshots' editions, the manifest. Nothing is written if the rule refuses.
 */
export async function changeStanding<T>(
  request: StandingRequest,
  rule: (context: StandingContext) => { outcome: T; redraw: Redraw },
): Promise<StandingResult<T>> {
  const report = await checkProfile(request.profile, { register: false });
  const profile = report.resolved;
  const notes: string[] = [];
  if (!profile && !report.abstract)
    notes.push(
      `${path.basename(request.profile)} has errors now (run keypolicy validate); the register alone was used.`,
    );
  const registerFile = registerPathFor(request.profile);
  return withRegisterLock(registerFile, async () => {
    const loaded = await loadRegister(registerFile);
    if (!loaded.register) throw registerProblem(registerFile, loaded.diagnostics);
    const register = loaded.register;
    const id = selectPolicy(registerChoices(register), request.policy);
    const latest = register.policies[id]?.versions.at(-1);
    const { changed, interval } = await changedSinceBuilt(profile, register, id);
    const context: StandingContext = {
      register,
      id,
      user: osUser(request.env),
      profile,
      intervalMonths: interval ?? latest?.reviewIntervalMonths ?? 12,
      profileChanged: changed,
    };
    const { outcome, redraw } = rule(context);

    const record = await readOutputRecord(registerFile);
    const slug = record ? path.basename(record.folder) : profile ? organisationSlug(profile) : undefined;
    const folder = request.out
      ? slug && path.join(request.out, slug)
      : record
        ? path.resolve(path.dirname(registerFile), record.folder)
        : undefined;
    const writes: FileWrite[] = [];
    if (!folder || redraw.kind === 'none') {
      await writeFilesAtomic([{ file: registerFile, contents: registerText(register) }]);
      return { outcome, id, folder, files: [], notes, warnings: loaded.warnings };
    }
    const formats = request.formats ?? record?.formats[id] ?? ['pdf', 'docx', 'html'];
    const manifest = await readManifest(folder);
    const previous = manifestEntries(manifest);
    // This policy's earlier editions stay only while still current (in a format not drawn now).
    const current = currentEditions(register.policies[id]?.versions ?? []);
    const ours = (e: ManifestFile) => e.policy === id && !isCurrentEntry(e, current);
    let settled: { entries: ManifestFile[]; remove: string[] };
    if (redraw.kind === 'draw') {
      const versions = register.policies[id]?.versions ?? [];
      const source = await sourceOf(registerFile, id, redraw.version, profile, register, writes);
      const info = documentVersion(versions, context.intervalMonths, redraw.version);
      const drawn = await drawWith(request, formats, (renderers) =>
        renderEdition(source, info, formats, renderers),
      );
      const name = editionName(redraw.version.title);
      const edition = placeEdition(folder, id, name, info, drawn, redraw.placements, redraw.archiveSuffix);
      writes.push(...edition.writes);
      settled = settleEntries(folder, previous, edition.entries, ours);
    } else settled = settleEntries(folder, previous, [], ours);
    const organisation = profile?.data.organisation.name ?? manifest?.organisation ?? '';
    // Written after drawing: a version recorded before snapshots has just been given one.
    writes.push({ file: registerFile, contents: registerText(register) });
    writes.push(
      manifestWrite(folder, {
        organisation,
        ...(register.organisationId ? { organisationId: register.organisationId } : {}),
        slug: path.basename(folder),
        // The register changed, so the next build must not take the folder as current.
        inputs: '',
        files: settled.entries,
      }),
    );
    await writeFilesAtomic(writes);
    if (redraw.kind === 'withdraw') {
      const inForce = previous.filter((e) => e.policy === id && e.file.startsWith('in-force/'));
      await archiveEntries(folder, inForce, (e) => path.basename(e.file, `.${e.format}`));
      await removeEntries(
        folder,
        settled.remove.filter((f) => !f.startsWith('in-force/')),
      );
    } else await removeEntries(folder, settled.remove);
    return {
      outcome,
      id,
      folder,
      files: settled.entries.filter((e) => e.policy === id),
      notes,
      warnings: loaded.warnings,
    };
  });
}

/**
 * A version's snapshot. A version recorded before keypolicy kept snapshots gets one now from the
 * profile, if the profile still renders its very words; otherwise it cannot be drawn.
 */
async function sourceOf(
  registerFile: string,
  id: string,
  version: RegisterVersion,
  profile: ResolvedProfile | undefined,
  register: Register,
  writes: FileWrite[],
): Promise<DocumentSource> {
  if (version.source) return readSnapshot(registerFile, id, version.version, version.source);
  const now = profile
    ? await renditions(profile, register, { date: version.date, frozen: true, policies: [id] }).catch(
        () => undefined,
      )
    : undefined;
  const policy = now?.policies.find((p) => p.id === id);
  if (profile && policy && contentHash(policy.markdown) === version.contentHash) {
    const source = await documentSource(policy, profile);
    version.source = sourceHash(source);
    writes.push(...snapshotWrites(registerFile, id, version.version, source));
    return source;
  }
  throw new KeypolicyError(
    'KP_SNAPSHOT',
    `Version ${version.version} of \`${id}\` was recorded before keypolicy kept snapshots, and the profile no longer renders its words, so its edition cannot be drawn.`,
    { hint: 'The sign-off is not recorded. Build to record the policy as it is now, and sign that version.' },
  );
}

/** Draw with a browser only when a PDF is asked for, closed afterwards. */
async function drawWith<T>(
  request: StandingRequest,
  formats: readonly Format[],
  draw: (renderers: { browser: () => BrowserSession }) => Promise<T>,
): Promise<T> {
  const session = formats.includes('pdf')
    ? new BrowserSession(findBrowser(undefined, request.env), {
        printMs: printTimeoutSeconds(request.env) * 1000,
      })
    : undefined;
  try {
    return await draw({ browser: () => session as BrowserSession });
  } finally {
    await session?.close();
  }
}
