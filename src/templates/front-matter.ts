/** Split a template file into front matter and body; parse the front matter as YAML, never as code. */
import matter from 'gray-matter';
import { parseDocument } from 'yaml';
import type { Diagnostic } from '../errors.js';
import { checkAgainstSchema } from '../profile/schema-check.js';
import { sourceFromText } from '../profile/source.js';
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

const refuse = () => {
  throw new RefusedEngine();
};

/** Parse one template file's text. */
export function parseTemplateFile(file: string, text: string): ParsedTemplateFile {
  const source = sourceFromText(file, text);
  if (!matter.test(text)) return { body: text, bodyLine: 1, diagnostics: [] };
  let result: matter.GrayMatterFile<string>;
  let yamlError: Diagnostic | undefined;
  try {
    // Explicit engines: gray-matter's defaults would `eval` ---js front matter and read YAML 1.1.
    result = matter(text, {
      language: 'yaml',
      engines: {
        yaml: (raw: string) => {
          const document = parseDocument(raw, { uniqueKeys: true, version: '1.2' });
          const error = document.errors[0] ?? document.warnings[0];
          if (error) {
            const offset = text.indexOf(raw) + error.pos[0];
            yamlError = source.diagnosticAt([offset, offset + 1], {
              code: 'KP_TEMPLATE_FRONT_MATTER',
              message: `The front matter is not valid YAML: ${error.message.split('\n')[0] ?? ''}`,
              hint: 'Front matter is YAML between two `---` lines at the top of the file.',
            });
            return {};
          }
          return (document.toJS({ maxAliasCount: 100 }) ?? {}) as object;
        },
        js: refuse,
        javascript: refuse,
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
