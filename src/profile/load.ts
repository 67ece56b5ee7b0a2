/** Load stage: read one YAML file safely and parse it with positions. */
import { readFile, stat } from 'node:fs/promises';
import { isMap, isScalar, isSeq } from 'yaml';
import type { Diagnostic } from '../diagnostics/errors.js';
import { FORBIDDEN_KEYS, sourceFromText, type SourceFile } from '../diagnostics/source.js';
import { parseYamlFile, yamlData } from '../diagnostics/yaml-source.js';

/** Profiles are a few KB; anything this large is a mistake or an attack, and is not parsed. */
export const MAX_PROFILE_BYTES = 1024 * 1024;

export type PlainObject = Record<string, unknown>;

export interface LoadedFile {
  file: string;
  source?: SourceFile;
  /** The parsed top-level mapping; absent when the file could not be read or parsed. */
  data?: PlainObject;
  diagnostics: Diagnostic[];
}

/** A diagnostic for a file that has no usable text (missing, too large, not UTF-8). */
function fileDiagnostic(
  file: string,
  code: string,
  message: string,
  hint: string,
  text = '',
  offset = 0,
): Diagnostic {
  return sourceFromText(file, text).diagnosticAt([offset, offset + 1], { code, message, hint });
}

/** Offset of the first byte that starts an invalid UTF-8 sequence, or -1 (RFC 3629: no overlongs, no surrogates). */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] as number;
    if (lead < 0x80) {
      i += 1;
      continue;
    }
    const length =
      lead >= 0xc2 && lead <= 0xdf
        ? 2
        : lead >= 0xe0 && lead <= 0xef
          ? 3
          : lead >= 0xf0 && lead <= 0xf4
            ? 4
            : 0;
    if (length === 0 || i + length > bytes.length) return i;
    const second = bytes[i + 1] as number;
    // The second byte's range is narrower after E0, ED, F0 and F4 (overlongs, surrogates, > U+10FFFF).
    const [low, high] =
      lead === 0xe0
        ? [0xa0, 0xbf]
        : lead === 0xed
          ? [0x80, 0x9f]
          : lead === 0xf0
            ? [0x90, 0xbf]
            : lead === 0xf4
              ? [0x80, 0x8f]
              : [0x80, 0xbf];
    if (second < low || second > high) return i;
    for (let k = 2; k < length; k++) {
      const next = bytes[i + k] as number;
      if (next < 0x80 || next > 0xbf) return i;
    }
    i += length;
  }
  return -1;
}

async function readProfileText(file: string): Promise<{ text: string } | { diagnostic: Diagnostic }> {
  let info;
  try {
    info = await stat(file);
  } catch {
    return {
      diagnostic: fileDiagnostic(
        file,
        'KP_FILE_NOT_FOUND',
        'This profile does not exist.',
        'Check the path, or create a profile with `keypolicy init`.',
      ),
    };
  }
  if (!info.isFile()) {
    return {
      diagnostic: fileDiagnostic(
        file,
        'KP_NOT_A_FILE',
        'This is a folder, not a profile file.',
        'Name a `.yaml` file.',
      ),
    };
  }
  if (info.size > MAX_PROFILE_BYTES) {
    return {
      diagnostic: fileDiagnostic(
        file,
        'KP_FILE_TOO_LARGE',
        `This file is ${(info.size / 1024 / 1024).toFixed(1)} MB; a profile may be at most 1 MB, so it was not read.`,
        'A profile describes one organisation in a few kilobytes of YAML. Check that this is the right file.',
      ),
    };
  }
  const bytes = await readFile(file);
  const bad = invalidUtf8Offset(bytes);
  if (bad >= 0) {
    const before = bytes.subarray(0, bad).toString('utf8');
    return {
      diagnostic: fileDiagnostic(
        file,
        'KP_ENCODING',
        `This file is not valid UTF-8 text (byte 0x${(bytes[bad] ?? 0).toString(16).padStart(2, '0')} at offset ${bad}).`,
        'Save the profile as UTF-8 (in most editors: "Save with encoding" → UTF-8).',
        before,
        before.length,
      ),
    };
  }
  // TextDecoder drops a leading byte-order mark, which some Windows editors add.
  return { text: new TextDecoder('utf-8').decode(bytes) };
}

/** Copies parsed data without forbidden keys (reported separately), so nothing downstream can pollute prototypes. */
function sanitise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sanitise);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const out: PlainObject = {};
    for (const [key, child] of Object.entries(value)) {
      if (!FORBIDDEN_KEYS.has(key)) out[key] = sanitise(child);
    }
    return out;
  }
  return value;
}

/** Read and parse one profile file; every problem comes back as a diagnostic, never as a throw. */
export async function loadYamlFile(file: string): Promise<LoadedFile> {
  const read = await readProfileText(file);
  if ('diagnostic' in read) return { file, diagnostics: [read.diagnostic] };
  const { text } = read;
  const { document, source, diagnostics } = parseYamlFile(file, text);
  // A forbidden key is dropped from the data below, so the rest of the file can still be checked.
  if (diagnostics.some((d) => d.code !== 'KP_FORBIDDEN_KEY')) return { file, source, diagnostics };

  const contents = document.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    const message = 'This profile is empty.';
    const hint = 'Start from `keypolicy init`, which writes a complete, commented profile.';
    return { file, source, diagnostics: [source.diagnosticAt([0, 0], { code: 'KP_EMPTY', message, hint })] };
  }
  if (!isMap(contents)) {
    const found = isSeq(contents) ? 'a list' : 'a single value';
    return {
      file,
      source,
      diagnostics: [
        source.diagnosticAt(contents.range ? [contents.range[0], contents.range[1]] : [0, 0], {
          code: 'KP_NOT_A_MAPPING',
          message: `A profile must be a set of fields (\`organisation:\`, \`nation:\`, …) but this file holds ${found}.`,
          hint: 'Start from `keypolicy init`, which writes a complete, commented profile.',
        }),
      ],
    };
  }

  const parsed = yamlData(document, source, { what: 'file' });
  if ('diagnostic' in parsed) return { file, source, diagnostics: [...diagnostics, parsed.diagnostic] };
  return { file, source, data: sanitise(parsed.data) as PlainObject, diagnostics };
}
