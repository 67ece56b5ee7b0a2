/** Render stage: a template + a resolved profile → the policy's Markdown, strictly and with values as data. */
import { createHash } from 'node:crypto';
import Handlebars from 'handlebars';
import { addMonths, formatUkDate } from '../core/dates.js';
import type { Diagnostic } from '../diagnostics/errors.js';
import type { PlainObject } from '../profile/load.js';
import type { ResolvedProfile } from '../profile/resolve.js';
import { sourceFromText } from '../diagnostics/source.js';
import { PRECOMPILED } from '../generated/precompiled-templates.js';
import { escapeExpression, escapeMarkdown, expressionText } from './escape.js';
import { policyHelpers } from './helpers.js';
import type { Partial, Template } from './packs.js';

/** A policy larger than this is a runaway template, not a policy. */
const MAX_POLICY_BYTES = 2 * 1024 * 1024;

export interface PolicyDates {
  /** The date of the version being rendered (YYYY-MM-DD). */
  version: string;
  /** The review interval that applies to this policy, in months. */
  reviewIntervalMonths: number;
}

export interface RenderedPolicy {
  id: string;
  templateVersion: string;
  /** The title as plain text, in the profile's vocabulary. */
  title: string;
  markdown: string;
  /** The template file it came from. */
  file: string;
}

type Escape = (value: unknown) => string;

/**
 * Handlebars escapes `{{value}}` through one global function, captured when a compiled template is first
 * run: each is first run (and always run) inside this swap, so a body escapes values as Markdown, a title
 * not at all, and nothing else in the process changes.
 */
function withEscape<T>(escape: Escape, run: () => T): T {
  const utils = Handlebars.Utils as { escapeExpression: Escape };
  const original = utils.escapeExpression;
  utils.escapeExpression = escape;
  try {
    return run();
  } finally {
    utils.escapeExpression = original;
  }
}

/** Placeholders that templates written for other policy systems use (`{{org_field_name}}` …). */
function foreignFields(profile: ResolvedProfile, dates: PolicyDates): PlainObject {
  const { data } = profile;
  const manager = profile.nation === 'wales' ? data.people?.manager : data.people?.registeredManager;
  const registration =
    profile.nation === 'wales' ? data.registration?.ciwServiceId : data.registration?.cqcLocationId;
  const address = data.organisation.address;
  return {
    org_field_name: data.organisation.name,
    org_field_legal_name: data.organisation.legalName ?? data.organisation.name,
    org_field_logo: new Handlebars.SafeString(
      profile.logo ? `![${escapeMarkdown(data.organisation.name)} logo](keypolicy:logo)` : '',
    ),
    org_field_registration_no: registration ?? '',
    org_field_address: address ? [...address.lines, address.postcode ?? ''].filter(Boolean).join(', ') : '',
    org_field_registered_manager_first_name: manager?.firstName ?? '',
    org_field_registered_manager_last_name: manager?.lastName ?? '',
    org_field_responsible_individual_first_name: data.people?.responsibleIndividual?.firstName ?? '',
    org_field_responsible_individual_last_name: data.people?.responsibleIndividual?.lastName ?? '',
    last_update_date: formatUkDate(dates.version),
    next_review_date: formatUkDate(addMonths(dates.version, dates.reviewIntervalMonths)),
    current_year: dates.version.slice(0, 4),
  };
}

/** What a template can read: the profile with defaults, the derived vocabulary and regulator, the dates. */
export function templateContext(profile: ResolvedProfile, dates: PolicyDates): PlainObject {
  return {
    ...profile.data,
    vocabulary: profile.vocabulary,
    variant: profile.variant,
    regulatory: profile.regulatory,
    regulator: profile.regulatory.regulator,
    approvers: profile.approvers,
    owner: profile.owner,
    dates: {
      version: dates.version,
      nextReview: addMonths(dates.version, dates.reviewIntervalMonths),
      reviewIntervalMonths: dates.reviewIntervalMonths,
    },
    ...foreignFields(profile, dates),
  };
}

/** Compiled templates, by their text and partials: a batch compiles each template once, not once a profile. */
interface Compiled {
  raw: { line: number; column: number }[];
  body: HandlebarsTemplateDelegate;
  title: HandlebarsTemplateDelegate;
}
const compiledCache = new Map<string, Compiled>();

/** What a compiled template depends on: its title, body and the partials it can call. */
export function compileKey(template: Template, partials: ReadonlyMap<string, Partial>): string {
  const key = createHash('sha256');
  for (const part of [
    template.title,
    template.body,
    ...[...partials.values()].flatMap((p) => [p.name, p.text]),
  ]) {
    key.update(part).update('\0');
  }
  return key.digest('hex');
}

