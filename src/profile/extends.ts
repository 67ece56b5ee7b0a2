/** Resolve a profile's `extends` chain and deep-merge it, remembering which file each value came from. */
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/errors.js';
import { fileErrorReason } from '../diagnostics/file-errors.js';
import { loadYamlFile, type LoadedFile, type PlainObject } from './load.js';
import { rootSchema } from './schema-lookup.js';
import { escapePointer, FORBIDDEN_KEYS, parentPointer, type SourceFile } from '../diagnostics/source.js';

/** Deeper chains are almost certainly a mistake; the limit also bounds the work. */
const MAX_CHAIN_LENGTH = 16;

export interface MergedProfile {
  data: PlainObject;
  /** Which file wrote the value at each JSON pointer (look up the nearest ancestor for deeper ones). */
  origins: Map<string, SourceFile>;
  /** The chain, leaf first. */
  chain: SourceFile[];
}

export interface ChainResult {
  merged?: MergedProfile;
  diagnostics: Diagnostic[];
}

const isPlainObject = (value: unknown): value is PlainObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const chainText = (files: string[]) => files.map((f) => path.basename(f)).join(' → ');

/** Load `file` and every base it extends, leaf first. */
async function loadChain(file: string): Promise<{ layers: LoadedFile[]; diagnostics: Diagnostic[] }> {
  const layers: LoadedFile[] = [];
  const seen: string[] = [];
  let current = path.resolve(file);
  for (;;) {
    const layer = await loadYamlFile(current, layers.length === 0 ? 'profile' : 'base profile');
    const child = layers.at(-1);
    // A base must be a keypolicy profile: any other YAML file is refused by its path alone, so nothing
    // of it (a secret, say) is echoed in a diagnostic.
    if (child?.source && layer.data && !looksLikeProfile(layer.data)) {
      const written = typeof child.data?.extends === 'string' ? child.data.extends : current;
      return {
        layers,
        diagnostics: [
          notABase(
            child.source,
            written,
            'is not a keypolicy profile or base (none of its top-level keys is a profile field)',
          ),
        ],
      };
    }
    layers.push(layer);
    if (!layer.data || !layer.source) return { layers, diagnostics: [] };
    // It was just read, so this fails only if it moved meanwhile; its own path then stands for it.
    seen.push(await realpath(current).catch(() => current));
    const target = layer.data.extends;
    if (typeof target !== 'string' || target === '') return { layers, diagnostics: [] };

    const next = path.resolve(path.dirname(current), target);
    const names = [...layers.map((l) => l.file), next];
    if (!/\.ya?ml$/i.test(next))
      return { layers, diagnostics: [notABase(layer.source, target, 'is not a .yaml or .yml file')] };
    let nextReal: string;
    try {
      nextReal = await realpath(next);
    } catch (error) {
      return { layers, diagnostics: [unreachableBase(layer.source, target, next, names, error)] };
    }
    if (seen.includes(nextReal)) {
      return {
        layers,
        diagnostics: [
          layer.source.diagnostic({
            code: 'KP_EXTENDS_CYCLE',
            pointer: '/extends',
            message: `\`extends\` goes round in a circle: ${chainText(names)}.`,
            hint: 'A base profile must not extend, directly or indirectly, a profile that extends it.',
          }),
        ],
      };
    }
    if (layers.length >= MAX_CHAIN_LENGTH) {
      return {
        layers,
        diagnostics: [
          layer.source.diagnostic({
            code: 'KP_EXTENDS_TOO_DEEP',
            pointer: '/extends',
            message: `\`extends\` chains more than ${MAX_CHAIN_LENGTH} profiles (${chainText(names)}).`,
            hint: 'Flatten the chain: a client profile and one or two bases are enough.',
          }),
        ],
      };
    }
    current = next;
  }
}

/** The profile's top-level fields, and what any keypolicy YAML file may hold besides. */
let profileKeys: Set<string> | undefined;
function looksLikeProfile(data: PlainObject): boolean {
  profileKeys ??= new Set(Object.keys(rootSchema().properties ?? {}));
  return Object.keys(data).some((key) => profileKeys?.has(key));
}

