/**
 * A small table read from a CSV file (a staff list, a filled read-and-sign sheet): a header row naming the
 * columns in any letter case, then one record a line. Parsing is csv-parse's (quotes, commas inside
 * quotes, CRLF, a byte-order mark); this file only names problems at their line, as every input's are.
 */
import type { Diagnostic } from '../diagnostics/errors.js';
import { sourceFromText, type SourceFile } from '../diagnostics/source.js';
import { suggest } from '../diagnostics/suggest.js';

const guessed = (guess: string | undefined) => (guess ? ` Did you mean \`${guess}\`?` : '');

export interface CsvRow {
  /** 1-based line of the file the record is on. */
  line: number;
  /** Values by column name (lower case), trimmed; a missing cell is ''. */
  values: Record<string, string>;
}

export interface CsvTable {
  source: SourceFile;
  rows: CsvRow[];
  diagnostics: Diagnostic[];
}

/** csv-parse's own words for a malformed file, in plain English. */
const CSV_PROBLEMS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted value is never closed (a `"` is missing)',
  INVALID_OPENING_QUOTE: 'a `"` appears inside a value that does not start with one',
  CSV_INVALID_CLOSING_QUOTE: 'a quoted value has text after its closing `"`',
};

/**
 * Parse `text` as CSV with a header row. `required` columns must be there; `known` columns may be;
 * any other column is an error when `others` is 'error', and ignored when 'ignore'.
 */
export async function readCsvTable(
  file: string,
  text: string,
  columns: { required: readonly string[]; known?: readonly string[]; others: 'error' | 'ignore' },
): Promise<CsvTable> {
  const source = sourceFromText(file, text.replace(/^\uFEFF/, ''));
  const at = (line: number, init: { code: string; message: string; hint?: string }) =>
    source.diagnosticAt([source.lineStart(Math.max(1, line)), source.lineStart(Math.max(1, line)) + 1], init);
  const { parse } = await import('csv-parse/sync');
  let records: { info: { lines: number }; record: string[] }[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
    }) as unknown as { info: { lines: number }; record: string[] }[];
  } catch (error) {
    const { code, lines } = error as { code?: string; lines?: number };
    const what = CSV_PROBLEMS[code ?? ''] ?? (error instanceof Error ? error.message : String(error));
    return {
      source,
      rows: [],
      diagnostics: [
        at(lines ?? 1, {
          code: 'KP_CSV',
          message: `This CSV file cannot be read: ${what}.`,
          hint: 'Save it again from your spreadsheet as "CSV (comma delimited)", or correct the line by hand.',
        }),
      ],
    };
  }
  const [header, ...body] = records;
  const wanted = [...columns.required, ...(columns.known ?? [])];
  const example = columns.required.join(',');
  if (!header || header.record.every((cell) => cell === ''))
    return {
      source,
      rows: [],
      diagnostics: [
        at(1, {
          code: 'KP_CSV_HEADER',
          message: `This CSV file has no header row; its first line must name the columns (${example}).`,
          hint: `Start the file with the line \`${example}\` (in any letter case).`,
        }),
      ],
    };
  const names = header.record.map((cell) => cell.trim().toLowerCase());
  const diagnostics: Diagnostic[] = [];
  const missing = columns.required.filter((c) => !names.includes(c));
  if (missing.length > 0)
    diagnostics.push(
      at(header.info.lines, {
        code: 'KP_CSV_HEADER',
        message: `The header row must name the column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `\`${c}\``).join(' and ')}; it names ${names.map((n) => `\`${n}\``).join(', ')}.`,
        hint: `The first line names the columns, e.g. \`${example}\` (in any letter case).${guessed(suggest(names.find((n) => !wanted.includes(n)) ?? '', missing))}`,
      }),
    );
  names.forEach((name, index) => {
    if (names.indexOf(name) !== index)
      diagnostics.push(
        at(header.info.lines, {
          code: 'KP_CSV_HEADER',
          message: `The column \`${name}\` is named twice in the header row.`,
        }),
      );
    else if (columns.others === 'error' && !wanted.includes(name))
      diagnostics.push(
        at(header.info.lines, {
          code: 'KP_CSV_HEADER',
          message: `The column \`${name}\` is not one keypolicy reads (${wanted.map((c) => `\`${c}\``).join(', ')}).`,
          hint: `Remove it: keypolicy keeps only what it needs.${guessed(suggest(name, wanted))}`,
        }),
      );
  });
  if (diagnostics.length > 0) return { source, rows: [], diagnostics };
  const rows = body
    .filter((r) => r.record.some((cell) => cell !== ''))
    .map((r) => ({
      line: r.info.lines,
      values: Object.fromEntries(wanted.map((c) => [c, r.record[names.indexOf(c)]?.trim() ?? ''])),
    }));
  return { source, rows, diagnostics };
}
