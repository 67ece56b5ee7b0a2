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
export function partialPathCalls(text: TemplateText): Diagnostic[] {
  let ast: hbs.AST.Program;
  try {
    ast = parse(text.body);
  } catch {
    return []; // Syntax errors are reported, with their place, when the template is rendered.
  }
  const { span } = bodySource(text);
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
