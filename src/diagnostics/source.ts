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
  /** Each recorded pointer's children in document order, so `pointerAt` can walk down instead of scanning. */
  private readonly children = new Map<string, string[]>();
  private nested: boolean | undefined;
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
        if (value) this.setSpan(pointer, child, { key: keySpan, value });
        if (valueNode && !isAlias(valueNode)) this.record(valueNode, child);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        const itemNode = item as Node | null;
        if (!itemNode?.range) return;
        const child = `${pointer}/${index}`;
        this.setSpan(pointer, child, { value: [itemNode.range[0], itemNode.range[1]] });
        if (!isAlias(itemNode)) this.record(itemNode, child);
      });
    }
  }

  private setSpan(parent: string, child: string, span: NodeSpan): void {
    if (!this.spans.has(child)) {
      const siblings = this.children.get(parent);
      if (siblings) siblings.push(child);
      else this.children.set(parent, [child]);
    }
    this.spans.set(child, span);
  }

  /** The text a pointer's pair covers: the whole pair, so a tag between the key and its value belongs to that key. */
  private extent(pointer: string): [number, number] {
    const span = this.spans.get(pointer) as NodeSpan;
    const start = span.key?.[0] ?? span.value[0];
    return [start, Math.max(span.value[1], start + 1)];
  }

  /**
   * Whether the spans form a tree the way the parser read them: every child inside its parent, siblings
   * apart (sorted here, as a duplicated key keeps its last place). Then the spans holding an offset are one
   * chain from the root down.
   */
  private spansNest(): boolean {
    this.nested ??= [...this.children].every(([parent, kids]) => {
      if (parent !== '' && !this.spans.has(parent)) return false;
      const [low, high] = parent === '' ? [-Infinity, Infinity] : this.extent(parent);
      kids.sort((a, b) => this.extent(a)[0] - this.extent(b)[0]);
      let previousEnd = low;
      return kids.every((kid) => {
        const [start, end] = this.extent(kid);
        const fits = start >= previousEnd && end <= high;
        previousEnd = end;
        return fits;
      });
    });
    return this.nested;
  }

  /** The pointer of the deepest key–value pair whose text contains `offset` ('' when none does). */
  pointerAt(offset: number): string {
    let best = '';
    let bestSize = Infinity;
    const consider = (pointer: string) => {
      const [start, end] = this.extent(pointer);
      // Strictly smaller: of equal spans, the outer one (recorded first) wins.
      if (start <= offset && offset < end && end - start < bestSize) {
        best = pointer;
        bestSize = end - start;
      }
    };
    if (!this.spansNest()) {
      // Malformed YAML the parser read into overlapping nodes: look at every span.
      for (const pointer of this.spans.keys()) consider(pointer);
      return best;
    }
    // Walk down the one chain of spans holding `offset`, a binary search at each level, so explaining
    // every error of a file with thousands of them stays linear (a full scan each was quadratic).
    for (let level = this.children.get(''); level;) {
      let low = 0;
      let high = level.length - 1;
      while (low < high) {
        const middle = Math.ceil((low + high) / 2);
        if (this.extent(level[middle] as string)[0] <= offset) low = middle;
        else high = middle - 1;
      }
      const candidate = level[low] as string;
      const [start, end] = this.extent(candidate);
      if (!(start <= offset && offset < end)) break;
      consider(candidate);
      level = this.children.get(candidate);
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

/**
 * A SourceFile for plain text (no YAML structure): diagnostics by offset only. `firstLine` is the line of
 * its file that the text starts on (a template's body, after its front matter): offsets in the text are
 * reported at the file's lines, and the lines before it read as empty.
 */
export function sourceFromText(file: string, text: string, options: { firstLine?: number } = {}): SourceFile {
  const lines = new LineCounter();
  // The lines before the text start just before its first character, so offset 0 is on `firstLine`.
  for (let line = 1; line < (options.firstLine ?? 1); line++) lines.addNewLine(-1);
  lines.addNewLine(0);
  for (const match of text.matchAll(/\n/g)) lines.addNewLine(match.index + 1);
  return new SourceFile(file, text, lines);
}