/** `extends` names something that is not a keypolicy profile or base: named by its path only. */
function notABase(source: SourceFile, target: string, why: string): Diagnostic {
  return source.diagnostic({
    code: 'KP_EXTENDS_NOT_PROFILE',
    pointer: '/extends',
    message: `\`extends\` names \`${target}\`, which ${why}.`,
    hint: 'Point `extends` at a base profile: a YAML file with keypolicy fields (`organisation`, `documentControl`…), usually with `abstract: true`.',
  });
}

/** `extends` names a base that cannot be reached: missing (as typed, with where it was looked for) or unreadable. */
function unreachableBase(
  source: SourceFile,
  target: string,
  next: string,
  names: string[],
  error: unknown,
): Diagnostic {
  const { errno, reason, hint } = fileErrorReason(error);
  const missing = errno === 'ENOENT';
  return source.diagnostic({
    code: missing ? 'KP_EXTENDS_NOT_FOUND' : 'KP_FILE_UNREADABLE',
    pointer: '/extends',
    message: missing
      ? `\`extends\` names \`${target}\`, which does not exist (chain: ${chainText(names)}).`
      : `\`extends\` names \`${target}\`, which cannot be read: ${reason} (${errno}; chain: ${chainText(names)}).`,
    hint: missing ? `The path is relative to this file's folder, so it was looked for at ${next}.` : hint,
  });
}

/** Deep merge: mappings merge, everything else (lists included) is replaced by the later layer. */
function mergeInto(
  target: PlainObject,
  layer: PlainObject,
  pointer: string,
  source: SourceFile,
  origins: Map<string, SourceFile>,
): void {
  for (const [key, value] of Object.entries(layer)) {
    if (FORBIDDEN_KEYS.has(key)) continue;
    const child = `${pointer}/${escapePointer(key)}`;
    const existing = target[key];
    if (isPlainObject(existing) && isPlainObject(value)) {
      origins.set(child, source);
      mergeInto(existing, value, child, source, origins);
    } else {
      // Only the replaced value's own descendants can be recorded: walk it, not every origin (quadratic).
      forgetOrigins(existing, child, origins);
      target[key] = structuredClone(value);
      recordOrigins(value, child, source, origins);
    }
  }
}

/** Forget where the values inside `value`, about to be replaced, came from (`pointer` itself stays). */
function forgetOrigins(value: unknown, pointer: string, origins: Map<string, SourceFile>): void {
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    const childPointer = `${pointer}/${escapePointer(key)}`;
    origins.delete(childPointer);
    forgetOrigins(child, childPointer, origins);
  }
}

/** Every value inside a replaced subtree came from `source`; later layers may override parts of it. */
function recordOrigins(
  value: unknown,
  pointer: string,
  source: SourceFile,
  origins: Map<string, SourceFile>,
): void {
  origins.set(pointer, source);
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value))
      recordOrigins(child, `${pointer}/${escapePointer(key)}`, source, origins);
  }
}

/** Load a profile with its `extends` chain and merge it; bases' own `abstract` and `extends` do not carry over. */
export async function loadMergedProfile(file: string): Promise<ChainResult> {
  const { layers, diagnostics } = await loadChain(file);
  const all = [...layers.flatMap((l) => l.diagnostics), ...diagnostics];
  if (all.some((d) => d.severity === 'error')) return { diagnostics: all };

  const data: PlainObject = {};
  const origins = new Map<string, SourceFile>();
  const chain = layers.map((l) => l.source as SourceFile);
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i] as LoadedFile;
    const own = { ...layer.data };
    if (i > 0) {
      delete own.abstract;
      delete own.extends;
    }
    mergeInto(data, own, '', layer.source as SourceFile, origins);
  }
  origins.set('', chain[0] as SourceFile);
  return { merged: { data, origins, chain }, diagnostics: all };
}

/** The file that wrote the value at `pointer` in a merged profile. */
export function originOf(merged: MergedProfile, pointer: string): SourceFile {
  for (let p = pointer; ; p = parentPointer(p)) {
    const found = merged.origins.get(p);
    if (found) return found;
    if (p === '') return merged.chain[0] as SourceFile;
  }
}
