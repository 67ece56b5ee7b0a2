/** The read-and-sign sheet as CSV: `name,date` and one row per reader, ready to fill in and import back. */
import type { ReadAndSignSheet } from './model.js';

/** A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. */
const field = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

export function renderSheetCsv(sheet: ReadAndSignSheet): string {
  return ['name,date', ...sheet.readers.map((name) => `${field(name)},`)].join('\r\n') + '\r\n';
}