/** The options every template and partial is compiled with. */
export const COMPILE_OPTIONS = { strict: true } as const;

/**
 * Handlebars' compiler costs a cold process about 0.25 s for the built-in policy, so the built-in pack
 * ships precompiled (`npm run generate`). A template whose text differs (a user's pack, an edited file)
 * misses by key and is compiled here as usual.
 */
function fromPrecompiled(hb: typeof Handlebars, key: string): Compiled | undefined {
  const specs = PRECOMPILED[key];
  if (!specs) return undefined;
  // A precompiled template captures the escape function when it is created, not when first run.
  for (const [name, spec] of Object.entries(specs.partials))
    hb.registerPartial(
      name,
      withEscape(escapeExpression, () => hb.template(spec)),
    );
  return {
    raw: [],
    body: withEscape(escapeExpression, () => hb.template(specs.body)),
    title: withEscape(expressionText, () => hb.template(specs.title)),
  };
}

/**
 * A Handlebars instance with the policy helpers. `{{log}}` writes to stderr, never stdout, which may be
 * carrying `--json`.
 */
function policyHandlebars(): typeof Handlebars {
  const hb = Handlebars.create();
  hb.registerHelper(policyHelpers(Handlebars.SafeString));
  hb.log = (_level: unknown, ...message: unknown[]) => {
    process.stderr.write(`template log: ${message.map(String).join(' ')}\n`);
  };
  return hb;
}

/** An error that happened inside a partial, so it is reported in the partial's file, not the template's. */
class PartialError extends Error {
  constructor(
    readonly partial: Partial,
    readonly inner: unknown,
  ) {
    super(inner instanceof Error ? inner.message : String(inner));
  }
}

/** A partial compiled on first use, whose errors (syntax or data) name the partial's file. */
function compilePartial(hb: typeof Handlebars, partial: Partial): HandlebarsTemplateDelegate {
  let compiled: HandlebarsTemplateDelegate | undefined;
  return (context, options) => {
    try {
      compiled ??= hb.compile(Handlebars.parse(partial.text), COMPILE_OPTIONS);
      return compiled(context, options);
    } catch (error) {
      // Errors from a partial it calls already name theirs; a RangeError is a loop between partials.
      throw error instanceof PartialError || error instanceof RangeError
        ? error
        : new PartialError(partial, error);
    }
  };
}

function compiledFor(template: Template, partials: ReadonlyMap<string, Partial>): Compiled {
  const key = compileKey(template, partials);
  const cached = compiledCache.get(key);
  if (cached) return cached;
  const hb = policyHandlebars();
  let entry = fromPrecompiled(hb, key);
  if (!entry) {
    for (const partial of partials.values()) hb.registerPartial(partial.name, compilePartial(hb, partial));
    // Parsed once: checked for raw mustaches, then compiled.
    const ast = Handlebars.parse(template.body);
    entry = {
      raw: rawMustaches(ast),
      body: hb.compile(ast, COMPILE_OPTIONS),
      title: hb.compile(template.title, COMPILE_OPTIONS),
    };
  }
  compiledCache.set(key, entry);
  return entry;
}

/** A title is plain text (a file name and document metadata come from it), so nothing is escaped. */
const plainTitle = (title: HandlebarsTemplateDelegate, context: PlainObject): string =>
  withEscape(expressionText, () => title(context))
    .replace(/\s+/g, ' ')
    .trim();

/** A template's title for listing, in key or link worker terms, without a profile. */
export function renderTitle(template: Template, worker: 'key' | 'link'): string {
  const term = `${worker} worker`;
  const vocabulary = {
    worker: term,
    workers: `${term}s`,
    person: 'person',
    people: 'people',
    plan: 'plan',
    plans: 'plans',
    manager: 'manager',
    regulatedAs: '',
  };
  try {
    return plainTitle(policyHandlebars().compile(template.title), { vocabulary });
  } catch {
    return template.title;
  }
}

/** `{{{raw}}}` and `{{& raw}}` would insert profile values unescaped: templates may not use them. */
function rawMustaches(ast: hbs.AST.Program): { line: number; column: number }[] {
  const found: { line: number; column: number }[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    const n = node as { type?: string; escaped?: boolean; loc?: { start: { line: number; column: number } } };
    if (n.type === 'MustacheStatement' && n.escaped === false && n.loc) found.push(n.loc.start);
    for (const value of Object.values(node)) if (typeof value === 'object') visit(value);
  };
  visit(ast);
  return found;
}

type At = (
  bodyLine: number,
  column: number,
  length: number,
  code: string,
  message: string,
  hint: string,
) => Diagnostic;

