/** Load stage: read one YAML file safely and parse it with positions. */
import { readFile, readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isScalar, isSeq } from 'yaml';
import type { Diagnostic } from '../diagnostics/errors.js';
import { fileErrorReason, notAFileKind } from '../diagnostics/file-errors.js';
import { FORBIDDEN_KEYS, sourceFromText, type SourceFile } from '../diagnostics/source.js';
import { parseYamlFile, yamlData } from '../diagnostics/yaml-source.js';

/** Profiles are a few KB; anything this large is a mistake or an attack, and is not parsed. */
export const MAX_PROFILE_BYTES = 1024 * 1024;
/**
 * A register keeps the words of every version it records, so it grows by tens of kilobytes a version;
 * the limit leaves room for decades of history while bounding what is parsed.
 */
export const MAX_REGISTER_BYTES = 16 * 1024 * 1024;

export type PlainObject = Record<string, unknown>;

export interface LoadedFile {
  file: string;
  source?: SourceFile;
  /** The parsed top-level mapping; absent when the file could not be read or parsed. */
  data?: PlainObject;
  diagnostics: Diagnostic[];
}

/** A diagnostic for a file that has no usable text (missing, unreadable, too large, not UTF-8). */
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

/** What a YAML file is to keypolicy, so a problem with it is named for what it is. */
export type YamlFileKind = 'profile' | 'base profile' | 'register';

interface KindWords {
  /** The file, in a message: "This profile…". */
  what: string;
  maxBytes: number;
  missingHint: string;
  /** For a folder, a device or another thing that is not a file. */
  notFileHint: string;
  /** For an empty file or one that holds no mapping. */
  startHint: string;
  /** What the top-level fields look like, for "must be a set of fields (…)". */
  fields: string;
}

const KINDS: Record<YamlFileKind, KindWords> = {
  profile: {
    what: 'profile',
    maxBytes: MAX_PROFILE_BYTES,
    missingHint: 'Check the path, or create a profile with `keypolicy init`.',
    notFileHint: 'Name a `.yaml` file.',
    startHint: 'Start from `keypolicy init`, which writes a complete, commented profile.',
    fields: '`organisation:`, `nation:`, …',
  },
  'base profile': {
    what: 'base profile',
    maxBytes: MAX_PROFILE_BYTES,
    missingHint: 'Check the `extends` path of the profile that names it.',
    notFileHint: 'Point `extends` at a `.yaml` file.',
    startHint: 'A base profile holds the fields its clients share, such as `organisation:` and `nation:`.',
    fields: '`organisation:`, `nation:`, …',
  },
  register: {
    what: 'register',
    maxBytes: MAX_REGISTER_BYTES,
    missingHint: 'Restore it from version control, or delete it if this profile has never been built.',
    notFileHint: 'Move it elsewhere: keypolicy keeps the profile’s history in a file of this name.',
    startHint:
      'Restore it from version control. If this profile has never been built, delete the file: the next build starts a new register.',
    fields: '`registerVersion:`, `policies:`',
  },
};

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 1 : 0)} MB`;

/** Why a path that does not lead to a file cannot be read: missing, a dangling link, a loop, no permission… */
async function unreadable(file: string, error: unknown, words: KindWords): Promise<Diagnostic> {
  const { errno, reason, hint } = fileErrorReason(error);
  if (errno === 'ENOENT') {
    const target = await readlink(file).catch(() => undefined);
    const message =
      target === undefined
        ? `This ${words.what} does not exist.`
        : `This ${words.what} is a symbolic link to \`${target}\`, which does not exist.`;
    return fileDiagnostic(file, 'KP_FILE_NOT_FOUND', message, words.missingHint);
  }
  return fileDiagnostic(
    file,
    'KP_FILE_UNREADABLE',
    `This ${words.what} cannot be read: ${reason} (${errno}).`,
    hint,
  );
}

