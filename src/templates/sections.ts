/**
 * A template's sections as written, by id, and the organisation's own words for some of them (the
 * profile's `policies[].sections`), spliced into what Handlebars compiles as partials, so they are
 * rendered with the same strict fields and escaping as the template and their errors name the profile.
 *
 * A section id is the slug of its heading as written, without its number, each `{{…}}` replaced by the
 * field's name: "Choosing and assigning {{workers}}" is `choosing-and-assigning-workers` in every
 * edition. A section runs from its heading to the next heading as deep or shallower (its subsections
 * are in it), never past the end of a `{{#if}}` or `{{#each}}` it is in.
 */
import type { Partial, Template } from './packs.js';
import { identityLines, mustachesIn, type MappedLine } from './source-map.js';

export interface SourceSection {
  id: string;
  /** The heading as written, without `#` marks (fields and all). */
  heading: string;
  depth: number;
  /** Index of the heading line in the compiled lines. */
  start: number;
  /** Index of the first line after the section. */
  end: number;
}

export interface SectionOverride {
  replace?: string;
  prepend?: string;
  append?: string;
  remove?: true;
}

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const NUMBER = /^\d{1,3}(?:\.\d{1,3})*\.?\s+/;

/** Lower-case ASCII words joined by `-` (accents folded). */
const slug = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

/** A heading's text with its conditional parts left out and each remaining field by its name. */
function headingWords(heading: string): string {
  let out = '';
  let at = 0;
  let depth = 0;
  for (const m of mustachesIn(heading)) {
    if (depth === 0) out += heading.slice(at, m.start);
    at = m.end;
    if (m.kind === 'open') depth++;
    else if (m.kind === 'close') depth = Math.max(0, depth - 1);
    else if (m.kind === 'value' && depth === 0) {
      const [name = ''] = m.inner.split(/\s+/);
      out += ` ${/^["']/.test(name) ? name.slice(1, -1) : name.replace(/[./]/g, ' ')} `;
    }
  }
  if (depth === 0) out += heading.slice(at);
  return out;
}

/** The id of a section, from its heading as written. */
export const sectionId = (heading: string): string =>
  slug(headingWords(heading.replace(/\\(.)/g, '$1').replace(NUMBER, '')).replace(NUMBER, ''));

/** The lines Handlebars compiles for a template. */
export const templateLines = (template: Template): MappedLine[] =>
  template.source ?? identityLines(template.body);

/** How a line changes the depth of `{{#…}}` blocks, and whether it has an `{{else}}` at its own depth. */
function blockStep(text: string, depth: number): { depth: number; outside: boolean } {
  let d = depth;
  let outside = false;
  for (const m of mustachesIn(text)) {
    if (m.kind === 'open') d++;
    else if (m.kind === 'close') d--;
    else if (m.kind === 'else' && d <= 0) outside = true;
    if (d < 0) outside = true;
  }
  return { depth: d, outside };
}

/** Every section of a template, in order (an id may come twice, in two branches of an `{{#if}}`). */
export function sourceSections(lines: readonly MappedLine[]): SourceSection[] {
  const headings: { index: number; depth: number; heading: string }[] = [];
  let fenced = false;
  lines.forEach((line, index) => {
    if (/^\s*(```|~~~)/.test(line.text)) fenced = !fenced;
    const match = fenced ? null : HEADING.exec(line.text);
    if (match) headings.push({ index, depth: (match[1] ?? '').length, heading: match[2] ?? '' });
  });
  return headings
    .map(({ index, depth, heading }) => {
      let blocks = blockStep(lines[index]?.text ?? '', 0).depth;
      let lastLevel = index + 1;
      let end = lines.length;
      for (let i = index + 1; i < lines.length; i++) {
        const text = lines[i]?.text ?? '';
        if (blocks === 0) lastLevel = i;
        const match = HEADING.exec(text);
        if (match && (match[1] ?? '').length <= depth) {
          end = blocks === 0 ? i : lastLevel;
          break;
        }
        const step = blockStep(text, blocks);
        if (step.outside) {
          end = blocks === 0 ? i : lastLevel;
          break;
        }
        blocks = step.depth;
      }
      return { id: sectionId(heading), heading: heading.replace(NUMBER, ''), depth, start: index, end };
    })
    .filter((s) => s.id !== '');
}

/** The name an override's partial is called by: no file in a pack can be named so. */
const partialName = (n: number) => `keypolicy:section:${n}`;

/**
 * A template with the organisation's words spliced in, and the partials that hold them. Ids the
 * template does not have are returned for the caller to report.
 */
export function withOverrides(
  template: Template,
  overrides: Readonly<Record<string, SectionOverride>>,
  where: { file: string; lineOf: (id: string, key: keyof SectionOverride) => number | undefined },
): { template: Template; partials: Partial[]; unknown: string[] } {
  const lines = [...templateLines(template)];
  const sections = sourceSections(lines);
  const known = new Set(sections.map((s) => s.id));
  const unknown = Object.keys(overrides).filter((id) => !known.has(id));
  const partials: Partial[] = [];
  /** The line that calls a partial holding the override's words, or nothing when it has none. */
  const call = (id: string, key: 'replace' | 'prepend' | 'append'): MappedLine[] => {
    const text = overrides[id]?.[key];
    if (text === undefined) return [];
    const name = partialName(partials.length);
    const bodyLine = where.lineOf(id, key);
    partials.push({
      name,
      file: where.file,
      text: `${text.replace(/\s+$/, '')}\n`,
      ...(bodyLine ? { bodyLine } : {}),
    });
    return [{ text: `{{> "${name}"}}` }];
  };
  const blank = (line: MappedLine | undefined) => line !== undefined && line.text.trim() === '';
  // From the last section up, so the places of the earlier ones still hold.
  for (const section of [...sections].sort((a, b) => b.start - a.start)) {
    const override = overrides[section.id];
    if (!override) continue;
    if (override.remove) {
      lines.splice(section.start, section.end - section.start);
      continue;
    }
    let body = override.replace !== undefined ? [] : lines.slice(section.start + 1, section.end);
    while (blank(body[0])) body = body.slice(1);
    while (blank(body.at(-1))) body = body.slice(0, -1);
    const parts = [
      call(section.id, 'prepend'),
      override.replace !== undefined ? call(section.id, 'replace') : body,
      call(section.id, 'append'),
    ].filter((part) => part.length > 0);
    // One blank line between the parts and around them, as Markdown needs.
    const joined = parts.flatMap((part, i) => (i === 0 ? part : [{ text: '' }, ...part]));
    lines.splice(section.start + 1, section.end - section.start - 1, { text: '' }, ...joined, { text: '' });
  }
  return { template: { ...template, source: lines }, partials, unknown };
}
