/** A parsed YAML file that remembers where every value came from, so diagnostics can point at it. */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node, type Document } from 'yaml';
import type { Diagnostic, Severity } from './errors.js';

interface NodeSpan {
  key?: [number, number];
  value: [number, number];
}

/** Keys that would reach Object.prototype through a naive merge. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** JSON Pointer segment escaping (RFC 6901), the form ajv reports paths in. */
export const escapePointer = (segment: string): string => segment.replace(/~/g, '~0').replace(/\//g, '~1');
const unescapePointer = (segment: string): string => segment.replace(/~1/g, '/').replace(/~0/g, '~');

export const pointerSegments = (pointer: string): string[] =>
  pointer === '' ? [] : pointer.slice(1).split('/').map(unescapePointer);

/** `/people/registeredManager` → `people.registeredManager`; `/policies/0/id` → `policies[0].id`. */
export function displayPath(pointer: string): string {
  let out = '';
  for (const segment of pointerSegments(pointer)) {
    if (/^\d+$/.test(segment)) out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** The value at a JSON pointer inside parsed data, or undefined. */
export function valueAtPointer(data: unknown, pointer: string): unknown {
  let value = data;
  for (const segment of pointerSegments(pointer)) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

export const parentPointer = (pointer: string): string =>
  pointer.slice(0, Math.max(0, pointer.lastIndexOf('/')));

export interface DiagnosticInit {
  code: string;
  severity?: Severity;
  pointer: string;
  /** Point at the key (`organisaton:`) rather than its value. */
  at?: 'key' | 'value';
  message: string;
  hint?: string;
}

/**
 * The one type for an input file's text: its line index (offsets ↔ 1-based line:column) and, for a parsed
 * YAML file, where every key and value is, so diagnostics point at what a person wrote. For YAML the
 * index is the parser's own (`parseYamlFile`), so positions agree with the parser's; for any other text
 * it counts line feeds (`sourceFromText`).
 */
export class SourceFile {
  private readonly spans = new Map<string, NodeSpan>();
  /** Every mapping key in document order, duplicates included (the span map keeps only the last). */
  readonly keys: { pointer: string; range: [number, number] }[] = [];

  constructor(
    /** Absolute path. */
    readonly file: string,
    readonly text: string,
    private readonly lineCounter: LineCounter,
    document?: Document,
  ) {
    if (document?.contents) this.record(document.contents, '');
  }

  private record(node: Node, pointer: string): void {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as Node | null;
        const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        const child = `${pointer}/${escapePointer(key)}`;
        const keySpan = keyNode?.range
          ? ([keyNode.range[0], keyNode.range[1]] as [number, number])
          : undefined;
        const valueNode = pair.value as Node | null;
        const value = valueNode?.range
          ? ([valueNode.range[0], valueNode.range[1]] as [number, number])
          : keySpan;
        if (keySpan) this.keys.push({ pointer: child, range: keySpan });
        if (value) this.spans.set(child, { key: keySpan, value });
        if (valueNode && !isAlias(valueNode)) this.record(valueNode, child);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        const itemNode = item as Node | null;
        if (!itemNode?.range) return;
        const child = `${pointer}/${index}`;
        this.spans.set(child, { value: [itemNode.range[0], itemNode.range[1]] });
        if (!isAlias(itemNode)) this.record(itemNode, child);
      });
    }
  }

  /** The pointer of the deepest key–value pair whose text contains `offset` ('' when none does). */
  pointerAt(offset: number): string {
    let best = '';
    let bestSize = Infinity;
    for (const [pointer, span] of this.spans) {
      // The whole pair, so a tag between the key and its value belongs to that key.
      const start = span.key?.[0] ?? span.value[0];
      const end = Math.max(span.value[1], start + 1);
      if (start <= offset && offset < end && end - start < bestSize) {
        best = pointer;
        bestSize = end - start;
      }
    }
    return best;
  }

  /** The span of the deepest node this file has at or above `pointer`. */
  private span(pointer: string, at: 'key' | 'value'): [number, number] | undefined {
    for (let p = pointer; ; p = parentPointer(p)) {
      const found = this.spans.get(p);
      // For an ancestor, point at its key: "add it under `people:`" reads better than the whole block.
      if (found) return (p === pointer && at === 'value' ? found.value : found.key) ?? found.value;
      if (p === '') return undefined;
    }
  }

  /** A diagnostic located at the node for `pointer` (or its nearest ancestor; line 1 when there is none). */
  diagnostic(init: DiagnosticInit): Diagnostic {
    const span = this.span(init.pointer, init.at ?? 'value');
    return this.diagnosticAt(span ?? [0, 0], init);
  }

  /** A diagnostic at a character offset range of the text. */
  diagnosticAt(
    range: [number, number],
    init: Omit<DiagnosticInit, 'pointer' | 'at'> & { pointer?: string },
  ): Diagnostic {
    const { line, column } = this.position(range[0]);
    const lineText = this.lineText(line);
    const length = Math.max(1, Math.min(range[1] - range[0], lineText.length - (column - 1)));
    return {
      code: init.code,
      severity: init.severity ?? 'error',
      file: this.file,
      path: displayPath(init.pointer ?? ''),
      line,
      column,
      length,
      message: init.message,
      ...(init.hint ? { hint: init.hint } : {}),
      sourceLine: lineText,
    };
  }

  /** The 1-based line and column of a character offset of the text. */
  position(offset: number): { line: number; column: number } {
    const { line, col } = this.lineCounter.linePos(offset);
    return { line, column: col };
  }

  /** The offset at which a 1-based line starts (the end of the text past the last line). */
  lineStart(line: number): number {
    return this.lineCounter.lineStarts[line - 1] ?? this.text.length;
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const next = this.lineCounter.lineStarts[line];
    return this.text.slice(this.lineStart(line), next ?? this.text.length).replace(/\r?\n$/, '');
  }

  /** The source text of the value at `pointer`, for "you wrote …" (undefined when not written here). */
  sourceOf(pointer: string): string | undefined {
    const span = this.spans.get(pointer);
    return span ? this.text.slice(span.value[0], span.value[1]) : undefined;
  }
}

/**
 * A diagnostic about a whole file, which has no place in it (the file is missing, too large, a folder…):
 * line, column and length 0, no field path, so the JSON keeps its shape; it prints as `file error CODE: message`.
 */
export function diagnosticForFile(
  file: string,
  init: { code: string; message: string; hint?: string; severity?: Severity },
): Diagnostic {
  return {
    code: init.code,
    severity: init.severity ?? 'error',
    file,
    path: '',
    line: 0,
    column: 0,
    length: 0,
    message: init.message,
    ...(init.hint ? { hint: init.hint } : {}),
  };
}

/** A SourceFile for plain text (no YAML structure): diagnostics by offset only. */
export function sourceFromText(file: string, text: string): SourceFile {
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (const match of text.matchAll(/\n/g)) lines.addNewLine(match.index + 1);
  return new SourceFile(file, text, lines);
}
