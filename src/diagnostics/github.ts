/**
 * Diagnostics as GitHub Actions workflow commands (`::error file=…,line=…,col=…,title=CODE::message`), so a
 * CI run shows each problem as an annotation on the file. Escaping follows GitHub's runner: `%`, CR and
 * LF in the message; those and `:` and `,` in property values.
 */
import type { Diagnostic } from './errors.js';
import { shownPath } from './report.js';

/** A workflow command's message (the part after `::`). */
export const escapeData = (text: string): string =>
  text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/** A workflow command's property value (`file=…`, `title=…`). */
export const escapeProperty = (text: string): string =>
  escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** Paths in annotations use forward slashes, relative to the working folder (the repository root in CI). */
const annotationPath = (file: string, cwd: string) => shownPath(file, cwd).split('\\').join('/');

/** One annotation line (without the newline) for a diagnostic; its hint follows the message. */
export function githubAnnotation(d: Diagnostic, cwd: string): string {
  const properties = [`file=${escapeProperty(annotationPath(d.file, cwd))}`];
  if (d.line > 0) properties.push(`line=${d.line}`, `col=${d.column}`);
  properties.push(`title=${escapeProperty(d.path ? `${d.code} ${d.path}` : d.code)}`);
  const message = d.hint ? `${d.message}\n${d.hint}` : d.message;
  return `::${d.severity === 'error' ? 'error' : 'warning'} ${properties.join(',')}::${escapeData(message)}`;
}

/** An annotation with no place in a file: a failure of the whole command. */
export function githubError(code: string, message: string, hint?: string): string {
  return `::error title=${escapeProperty(code)}::${escapeData(hint ? `${message}\n${hint}` : message)}`;
}
