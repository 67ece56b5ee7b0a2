/** YAML read safely into a SourceFile: the parse options, the parser's findings and the alias limit, once. */
import {
  isAlias,
  isCollection,
  isMap,
  isNode,
  LineCounter,
  parseDocument,
  visit,
  type Alias,
  type Document,
  type Node,
} from 'yaml';
import type { Diagnostic } from './errors.js';
import { SourceFile } from './source.js';
import { explainYaml } from './yaml-errors.js';

/** The yaml package's default; a billion-laughs document is rejected in milliseconds. */
export const MAX_ALIAS_COUNT = 100;

export interface ParsedYaml {
  document: Document;
  source: SourceFile;
  /** The parser's errors and warnings, duplicate and forbidden keys, in plain English. */
  diagnostics: Diagnostic[];
}

/**
 * Parse a YAML file as YAML 1.2 (never 1.1's `yes`/`no`), keeping where every node came from. A lone
 * carriage return (old Mac line endings) is a line break in YAML 1.2 but not to the yaml package, so it
 * becomes a line feed first: one character for one, so every offset stays where it was.
 */
export function parseYamlFile(file: string, original: string): ParsedYaml {
  const text = original.includes('\r') ? original.replace(/\r(?!\n)/g, '\n') : original;
  const lineCounter = new LineCounter();
  const document = parseDocument(text, {
    lineCounter,
    // The yaml package checks each key against every earlier key of its mapping, which is quadratic
    // (a 60,000-key file took minutes); `explainYaml` finds duplicates from the source's key list in one pass.
    uniqueKeys: false,
    prettyErrors: false,
    version: '1.2',
  });
  const source = new SourceFile(file, text, lineCounter, document);
  return { document, source, diagnostics: explainYaml(document.errors, document.warnings, source) };
}

/**
 * A parsed document's data, or, when it expands aliases more than MAX_ALIAS_COUNT times (an alias
 * bomb, which the yaml package throws rather than reports), a diagnostic at its first alias.
 * `what` names the text in the message (`file`, `front matter`); `offset` is where the document
 * starts in the source's text, when it is only part of it.
 */
export function yamlData(
  document: Document,
  source: SourceFile,
  options: { what: string; offset?: number },
): { data: unknown } | { diagnostic: Diagnostic } {
  const cycle = aliasCycle(document);
  if (cycle) {
    const offset = options.offset ?? 0;
    const [start, end] = cycle.alias.range ?? [0, 0];
    return {
      diagnostic: source.diagnosticAt([offset + start, offset + end], {
        code: 'KP_YAML_ALIAS_CYCLE',
        message: `The alias \`*${cycle.alias.source}\` is inside the ${cycle.what} its anchor \`&${cycle.alias.source}\` names, so its value would contain itself for ever.`,
        hint: 'Write the value out here instead of the alias, or move the alias outside the anchored value.',
      }),
    };
  }
  try {
    return { data: document.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (error) {
    if (!(error instanceof ReferenceError) || !/alias/i.test(error.message)) throw error;
    let alias: [number, number] = [0, 0];
    visit(document, {
      Alias: (_key, node) => {
        if (node.range) alias = [node.range[0], node.range[1]];
        return visit.BREAK;
      },
    });
    const offset = options.offset ?? 0;
    return {
      diagnostic: source.diagnosticAt([offset + alias[0], offset + alias[1]], {
        code: 'KP_YAML_ALIAS_LIMIT',
        message: `This ${options.what} expands YAML aliases (\`*name\`) too many times (more than ${MAX_ALIAS_COUNT}), so it was not read.`,
        hint: 'Write the values out instead of nesting aliases inside aliases.',
      }),
    };
  }
}

/**
 * The first alias that names an anchor on a list or mapping around it (`x: &a [*a]`): the yaml package
 * turns that into data that contains itself, which every later step would follow for ever. Anchors are
 * met in document order, as the parser resolves them, so one pass finds it.
 */
function aliasCycle(document: Document): { alias: Alias; what: string } | undefined {
  const anchors = new Map<string, Node>();
  let found: { alias: Alias; what: string } | undefined;
  visit(document, (_key, node, path) => {
    if (!isNode(node)) return undefined;
    if (node.anchor) anchors.set(node.anchor, node);
    if (!isAlias(node)) return undefined;
    const target = anchors.get(node.source);
    if (target && isCollection(target) && path.includes(target)) {
      found = { alias: node, what: isMap(target) ? 'mapping' : 'list' };
      return visit.BREAK;
    }
    return undefined;
  });
  return found;
}
