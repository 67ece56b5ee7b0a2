/** Template problems as diagnostics at the line and column of the template (or partial) file they are in. */
import type { Diagnostic } from '../diagnostics/errors.js';
import { sourceFromText } from '../diagnostics/source.js';
import type { Partial, Template } from './packs.js';

/** Where a template's (or partial's) text is: its file, and the file line its body starts at. */
export type TemplateText = Pick<Template, 'file' | 'body' | 'bodyLine'>;

/** A partial's text, which is all body. */
export const partialText = (partial: Partial): TemplateText => ({
  file: partial.file,
  body: partial.text,
  bodyLine: partial.bodyLine ?? 1,
});

/** A place in a body as Handlebars gives it: line from 1, column from 0. */
export type BodyPosition = hbs.AST.Position;

interface Problem {
  code: string;
  message: string;
  hint: string;
}

/**
 * Diagnostics at places in a template's body, reported at the lines of its file (the body starts on
 * `bodyLine`, after the front matter).
 */
export function bodySource({ file, body, bodyLine }: TemplateText) {
  const source = sourceFromText(file, body, { firstLine: bodyLine });
  const lineStarts = [0, ...Array.from(body.matchAll(/\n/g), (match) => match.index + 1)];
  const offset = (at: BodyPosition) => (lineStarts[at.line - 1] ?? 0) + at.column;
  return {
    /** A diagnostic `length` characters long from `start`. */
    at: (start: BodyPosition, length: number, problem: Problem): Diagnostic =>
      source.diagnosticAt([offset(start), offset(start) + length], problem),
    /** A diagnostic from `start` to `end`. */
    span: (start: BodyPosition, end: BodyPosition, problem: Problem): Diagnostic =>
      source.diagnosticAt([offset(start), offset(end)], problem),
  };
}

/** An error that happened inside a partial, so it is reported in the partial's file, not the template's. */
export class PartialError extends Error {
  constructor(
    readonly partial: Partial,
    readonly inner: unknown,
  ) {
    super(inner instanceof Error ? inner.message : String(inner));
  }
}

/**
 * Handlebars' parse errors give a line and an excerpt of the text read so far (newlines dropped, the
 * caret under its end), not a column: the column is where the text read so far ends with that excerpt.
 */
function parseErrorColumn(body: string, line: number, excerpt: string): number {
  const lines = body.split('\n');
  const text = lines[line - 1] ?? '';
  const before = lines.slice(0, line - 1).join('');
  const read = excerpt.replace(/^\.\.\./, '');
  for (let column = text.length; column >= 0; column--)
    if ((before + text.slice(0, column)).endsWith(read)) return column;
  return Math.min(read.length, text.length);
}

/** Where in the template (or partial) file an error happened, and what the person should do about it. */
export function templateError(template: TemplateText, error: unknown): Diagnostic {
  if (error instanceof PartialError) return templateError(partialText(error.partial), error.inner);
  const { at } = bodySource(template);
  const message = error instanceof Error ? error.message : String(error);
  const e = error as { lineNumber?: number; column?: number };
  const missing = /^"([^"]+)" not defined in/.exec(message);
  if (missing && e.lineNumber !== undefined && e.column !== undefined) {
    const lineText = template.body.split('\n')[e.lineNumber - 1] ?? '';
    const field = /^[@\w./\-[\]]+/.exec(lineText.slice(e.column))?.[0] ?? missing[1] ?? '';
    return at({ line: e.lineNumber, column: e.column }, field.length, {
      code: 'KP_TEMPLATE',
      message: `The template reads \`${field}\`, which this profile does not have.`,
      hint: 'Check the name against the profile schema (`keypolicy schema`); wrap optional fields in `{{#if …}}`. `keypolicy templates --check` finds such mistakes before any profile does.',
    });
  }
  const parse = /^Parse error on line (\d+):\n(.*)\n(-*)\^\n(.*)/s.exec(message);
  if (parse) {
    const line = Number(parse[1]);
    const excerpt = (parse[2] ?? '').slice(0, (parse[3] ?? '').length);
    return at({ line, column: parseErrorColumn(template.body, line, excerpt) }, 1, {
      code: 'KP_TEMPLATE',
      message: `The template is not valid Handlebars: ${(parse[4] ?? '').split('\n')[0]}.`,
      hint: 'Check that every {{#if}}, {{#each}} and {{#unless}} has its closing {{/…}}, and that braces are balanced.',
    });
  }
  if (error instanceof RangeError) {
    return at({ line: 1, column: 0 }, 1, {
      code: 'KP_TEMPLATE',
      message: 'The template never finishes: a partial includes itself, directly or indirectly.',
      hint: 'Remove the loop between the partials.',
    });
  }
  const helper = /^Missing helper: "([^"]+)"/.exec(message);
  return at({ line: e.lineNumber ?? 1, column: e.column ?? 0 }, 1, {
    code: 'KP_TEMPLATE',
    message: `The template failed: ${message.split('\n')[0] ?? message}`,
    hint: helper
      ? 'The helpers are listed in the README (worker, Workers, person, plan, term, date, every, list, eq, and, or, not, markdown, …).'
      : 'Check the expression at this line.',
  });
}

/** Each `{{{raw}}}` or `{{& raw}}` in a template, which would insert a value unescaped. */
export function rawMustacheErrors(template: TemplateText, starts: readonly BodyPosition[]): Diagnostic[] {
  const { at } = bodySource(template);
  return starts.map((start) =>
    at(start, 3, {
      code: 'KP_TEMPLATE',
      message: 'Triple braces `{{{…}}}` (or `{{&…}}`) would insert a value without escaping it.',
      hint: 'Use `{{…}}`; for a field that is meant to carry Markdown, use `{{markdown field}}`.',
    }),
  );
}

/** A render stopped by a limit (limits.ts), reported at the first line of the template's body. */
export const stoppedError = (template: TemplateText, reason: string): Diagnostic =>
  bodySource(template).at({ line: 1, column: 0 }, 1, {
    code: 'KP_TEMPLATE',
    message: `This policy was stopped before it was finished: ${reason}. A policy may be at most 2 MB of text.`,
    hint: 'Look for an `{{#each}}` inside another `{{#each}}` over long lists in the profile, and for partials that use other partials several times. A policy normally takes well under a second to write.',
  });
