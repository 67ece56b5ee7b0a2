/** YAML read safely into a SourceFile: the parse options, the parser's findings and the alias limit, once. */
import { LineCounter, parseDocument, visit, type Document } from 'yaml';
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

/** Parse a YAML file as YAML 1.2 (never 1.1's `yes`/`no`), keeping where every node came from. */
export function parseYamlFile(file: string, text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, {
    lineCounter,
    uniqueKeys: true,
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