async function readYamlText(
  file: string,
  words: KindWords,
): Promise<{ text: string } | { diagnostic: Diagnostic }> {
  let info;
  try {
    info = await stat(file);
  } catch (error) {
    return { diagnostic: await unreadable(file, error, words) };
  }
  const kind = notAFileKind(info);
  if (kind) {
    // `/dev/null` reached through a link is named, so the reader sees why a "file" is a device.
    const real = await realpath(file).catch(() => file);
    const shown = real !== path.resolve(file) ? ` (\`${real}\`)` : '';
    return {
      diagnostic: fileDiagnostic(
        file,
        'KP_NOT_A_FILE',
        `This is ${kind}${shown}, not a ${words.what} file.`,
        words.notFileHint,
      ),
    };
  }
  const tooLarge = (size: number) =>
    fileDiagnostic(
      file,
      'KP_FILE_TOO_LARGE',
      `This file is ${(size / 1024 / 1024).toFixed(1)} MB; a ${words.what} may be at most ${megabytes(words.maxBytes)}, so it was not read.`,
      words.what === 'register'
        ? 'Check that this is the right file; a register this large holds decades of versions.'
        : 'A profile describes one organisation in a few kilobytes of YAML. Check that this is the right file.',
    );
  if (info.size > words.maxBytes) return { diagnostic: tooLarge(info.size) };
  let bytes;
  try {
    bytes = await readFile(file);
  } catch (error) {
    return { diagnostic: await unreadable(file, error, words) };
  }
  // It may have grown since it was measured.
  if (bytes.length > words.maxBytes) return { diagnostic: tooLarge(bytes.length) };
  const bad = invalidUtf8Offset(bytes);
  if (bad >= 0) {
    const before = bytes.subarray(0, bad).toString('utf8');
    return {
      diagnostic: fileDiagnostic(
        file,
        'KP_ENCODING',
        `This file is not valid UTF-8 text (byte 0x${(bytes[bad] ?? 0).toString(16).padStart(2, '0')} at offset ${bad}).`,
        `Save the ${words.what} as UTF-8 (in most editors: "Save with encoding" → UTF-8).`,
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

/**
 * Read and parse one YAML file (a profile unless `kind` says otherwise); every problem comes back as a
 * diagnostic naming the file for what it is, never as a throw.
 */
export async function loadYamlFile(file: string, kind: YamlFileKind = 'profile'): Promise<LoadedFile> {
  const words = KINDS[kind];
  const read = await readYamlText(file, words);
  if ('diagnostic' in read) return { file, diagnostics: [read.diagnostic] };
  const { text } = read;
  const { document, source, diagnostics } = parseYamlFile(file, text);
  // A forbidden key is dropped from the data below, so the rest of the file can still be checked.
  if (diagnostics.some((d) => d.code !== 'KP_FORBIDDEN_KEY')) return { file, source, diagnostics };

  const contents = document.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    const message =
      kind === 'register'
        ? 'This register is empty, yet keypolicy always writes `registerVersion:` and `policies:` into it: it may have been emptied by mistake.'
        : `This ${words.what} is empty.`;
    const code = kind === 'register' ? 'KP_REGISTER_EMPTY' : 'KP_EMPTY';
    const hint = words.startHint;
    return { file, source, diagnostics: [source.diagnosticAt([0, 0], { code, message, hint })] };
  }
  if (!isMap(contents)) {
    const found = isSeq(contents) ? 'a list' : 'a single value';
    return {
      file,
      source,
      diagnostics: [
        source.diagnosticAt(contents.range ? [contents.range[0], contents.range[1]] : [0, 0], {
          code: 'KP_NOT_A_MAPPING',
          message: `A ${words.what} must be a set of fields (${words.fields}) but this file holds ${found}.`,
          hint: words.startHint,
        }),
      ],
    };
  }

  const parsed = yamlData(document, source, { what: 'file' });
  if ('diagnostic' in parsed) return { file, source, diagnostics: [...diagnostics, parsed.diagnostic] };
  return { file, source, data: sanitise(parsed.data) as PlainObject, diagnostics };
}
