/**
 * What Handlebars compiles when it is not the body as written: a plain-text template read as Markdown,
 * or a template with the profile's section overrides spliced in. Each compiled line remembers the line
 * of the file it came from (and where its columns came from), so every error is still reported where
 * the person wrote it.
 */
import type { BodyPosition } from './template-errors.js';

export interface MappedLine {
  text: string;
  /** The body line (from 1) this line came from; absent for a line keypolicy added. */
  line?: number;
  /** [compiled column, body column] at the start of each run copied from the body, in order. */
  columns?: readonly (readonly [number, number])[];
}

/** A body as lines that map to themselves. */
export const identityLines = (body: string): MappedLine[] =>
  body.split('\n').map((text, index) => ({ text, line: index + 1 }));

/** The compiled text of mapped lines. */
export const mappedText = (lines: readonly MappedLine[]): string => lines.map((l) => l.text).join('\n');

/** Where a place in the compiled text was written in the body (the nearest line when it was added). */
export function bodyPosition(lines: readonly MappedLine[], at: BodyPosition): BodyPosition {
  const mapped = lines[at.line - 1];
  if (!mapped) return at;
  if (mapped.line === undefined) {
    const before = lines.slice(0, at.line - 1).findLast((l) => l.line !== undefined);
    return { line: before?.line ?? 1, column: 0 };
  }
  const runs = mapped.columns ?? [[0, 0]];
  const run = runs.findLast(([compiled]) => compiled <= at.column) ?? runs[0] ?? [0, 0];
  return { line: mapped.line, column: Math.max(0, run[1] + (at.column - run[0])) };
}

/** One `{{…}}` in a line of template text, and what kind of statement it is. */
export interface Mustache {
  start: number;
  end: number;
  /** Its expression without braces, `~` or the opening sigil. */
  inner: string;
  kind: 'open' | 'close' | 'else' | 'comment' | 'value';
}

const MUSTACHE = /\{\{!--[\s\S]*?--\}\}|\{\{[\s\S]*?\}\}/g;

/** Every `{{…}}` in `text`, in order. */
export function mustachesIn(text: string): Mustache[] {
  return Array.from(text.matchAll(MUSTACHE), (match) => {
    const raw = match[0].slice(2, -2).replace(/^~|~$/g, '').trim();
    const sigil = raw.charAt(0);
    const inner = raw.replace(/^[#^/!>&{]\s*/, '').trim();
    const kind: Mustache['kind'] =
      sigil === '!'
        ? 'comment'
        : sigil === '#'
          ? 'open'
          : sigil === '/'
            ? 'close'
            : raw === '^' || /^else\b/.test(raw)
              ? 'else'
              : sigil === '^'
                ? 'open'
                : 'value';
    return { start: match.index, end: match.index + match[0].length, inner, kind };
  });
}

/** A line that is only block tags and comments: Handlebars drops it from the output. */
export const isStandaloneLine = (text: string): boolean => {
  const found = mustachesIn(text);
  return (
    found.length > 0 && found.every((m) => m.kind !== 'value') && text.replace(MUSTACHE, '').trim() === ''
  );
};
