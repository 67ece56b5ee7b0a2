/** Handlebars helpers for policy templates: vocabulary in any case and number, UK dates, lists, logic. */
import type { HelperDelegate } from 'handlebars';
import { addMonths, formatUkDate, isRealDate } from '../core/dates.js';
import type { Vocabulary } from '../profile/resolve.js';
import { escapeMarkdown, safeMarkdown } from './escape.js';

type Form = 'plural' | 'possessive' | 'capital' | 'title' | 'upper';
const FORMS = new Set<string>(['plural', 'possessive', 'capital', 'title', 'upper']);

/** The terms templates can ask for by name, singular and plural. */
const TERMS = {
  worker: ['worker', 'workers'],
  person: ['person', 'people'],
  plan: ['plan', 'plans'],
  manager: ['manager', null],
} as const;
export type TermName = keyof typeof TERMS;

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const titleCase = (text: string) =>
  text.replace(/(^|[\s-])(\p{Ll})/gu, (_, space: string, letter: string) => space + letter.toUpperCase());

/** A vocabulary term in the forms asked for: `term(v, 'worker', ['plural', 'title'])` → "Key Workers". */
export function term(vocabulary: Vocabulary, name: TermName, forms: readonly Form[]): string {
  const [singular, plural] = TERMS[name];
  const pluralForm = forms.includes('plural') && plural ? vocabulary[plural] : vocabulary[singular];
  let text = pluralForm;
  if (forms.includes('possessive'))
    text = /s$/.test(text) && forms.includes('plural') ? `${text}'` : `${text}'s`;
  if (forms.includes('upper')) return text.toUpperCase();
  if (forms.includes('title')) return titleCase(text);
  if (forms.includes('capital')) return capital(text);
  return text;
}

const NUMBER_WORDS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
];

/** `3` → "every three months", `1` → "every month", `12` → "every year". */
export function everyMonths(months: number): string {
  if (months === 1) return 'every month';
  if (months === 12) return 'every year';
  if (months % 12 === 0) return `every ${NUMBER_WORDS[months / 12] ?? months / 12} years`;
  return `every ${NUMBER_WORDS[months] ?? months} months`;
}

/** `['a', 'b', 'c']` → "a, b and c". */
export function joinWords(items: readonly string[], conjunction = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items.at(-1)}`;
}

/** The words of the profile being rendered: helpers read them from the root context, so one set serves all. */
function vocabularyOf(args: unknown[]): Vocabulary {
  const options = args.at(-1) as { data?: { root?: { vocabulary?: Vocabulary } } } | undefined;
  const vocabulary = options?.data?.root?.vocabulary;
  if (!vocabulary) throw new Error('vocabulary helpers need the profile’s vocabulary in the context');
  return vocabulary;
}

/** The helpers policy templates can use (the same for every profile). */
/** A helper's date argument: a real YYYY-MM-DD date, or the template fails (never "1 January NaN"). */
function realDate(helper: string, value: unknown): string {
  const text = typeof value === 'string' ? value : '';
  if (!isRealDate(text))
    throw new Error(`${helper}: \`${String(value)}\` is not a real date written YYYY-MM-DD`);
  return text;
}

/** A number of months: a whole number from 0 to 1200, or the template fails. */
function wholeMonths(value: unknown): number {
  const months = Number(value);
  if (!Number.isInteger(months) || months < 0 || months > 1200)
    throw new Error(`\`${String(value)}\` is not a whole number of months (0 to 1200)`);
  return months;
}

export function policyHelpers(SafeString: new (s: string) => unknown): Record<string, HelperDelegate> {
  const helpers: Record<string, HelperDelegate> = {
    /** `{{term "worker" "plural" "capital"}}`: any term in any form. */
    term: (...args: unknown[]) => {
      const [name, ...forms] = args.slice(0, -1).map(String);
      if (!name || !(name in TERMS))
        throw new Error(`term: unknown term "${String(name)}" (known: ${Object.keys(TERMS).join(', ')})`);
      const unknown = forms.find((f) => !FORMS.has(f));
      if (unknown) throw new Error(`term: unknown form "${unknown}" (known: ${[...FORMS].join(', ')})`);
      return term(vocabularyOf(args), name as TermName, forms as Form[]);
    },
    date: (value: unknown) => formatUkDate(realDate('date', value)),
    addMonths: (value: unknown, months: unknown) =>
      addMonths(realDate('addMonths', value), wholeMonths(months)),
    every: (months: unknown) => everyMonths(wholeMonths(months)),
    /** `{{list items}}` or `{{list items "or"}}`: each item escaped, joined in English. */
    list: (items: unknown, ...rest: unknown[]) => {
      const conjunction = rest.length > 1 ? String(rest[0]) : 'and';
      const words = Array.isArray(items) ? items.map((i) => escapeMarkdown(String(i))) : [];
      return new SafeString(joinWords(words, conjunction));
    },
    lower: (value: unknown) => String(value).toLowerCase(),
    capital: (value: unknown) => capital(String(value)),
    eq: (a: unknown, b: unknown) => a === b,
    ne: (a: unknown, b: unknown) => a !== b,
    gt: (a: unknown, b: unknown) => Number(a) > Number(b),
    not: (value: unknown) => !value,
    and: (...args: unknown[]) => args.slice(0, -1).every(Boolean),
    or: (...args: unknown[]) => args.slice(0, -1).some(Boolean),
    includes: (list: unknown, value: unknown) => Array.isArray(list) && list.includes(value),
    /**
     * The documented opt-in for fields meant to carry Markdown (e.g. `keyWorking.localArrangements`):
     * formatting is kept; raw HTML, unsafe links and images are not.
     */
    markdown: (value: unknown) => new SafeString(typeof value === 'string' ? safeMarkdown(value) : ''),
  };
  // Short forms for the common cases: {{worker}}, {{Workers}}, {{WorkerTitle}}, {{person}}, {{Plans}} …
  for (const [name, [singular, plural]] of Object.entries(TERMS) as [
    TermName,
    readonly [string, string | null],
  ][]) {
    const variants: [string, Form[]][] = [
      [singular, []],
      [capital(singular), ['capital']],
      [`${capital(singular)}Title`, ['title']],
    ];
    if (plural)
      variants.push(
        [plural, ['plural']],
        [capital(plural), ['plural', 'capital']],
        [`${capital(plural)}Title`, ['plural', 'title']],
      );
    for (const [helper, forms] of variants)
      helpers[helper] = (...args: unknown[]) => term(vocabularyOf(args), name, forms);
  }
  return helpers;
}
