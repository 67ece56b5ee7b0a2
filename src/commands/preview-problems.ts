/**
 * A problem as the preview page shows it: the terminal's report (`formatDiagnostic`: location, the line,
 * a caret, the hint) with the lines around the offending one, so the YAML it sits in can be seen.
 */
import { readFile, stat } from 'node:fs/promises';
import { CONTROL_CHARACTERS } from '../diagnostics/report.js';
import type { Diagnostic } from '../diagnostics/errors.js';

/** Lines shown before and after the offending one. */
const CONTEXT = 2;
/** A file larger than this is not read again for its context (the report's own line is kept). */
const MAX_CONTEXT_BYTES = 2 * 1024 * 1024;

const shownLine = (text: string) => text.replace(/\t/g, '→').replace(CONTROL_CHARACTERS, '·').slice(0, 120);

/** `formatted` (the report of `d`) with up to two lines of the file before and after the offending line. */
export async function withContext(formatted: string, d: Diagnostic): Promise<string> {
  if (d.line <= 0) return formatted;
  const lines = formatted.split('\n');
  const at = lines.findIndex((line) => line.startsWith(`  ${d.line} | `));
  if (at === -1) return formatted;
  let source: string[];
  try {
    if ((await stat(d.file)).size > MAX_CONTEXT_BYTES) return formatted;
    source = (await readFile(d.file, 'utf8')).split(/\r?\n/);
  } catch {
    return formatted;
  }
  const width = String(Math.min(source.length, d.line + CONTEXT)).length;
  const numbered = (n: number) => `  ${String(n).padStart(width)} | ${shownLine(source[n - 1] ?? '')}`;
  const before: string[] = [];
  for (let n = Math.max(1, d.line - CONTEXT); n < d.line; n++) before.push(numbered(n));
  const after: string[] = [];
  for (let n = d.line + 1; n <= Math.min(source.length, d.line + CONTEXT); n++)
    if (n < source.length || (source[n - 1] ?? '') !== '') after.push(numbered(n));
  // The report's own line and caret stay as they are; the gutter is widened to match when needed.
  const pad = ' '.repeat(width - String(d.line).length);
  const own = lines.slice(at, at + 2).map((line) => `  ${pad}${line.slice(2)}`);
  const caretLine = own.length === 2 && /\^/.test(own[1] ?? '');
  return [
    ...lines.slice(0, at),
    ...before,
    ...own.slice(0, caretLine ? 2 : 1),
    ...after,
    ...lines.slice(at + (caretLine ? 2 : 1)),
  ].join('\n');
}
