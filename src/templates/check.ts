/**
 * `keypolicy templates --check`: read every template's Handlebars statically and check that each field it
 * references (inside #if, #each, #with and partials too) exists in the profile schema or the derived
 * context, so a typo is caught before any profile meets it.
 */
import type { Diagnostic } from '../diagnostics/errors.js';
import { regulatoryData } from '../profile/resolve.js';
import { rootSchema, type SchemaNode } from '../profile/schema-lookup.js';
import { didYouMean, nearest } from '../diagnostics/suggest.js';
import { DATES_FIELDS, FOREIGN_FIELDS, VARIANT_FIELDS, VOCABULARY_FIELDS } from './context.js';
import { parse, POLICY_HELPER_NAMES } from './engine.js';
import { partialNameIsPath } from './front-matter.js';
import type { Partial, Template, TemplateSet } from './packs.js';
import { bodySource, partialText, templateError, type TemplateText } from './template-errors.js';

type Shape =
  | { kind: 'object'; props: Map<string, Shape>; closed: boolean }
  | { kind: 'array'; items: Shape }
  | { kind: 'scalar' }
  | { kind: 'any' };

const SCALAR: Shape = { kind: 'scalar' };
const ANY: Shape = { kind: 'any' };
const objectShape = (entries: [string, Shape][], closed = true): Shape => ({
  kind: 'object',
  props: new Map(entries),
  closed,
});

/** The shape of a JSON Schema node. */
function fromSchema(schema: SchemaNode | undefined): Shape {
  if (!schema) return ANY;
  const union = (schema.anyOf ?? schema.oneOf) as SchemaNode[] | undefined;
  if (union) return fromSchema(union.find((s) => s.type === 'object') ?? union[0]);
  if (schema.type === 'object') {
    const props = Object.entries((schema.properties ?? {}) as Record<string, SchemaNode>);
    return objectShape(
      props.map(([k, v]) => [k, fromSchema(v)]),
      schema.additionalProperties === false,
    );
  }
  if (schema.type === 'array')
    return { kind: 'array', items: fromSchema(schema.items as SchemaNode | undefined) };
  return SCALAR;
}

/** The shape of a value (for the data files and derived objects), merging several examples of it. */
function fromValues(values: unknown[]): Shape {
  const objects = values.filter(
    (v): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v),
  );
  if (objects.length > 0) {
    const keys = [...new Set(objects.flatMap((o) => Object.keys(o)))];
    return objectShape(
      keys.map((k) => [k, fromValues(objects.map((o) => o[k]).filter((v) => v !== undefined))]),
    );
  }
  const arrays = values.filter(Array.isArray);
  if (arrays.length > 0) return { kind: 'array', items: fromValues(arrays.flat()) };
  return SCALAR;
}

/** Everything `templateContext` (context.ts) provides, as a shape. */
function contextShape(): Shape {
  const profile = fromSchema(rootSchema());
  if (profile.kind !== 'object') return ANY;
  const regulatory = fromValues([regulatoryData('england'), regulatoryData('wales')]);
  const extra: [string, Shape][] = [
    ['vocabulary', objectShape(VOCABULARY_FIELDS.map((k) => [k, SCALAR]))],
    ['variant', objectShape(VARIANT_FIELDS.map((k) => [k, SCALAR]))],
    ['regulatory', regulatory],
    ['regulator', regulatory.kind === 'object' ? (regulatory.props.get('regulator') ?? ANY) : ANY],
    ['approvers', { kind: 'array', items: SCALAR }],
    ['owner', SCALAR],
    ['dates', objectShape(DATES_FIELDS.map((k) => [k, SCALAR]))],
    ...FOREIGN_FIELDS.map((k): [string, Shape] => [k, SCALAR]),
  ];
  return objectShape([...profile.props, ...extra]);
}

const BUILT_IN_HELPERS = new Set(['if', 'unless', 'each', 'with', 'lookup', 'log']);

