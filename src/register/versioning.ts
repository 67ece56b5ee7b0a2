/** Versions and change logs: what a build records, and what the documents show about a version. */
import { createHash } from 'node:crypto';
import { addMonths, formatUkDate } from '../dates.js';
import type { VersionInfo } from '../document/model.js';
import type { PlainObject } from '../profile/load.js';
import { VERSION } from '../version.js';
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

const shown = (value: unknown): string => {
  if (value === undefined) return '(none)';
  if (Array.isArray(value)) return `[${value.map(shown).join(', ')}]`;
  return typeof value === 'string' ? value : JSON.stringify(value);
};

/** The profile fields whose values differ, as "path: old → new". */
export function fieldChanges(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const paths = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return paths
    .filter((p) => JSON.stringify(before[p]) !== JSON.stringify(after[p]))
    .map((p) => `${p}: ${shown(before[p])} → ${shown(after[p])}`);
}

/** The sections of a policy by heading (escapes removed), each with its normalised words. */
function sections(markdown: string): Map<string, string> {
  const out = new Map<string, string>();
  let heading = '(opening)';
  let body: string[] = [];
  const flush = () => out.set(heading, body.join(' ').replace(/\s+/g, ' ').trim());
  for (const line of markdown.split('\n')) {
    const match = /^#{1,6}\s+(.*)$/.exec(line);
    if (match) {
      flush();
      heading = (match[1] ?? '').replace(/\\(.)/g, '$1').trim();
      body = [];
    } else body.push(line);
  }
  flush();
  return out;
}

/** Which sections were added, removed or reworded between two versions' words. */
export function sectionChanges(
  before: string,
  after: string,
): { added: string[]; removed: string[]; reworded: string[] } {
  const old = sections(before);
  const now = sections(after);
  return {
    added: [...now.keys()].filter((h) => !old.has(h)),
    removed: [...old.keys()].filter((h) => !now.has(h)),
    reworded: [...now.keys()].filter((h) => old.has(h) && old.get(h) !== now.get(h)),
  };
}

const MAX_FIELDS = 8;

/** The change-log entry for a version, generated from what changed. */
function changeSummary(
  previous: RegisterVersion | undefined,
  next: { markdown: string; profile: Record<string, unknown>; templateVersion: string; title: string },
  message?: string,
): string {
  const note = message ? ` Note: ${message}` : '';
  if (!previous) return `First version.${note}`;
  const parts: string[] = [];
  const { added, removed, reworded } = sectionChanges(previous.markdown ?? '', next.markdown);
  if (previous.title !== next.title) parts.push(`Title: ${previous.title} → ${next.title}.`);
  if (added.length) parts.push(`Sections added: ${added.join('; ')}.`);
  if (removed.length) parts.push(`Sections removed: ${removed.join('; ')}.`);
  if (reworded.length) parts.push(`Sections reworded: ${reworded.join('; ')}.`);
  const fields = fieldChanges(previous.profile, next.profile);
  if (fields.length) {
    const more = fields.length > MAX_FIELDS ? `; and ${fields.length - MAX_FIELDS} more` : '';
    parts.push(`Profile changes: ${fields.slice(0, MAX_FIELDS).join('; ')}${more}.`);
  }
  if (previous.template.version !== next.templateVersion) {
    parts.push(`Template ${previous.template.id} ${previous.template.version} → ${next.templateVersion}.`);
  }
  return `${parts.join(' ') || 'Wording updated.'}${note}`;
}

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
  message?: string;
}

export type RecordOutcome = 'unchanged' | 'created' | 'revised';

/**
 * Record a policy's rendition: unchanged content keeps its version; changed content after an approved
 * version is a new draft; changed content while the latest version is an unapproved draft revises it.
 */
export function recordVersion(
  register: Register,
  rendition: Rendition,
): { version: RegisterVersion; outcome: RecordOutcome } {
  const hash = contentHash(rendition.markdown);
  const history = (register.policies[rendition.id] ??= { versions: [] }).versions;
  const latest = history.at(-1);
  if (latest && latest.contentHash === hash) return { version: latest, outcome: 'unchanged' };
  const revising = latest !== undefined && latest.approvedOn === undefined;
  const previous = revising ? history.at(-2) : latest;
  const version: RegisterVersion = {
    version: revising
      ? latest.version
      : latest
        ? nextVersionNumber(latest, rendition.templateVersion)
        : '1.0',
    date: rendition.date,
    contentHash: hash,
    title: rendition.title,
    template: { id: rendition.templateId, version: rendition.templateVersion },
    keypolicy: VERSION,
    summary: changeSummary(previous, { ...rendition }, rendition.message),
    approverRoles: rendition.approverRoles,
    approvals: [],
    profile: rendition.profile,
    markdown: rendition.markdown,
  };
  if (revising) history[history.length - 1] = version;
  else history.push(version);
  return { version, outcome: revising ? 'revised' : 'created' };
}

/** The latest version approved on or before `date` (the version in force then). */
export function versionInForce(
  versions: readonly RegisterVersion[],
  date: string,
): RegisterVersion | undefined {
  return [...versions].reverse().find((v) => v.approvedOn !== undefined && v.approvedOn <= date);
}

/** The next review date of a version: from its approval, or provisionally from its date. */
export const nextReview = (version: RegisterVersion, months: number): string =>
  addMonths(version.approvedOn ?? version.date, months);

/** What the documents show about the latest version: control table, history and sign-off. */
export function documentVersion(
  versions: readonly RegisterVersion[],
  reviewIntervalMonths: number,
): VersionInfo {
  const latest = versions.at(-1);
  if (!latest) throw new Error('documentVersion needs at least one recorded version');
  const approved = latest.approvedOn !== undefined;
  return {
    version: latest.version,
    status: approved ? 'approved' : 'draft',
    date: latest.date,
    ...(latest.approvedOn ? { effectiveDate: latest.approvedOn } : {}),
    nextReviewDate: nextReview(latest, reviewIntervalMonths),
    approvals: latest.approvals,
    approverRoles: latest.approverRoles,
    history: [...versions]
      .sort((a, b) => compareVersions(a.version, b.version))
      .map((v) => ({
        version: v.version,
        date: formatUkDate(v.date),
        summary: v.summary,
        ...(v.approvals.length
          ? {
              approvedBy: v.approvals.map((a) => `${a.name} (${a.role}), ${formatUkDate(a.date)}`).join('; '),
            }
          : {}),
      })),
  };
}
