/** Turns the yaml parser's findings into plain-English diagnostics at the place a person would fix. */
import type { YAMLError, YAMLWarning } from 'yaml';
import type { Diagnostic } from './errors.js';
import { FORBIDDEN_KEYS, pointerSegments, type SourceFile } from './source.js';

const YAML_HINT =
  'YAML uses spaces (never tabs) to indent, a colon and a space after each key, and quotes around text that contains `: ` or ` #`.';

const OPENERS: Record<string, { closer: string; what: string }> = {
  '[': { closer: ']', what: 'list' },
  '{': { closer: '}', what: 'mapping' },
};

/** The first bracket or quote that is opened and never closed (comments and quoted text skipped). */
function unclosedOpener(text: string): { offset: number; char: string } | undefined {
  const stack: { offset: number; char: string }[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '#' && (i === 0 || /\s/.test(text[i - 1] as string))) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === '"' || (ch === "'" && (i === 0 || /[\s[{,:]/.test(text[i - 1] as string)))) {
      const start = i;
      for (i++; i < text.length; i++) {
        if (ch === '"' && text[i] === '\\') i++;
        else if (text[i] === ch) {
          if (ch === "'" && text[i + 1] === "'") i++;
          else break;
        }
      }
      if (i >= text.length) return { offset: start, char: ch };
    } else if (ch in OPENERS) stack.push({ offset: i, char: ch });
    else if ((ch === ']' || ch === '}') && stack.length > 0) stack.pop();
  }
  return stack[0];
}

const indentOf = (line: string) => line.length - line.trimStart().length;

/** One yaml error explained, located where a person would fix it. */
function explain(error: YAMLError, source: SourceFile): Diagnostic {
  const at = (range: [number, number], code: string, message: string, hint = YAML_HINT, pointer?: string) =>
    source.diagnosticAt(range, { code, message, hint, pointer: pointer ?? source.pointerAt(range[0]) });
  switch (error.code) {
    case 'TAB_AS_INDENT':
      return at(
        error.pos,
        'KP_YAML_TAB',
        'A tab is used for indentation; YAML allows only spaces.',
        'Replace the tab with spaces.',
      );
    case 'RESOURCE_EXHAUSTION':
      // The parser ran out of stack: lists or mappings nested hundreds deep. No field path fits.
      return at(
        error.pos,
        'KP_YAML_TOO_DEEP',
        'Lists or mappings are nested inside each other too deeply here (hundreds of levels) for the file to be read.',
        'A profile needs only a few levels. Look for `[` or `{` that are never closed, or lines indented ever further.',
        '',
      );
    case 'MULTIPLE_DOCS':
      return at(
        error.pos,
        'KP_YAML_MULTIPLE_DOCUMENTS',
        'This file holds more than one YAML document (a second one starts at this `---`); a profile must be a single document.',
        'Keep one organisation per file: remove the `---` line and what follows, or move it to a profile of its own.',
        '',
      );
    case 'MISSING_CHAR':
    case 'BAD_INDENT':
    case 'UNEXPECTED_TOKEN': {
      const open = /end with a [\]}]|Missing closing|Expected .*flow/.test(error.message)
        ? unclosedOpener(source.text)
        : undefined;
      if (open) {
        const opener = OPENERS[open.char];
        return at(
          [open.offset, open.offset + 1],
          'KP_YAML',
          opener
            ? `The ${opener.what} opened with \`${open.char}\` here is never closed with \`${opener.closer}\`.`
            : `The text opened with \`${open.char}\` here is never closed with a matching \`${open.char}\`.`,
          opener
            ? `Add \`${opener.closer}\` where the ${opener.what} ends.`
            : `Add the closing \`${open.char}\` at the end of the text.`,
        );
      }
      break;
    }
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY': {
      // Usually a line indented deeper than the one above, whose value is already complete.
      const { line } = source.position(error.pos[0]);
      const above = source.lineText(line);
      const next = source.lineText(line + 1);
      const value = /:\s+(\S.*)$/.exec(above)?.[1];
      if (value !== undefined && next.trim() !== '' && indentOf(next) > indentOf(above)) {
        // Counted by the text's own line breaks, not `source.lineStart(line + 1)`: in malformed YAML the
        // parser's line index (which numbers the lines here) can miss a break, and the two then disagree.
        const offset = source.text.split('\n').slice(0, line).join('\n').length + 1 + indentOf(next);
        const key = next.trim().split(':')[0] ?? '';
        // The parser has mis-read the structure here, so no field path would be right.
        return at(
          [offset, offset + key.length],
          'KP_YAML_INDENT',
          `This line is indented further than the line above it, whose value (\`${value.trim()}\`) is already complete.`,
          'Line it up with the key above if it belongs beside it, or move the value above onto its own indented lines.',
          '',
        );
      }
      break;
    }
  }
  const first = error.message.split('\n')[0] ?? '';
  return at(
    error.pos,
    'KP_YAML',
    `This is not valid YAML: ${first.replace(/ at line \d+, column \d+:?$/, '')}.`.replace('..', '.'),
  );
}