interface Node {
  type: string;
  loc?: { start: { line: number; column: number } };
  [key: string]: unknown;
}
interface PathNode extends Node {
  original: string;
  parts: string[];
  depth: number;
  data: boolean;
}

interface Scope {
  shape: Shape;
  blockParams: Map<string, Shape>;
}

/** Statically check one template (and the partials it includes). */
export function checkTemplate(template: Template, partials: ReadonlyMap<string, Partial>): Diagnostic[] {
  const helperNames = new Set([...BUILT_IN_HELPERS, ...POLICY_HELPER_NAMES]);
  const root = contextShape();
  const diagnostics: Diagnostic[] = [];

  const walkSource = (text: TemplateText, scopes: Scope[], seenPartials: Set<string>) => {
    const { file } = text;
    const { at } = bodySource(text);
    /** Report at a node of this template (or partial). */
    const report = (node: Node, length: number, message: string, hint: string) =>
      diagnostics.push(
        at(node.loc?.start ?? { line: 1, column: 0 }, length, { code: 'KP_TEMPLATE_FIELD', message, hint }),
      );
    let ast: Node;
    try {
      ast = parse(text.body) as unknown as Node;
    } catch (error) {
      diagnostics.push(templateError(text, error));
      return;
    }

    const resolvePath = (
      path: PathNode,
      stack: Scope[],
    ): { shape: Shape; problem?: string; near?: string } => {
      if (path.data) {
        // @root.x reads from the top; @index, @key, @first, @last are loop data.
        if (path.parts[0] === 'root') return walkParts(root, path.parts.slice(1));
        return { shape: SCALAR };
      }
      const scope = stack[Math.max(0, stack.length - 1 - path.depth)] as Scope;
      const [first, ...rest] = path.parts;
      if (first !== undefined && path.depth === 0 && scope.blockParams.has(first)) {
        return walkParts(scope.blockParams.get(first) as Shape, rest);
      }
      return walkParts(scope.shape, path.parts);
    };

    const walkParts = (start: Shape, parts: string[]): { shape: Shape; problem?: string; near?: string } => {
      let shape = start;
      for (const [index, part] of parts.entries()) {
        if (shape.kind === 'any') return { shape: ANY };
        if (shape.kind === 'array') {
          if (part === 'length') shape = SCALAR;
          else if (/^\d+$/.test(part)) shape = shape.items;
          else return { shape: ANY, problem: parts.slice(0, index + 1).join('.') };
          continue;
        }
        if (shape.kind === 'scalar') return { shape: ANY, problem: parts.slice(0, index + 1).join('.') };
        const next = shape.props.get(part);
        if (next) shape = next;
        else if (!shape.closed) return { shape: ANY };
        else {
          const guess = nearest(part, [...shape.props.keys()]);
          const near = guess ? [...parts.slice(0, index), guess].join('.') : undefined;
          return { shape: ANY, problem: parts.slice(0, index + 1).join('.'), ...(near ? { near } : {}) };
        }
      }
      return { shape };
    };

    const checkPath = (path: PathNode, stack: Scope[]): Shape => {
      const { shape, problem, near } = resolvePath(path, stack);
      if (problem) {
        report(
          path,
          path.original.length,
          `\`${path.original}\` is not a field a profile can have${didYouMean(near)}`,
          'Templates read the profile (see `keypolicy schema`) plus vocabulary, variant, regulatory, regulator, approvers, owner and dates.',
        );
      }
      return shape;
    };

    const checkExpression = (node: Node, stack: Scope[]): Shape => {
      if (node.type === 'PathExpression') return checkPath(node as PathNode, stack);
      if (node.type === 'SubExpression') {
        checkCall(node, stack);
        return SCALAR;
      }
      return SCALAR; // literals
    };

    const checkArguments = (node: Node, stack: Scope[]) => {
      for (const param of (node.params as Node[] | undefined) ?? []) checkExpression(param, stack);
      const pairs = (node.hash as { pairs?: { value: Node }[] } | undefined)?.pairs ?? [];
      for (const pair of pairs) checkExpression(pair.value, stack);
    };

    /** A mustache or subexpression: a helper call, or a field to read. */
    const checkCall = (node: Node, stack: Scope[]) => {
      const path = node.path as PathNode;
      const hasArguments =
        ((node.params as unknown[] | undefined)?.length ?? 0) > 0 || node.hash !== undefined;
      const simple =
        path.type === 'PathExpression' && path.parts.length === 1 && path.depth === 0 && !path.data;
      if (simple && helperNames.has(path.original)) return checkArguments(node, stack);
      if (hasArguments) {
        report(
          path,
          path.original.length,
          `\`${path.original}\` is not a helper keypolicy knows.`,
          'Check the helper’s name (see the README’s list of helpers).',
        );
        return checkArguments(node, stack);
      }
      checkExpression(path, stack);
    };

    const walk = (node: Node | undefined, stack: Scope[]): void => {
      if (!node) return;
      switch (node.type) {
        case 'Program':
          for (const statement of node.body as Node[]) walk(statement, stack);
          return;
        case 'MustacheStatement':
          return checkCall(node, stack);
        case 'BlockStatement': {
          const name = (node.path as PathNode).original;
          const params = (node.params as Node[] | undefined) ?? [];
          const program = node.program as Node | undefined;
          const names = (program?.blockParams as string[] | undefined) ?? [];
          if (name === 'each' || name === 'with') {
            const shape = params[0] ? checkExpression(params[0], stack) : ANY;
            // #each over a list gives its items; over a mapping, values of any shape.
            const inner = name === 'each' ? (shape.kind === 'array' ? shape.items : ANY) : shape;
            const blockParams = new Map<string, Shape>();
            if (names[0]) blockParams.set(names[0], inner);
            if (names[1]) blockParams.set(names[1], SCALAR);
            walk(program, [...stack, { shape: inner, blockParams }]);
            walk(node.inverse as Node | undefined, stack);
            return;
          }
          checkCall(node, stack);
          walk(program, stack);
          walk(node.inverse as Node | undefined, stack);
          return;
        }
        case 'PartialStatement':
        case 'PartialBlockStatement': {
          const nameNode = node.name as Node;
          // `{{> (helper …)}}` picks a partial while rendering: only its arguments can be checked here.
          if (nameNode.type === 'SubExpression') return checkCall(nameNode, stack);
          const name = String((nameNode as PathNode).original);
          // A path (`{{> ../x}}`) is refused, where it is written, when the pack is read.
          if (partialNameIsPath(name)) return;
          const partial = partials.get(name);
          if (!partial) {
            report(
              node,
              name.length + 3,
              `The partial \`${name}\` does not exist in any pack.`,
              'Add it to a pack’s partials/ folder, or fix the name.',
            );
            return;
          }
          if (!template.partials.includes(name) && file === template.file) {
            report(
              node,
              name.length + 3,
              `The partial \`${name}\` is used but not listed in the front matter’s \`partials\`.`,
              'Add it to `partials:` so readers of the template know what it depends on.',
            );
          }
          if (seenPartials.has(name)) return;
          walkSource(partialText(partial), stack, new Set([...seenPartials, name]));
          return;
        }
        default:
          return;
      }
    };
    walk(ast, scopes);
  };

  walkSource(template, [{ shape: root, blockParams: new Map() }], new Set());
  return diagnostics;
}

/** Check every template of a set; diagnostics from loading the packs come first. */
export function checkTemplates(set: TemplateSet): Diagnostic[] {
  const found = [...set.templates.values()].flatMap((t) => checkTemplate(t, set.partials));
  // A partial that several templates include is reported once.
  const seen = new Set<string>();
  const once = found.filter((d) => {
    const key = JSON.stringify([d.file, d.line, d.column, d.code, d.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return [...set.diagnostics, ...once];
}
