/** Render stage: a template + a resolved profile → the policy's Markdown, strictly and with values as data. */
import { createHash } from 'node:crypto';
import type { Diagnostic } from '../diagnostics/errors.js';
import type { ResolvedProfile } from '../profile/resolve.js';
import { templateContext, type PolicyDates, type TemplateContext } from './context.js';
import { compileTemplate, parse, precompiled, type CompiledPolicy, type TemplateFunction } from './engine.js';
import type { Partial, Template } from './packs.js';
import { rawMustaches } from './syntax.js';
import { bodyPosition, mappedText } from './source-map.js';
import { PartialError, rawMustacheErrors, templateError } from './template-errors.js';

/** A policy larger than this is a runaway template, not a policy. */
const MAX_POLICY_BYTES = 2 * 1024 * 1024;

export interface RenderedPolicy {
  id: string;
  templateVersion: string;
  /** The title as plain text, in the profile's vocabulary. */
  title: string;
  markdown: string;
  /** The template file it came from. */
  file: string;
}

/** The text Handlebars compiles for a template: its body, or what it was read or spliced into. */
export const compiledText = (template: Template): string =>
  template.source ? mappedText(template.source) : template.body;

/** An error from the compiled text, placed where the template's body says it. */
function placed(template: Template, error: unknown): unknown {
  const e = error as { lineNumber?: unknown; column?: unknown } | null;
  if (!template.source || !(error instanceof Error) || typeof e?.lineNumber !== 'number') return error;
  const at = bodyPosition(template.source, { line: e.lineNumber, column: Number(e.column ?? 0) });
  return Object.assign(new Error(error.message), { lineNumber: at.line, column: at.column });
}

/** The options every template and partial is compiled with (and the built-in pack precompiled with). */
export const COMPILE_OPTIONS = { strict: true } as const;

/**
 * What a compiled template depends on: its title, body and the partials it can call. The key of the
 * compiled templates below, and of the built-in ones precompiled by `npm run generate`.
 */
export function compileKey(template: Template, partials: ReadonlyMap<string, Partial>): string {
  const key = createHash('sha256');
  for (const part of [
    template.title,
    compiledText(template),
    ...[...partials.values()].flatMap((p) => [p.name, p.text]),
  ]) {
    key.update(part).update('\0');
  }
  return key.digest('hex');
}

/** A compiled policy template, and where its body uses `{{{raw}}}` mustaches (so it must not be run). */
interface Compiled extends CompiledPolicy {
  raw: hbs.AST.Position[];
}

/** Compiled templates, by their text and partials: a batch compiles each template once, not once a profile. */
const compiledCache = new Map<string, Compiled>();

/** A partial compiled on first use, whose errors (syntax or data) name the partial's file. */
function compilePartial(partial: Partial): TemplateFunction {
  let compiled: TemplateFunction | undefined;
  return (context, options) => {
    try {
      compiled ??= compileTemplate(parse(partial.text), 'markdown', COMPILE_OPTIONS);
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
  const built = precompiled(key);
  let entry: Compiled;
  if (built) entry = { ...built, raw: [] };
  else {
    // Parsed once: checked for raw mustaches, then compiled.
    const ast = parse(compiledText(template));
    const source = template.source;
    entry = {
      raw: source ? rawMustaches(ast).map((at) => bodyPosition(source, at)) : rawMustaches(ast),
      body: compileTemplate(ast, 'markdown', COMPILE_OPTIONS),
      title: compileTemplate(template.title, 'plain', COMPILE_OPTIONS),
      partials: Object.fromEntries([...partials.values()].map((p) => [p.name, compilePartial(p)])),
    };
  }
  compiledCache.set(key, entry);
  return entry;
}

/** A title is plain text (a file name and document metadata come from it). */
const plainTitle = (title: string): string => title.replace(/\s+/g, ' ').trim();

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
    return plainTitle(compileTemplate(template.title, 'plain')({ vocabulary }));
  } catch {
    return template.title;
  }
}

/** Render one template for one profile. Every problem comes back as a diagnostic naming the template line. */
export function renderPolicy(
  template: Template,
  partials: ReadonlyMap<string, Partial>,
  profile: ResolvedProfile,
  dates: PolicyDates,
): { policy?: RenderedPolicy; diagnostics: Diagnostic[] } {
  const context: TemplateContext = templateContext(profile, dates);
  try {
    const compiled = compiledFor(template, partials);
    if (compiled.raw.length > 0) return { diagnostics: rawMustacheErrors(template, compiled.raw) };
    const markdown = compiled.body(context, { partials: compiled.partials });
    const title = plainTitle(compiled.title(context, { partials: compiled.partials }));
    if (markdown.length > MAX_POLICY_BYTES) {
      const size = Math.round(markdown.length / 1024 / 1024);
      const error = new Error(`The policy came out at ${size} MB of text; a policy may be at most 2 MB.`);
      return { diagnostics: [templateError(template, error)] };
    }
    return {
      policy: { id: template.id, templateVersion: template.version, title, markdown, file: template.file },
      diagnostics: [],
    };
  } catch (error) {
    return { diagnostics: [templateError(template, placed(template, error))] };
  }
}
