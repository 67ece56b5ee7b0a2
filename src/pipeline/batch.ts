/**
 * Many profiles in one build: validate them all, set aside bases and clashing folders, then build with a
 * bounded pool (one browser, at most `jobs` documents at once). One organisation's failure never stops
 * the others; an unchanged organisation is not rendered again.
 */
import path from 'node:path';
import type { BrowserSession } from '../writers/pdf/session.js';
import { sweepBrowserProfiles } from '../writers/pdf/session.js';
import { sweepTemporaries } from '../output/atomic-write.js';
import { KeypolicyError, type Diagnostic, type ExitCode } from '../diagnostics/errors.js';
import { manifestIsCurrent, manifestWrite, type ManifestFile } from '../output/manifest.js';
import { diagnosticForFile } from '../diagnostics/source.js';
import type { ProfileReport } from '../profile/validate.js';
import { checkProfile } from './check-profile.js';
import { organisationSlug } from '../output/paths.js';
import type { BuildOptions, ProfileBuild, WrittenFile } from './build-profile.js';
import { inputsFingerprint, type PackHashes } from './fingerprint.js';
import type { PackReads } from '../templates/packs.js';

export interface BatchOptions extends Omit<BuildOptions, 'browser'> {
  jobs: number;
  /** Re-render even when the manifest says nothing changed. */
  force: boolean;
  /** The browser executable, when PDFs are asked for (part of what the outputs depend on). */
  browserPath?: string;
  browser: () => BrowserSession;
}

export type OutcomeState = 'built' | 'unchanged' | 'failed';

export interface ProfileOutcome {
  profile: string;
  name?: string;
  slug?: string;
  state: OutcomeState;
  files: WrittenFile[];
  recorded: ProfileBuild['recorded'];
  errors: Diagnostic[];
  warnings: Diagnostic[];
  /** Set when the failure is the machine's (exit 3), not the input's. */
  exitCode?: ExitCode;
}

export interface BatchEvents {
  /** How many organisations will be built, once bases and clashes are set aside. */
  start?: (total: number) => void;
  /** Before each organisation starts. */
  begin?: (name: string) => void;
  done?: (outcome: ProfileOutcome, finished: number, total: number) => void;
  /** Before an organisation is rendered (not when it is unchanged). */
  rendering?: () => void;
}

const problem = (file: string, code: string, message: string, hint: string): Diagnostic =>
  diagnosticForFile(file, { code, message, hint });

/** Run `work` over `items` with at most `limit` at a time, in order of start. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

/** What one build reads once and its organisations share. */
interface BuildShared {
  packReads: PackReads;
  packHashes: PackHashes;
}

async function buildOne(
  report: ProfileReport & { resolved: NonNullable<ProfileReport['resolved']> },
  options: BatchOptions,
  shared: BuildShared,
  events: BatchEvents,
): Promise<ProfileOutcome> {
  const profile = report.resolved;
  const slug = organisationSlug(profile);
  const name = profile.data.organisation.name;
  const base = { profile: report.file, name, slug, recorded: [], warnings: report.warnings };
  const folder = path.join(options.out, slug);
  const fingerprintOptions = {
    packHashes: shared.packHashes,
    formats: options.formats,
    ...(options.policies ? { policies: options.policies } : {}),
    ...(options.packs ? { packs: options.packs } : {}),
    ...(options.browserPath ? { browser: options.browserPath } : {}),
  };
  try {
    if (!options.force) {
      const current = await manifestIsCurrent(
        folder,
        await inputsFingerprint(profile, report.chain, fingerprintOptions),
      );
      if (current) {
        const files = current.files
          .filter((f) => !f.file.startsWith('in-force/'))
          .map((f) => ({
            ...f,
            format: f.format as WrittenFile['format'],
            file: path.join(folder, f.file),
            bytes: 0,
          }));
        return { ...base, state: 'unchanged', files, errors: [] };
      }
    }
    events.rendering?.();
    // Loaded only when an organisation needs rendering: an unchanged rebuild never loads the renderers.
    const { buildProfile } = await import('./build-profile.js');
    const built = await buildProfile(profile, {
      ...options,
      packReads: shared.packReads,
      ...(options.frozen
        ? {}
        : {
            finalWrites: async (
              entries: ManifestFile[],
              register: string | undefined,
              organisationId: string | undefined,
            ) => [
              manifestWrite(folder, {
                organisation: name,
                ...(organisationId ? { organisationId } : {}),
                slug,
                inputs: await inputsFingerprint(profile, report.chain, {
                  ...fingerprintOptions,
                  ...(register !== undefined ? { register } : {}),
                }),
                files: entries,
              }),
            ],
          }),
    });
    const warnings = [...report.warnings, ...(built.warnings ?? [])];
    if (built.diagnostics.length > 0)
      return { ...base, warnings, state: 'failed', files: [], errors: built.diagnostics };
    return { ...base, warnings, state: 'built', files: built.files, recorded: built.recorded, errors: [] };
  } catch (error) {
    // One organisation never stops the others, not even through a bug in keypolicy: that is reported
    // as one, for this organisation, and the batch goes on.
    const failure =
      error instanceof KeypolicyError
        ? problem(report.file, error.code, error.message, error.hint ?? '')
        : problem(
            report.file,
            'KP_INTERNAL',
            `keypolicy hit an internal error (a bug) building this organisation: ${error instanceof Error ? error.message : String(error)}`,
            'Please report it with this output; the other organisations were built as usual.',
          );
    const exitCode = error instanceof KeypolicyError ? error.exitCode : undefined;
    return { ...base, state: 'failed', files: [], errors: [failure], ...(exitCode ? { exitCode } : {}) };
  }
}

