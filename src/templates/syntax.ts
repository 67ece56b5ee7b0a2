/** Checks of a template's syntax tree, made before it is run: what it must not write at all. */
import type { Diagnostic } from '../diagnostics/errors.js';
import { parse } from './engine.js';
import { partialNameIsPath } from './front-matter.js';
import { bodySource, type BodyPosition, type TemplateText } from './template-errors.js';

/** Every node of a syntax tree, parents before their children. */
function eachNode(tree: unknown, visit: (node: object) => void): void {
  if (Array.isArray(tree)) return tree.forEach((item) => eachNode(item, visit));
  if (tree === null || typeof tree !== 'object') return;
  visit(tree);
  for (const value of Object.values(tree)) if (typeof value === 'object') eachNode(value, visit);
}

/** Where `{{{raw}}}` and `{{& raw}}` are: they would insert profile values unescaped, so templates may not use them. */
export function rawMustaches(ast: hbs.AST.Program): BodyPosition[] {
  const found: BodyPosition[] = [];
  eachNode(ast, (node) => {
    const n = node as { type?: string; escaped?: boolean; loc?: hbs.AST.SourceLocation };
    if (n.type === 'MustacheStatement' && n.escaped === false && n.loc) found.push(n.loc.start);
  });
  return found;
}

/**
 * Partial calls that name a path (`{{> ../x}}`, `{{> "/etc/passwd"}}`): a partial is only ever found by
 * name among the packs' partials, so such a call could never work; it is refused where it is written.
 * Names computed while rendering (`{{> (lookup …)}}`) can only choose among those partials too.
 */
function partialPathCalls(ast: hbs.AST.Program, span: ReturnType<typeof bodySource>['span']): Diagnostic[] {
  const found: Diagnostic[] = [];
  eachNode(ast, (node) => {
    const n = node as {
      type?: unknown;
      name?: { original?: unknown; value?: unknown; loc?: hbs.AST.SourceLocation };
    };
    if ((n.type !== 'PartialStatement' && n.type !== 'PartialBlockStatement') || !n.name?.loc) return;
    const written = typeof n.name.original === 'string' ? n.name.original : n.name.value;
    if (typeof written === 'string' && partialNameIsPath(written)) {
      found.push(
        span(n.name.loc.start, n.name.loc.end, {
          code: 'KP_TEMPLATE_PATH',
          message: `\`${written}\` is a path, not the name of a partial. A template can only use the partials in its pack's partials/ folder, so nothing outside the pack is read.`,
          hint: 'Write the partial’s file name without its folder or extension, e.g. `{{> practice-daily}}` for partials/practice-daily.md.',
        }),
      );
    }
  });
  return found;
}

/** Names every object has from its prototype: never a field of a profile, so never read as one. */
const PROTOTYPE_NAMES = new Set([
  'constructor',
  'prototype',
  '__proto__',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toString',
  'toLocaleString',
  'valueOf',
]);

/**
 * Fields named like an object's prototype (`{{constructor}}`, `{{organisation.__proto__}}`): Handlebars
 * would render them as nothing, so they are unknown fields, refused where they are written.
 */
function prototypeFields(ast: hbs.AST.Program, span: ReturnType<typeof bodySource>['span']): Diagnostic[] {
  const found: Diagnostic[] = [];
  eachNode(ast, (node) => {
    const n = node as { type?: unknown; parts?: unknown; original?: unknown; loc?: hbs.AST.SourceLocation };
    if (n.type !== 'PathExpression' || !Array.isArray(n.parts) || !n.loc) return;
    const name = (n.parts as unknown[]).find((part) => typeof part === 'string' && PROTOTYPE_NAMES.has(part));
    if (typeof name !== 'string') return;
    found.push(
      span(n.loc.start, n.loc.end, {
        code: 'KP_TEMPLATE_FIELD',
        message: `\`${String(n.original)}\` is not a field a template can read: \`${name}\` belongs to every object, not to the profile.`,
        hint: '`keypolicy templates --check` lists the fields a template can use.',
      }),
    );
  });
  return found;
}

/** What a template must not write, found in its syntax tree before it is run (every pack but the built-in one). */
export function forbiddenSyntax(text: TemplateText): Diagnostic[] {
  let ast: hbs.AST.Program;
  try {
    ast = parse(text.body);
  } catch {
    return []; // Syntax errors are reported, with their place, when the template is rendered.
  }
  const { span } = bodySource(text);
  return [...partialPathCalls(ast, span), ...prototypeFields(ast, span)];
}
