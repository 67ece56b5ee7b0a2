/**
 * Change logs, two ways: the field-level detail the register keeps for audit and `diff` (sections added,
 * removed or reworded, and the profile fields that caused it), and the plain-English summary the printed
 * version history shows, in the edition's own words. Pure functions: no I/O.
 */

import { OPENING, sectionsOf, type Section } from './sections.js';
import { capital, replaceTerms, TERM_NAMES, termPairs, wordsOf, type TermName } from './vocabulary.js';

/** What one version is, for comparing two. `profile` is the dotted-path snapshot (profileSnapshot). */
export interface EditionFacts {
  title: string;
  markdown: string;
  profile: Record<string, unknown>;
  templateId: string;
  templateVersion: string;
}

/** The audit detail kept in the register. */
export interface ChangeDetail {
  /** Section headings as plain text (no Markdown, no escapes). */
  sections: { added: string[]; removed: string[]; reworded: string[] };
  /** The profile fields that changed, as "path: old → new". */
  fields: string[];
  title?: { from: string; to: string };
  template?: { id: string; from: string; to: string };
}

// ---------------------------------------------------------------------------------------------------
// Profile fields

const shown = (value: unknown): string => {
  if (value === undefined) return '(none)';
  if (Array.isArray(value)) return `[${value.map(shown).join(', ')}]`;
  return typeof value === 'string' ? value : JSON.stringify(value);
};

/** The profile fields whose values differ, as "path: old → new" (sorted by path). */
export function fieldChanges(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const paths = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return paths
    .filter((p) => JSON.stringify(before[p]) !== JSON.stringify(after[p]))
    .map((p) => `${p}: ${shown(before[p])} → ${shown(after[p])}`);
}

/** The path of a "path: old → new" entry. */
const pathOf = (field: string) => {
  const colon = field.indexOf(': ');
  return colon < 0 ? field : field.slice(0, colon);
};

interface Comparison {
  before: Section[];
  after: Section[];
  added: Section[];
  removed: Section[];
  /** Sections in both, with changed bodies, as [before, after]. */
  reworded: [Section, Section][];
}

/** Which sections were added, removed or reworded, with the earlier edition read in the later one's terms. */
function compare(previous: EditionFacts, next: EditionFacts): Comparison {
  const pairs = termPairs(previous.profile, next.profile);
  const before = sectionsOf(previous.markdown, (text) => replaceTerms(text, pairs));
  const after = sectionsOf(next.markdown);
  const byKey = new Map(before.map((s) => [s.key, s]));
  const afterKeys = new Set(after.map((s) => s.key));
  const reworded: [Section, Section][] = [];
  for (const section of after) {
    const old = byKey.get(section.key);
    if (old && old.signature !== section.signature) reworded.push([old, section]);
  }
  return {
    before,
    after,
    added: after.filter((s) => !byKey.has(s.key)),
    removed: before.filter((s) => !afterKeys.has(s.key)),
    reworded,
  };
}

const unique = (names: readonly string[]) => [...new Set(names)];

/** The audit detail of what changed from `previous` to `next`. */
export function changeDetail(previous: EditionFacts, next: EditionFacts): ChangeDetail {
  const { before, added, removed, reworded } = compare(previous, next);
  // Removed sections are named as the earlier edition named them: this is the record of what it said.
  const original = sectionsOf(previous.markdown);
  const removedNames = removed.map((s) => original[before.indexOf(s)]?.heading ?? s.heading);
  const detail: ChangeDetail = {
    sections: {
      added: unique(added.map((s) => s.heading)),
      removed: unique(removedNames),
      reworded: unique(reworded.map(([, s]) => s.heading)),
    },
    fields: fieldChanges(previous.profile, next.profile),
  };
  if (previous.title !== next.title) detail.title = { from: previous.title, to: next.title };
  if (previous.templateVersion !== next.templateVersion || previous.templateId !== next.templateId)
    detail.template = { id: next.templateId, from: previous.templateVersion, to: next.templateVersion };
  return detail;
}

