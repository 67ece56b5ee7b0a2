/** Split a template file into front matter and body; parse the front matter as YAML, never as code. */
import matter from 'gray-matter';
import { isNode, parseDocument, type Document } from 'yaml';
import type { Diagnostic } from '../diagnostics/errors.js';
import { checkAgainstSchema } from '../profile/schema-check.js';
import { sourceFromText, type SourceFile } from '../diagnostics/source.js';
import { yamlData } from '../diagnostics/yaml-source.js';
import type { FrontMatter } from './front-matter-schema.js';

export interface ParsedTemplateFile {
  /** Absent for a foreign template (no front matter). */
  frontMatter?: FrontMatter;
  body: string;
  /** Lines before the body, so body line N is file line N + bodyLine - 1. */
  bodyLine: number;
  diagnostics: Diagnostic[];
}

class RefusedEngine extends Error {}

/**
 * Whether a partial name is really a path (`../x`, `/etc/passwd`, `..\x`, `C:x`). Partials are found
 * by name in the pack's own partials/ folder only, so such a name can never be honoured: it is refused
 * with KP_TEMPLATE_PATH rather than reported as a partial that is missing.
 */
export const partialNameIsPath = (name: string): boolean => /[/\\:]/.test(name) || name.startsWith('.');

const refuse = () => {
  throw new RefusedEngine();
};

/** A `partials:` entry that is a path is refused as such, at the entry, not as a name of the wrong form. */
function partialPathDiagnostic(
  source: SourceFile,
  parsed: { document: Document; offset: number } | undefined,
  data: { partials?: unknown },
  pointer: string,
): Diagnostic | undefined {
  const index = /^\/partials\/(\d+)$/.exec(pointer)?.[1];
  const name: unknown =
    index === undefined || !Array.isArray(data.partials) ? undefined : data.partials[Number(index)];
  if (typeof name !== 'string' || !partialNameIsPath(name) || !parsed) return undefined;
  const node = parsed.document.getIn(['partials', Number(index)], true);
  const [start, end] = isNode(node) && node.range ? node.range : [0, 0];
  return source.diagnosticAt([parsed.offset + start, parsed.offset + end], {
    code: 'KP_TEMPLATE_PATH',
    pointer,
    message: `\`${name}\` is a path, not the name of a partial. Partials are files in this pack's partials/ folder, so nothing outside the pack can be used as one.`,
    hint: 'Write the partial’s file name without its folder or extension, e.g. `practice-daily` for partials/practice-daily.md.',
  });
}

/** Parse one template file's text. */
export function parseTemplateFile(file: string, text: string): ParsedTemplateFile {
  const source = sourceFromText(file, text);
  if (!matter.test(text)) return { body: text, bodyLine: 1, diagnostics: [] };
  let result: matter.GrayMatterFile<string>;
  let yamlError: Diagnostic | undefined;
  /** The parsed front matter and where it starts in `text`, to point at a `partials` entry. */
  let parsed: { document: Document; offset: number } | undefined;
  try {
    // Explicit engines: gray-matter's defaults would `eval` ---js front matter and read YAML 1.1.
    result = matter(text, {
      language: 'yaml',
      engines: {
        yaml: (raw: string) => {
          const document = parseDocument(raw, { uniqueKeys: true, version: '1.2' });
          parsed = { document, offset: text.indexOf(raw) };
          const error = document.errors[0] ?? document.warnings[0];
          if (error) {
            const offset = parsed.offset + error.pos[0];
            yamlError = source.diagnosticAt([offset, offset + 1], {
              code: 'KP_TEMPLATE_FRONT_MATTER',
              message: `The front matter is not valid YAML: ${error.message.split('\n')[0] ?? ''}`,
              hint: 'Front matter is YAML between two `---` lines at the top of the file.',
            });
            return {};
          }
          // An alias bomb is refused, as in a profile.
          const read = yamlData(document, source, { what: 'front matter', offset: parsed.offset });
          if ('data' in read) return read.data ?? {};
          yamlError = read.diagnostic;
          return {};
        },
        js: refuse,
        javascript: refuse,
        // gray-matter's own JSON engine throws its parse errors; front matter is YAML only anyway.
        json: refuse,
      },
    });
  } catch (error) {
    if (!(error instanceof RefusedEngine) && !/expected engine|engine/i.test(String(error))) throw error;
    return {
      body: '',
      bodyLine: 1,
      diagnostics: [
        source.diagnosticAt([0, 3], {
          code: 'KP_TEMPLATE_CODE',
          message:
            'This template’s front matter is code (`---js` or another language); keypolicy only reads YAML front matter.',
          hint: 'Write the front matter as YAML between `---` lines: keypolicy never runs code from a template.',
        }),
      ],
    };
  }
  const bodyStart = text.length - result.content.length;
  const bodyLine = text.slice(0, bodyStart).split('\n').length;
  if (yamlError) return { body: result.content, bodyLine, diagnostics: [yamlError] };

  const frontMatterOffset = text.indexOf('\n') + 1;
  const findings = checkAgainstSchema(result.data, {
    check: 'template',
    wrote: (_pointer, value) => `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``,
  });
  const diagnostics = findings.map((finding) => {
    const partialPath = partialPathDiagnostic(source, parsed, result.data, finding.pointer);
    if (partialPath) return partialPath;
    // Point at the front matter line that names the field, or at its first line.
    const key = finding.pointer.split('/')[1] ?? '';
    const match = key ? new RegExp(`^${key}\\s*:`, 'm').exec(text.slice(frontMatterOffset, bodyStart)) : null;
    const offset = frontMatterOffset + (match?.index ?? 0);
    return source.diagnosticAt([offset, offset + Math.max(1, key.length)], {
      ...finding,
      code: 'KP_TEMPLATE_FRONT_MATTER',
    });
  });
  return {
    ...(diagnostics.length === 0 ? { frontMatter: result.data as FrontMatter } : {}),
    body: result.content,
    bodyLine,
    diagnostics,
  };
}