/** Where a template's (or partial's) text is: its file, and the file line its body starts at. */
type TemplateText = Pick<Template, 'file' | 'body' | 'bodyLine'>;

/** Diagnostics at a (1-based) line and (0-based) column of a template's body, reported as file positions. */
function locator(template: TemplateText): At {
  const source = sourceFromText(template.file, `${'\n'.repeat(template.bodyLine - 1)}${template.body}`);
  return (bodyLine, column, length, code, message, hint) => {
    let offset = 0;
    for (let line = 1; line < template.bodyLine + bodyLine - 1; line++)
      offset = source.text.indexOf('\n', offset) + 1;
    return source.diagnosticAt([offset + column, offset + column + length], { code, message, hint });
  };
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
  if (error instanceof PartialError) {
    const { partial, inner } = error;
    return templateError({ file: partial.file, body: partial.text, bodyLine: 1 }, inner);
  }
  const at = locator(template);
  const message = error instanceof Error ? error.message : String(error);
  const e = error as { lineNumber?: number; column?: number };
  const missing = /^"([^"]+)" not defined in/.exec(message);
  if (missing && e.lineNumber !== undefined && e.column !== undefined) {
    const lineText = template.body.split('\n')[e.lineNumber - 1] ?? '';
    const field = /^[@\w./\-[\]]+/.exec(lineText.slice(e.column))?.[0] ?? missing[1] ?? '';
    return at(
      e.lineNumber,
      e.column,
      field.length,
      'KP_TEMPLATE',
      `The template reads \`${field}\`, which this profile does not have.`,
      'Check the name against the profile schema (`keypolicy schema`); wrap optional fields in `{{#if …}}`. `keypolicy templates --check` finds such mistakes before any profile does.',
    );
  }
  const parse = /^Parse error on line (\d+):\n(.*)\n(-*)\^\n(.*)/s.exec(message);
  if (parse) {
    const line = Number(parse[1]);
    return at(
      line,
      parseErrorColumn(template.body, line, (parse[2] ?? '').slice(0, (parse[3] ?? '').length)),
      1,
      'KP_TEMPLATE',
      `The template is not valid Handlebars: ${(parse[4] ?? '').split('\n')[0]}.`,
      'Check that every {{#if}}, {{#each}} and {{#unless}} has its closing {{/…}}, and that braces are balanced.',
    );
  }
  if (error instanceof RangeError) {
    return at(
      1,
      0,
      1,
      'KP_TEMPLATE',
      'The template never finishes: a partial includes itself, directly or indirectly.',
      'Remove the loop between the partials.',
    );
  }
  const helper = /^Missing helper: "([^"]+)"/.exec(message);
  const hint = helper
    ? 'The helpers are listed in the README (worker, Workers, person, plan, term, date, every, list, eq, and, or, not, markdown, …).'
    : 'Check the expression at this line.';
  const line = e.lineNumber ?? 1;
  return at(
    line,
    e.column ?? 0,
    1,
    'KP_TEMPLATE',
    `The template failed: ${message.split('\n')[0] ?? message}`,
    hint,
  );
}

/** Render one template for one profile. Every problem comes back as a diagnostic naming the template line. */
export function renderPolicy(
  template: Template,
  partials: ReadonlyMap<string, Partial>,
  profile: ResolvedProfile,
  dates: PolicyDates,
): { policy?: RenderedPolicy; diagnostics: Diagnostic[] } {
  const context = templateContext(profile, dates);
  try {
    const compiled = compiledFor(template, partials);
    const raw = compiled.raw;
    if (raw.length > 0) {
      const at = locator(template);
      return {
        diagnostics: raw.map(({ line, column }) =>
          at(
            line,
            column,
            3,
            'KP_TEMPLATE',
            'Triple braces `{{{…}}}` (or `{{&…}}`) would insert a value without escaping it.',
            'Use `{{…}}`; for a field that is meant to carry Markdown, use `{{markdown field}}`.',
          ),
        ),
      };
    }
    const markdown = withEscape(escapeExpression, () => compiled.body(context));
    const title = plainTitle(compiled.title, context);
    if (markdown.length > MAX_POLICY_BYTES) {
      return {
        diagnostics: [
          templateError(
            template,
            new Error(
              `The policy came out at ${Math.round(markdown.length / 1024 / 1024)} MB of text; a policy may be at most 2 MB.`,
            ),
          ),
        ],
      };
    }
    return {
      policy: { id: template.id, templateVersion: template.version, title, markdown, file: template.file },
      diagnostics: [],
    };
  } catch (error) {
    return { diagnostics: [templateError(template, error)] };
  }
}
