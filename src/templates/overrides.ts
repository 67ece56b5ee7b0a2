/** The profile's section overrides applied to one template, with problems placed in the profile file. */
import { readFileSync } from 'node:fs';
import type { Diagnostic } from '../diagnostics/errors.js';
import { sourceFromText } from '../diagnostics/source.js';
import { didYouMean, suggest } from '../diagnostics/suggest.js';
import { parse } from './engine.js';
import type { Partial, Template } from './packs.js';
import { forbiddenSyntax, rawMustaches } from './syntax.js';
import { partialText, rawMustacheErrors } from './template-errors.js';
import { sourceSections, templateLines, withOverrides, type SectionOverride } from './sections.js';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The profile's text, to place overrides in it (empty when it cannot be read: line 1 is used). */
const readText = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

/** Where `id:` is written in a profile's text, as an offset (the first such key), or undefined. */
function keyOffset(text: string, id: string): number | undefined {
  const match = new RegExp(`^[ \\t]*['"]?${escapeRegExp(id)}['"]?[ \\t]*:`, 'm').exec(text);
  return match ? match.index + match[0].indexOf(id) : undefined;
}

/** The line an override's Markdown starts on: under `replace: |`, the next line. */
function overrideLine(text: string, id: string, key: keyof SectionOverride): number | undefined {
  const from = keyOffset(text, id);
  if (from === undefined) return undefined;
  const rest = text.slice(from);
  const match = new RegExp(`^[ \\t]*${key}[ \\t]*:[ \\t]*(.*)$`, 'm').exec(rest);
  if (!match) return undefined;
  const line = text.slice(0, from + match.index).split('\n').length;
  return /^[|>]/.test(match[1] ?? '') ? line + 1 : line;
}

/** What an override's Markdown must not write: `{{{raw}}}` values, partial paths, prototype names. */
function refusedSyntax(partial: Partial): Diagnostic[] {
  const text = partialText(partial);
  let raw: ReturnType<typeof rawMustaches> = [];
  try {
    raw = rawMustaches(parse(partial.text));
  } catch {
    // A syntax error is reported, at its place, when the policy is rendered.
  }
  return [...forbiddenSyntax(text), ...rawMustacheErrors(text, raw)];
}

/** The message for an override of a section the template does not have (renamed, removed or mistyped). */
export function unknownSection(
  template: Pick<Template, 'id' | 'version'>,
  id: string,
  known: readonly string[],
): { message: string; hint: string } {
  return {
    message: `The profile rewords the section \`${id}\` of \`${template.id}\`, but version ${template.version} of that template has no section with that id${didYouMean(suggest(id, known))}`,
    hint: `If the template renamed or removed the section, move these words to the section that replaced it, or take the override out; your words are never dropped silently. \`keypolicy templates --sections ${template.id}\` lists the section ids.`,
  };
}

/** The ids among `overrides` that `template` has no section for, as errors at those ids in the profile. */
export function unknownSectionDiagnostics(
  template: Template,
  overrides: Readonly<Record<string, SectionOverride>>,
  profileFile: string,
): Diagnostic[] {
  const known = [...new Set(sourceSections(templateLines(template)).map((s) => s.id))];
  const text = readText(profileFile);
  const source = sourceFromText(profileFile, text);
  return Object.keys(overrides)
    .filter((id) => !known.includes(id))
    .map((id) => {
      const at = keyOffset(text, id) ?? 0;
      return source.diagnosticAt([at, at + id.length], {
        code: 'KP_SECTION_UNKNOWN',
        ...unknownSection(template, id, known),
      });
    });
}

/**
 * A template with the profile's words for some of its sections. An id the template does not have is an
 * error at that id in the profile, naming the nearest section id.
 */
export function applySectionOverrides(
  template: Template,
  overrides: Readonly<Record<string, SectionOverride>> | undefined,
  profileFile: string,
): { template: Template; partials: Partial[]; diagnostics: Diagnostic[] } {
  if (!overrides || Object.keys(overrides).length === 0) return { template, partials: [], diagnostics: [] };
  const text = readText(profileFile);
  const result = withOverrides(template, overrides, {
    file: profileFile,
    lineOf: (id, key) => overrideLine(text, id, key),
  });
  const diagnostics = result.unknown.length
    ? unknownSectionDiagnostics(template, overrides, profileFile)
    : [];
  // The organisation's words may use fields, never what no template may write (raw values, paths).
  for (const partial of result.partials) diagnostics.push(...refusedSyntax(partial));
  return { template: result.template, partials: result.partials, diagnostics };
}