// ---------------------------------------------------------------------------------------------------
// The plain-English summary

/** At most this many sentences, give or take a fixed one. */
const MAX_SENTENCES = 4;
/** Lists longer than this name the first few and count the rest. */
const MAX_NAMED = 4;
const SHOWN_WHEN_LONG = 3;
const MAX_QUOTED = 60;

/**
 * Whether a value can be quoted in the history: short, one line, with a letter, and nothing a reader
 * could take for markup, a separator or a field path.
 */
function quotable(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.trim() === value &&
    value.length > 0 &&
    value.length <= MAX_QUOTED &&
    /\p{L}/u.test(value) &&
    !/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}*_#`\\[\]<>|~;{}“”→]/u.test(value) &&
    !/\p{L}[\p{L}\p{N}_]*\.\p{L}/u.test(value) &&
    !/\s{2}/.test(value)
  );
}

const quote = (text: string) => `“${text}”`;

/** "A", "A and B", "A, B and C". */
function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/** Whether a name needs semicolons around it: a comma or an "and" of its own would blur where it ends. */
const needsSemicolons = (names: readonly string[]) => names.some((n) => /,|\band\b/i.test(n));

/** Section names joined in English ("A, B and C"), or with semicolons ("Purpose and aims; Scope"). */
function joinNames(names: readonly string[]): string {
  return needsSemicolons(names) ? names.join('; ') : joinWords(names);
}

/** A list of section names, the first few and a count when it is long. */
function nameList(names: readonly string[]): string {
  if (names.length <= MAX_NAMED) return joinNames(names);
  const first = names.slice(0, SHOWN_WHEN_LONG).join(needsSemicolons(names) ? '; ' : ', ');
  return `${first} and ${names.length - SHOWN_WHEN_LONG} more sections`;
}

const shownName = (section: Section) => (section.heading === OPENING ? 'Introduction' : section.heading);

/** The top-most sections of a set: a subsection added or removed with its section is not named again. */
function topMost(sections: readonly Section[]): Section[] {
  const keys = new Set(sections.map((s) => s.key));
  return sections.filter((s) => s.parent === undefined || !keys.has(s.parent));
}

/** Section names, de-duplicated, in document order. */
const names = (sections: readonly Section[]) => unique(sections.map(shownName));

const strings = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;

/** How many times `value` is in `text` (not overlapping). */
const count = (text: string, value: string) => text.split(value).length - 1;

/**
 * What a field's change did to a section's words, if it can be said plainly ("“a” changed to “b”"): the
 * old value is there fewer times than it was, and the new one more.
 */
function valueChange(before: unknown, after: unknown, old: string, now: string): string | undefined {
  const went = (value: string) => count(old, value) > count(now, value);
  const came = (value: string) => count(now, value) > count(old, value);
  if (quotable(before) && quotable(after)) {
    return went(before) && came(after) ? `${quote(before)} changed to ${quote(after)}` : undefined;
  }
  const oldList = before === undefined ? [] : (strings(before) ?? (quotable(before) ? [before] : undefined));
  const newList = after === undefined ? [] : (strings(after) ?? (quotable(after) ? [after] : undefined));
  if (!oldList || !newList) return undefined;
  const adds = newList.filter((v) => !oldList.includes(v));
  const drops = oldList.filter((v) => !newList.includes(v));
  if (adds.length + drops.length === 0 || adds.length + drops.length > 3) return undefined;
  if (!adds.every((v) => quotable(v) && came(v))) return undefined;
  if (!drops.every((v) => quotable(v) && went(v))) return undefined;
  const clauses = [
    ...(adds.length ? [`now includes ${joinWords(adds.map(quote))}`] : []),
    ...(drops.length ? [`no longer includes ${joinWords(drops.map(quote))}`] : []),
  ];
  return clauses.join(', and ');
}

/** How a term is described when it cannot be quoted. */
const TERM_ROLES: Record<TermName, string> = {
  worker: 'the named worker',
  person: 'the person receiving care',
  plan: 'the person’s plan',
  manager: 'the manager',
};

