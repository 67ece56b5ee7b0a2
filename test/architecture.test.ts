/**
 * The layers of src/ (ARCHITECTURE.md): each folder may import its own layer and those below, never one
 * above. Static and dynamic imports both count; src/index.ts, the public API, may re-export anything.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** Lowest first. A folder sees its own layer and every layer before it. */
export const LAYERS: readonly (readonly string[])[] = [
  ['diagnostics'],
  ['core'],
  ['profile', 'generated'],
  ['templates'],
  ['document'],
  ['writers'],
  ['output'],
  ['register'],
  ['pipeline'],
  // The shell: argument parsing and printing (cli/) over thin commands.
  ['commands', 'cli'],
];

const layerOf = (folder: string) => LAYERS.findIndex((layer) => layer.includes(folder));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Every relative import of a source file (static, re-export and dynamic), resolved to a path under src/. */
export function importsOf(file: string, text: string): string[] {
  const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g)];
  return specifiers.map((m) => path.relative(SRC, path.resolve(path.dirname(file), m[1] as string)));
}

/** The imports that reach up a layer, as `file → import` lines. */
export function upwardImports(files: readonly { file: string; text: string }[]): string[] {
  const found: string[] = [];
  for (const { file, text } of files) {
    const relative = path.relative(SRC, file);
    const [folder] = relative.split(path.sep);
    if (!relative.includes(path.sep)) continue; // src/index.ts and other top-level files
    const from = layerOf(folder as string);
    for (const target of importsOf(file, text)) {
      const [targetFolder] = target.split(path.sep);
      const to = layerOf(targetFolder as string);
      if (to > from)
        found.push(
          `src/${relative.split(path.sep).join('/')} imports src/${target.split(path.sep).join('/')}: ${folder}/ must not import ${targetFolder}/, a higher layer`,
        );
    }
  }
  return found;
}

describe('the layers of src/', () => {
  const files = sourceFiles(SRC).map((file) => ({ file, text: readFileSync(file, 'utf8') }));

  it('puts every folder in a layer', () => {
    const folders = new Set(
      files
        .map((f) => path.relative(SRC, f.file).split(path.sep))
        .filter((p) => p.length > 1)
        .map((p) => p[0]),
    );
    expect([...folders].filter((f) => layerOf(f as string) < 0)).toEqual([]);
  });

  it('never imports a higher layer', () => {
    expect(upwardImports(files)).toEqual([]);
  });

  it('catches a planted upward import, naming the file', () => {
    const planted = {
      file: path.join(SRC, 'output/planted.ts'),
      text: "import { runBuild } from '../commands/build.js';\nconst x = await import('../pipeline/batch.js');",
    };
    expect(upwardImports([planted])).toEqual([
      'src/output/planted.ts imports src/commands/build.js: output/ must not import commands/, a higher layer',
      'src/output/planted.ts imports src/pipeline/batch.js: output/ must not import pipeline/, a higher layer',
    ]);
  });

  it('keeps every source file under 400 lines', () => {
    const long = files
      .filter((f) => !f.file.includes(`${path.sep}generated${path.sep}`))
      .map((f) => ({ file: path.relative(SRC, f.file), lines: f.text.split('\n').length }))
      .filter((f) => f.lines > 400);
    expect(long).toEqual([]);
  });
});
