/**
 * A policy's standing on a day, answered from the register (never recomputed from today's profile): the
 * version in force with its recorded dates, a pending draft, a withdrawal, and the flags CI can fail on.
 */
import { addMonths } from '../core/dates.js';
import type { StaffMember } from '../profile/staff.js';
import { coverage, type Acknowledgement } from './acknowledgements.js';
import type { RegisterVersion } from './schema.js';
import { isRecorded, recordedReview, versionInForce, withdrawalOn } from './versioning.js';

export const STATUS_FLAGS = ['overdue', 'due-soon', 'unapproved', 'stale', 'unacknowledged'] as const;
export type StatusFlag = (typeof STATUS_FLAGS)[number];
type Flag = StatusFlag;

/** The policy as the profile renders it now, when the profile can be read. */
export interface CurrentPolicy {
  title: string;
  markdown: string;
  source: string;
  reviewIntervalMonths: number;
}

export interface PolicyStatus {
  id: string;
  title: string;
  state: 'in-force' | 'draft' | 'withdrawn' | 'none';
  inForce: { version: string; effectiveDate: string; nextReviewDate: string } | null;
  pending: { version: string; date: string } | null;
  withdrawn: { date: string; by: string } | null;
  flags: Flag[];
  notes: string[];
  /** Staff coverage of the version in force, when the profile has a staff list and a version is in force. */
  reading: Reading | null;
}

/** How many of the required readers have acknowledged the version in force, and who has not. */
export interface Reading {
  version: string;
  required: number;
  acknowledged: number;
  /** Names as the staff list writes them (A–Z). */
  missing: string[];
  acknowledgedBy: { name: string; date: string }[];
  /** Days from the version's effective date to the day asked about. */
  daysInForce: number;
}

/** What status knows about staff for one policy: who must read it, and the in-force version's entries. */
export interface StaffReading {
  readers: readonly StaffMember[];
  acknowledgements: readonly Acknowledgement[];
  graceDays: number;
}

const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

const byName = new Intl.Collator('en-GB', { sensitivity: 'base', numeric: true }).compare;

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** One policy's standing on a day, answered from the register (never recomputed from today's profile). */
export function policyStatus(
  all: readonly RegisterVersion[],
  current: CurrentPolicy | undefined,
  options: { id: string; asOf: string; dueSoonDays: number; staff?: StaffReading },
): PolicyStatus {
  const { id, asOf, dueSoonDays } = options;
  // On another day, only what had happened by then.
  const versions = all.filter((v) => v.date <= asOf);
  const interval = current?.reviewIntervalMonths ?? 12;
  const latest: RegisterVersion | undefined = versions.at(-1);
  const inForce = versionInForce(versions, asOf);
  const withdrawal = withdrawalOn(versions, asOf);
  const review = inForce ? recordedReview(inForce, interval, asOf) : undefined;
  const pending =
    latest &&
    !(latest.approvedOn && latest.approvedOn <= asOf) &&
    !(latest.withdrawn && latest.withdrawn.date <= asOf)
      ? latest
      : undefined;
  const flags: Flag[] = [];
  const notes: string[] = [];
  if (review && review < asOf) flags.push('overdue');
  else if (review && review <= addDays(asOf, dueSoonDays)) flags.push('due-soon');
  if (pending || (!inForce && !withdrawal)) flags.push('unapproved');
  if (current && !withdrawal && !isRecorded(all.at(-1), current)) flags.push('stale');
  if (inForce && review && current) {
    const base = inForce.reviews?.findLast((r) => r.date <= asOf)?.date ?? inForce.approvedOn ?? inForce.date;
    if (addMonths(base, interval) !== review)
      notes.push(
        `the review interval is now ${interval} months; it applies from the next approval or review`,
      );
  }
  let reading: Reading | null = null;
  if (inForce && options.staff) {
    const { readers, acknowledgements, graceDays } = options.staff;
    const covered = coverage(readers, acknowledgements, asOf);
    const daysInForce = daysBetween(inForce.approvedOn ?? inForce.date, asOf);
    reading = {
      version: inForce.version,
      required: readers.length,
      acknowledged: covered.acknowledged.length,
      missing: [...covered.missing].sort(byName),
      acknowledgedBy: covered.acknowledged.sort((a, b) => byName(a.name, b.name)),
      daysInForce,
    };
    if (covered.missing.length > 0 && daysInForce > graceDays) flags.push('unacknowledged');
  }
  return {
    id,
    title: latest?.title ?? current?.title ?? id,
    state: withdrawal ? 'withdrawn' : inForce ? 'in-force' : pending ? 'draft' : 'none',
    inForce:
      inForce && review
        ? { version: inForce.version, effectiveDate: inForce.approvedOn ?? '', nextReviewDate: review }
        : null,
    pending: pending ? { version: pending.version, date: pending.date } : null,
    withdrawn: withdrawal ? { date: withdrawal.date, by: `${withdrawal.name} (${withdrawal.role})` } : null,
    flags,
    notes,
    reading,
  };
}

/** Worst first: what needs someone's attention soonest. */
const RANK: Record<string, number> = {
  overdue: 0,
  unapproved: 1,
  stale: 2,
  unacknowledged: 2.5,
  'due-soon': 3,
};
export const severity = (p: PolicyStatus) =>
  Math.min(4 + (p.state === 'withdrawn' ? 1 : 0), ...p.flags.map((f) => RANK[f] ?? 4));
