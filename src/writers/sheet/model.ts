/**
 * A read-and-sign sheet: the paper a care service keeps with the policy folder, one row per person who
 * must read the version in force, with blank signature and date columns. Drawn as PDF, DOCX and CSV
 * (the CSV ready to fill in and import back with `keypolicy acknowledge --from`).
 */
import { formatUkDate } from '../../core/dates.js';

export interface ReadAndSignSheet {
  organisation: string;
  title: string;
  version: string;
  /** YYYY-MM-DD. */
  effectiveDate: string;
  contentHash: string;
  /** Names as the staff list writes them, in the order printed. */
  readers: string[];
}

/** A–Z by the name as written (not by surname), the same on every machine. */
export const sortReaders = (names: readonly string[]): string[] =>
  [...names].sort(new Intl.Collator('en-GB', { sensitivity: 'base', numeric: true }).compare);

/** The words each reader signs under. */
export const statement = (sheet: ReadAndSignSheet): string =>
  `By signing below I confirm that I have read and understood version ${sheet.version} of the ${sheet.title}, ` +
  `in force from ${formatUkDate(sheet.effectiveDate)}, and that I will follow it in my work.`;

/** The facts at the top of every format, label and value. */
export const sheetFacts = (sheet: ReadAndSignSheet): [string, string][] => [
  ['Policy', sheet.title],
  ['Version', sheet.version],
  ['Effective date', formatUkDate(sheet.effectiveDate)],
  ['Content hash', sheet.contentHash],
];

export const SHEET_HEADINGS = ['Name', 'Signature', 'Date'] as const;

/** The sheet's heading line. */
export const sheetHeading = (sheet: ReadAndSignSheet) => `Read and sign: ${sheet.title}`;