/** The sentence for a change of terminology, naming both terms (the one row that may). */
function terminologySentences(
  previous: EditionFacts,
  next: EditionFacts,
  paths: readonly string[],
): string[] {
  if (!paths.some((p) => p.startsWith('terminology.'))) return [];
  const a = wordsOf(previous.profile);
  const b = wordsOf(next.profile);
  const quoted: [string, string][] = [];
  const unquoted: string[] = [];
  for (const name of TERM_NAMES) {
    // The person's plural counts only when the singular stayed (the override of `people` alone).
    const which =
      a[name] !== b[name] ? name : name === 'person' && a.people !== b.people ? 'people' : undefined;
    if (!which) continue;
    const [from, to] = [a[which], b[which]];
    if (quotable(from) && quotable(to)) quoted.push([from, to]);
    else unquoted.push(TERM_ROLES[name]);
  }
  const sentences: string[] = [];
  if (quoted.length === 1)
    sentences.push(`Now uses the term ${quote(quoted[0]![1])} instead of ${quote(quoted[0]![0])}.`);
  else if (quoted.length > 1)
    sentences.push(
      `Now uses the terms ${joinWords(quoted.map(([, to]) => quote(to)))} instead of ${joinWords(quoted.map(([from]) => quote(from)))}.`,
    );
  if (unquoted.length === 1) sentences.push(`Now uses a different term for ${unquoted[0]}.`);
  else if (unquoted.length > 1) sentences.push(`Now uses different terms for ${joinWords(unquoted)}.`);
  return sentences;
}

const majorMinor = (version: string) => version.split('.').slice(0, 2).join('.');

/** What a change that left the words alone was about, from the fields that changed. */
const DETAILS: [RegExp, string][] = [
  [/^organisation\.logo$/, 'the logo'],
  [/^organisation\.brandColour$/, 'the brand colour'],
  [/^registration\./, 'the registration details'],
  [/^documentControl\.(copyright|uncontrolledWhenPrinted)$/, 'the footer'],
  [/^documentControl\.approvers|^policies\b.*\.approvers/, 'who approves the policy'],
  [/^documentControl\.owner$|^people\./, 'the document control details'],
  [/^documentControl\.reviewIntervalMonths$|^policies\b.*\.reviewIntervalMonths$/, 'the review date'],
];

/** A field of a section override in the profile: `policies[0].sections.<id>.replace`. */
const SECTION_OVERRIDE = /^policies(?:\[\d+\])?\.sections\.([a-z0-9-]+)(?:\.|$)/;

/** The words of a heading or section id, lower-case ASCII. */
const slugWords = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

/**
 * The changed sections the organisation reworded in its profile (`policies[].sections`). A section id
 * names each field by its name ("choosing-and-assigning-workers"), the heading by its words ("Choosing
 * and assigning key workers"): a changed section is the organisation's when most of the id's words are
 * in its heading.
 */
function rewordedByOrganisation(paths: readonly string[], changed: readonly Section[]): Section[] {
  const ids = unique(paths.flatMap((p) => SECTION_OVERRIDE.exec(p)?.[1] ?? []));
  return changed.filter((section) => {
    const words = new Set(slugWords(section.heading));
    return ids.some((id) => {
      const idWords = slugWords(id);
      return idWords.filter((w) => words.has(w)).length >= Math.ceil(idWords.length * 0.6);
    });
  });
}

/**
 * One or more plain-English sentences for the printed history, in `next`'s vocabulary: sections as the
 * document names them, values only when short and plain, never a field path or Markdown. Title, template
 * and fields come from `detail`; sections are matched again from the two editions' words.
 */