export async function runBatch(
  files: readonly string[],
  options: BatchOptions,
  events: BatchEvents = {},
): Promise<{ outcomes: ProfileOutcome[]; notes: string[] }> {
  await Promise.all([sweepTemporaries(options.out, files), sweepBrowserProfiles()]);
  const notes: string[] = [];
  const outcomes: ProfileOutcome[] = [];
  const buildable: (ProfileReport & { resolved: NonNullable<ProfileReport['resolved']> })[] = [];
  const slugs = new Map<string, string>();
  for (const file of files) {
    // The register is checked when the organisation is built (or known unchanged by its bytes).
    const report = await checkProfile(file, { register: false });
    if (report.abstract) {
      notes.push(`${file}: skipped (an abstract base, never built)`);
      continue;
    }
    if (!report.resolved) {
      outcomes.push({
        profile: file,
        state: 'failed',
        files: [],
        recorded: [],
        errors: report.errors,
        warnings: report.warnings,
      });
      continue;
    }
    // Two organisations never share (and overwrite) a folder: the later one fails before anything is written.
    const slug = organisationSlug(report.resolved);
    const clash = slugs.get(slug);
    if (clash) {
      outcomes.push({
        profile: file,
        slug,
        state: 'failed',
        files: [],
        recorded: [],
        errors: [
          problem(
            file,
            'KP_SLUG_CLASH',
            `This organisation's output folder \`${slug}\` is also that of ${clash}.`,
            'Give one of them its own `output.slug` in the profile.',
          ),
        ],
        warnings: report.warnings,
      });
      continue;
    }
    slugs.set(slug, file);
    buildable.push({ ...report, resolved: report.resolved });
  }
  const total = buildable.length + outcomes.length;
  events.start?.(total);
  let finished = 0;
  for (const outcome of outcomes) events.done?.(outcome, ++finished, total);
  const shared: BuildShared = { packReads: new Map(), packHashes: new Map() };
  // --jobs bounds the browser's pages, so with PDFs it is the number of organisations in flight. Without
  // them a few more are, so the DOCX threads are not left idle while this thread reads, renders and writes.
  const inFlight = options.formats.includes('pdf') ? options.jobs : options.jobs * 4;
  await pool(buildable, inFlight, async (report) => {
    events.begin?.(report.resolved.data.organisation.name);
    const outcome = await buildOne(report, options, shared, events);
    outcomes.push(outcome);
    events.done?.(outcome, ++finished, total);
  });
  const order = new Map(files.map((f, i) => [f, i]));
  outcomes.sort((a, b) => (order.get(a.profile) ?? 0) - (order.get(b.profile) ?? 0));
  return { outcomes, notes };
}
