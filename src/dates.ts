/** Calendar dates as YYYY-MM-DD strings: no clock time and no time zone, so builds are reproducible. */
import { ExitCode, KeypolicyError } from './errors.js';
import { isRealDate } from './profile/formats.js';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function parts(date: string): [number, number, number] {
  const [year, month, day] = date.split('-').map(Number);
  return [year ?? 0, month ?? 1, day ?? 1];
}

/** `2026-04-01` → `1 April 2026`, the UK style. */
export function formatUkDate(date: string): string {
  const [year, month, day] = parts(date);
  return `${day} ${MONTHS[month - 1] ?? ''} ${year}`;
}

/** Add whole months; a day that does not exist in the target month becomes its last day (31 Jan + 1 = 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = parts(date);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth, 0)).getUTCDate();
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(targetYear, 4)}-${pad(targetMonth)}-${pad(Math.min(day, lastDay))}`;
}

/** Check a date given on the command line (`--date`), as a usage error when it is not a real date. */
export function parseDateOption(value: string, flag: string): string {
  if (!isRealDate(value)) {
    throw new KeypolicyError(
      'KP_USAGE',
      `${flag} must be a real date written YYYY-MM-DD; you wrote \`${value}\`.`,
      {
        exitCode: ExitCode.Usage,
      },
    );
  }
  return value;
}

/** Today, unless SOURCE_DATE_EPOCH (reproducible-builds.org) fixes it; always as a UTC calendar date. */
export function today(env: Record<string, string | undefined>, now: () => number = Date.now): string {
  const epoch = env.SOURCE_DATE_EPOCH;
  const millis = epoch !== undefined && /^\d+$/.test(epoch) ? Number(epoch) * 1000 : now();
  return new Date(millis).toISOString().slice(0, 10);
}
