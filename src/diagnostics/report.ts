/** How diagnostics look on a terminal and in JSON. */
import path from 'node:path';
import type { ChalkInstance } from 'chalk';
import { CONTROL_CHARACTERS } from './control-characters.js';
import type { Diagnostic } from './errors.js';

export { CONTROL_CHARACTERS };

/** Paths under the working folder are shown relative to it, as a person typed them. */
export function shownPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/**
 * One diagnostic as `file:line:col severity CODE path: message`, the source line, a caret and a hint;
 * one about the whole file (line 0) as `file severity CODE: message` and its hint, with no code frame.
 */
export function formatDiagnostic(d: Diagnostic, cwd: string, c: ChalkInstance): string {
  const severity = d.severity === 'error' ? c.red.bold('error') : c.yellow.bold('warning');
  const placed = d.line > 0;
  const where = c.bold(`${shownPath(d.file, cwd)}${placed ? `:${d.line}:${d.column}` : ''}`);
  const lines = [`${where} ${severity} ${c.dim(d.code)}${d.path ? ` ${c.cyan(d.path)}` : ''}: ${d.message}`];
  if (placed && d.sourceLine !== undefined && d.sourceLine.trim() !== '') {
    // Tabs and control characters would shift the caret; show each as one visible character.
    const text = d.sourceLine.replace(/\t/g, '→').replace(CONTROL_CHARACTERS, '·');
    const start = Math.max(0, d.column - 1 - 60);
    const shown = (start > 0 ? '…' : '') + text.slice(start, start + 120);
    const offset = d.column - 1 - start + (start > 0 ? 1 : 0);
    const gutter = String(d.line).length;
    lines.push(c.dim(`  ${String(d.line)} | `) + shown);
    lines.push(
      c.dim(`  ${' '.repeat(gutter)} | `) + ' '.repeat(offset) + c.red('^'.repeat(Math.min(d.length, 120))),
    );
  }
  if (d.hint) lines.push(`  ${c.dim('hint:')} ${d.hint}`);
  return lines.join('\n');
}

/** The documented JSON shape of a diagnostic. */
export function diagnosticJson(d: Diagnostic, cwd: string) {
  return {
    file: shownPath(d.file, cwd),
    code: d.code,
    severity: d.severity,
    path: d.path,
    line: d.line,
    column: d.column,
    message: d.message,
    hint: d.hint ?? null,
  };
}

export const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
