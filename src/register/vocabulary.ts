/**
 * The words an edition uses, worked out from a version's profile snapshot as the resolver does, and a
 * change log re-worded from one vocabulary into another (rows of earlier versions shown in a later edition).
 */
import { PEOPLE, PLAN, pluralise, type Vocabulary } from '../profile/resolve.js';

/** The words of an edition that a change of terminology can change. */
export type Words = Omit<Vocabulary, 'regulatedAs'>;
export type TermName = 'worker' | 'person' | 'plan' | 'manager';
export const TERM_NAMES: readonly TermName[] = ['worker', 'person', 'plan', 'manager'];
export const PLURAL = { worker: 'workers', person: 'people', plan: 'plans', manager: undefined } as const;

const DEFAULT_PEOPLE: Record<string, Record<string, [string, string]>> = PEOPLE;
const DEFAULT_PLAN: Record<string, Record<string, string>> = PLAN;

export const stringAt = (profile: Record<string, unknown>, path: string): string | undefined => {
  const value = profile[path];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/** An edition's words, from its profile snapshot. */
export function wordsOf(profile: Record<string, unknown>): Words {
  const nation = stringAt(profile, 'nation') ?? 'england';
  const service = stringAt(profile, 'service.type') ?? 'supported-living';
  const [defaultPerson, defaultPeople] = DEFAULT_PEOPLE[nation]?.[service] ?? ['person', 'people'];
  const worker = profile['terminology.worker'] === 'link' ? 'link worker' : 'key worker';
  const personOverride = stringAt(profile, 'terminology.person');
  const person = personOverride ?? defaultPerson;
  const plan = stringAt(profile, 'terminology.plan') ?? DEFAULT_PLAN[nation]?.[service] ?? 'plan';
  return {
    worker,
    workers: `${worker}s`,
    person,
    people: stringAt(profile, 'terminology.people') ?? (personOverride ? pluralise(person) : defaultPeople),
    plan,
    plans: pluralise(plan),
    manager:
      stringAt(profile, 'terminology.manager') ?? (nation === 'wales' ? 'manager' : 'registered manager'),
  };
}

/**
 * The pairs of words that differ between two editions' vocabularies, as [from, to]. The worker term
 * always counts; the others only where a `terminology` override differs (a term that changed with the
 * nation or service type is a change of content, not of vocabulary).
 */
export function termPairs(from: Record<string, unknown>, to: Record<string, unknown>): [string, string][] {
  const a = wordsOf(from);
  const b = wordsOf(to);
  const overridden = (name: string) =>
    name === 'worker' || from[`terminology.${name}`] !== to[`terminology.${name}`];
  const pairs: [string, string][] = [];
  for (const name of TERM_NAMES) {
    const plural = PLURAL[name];
    if (overridden(name) && a[name] !== b[name]) pairs.push([a[name], b[name]]);
    if (plural && (overridden(name) || overridden(plural)) && a[plural] !== b[plural])
      pairs.push([a[plural], b[plural]]);
  }
  return pairs.filter(([source]) => source.trim() !== '');
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
export const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const titleCase = (text: string) =>
  text.replace(/(^|[\s-])(\p{Ll})/gu, (_, space: string, letter: string) => space + letter.toUpperCase());
export const normaliseTerm = (text: string) => text.toLowerCase().replace(/[\s-]+/g, ' ');

/** `to`, in the case style of `match` (key worker, Key worker, Key Worker, KEY WORKER), hyphenated if it was. */
function inCaseOf(match: string, to: string): string {
  const words = match.split(/[\s-]+/);
  let out = to;
  if (match.includes('-') && !/\s/.test(match)) out = out.replace(/\s+/g, '-');
  if (/\p{L}/u.test(match) && match === match.toUpperCase() && match !== match.toLowerCase())
    return out.toUpperCase();
  if (words.length > 1 && words.every((w) => /^\p{Lu}/u.test(w))) return titleCase(out);
  if (/^\p{Lu}/u.test(match)) return capital(out);
  return out;
}

/** Replace each pair's first term with its second, in any case, number and possessive, in one pass. */
export function replaceTerms(text: string, pairs: readonly [string, string][]): string {
  if (pairs.length === 0) return text;
  const lookup = new Map(pairs.map(([from, to]) => [normaliseTerm(from), to]));
  const alternatives = [...lookup.keys()]
    .sort((x, y) => y.length - x.length)
    .map((term) => term.split(' ').map(escapeRegExp).join('[\\s-]+'));
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  return text.replace(pattern, (match) => {
    const to = lookup.get(normaliseTerm(match));
    return to === undefined ? match : inCaseOf(match, to);
  });
}

/** The sentence that records a change of terminology names both terms, so it is never re-worded. */
const TERMINOLOGY_SENTENCE =
  /Now uses (?:the terms?|a different term|different terms) (?:“[^”]*”|[^“”.])*\./g;

/**
 * A summary written under one vocabulary, re-worded into an edition's vocabulary (for earlier rows shown
 * in a later edition). `from` and `to` are profile snapshots. The worker term is replaced in every case and
 * number (key worker, Key Worker, KEY WORKERS, key worker's …), and other terms the `terminology`
 * overrides changed likewise. A sentence recording a change of terminology is left as it is.
 */
export function inEditionTerms(
  summary: string,
  from: Record<string, unknown>,
  to: Record<string, unknown>,
): string {
  const pairs = termPairs(from, to);
  if (pairs.length === 0) return summary;
  let out = '';
  let at = 0;
  for (const match of summary.matchAll(TERMINOLOGY_SENTENCE)) {
    out += replaceTerms(summary.slice(at, match.index), pairs) + match[0];
    at = match.index + match[0].length;
  }
  return out + replaceTerms(summary.slice(at), pairs);
}
