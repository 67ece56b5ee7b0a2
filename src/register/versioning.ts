/** Versions and change logs: what a build records, and what the documents show about a version. */
import { createHash } from 'node:crypto';
import { addMonths, formatUkDate } from '../core/dates.js';
import type { HistoryEntry, VersionInfo } from '../document/model.js';
import type { PlainObject } from '../profile/load.js';
import { VERSION } from '../core/version.js';
import { changeDetail, plainSummary, type EditionFacts } from './change-log.js';
import { sectionsOf } from './sections.js';
import { inEditionTerms } from './vocabulary.js';
import { compareVersions } from './register.js';
import type { Register, RegisterVersion } from './schema.js';

export const contentHash = (markdown: string): string =>
  `sha256:${createHash('sha256').update(markdown).digest('hex')}`;

/** The profile as dotted paths → values, for "terminology.worker: key → link". */
export function profileSnapshot(data: PlainObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const walk = (value: unknown, path: string) => {
    if (Array.isArray(value)) {
      if (value.every((v) => v === null || typeof v !== 'object')) out[path] = value;
      else value.forEach((v, i) => walk(v, `${path}[${i}]`));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) walk(child, path ? `${path}.${key}` : key);
    } else out[path] = value;
  };
  walk(data, '');
  return out;
}

export { fieldChanges } from './change-log.js';

/** Which sections were added, removed or reworded between two versions' words, by heading. */
export function sectionChanges(
  before: string,
  after: string,
): { added: string[]; removed: string[]; reworded: string[] } {
  const byKey = (markdown: string) => new Map(sectionsOf(markdown).map((s) => [s.key, s]));
  const old = byKey(before);
  const now = [...byKey(after).values()];
  return {
    added: now.filter((s) => !old.has(s.key)).map((s) => s.heading),
    removed: [...old.values()].filter((s) => !now.some((n) => n.key === s.key)).map((s) => s.heading),
    reworded: now
      .filter((s) => old.has(s.key) && old.get(s.key)?.signature !== s.signature)
      .map((s) => s.heading),
  };
}

/** The facts of a recorded version the change log compares. */
const factsOf = (v: RegisterVersion): EditionFacts => ({
  title: v.title,
  markdown: v.markdown ?? '',
  profile: v.profile,
  templateId: v.template.id,
  templateVersion: v.template.version,
});

const major = (semver: string) => Number(semver.split('.')[0] ?? 0);

/** The number of the version after `latest`: 1.0 → 1.1, or 2.0 when the template's major version went up. */
function nextVersionNumber(latest: RegisterVersion, templateVersion: string): string {
  const [current = 1, minor = 0] = latest.version.split('.').map(Number);
  return major(templateVersion) > major(latest.template.version)
    ? `${current + 1}.0`
    : `${current}.${minor + 1}`;
}

export interface Rendition {
  id: string;
  title: string;
  markdown: string;
  templateId: string;
  templateVersion: string;
  profile: Record<string, unknown>;
  approverRoles: string[];
  date: string;
  /** The hash of what the documents are drawn from (see snapshots.ts). */
  source: string;
  reviewIntervalMonths: number;
  /** The operating-system user running the build. */
  user?: string;
  message?: string;
}

export type RecordOutcome = 'unchanged' | 'created' | 'revised';

/** Whether a rendition is what the latest version recorded (its snapshot, or its words for a version recorded before snapshots). */
export const isRecorded = (
  latest: RegisterVersion | undefined,
  rendition: { markdown: string; source: string },
) =>
  latest !== undefined &&
  (latest.source !== undefined
    ? latest.source === rendition.source
    : latest.contentHash === contentHash(rendition.markdown));

/**
 * Record a policy's rendition: unchanged content keeps its version; changed content after an approved
 * (or withdrawn) version is a new draft; changed content while the latest version is an unapproved
 * draft revises it, keeping a `--message` given for it unless a new one is given.
 */
export function recordVersion(
  register: Register,
  rendition: Rendition,
): { version: RegisterVersion; outcome: RecordOutcome } {
  const history = (register.policies[rendition.id] ??= { versions: [] }).versions;
  const latest = history.at(-1);
  if (latest && isRecorded(latest, rendition)) {
    // A version recorded before snapshots gets one now: its words are the same.
    latest.source ??= rendition.source;
    return { version: latest, outcome: 'unchanged' };
  }
  const revising = latest !== undefined && latest.approvedOn === undefined && latest.withdrawn === undefined;
  const previous = revising ? history.at(-2) : latest;
  const message = rendition.message ?? (revising ? latest.message : undefined);
  const next: EditionFacts = {
    title: rendition.title,
    markdown: rendition.markdown,
    profile: rendition.profile,
    templateId: rendition.templateId,
    templateVersion: rendition.templateVersion,
  };
  const changes = previous ? changeDetail(factsOf(previous), next) : undefined;
  const generated = previous && changes ? plainSummary(changes, factsOf(previous), next) : 'First version.';
  const version: RegisterVersion = {
    version: revising
      ? latest.version
      : latest
        ? nextVersionNumber(latest, rendition.templateVersion)
        : '1.0',
    date: rendition.date,
    contentHash: contentHash(rendition.markdown),
    source: rendition.source,
    title: rendition.title,
    template: { id: rendition.templateId, version: rendition.templateVersion },
    keypolicy: VERSION,
    summary: message ?? generated,
    ...(message !== undefined ? { message } : {}),
    ...(changes ? { changes } : {}),
    ...(rendition.user ? { user: rendition.user } : {}),
    approverRoles: rendition.approverRoles,
    approvals: [],
    reviewIntervalMonths: rendition.reviewIntervalMonths,
    profile: rendition.profile,
    markdown: rendition.markdown,
  };
  if (revising) history[history.length - 1] = version;
  else history.push(version);
  return { version, outcome: revising ? 'revised' : 'created' };
}