export function plainSummary(detail: ChangeDetail, previous: EditionFacts, next: EditionFacts): string {
  const paths = detail.fields.map(pathOf);
  const fixed: string[] = [...terminologySentences(previous, next, paths)];
  if (detail.title) {
    fixed.push(
      quotable(detail.title.from) && quotable(detail.title.to)
        ? `Title changed from ${quote(detail.title.from)} to ${quote(detail.title.to)}.`
        : 'Title changed.',
    );
  }
  const knownWords = previous.markdown.trim() !== '';
  const { before, after, added, removed, reworded } = knownWords
    ? compare(previous, next)
    : { before: [], after: [], added: [], removed: [], reworded: [] };

  // A section renamed in place (its heading changed, e.g. "…, and related policies") is updated, not
  // removed and added: its neighbour before it is the same section in both.
  const changed: [Section, Section][] = [...reworded];
  const renamedOld = new Set<Section>();
  const renamedNew = new Set<Section>();
  for (const old of removed) {
    const i = before.indexOf(old);
    const neighbour = before[i - 1]?.key;
    const now = added.find(
      (s) => !renamedNew.has(s) && s.depth === old.depth && after[after.indexOf(s) - 1]?.key === neighbour,
    );
    if (i > 0 && now) {
      renamedOld.add(old);
      renamedNew.add(now);
      changed.push([old, now]);
    }
  }
  changed.sort((x, y) => after.indexOf(x[1]) - after.indexOf(y[1]));
  const newSections = names(topMost(added.filter((s) => !renamedNew.has(s))));
  const oldSections = names(topMost(removed.filter((s) => !renamedOld.has(s))));
  if (newSections.length)
    fixed.push(`${newSections.length === 1 ? 'New section' : 'New sections'}: ${nameList(newSections)}.`);
  if (oldSections.length) fixed.push(`Removed: ${nameList(oldSections)}.`);
  const organisation = rewordedByOrganisation(
    paths,
    changed.map(([, s]) => s),
  );
  if (organisation.length) fixed.push(`Reworded by the organisation: ${nameList(names(organisation))}.`);
  // Read last, but counted now: a patch release of a template is not news, its rewording is.
  const template =
    detail.template && majorMinor(detail.template.from) !== majorMinor(detail.template.to)
      ? [`Updated to template version ${majorMinor(detail.template.to)}.`]
      : [];

  // Short plain values, attributed to the sections whose words they changed.
  const values: { sentence: string; sections: Section[] }[] = [];
  for (const path of paths) {
    if (path.startsWith('terminology.') || SECTION_OVERRIDE.test(path)) continue;
    const sections: Section[] = [];
    let change: string | undefined;
    for (const [old, now] of changed) {
      const said = valueChange(previous.profile[path], next.profile[path], old.text, now.text);
      if (said && (change === undefined || said === change)) {
        change = said;
        sections.push(now);
      }
    }
    if (change && sections.length)
      values.push({
        // A value in many sections (the organisation's name, say) changed throughout.
        sentence:
          sections.length > 2
            ? `${capital(change)} throughout.`
            : `${joinNames(names(sections))}: ${change}.`,
        sections,
      });
  }

  // Sections no value sentence explains are listed as updated; value sentences beyond the room left
  // give their sections back to that list.
  const rest = (kept: typeof values) => {
    const explained = new Set([...kept.flatMap((v) => v.sections), ...organisation]);
    return changed.map(([, s]) => s).filter((s) => !explained.has(s));
  };
  const room = MAX_SENTENCES - fixed.length - template.length;
  const kept =
    values.length + (rest(values).length ? 1 : 0) > room ? values.slice(0, Math.max(0, room - 1)) : values;
  const updated = names(rest(kept));

  const sentences = [...fixed, ...kept.map((v) => v.sentence)];
  if (updated.length) sentences.push(`Updated: ${nameList(updated)}.`);
  sentences.push(...template);

  if (sentences.length === 0) {
    if (knownWords && previous.markdown === next.markdown) {
      const details = unique(
        paths.flatMap((p) => DETAILS.filter(([pattern]) => pattern.test(p)).map(([, what]) => what)),
      );
      return details.length
        ? `Document details updated: ${joinWords(details)}.`
        : 'Document details updated.';
    }
    return 'Wording updated.';
  }
  return sentences.join(' ');
}
