/**
 * Plain-text templates (`.txt`), as consultants keep them: one line a paragraph, `1.` and `4.1.` lines
 * headings at their depth (numbered as written), `-`, `•` and `o` lines list items. They are read into
 * Markdown before Handlebars sees them, their literal text escaped so it reads as written, and every
 * line mapped back to the file for errors. The opening lines that repeat keypolicy's own title block
 * (logo, organisation name, registration number, the title) are left out; the title line is the title.
 */
import { escapeLiteral } from './escape.js';
import { isStandaloneLine, mustachesIn, type MappedLine } from './source-map.js';

/** `1. Purpose`, `4.1. Building trust`, `4.1 Building trust` (a single number needs its dot). */
const NUMBERED = /^(\d{1,3}(?:\.\d{1,3})*)(\.?)\s+(\S.*)$/;
const BULLET = /^([-•o*–·▪])\s+(\S.*)$/u;
/** A numbered line longer than this, or ending like a sentence, is a numbered paragraph, not a heading. */
const MAX_HEADING = 100;

const LOGO = /^\{\{~?\s*(?:org_field_logo|organisation\.logo)\s*~?\}\}$/;
const NAME =
  /^\{\{~?\s*(?:org_field_name|org_field_legal_name|organisation\.name|organisation\.legalName)\s*~?\}\}$/;
const REGISTRATION =
  /^(?:registration|registered|cqc|ciw)\b[^{}]*(?::|no\.?|number)\s*\{\{[^}]+\}\}$|^\{\{~?\s*(?:org_field_registration_no|registration\.\w+)\s*~?\}\}$/i;

type Kind = 'heading' | 'item' | 'paragraph';

/** How a line reads, if it is a heading: its depth (1 for `1.`) and the text after its number. */
function headingOf(line: string): { depth: number; number: string; text: string } | undefined {
  const match = NUMBERED.exec(line);
  if (!match) return undefined;
  const [, number = '', dot, text = ''] = match;
  const levels = number.split('.').length;
  if (levels === 1 && !dot) return undefined;
  if (text.length > MAX_HEADING || /[.;:,]$/.test(text)) return undefined;
  return { depth: levels, number: `${number}${dot}`, text };
}

/** Whether a line of the opening repeats the title block: its logo, name or registration number. */
export const repeatsTitleBlock = (line: string) =>
  LOGO.test(line) || NAME.test(line) || REGISTRATION.test(line);

/** Whether a line of the opening can be the policy's title. */
const titleLike = (line: string) =>
  line.length <= 120 &&
  /\p{L}/u.test(line.replace(/\{\{[\s\S]*?\}\}/g, '')) &&
  !/[.;:,]$/.test(line) &&
  !headingOf(line) &&
  !BULLET.test(line) &&
  !line.replace(/\{\{[\s\S]*?\}\}/g, '').includes(':');

/**
 * Write `text` (a line of the file from `column`) as Markdown after `prefix`: literal runs escaped,
 * `{{…}}` kept as written, with the columns each run came from.
 */
export function mapped(
  prefix: string,
  text: string,
  column: number,
  line: number,
  escapeStart = true,
): MappedLine {
  let out = prefix;
  const columns: [number, number][] = [];
  let at = 0;
  const literal = (end: number) => {
    if (end <= at) return;
    columns.push([out.length, column + at]);
    out += escapeLiteral(text.slice(at, end), escapeStart && out.length === prefix.length);
  };
  for (const m of mustachesIn(text)) {
    literal(m.start);
    columns.push([out.length, column + m.start]);
    out += text.slice(m.start, m.end);
    at = m.end;
  }
  literal(text.length);
  return { text: out, line, columns };
}

export interface PlainTextTemplate {
  /** The Markdown Handlebars compiles, line by line mapped to the file. */
  lines: MappedLine[];
  /** The title line as written (Handlebars text), when the opening has one. */
  title?: string;
}

/** Read a plain-text template's body (`bodyLine`: the body's first line in the file) as Markdown. */
export function plainTextTemplate(body: string): PlainTextTemplate {
  const source = body.split('\n').map((l) => l.replace(/\r$/, ''));
  const lines: MappedLine[] = [];
  let index = 0;
  let title: string | undefined;
  // The opening: title-block lines are skipped until the first line that is not one.
  for (; index < source.length; index++) {
    const line = (source[index] ?? '').trim();
    if (line === '' || repeatsTitleBlock(line)) continue;
    if (title === undefined && titleLike(line)) {
      title = line;
      continue;
    }
    break;
  }
  let previous = 'blank' as Kind | 'blank';
  const separate = (kind: Kind) => {
    if (previous !== 'blank' && !(previous === 'item' && kind === 'item')) lines.push({ text: '' });
    previous = kind;
  };
  for (; index < source.length; index++) {
    const raw = source[index] ?? '';
    const lineNumber = index + 1;
    // A `{{…}}` that runs over several lines is kept as written, one paragraph.
    if ((raw.match(/\{\{/g) ?? []).length > (raw.match(/\}\}/g) ?? []).length) {
      separate('paragraph');
      let end = index;
      let joined = raw;
      while (
        end + 1 < source.length &&
        (joined.match(/\{\{/g) ?? []).length > (joined.match(/\}\}/g) ?? []).length
      ) {
        end++;
        joined += `\n${source[end] ?? ''}`;
      }
      for (let i = index; i <= end; i++) lines.push({ text: source[i] ?? '', line: i + 1 });
      index = end;
      continue;
    }
    const indent = raw.length - raw.trimStart().length;
    const line = raw.trim();
    if (line === '') {
      lines.push({ text: '', line: lineNumber });
      previous = 'blank';
      continue;
    }
    if (isStandaloneLine(line)) {
      lines.push({ text: raw, line: lineNumber, columns: [[0, 0]] });
      continue;
    }
    const heading = headingOf(line);
    if (heading) {
      separate('heading');
      const hashes = '#'.repeat(Math.min(6, heading.depth + 1));
      const textColumn = indent + line.length - heading.text.length;
      lines.push(mapped(`${hashes} ${heading.number} `, heading.text, textColumn, lineNumber, false));
      continue;
    }
    const bullet = BULLET.exec(line);
    if (bullet) {
      // An indented item under another is a sub-item.
      const nested = indent >= 2 && previous === 'item';
      separate('item');
      const text = bullet[2] ?? '';
      lines.push(mapped(nested ? '  - ' : '- ', text, indent + line.length - text.length, lineNumber));
      continue;
    }
    separate('paragraph');
    lines.push(mapped('', line, indent, lineNumber));
  }
  return { lines, ...(title !== undefined ? { title } : {}) };
}
