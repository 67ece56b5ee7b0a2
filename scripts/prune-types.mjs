#!/usr/bin/env node
// Keeps only the type declarations the public API reaches (dist/index.d.ts and what it imports), so the
// published package declares what a consumer can import and nothing that names a devDependency (the
// schema builder's declarations describe build-time code). Run by `npm run build` after tsc.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const IMPORT = /(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;

/** Every declaration file reachable from the entry, by relative imports and re-exports. */
export function reachable(entry) {
  const seen = new Set();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop();
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const target = path.resolve(path.dirname(file), specifier).replace(/\.js$/, '.d.ts');
      queue.push(target.endsWith('.d.ts') ? target : `${target}.d.ts`);
    }
  }
  return seen;
}

function declarations(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return declarations(full);
    return entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const keep = reachable(path.join(dist, 'index.d.ts'));
  for (const file of declarations(dist)) if (!keep.has(file)) rmSync(file);
}
