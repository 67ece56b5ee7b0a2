/** Calendar dates as YYYY-MM-DD strings: no clock time and no time zone, so builds are reproducible. */
import { ExitCode, KeypolicyError } from '../diagnostics/errors.js';

/** A calendar date written YYYY-MM-DD that exists (2026-02-30 does not). */
export function isRealDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

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

const EARLIEST = '2000-01-01';
const LATEST = '9999-12-31';

const usage = (message: string) => new KeypolicyError('KP_USAGE', message, { exitCode: ExitCode.Usage });

/** Check a date given on the command line (`--date`): a real date from 2000-01-01 to 9999-12-31, else a usage error. */
export function parseDateOption(value: string, flag: string): string {
  if (!isRealDate(value))
    throw usage(`${flag} must be a real date written YYYY-MM-DD; you wrote \`${value}\`.`);
  if (value < EARLIEST || value > LATEST)
    throw usage(`${flag} must be a date from ${EARLIEST} to ${LATEST}; you wrote \`${value}\`.`);
  return value;
}

// The providers' own calendar: a build at 00:30 on 1 April in London is dated 1 April, not 31 March.
// Made on first use: loading a time zone costs about 20 ms, which `validate` never needs.
let london: Intl.DateTimeFormat | undefined;
const londonDate = (millis: number) =>
  (london ??= new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  })).format(millis);

/**
 * Today: SOURCE_DATE_EPOCH (reproducible-builds.org; seconds, read as a UTC instant) when set, else
 * the date in Europe/London. An epoch that is not whole seconds, or falls outside 2000–9999, is a
 * usage error: a register dated in the year 275760 would lock its owner out of every later command.
 */
export function today(env: Record<string, string | undefined>, now: () => number = Date.now): string {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch === '') return londonDate(now());
  const seconds = /^\d{1,12}$/.test(epoch.trim()) ? Number(epoch.trim()) : NaN;
  // 12 digits stay within what Date can hold; the range check below does the rest.
  const date = Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString().slice(0, 10) : '';
  if (!date || date < EARLIEST || date > LATEST)
    throw usage(
      `SOURCE_DATE_EPOCH must be whole seconds since 1970 giving a date from ${EARLIEST} to ${LATEST}; it is \`${epoch}\`.`,
    );
  return date;
}

/** The date a command runs as: its date option when given, else today. */
export const commandDate = (
  option: string | undefined,
  flag: string,
  env: Record<string, string | undefined>,
) => (option !== undefined ? parseDateOption(option, flag) : today(env));