/** When a version was withdrawn on or before `date`, if it was. */
const withdrawnBy = (versions: readonly RegisterVersion[], date: string) =>
  versions.findLast((v) => v.withdrawn !== undefined && v.withdrawn.date <= date)?.withdrawn;

/** The latest version approved on or before `date` (the version in force then), unless withdrawn since. */
export function versionInForce(
  versions: readonly RegisterVersion[],
  date: string,
): RegisterVersion | undefined {
  const approved = versions.findLast((v) => v.approvedOn !== undefined && v.approvedOn <= date);
  const withdrawn = withdrawnBy(versions, date);
  if (approved && withdrawn && withdrawn.date >= (approved.approvedOn ?? '')) return undefined;
  return approved;
}

/** The withdrawal in effect on `date`: one after the last approval up to then. */
export function withdrawalOn(versions: readonly RegisterVersion[], date: string) {
  const withdrawn = withdrawnBy(versions, date);
  if (!withdrawn) return undefined;
  const approved = versions.findLast((v) => v.approvedOn !== undefined && v.approvedOn <= date);
  return approved && (approved.approvedOn ?? '') > withdrawn.date ? undefined : withdrawn;
}

/**
 * The next review date of a version, as the register fixed it: at approval, then at each review (the
 * last one on or before `asOf`). A version approved before these dates were recorded falls back to its
 * approval date plus `fallbackMonths`.
 */
export function recordedReview(
  version: RegisterVersion,
  fallbackMonths: number,
  asOf = '9999-12-31',
): string {
  const review = (version.reviews ?? []).findLast((r) => r.date <= asOf);
  if (review) return review.nextReviewDate;
  if (version.nextReviewDate) return version.nextReviewDate;
  return addMonths(version.approvedOn ?? version.date, version.reviewIntervalMonths ?? fallbackMonths);
}

/** The next review date a document shows: the recorded one when approved, else provisional (date + interval). */
export const nextReview = (version: RegisterVersion, months: number): string =>
  version.approvedOn !== undefined
    ? recordedReview(version, months)
    : addMonths(version.date, version.reviewIntervalMonths ?? months);

/** Whether a history row records a change of terminology, which names both terms and is not re-worded. */
const switchesTerms = (v: RegisterVersion) =>
  (v.changes?.fields ?? []).some((f) => f.startsWith('terminology.'));

const signed = (people: readonly { name: string; role: string; date: string }[]) =>
  people.map((a) => `${a.name} (${a.role}), ${formatUkDate(a.date)}`).join('; ');

/** The printed version history up to and including `edition`, in that edition's vocabulary, reviews included. */
function historyRows(versions: readonly RegisterVersion[], edition: RegisterVersion): HistoryEntry[] {
  const rows: HistoryEntry[] = [];
  for (const v of [...versions].sort((a, b) => compareVersions(a.version, b.version))) {
    if (compareVersions(v.version, edition.version) > 0) continue;
    const words = (text: string) =>
      switchesTerms(v) ? text : inEditionTerms(text, v.profile, edition.profile);
    rows.push({
      version: v.version,
      date: formatUkDate(v.date),
      summary: words(v.summary),
      ...(v.approvals.length ? { approvedBy: signed(v.approvals) } : {}),
    });
    for (const review of v.reviews ?? [])
      rows.push({
        version: v.version,
        date: formatUkDate(review.date),
        summary: review.message
          ? `Reviewed, no changes: ${inEditionTerms(review.message, v.profile, edition.profile)}`
          : 'Reviewed, no changes.',
        approvedBy: signed([review]),
      });
  }
  return rows;
}

/**
 * What the documents show about a recorded version (the latest by default): control table, history and
 * sign-off. `reviewIntervalMonths` is today's interval, used only where the register recorded none.
 */
export function documentVersion(
  versions: readonly RegisterVersion[],
  reviewIntervalMonths: number,
  edition: RegisterVersion | undefined = versions.at(-1),
): VersionInfo {
  if (!edition) throw new Error('documentVersion needs at least one recorded version');
  const approved = edition.approvedOn !== undefined;
  const firstIssued = versions
    .filter((v) => v.approvedOn !== undefined && compareVersions(v.version, edition.version) <= 0)
    .map((v) => v.approvedOn as string)
    .sort()[0];
  return {
    version: edition.version,
    status: approved ? 'approved' : 'draft',
    date: edition.date,
    ...(edition.approvedOn ? { effectiveDate: edition.approvedOn } : {}),
    nextReviewDate: nextReview(edition, reviewIntervalMonths),
    approvals: edition.approvals,
    approverRoles: edition.approverRoles,
    history: historyRows(versions, edition),
    ...(firstIssued ? { firstIssued } : {}),
  };
}

/** The latest date anything in the register happened: a command dated before it would put history out of order. */
export function latestRecordedDate(register: Register): string | undefined {
  let latest: string | undefined;
  const see = (date: string | undefined) => {
    if (date !== undefined && (latest === undefined || date > latest)) latest = date;
  };
  for (const policy of Object.values(register.policies))
    for (const v of policy.versions) {
      see(v.date);
      v.approvals.forEach((a) => see(a.date));
      v.reviews?.forEach((r) => see(r.date));
      see(v.withdrawn?.date);
      see(v.acknowledgements?.latest);
    }
  return latest;
}
