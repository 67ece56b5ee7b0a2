/** `keypolicy templates --sections ID [PROFILE]`: a template's section ids, with the headings an edition prints. */
import type { ResolvedProfile } from '../profile/resolve.js';
import { templateContext } from './context.js';
import { compileTemplate } from './engine.js';
import type { Partial, Template } from './packs.js';
import { renderPolicy } from './render.js';
import { sourceSections, templateLines } from './sections.js';

export interface SectionListing {
  id: string;
  /** 1 for a section, 2 for a subsection, … (relative to the template's top headings). */
  level: number;
  /** The heading as the template writes it. */
  written: string;
  /** The heading as this profile's edition prints it (with a profile). */
  printed?: string;
  /** Whether this profile's edition has the section (a section inside an `{{#if}}` may be left out). */
  inEdition?: boolean;
  /** What the profile does to it: `replace`, `prepend`, `append`, `remove`. */
  override?: string[];
}

const plain = (markdownHeading: string) =>
  markdownHeading.replace(/\\(.)/g, '$1').replace(/\s+/g, ' ').trim();

/** A template's sections in order, each id once (the first place it is written). */
export function listSections(
  template: Template,
  profile?: ResolvedProfile,
  options: {
    date?: string;
    partials?: ReadonlyMap<string, Partial>;
    overrides?: Readonly<Record<string, object>>;
  } = {},
): SectionListing[] {
  const sections = sourceSections(templateLines(template));
  const top = Math.min(...sections.map((s) => s.depth));
  const seen = new Set<string>();
  const date = options.date ?? '2026-01-01';
  const context = profile ? templateContext(profile, { version: date, reviewIntervalMonths: 12 }) : undefined;
  const rendered = profile
    ? renderPolicy(template, options.partials ?? new Map(), profile, {
        version: date,
        reviewIntervalMonths: 12,
      }).policy?.markdown
    : undefined;
  const headings = new Set(
    (rendered ?? '')
      .split('\n')
      .filter((l) => /^#{1,6}\s/.test(l))
      .map((l) => plain(l.replace(/^#+\s+/, ''))),
  );
  const listed: SectionListing[] = [];
  for (const section of sections) {
    if (seen.has(section.id)) continue;
    seen.add(section.id);
    const entry: SectionListing = {
      id: section.id,
      level: section.depth - top + 1,
      written: section.heading,
    };
    if (context) {
      try {
        entry.printed = plain(compileTemplate(section.heading, 'plain', { strict: true })(context));
      } catch {
        entry.printed = section.heading;
      }
      if (rendered !== undefined)
        entry.inEdition = [...headings].some((h) => h.replace(/^\d+(?:\.\d+)*\.?\s+/, '') === entry.printed);
    }
    const override = options.overrides?.[section.id];
    if (override) entry.override = Object.keys(override);
    listed.push(entry);
  }
  return listed;
}
