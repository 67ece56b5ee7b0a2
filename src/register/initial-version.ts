/** The version a policy has before the register records anything: the first draft, 1.0. */
import { addMonths, formatUkDate } from '../dates.js';
import type { VersionInfo } from '../document/model.js';

export function initialVersion(
  date: string,
  reviewIntervalMonths: number,
  approverRoles: string[],
): VersionInfo {
  return {
    version: '1.0',
    status: 'draft',
    date,
    nextReviewDate: addMonths(date, reviewIntervalMonths),
    approvals: [],
    approverRoles,
    history: [{ version: '1.0', date: formatUkDate(date), summary: 'First draft.' }],
  };
}