/** Whether a strict ancestor of `pointer` is in `duplicated`. */
function underDuplicate(pointer: string, duplicated: ReadonlySet<string>): boolean {
  if (duplicated.size === 0) return false;
  for (let end = pointer.lastIndexOf('/'); end > 0; end = pointer.lastIndexOf('/', end - 1))
    if (duplicated.has(pointer.slice(0, end))) return true;
  return false;
}

/** Diagnostics for the parser's errors and warnings, plus duplicate and forbidden keys, one per place. */
export function explainYaml(errors: YAMLError[], warnings: YAMLWarning[], source: SourceFile): Diagnostic[] {
  const out: Diagnostic[] = [];
  const lines = new Set<number>();
  const push = (d: Diagnostic) => {
    if (lines.has(d.line)) return;
    lines.add(d.line);
    out.push(d);
  };
  const firstKey = new Map<string, [number, number]>();
  const duplicated = new Set<string>();
  for (const { pointer, range } of source.keys) {
    // Under a duplicated key every child repeats too; the parent's diagnostic says it all. Each ancestor
    // is looked up, so this stays linear in the number of keys however many are duplicated.
    if (underDuplicate(pointer, duplicated)) continue;
    const name = pointerSegments(pointer).at(-1) ?? '';
    const first = firstKey.get(pointer);
    if (first) {
      duplicated.add(pointer);
      const firstLine = source.position(first[0]).line;
      push(
        source.diagnosticAt(range, {
          code: 'KP_DUPLICATE_KEY',
          pointer,
          message: `\`${name}\` appears twice in the same block (first on line ${firstLine}); YAML would keep only one of them, so keypolicy refuses to guess.`,
          hint: 'Delete one of the two entries, or merge them into one.',
        }),
      );
    } else firstKey.set(pointer, range);
    if (FORBIDDEN_KEYS.has(name)) {
      push(
        source.diagnosticAt(range, {
          code: 'KP_FORBIDDEN_KEY',
          pointer,
          message: `\`${name}\` cannot be used as a key.`,
          hint: 'Remove it: it is not a profile field, and in a program it could change how every other value is read.',
        }),
      );
    }
  }
  for (const error of errors) if (error.code !== 'DUPLICATE_KEY') push(explain(error, source));
  for (const warning of warnings) {
    // Unknown tags (`!!js/function`) are only warnings to the yaml package; here they are never accepted.
    const tag = warning.code === 'TAG_RESOLVE_FAILED';
    push(
      source.diagnosticAt(warning.pos, {
        code: tag ? 'KP_YAML_TAG' : 'KP_YAML',
        pointer: source.pointerAt(warning.pos[0]),
        message: tag
          ? 'YAML tags such as `!!js/function` or `!!binary` are not allowed in a profile.'
          : (warning.message.split('\n')[0] ?? 'YAML problem.'),
        hint: tag
          ? 'Remove the tag and write the value as plain text, a number, true/false, a list or a mapping.'
          : YAML_HINT,
      }),
    );
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}
