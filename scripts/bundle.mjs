#!/usr/bin/env node
// Bundles the command line into dist/keypolicy.js (+ lazily loaded chunks), so starting keypolicy
// reads a few files instead of a few hundred: `validate` must start, check and exit within 0.3 s.
// The library API (dist/index.js) is bundled the same way, sharing chunks with the CLI: tsc's unbundled
// output would load build-time modules (the schema builder, a devDependency) at run time. Its types
// (dist/index.d.ts and what it reaches) come from tsc.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// Chunk names carry a content hash: without this, every build would leave the previous ones behind.
rmSync(new URL('../dist/chunks', import.meta.url), { recursive: true, force: true });

await build({
  absWorkingDir: root,
  // The DOCX worker thread is an entry of its own, sharing chunks with the command line.
  entryPoints: {
    keypolicy: 'src/cli/main.ts',
    index: 'src/index.ts',
    'docx-worker': 'src/writers/docx/worker.ts',
  },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  // Bundled CommonJS packages call require() for Node's built-in modules.
  banner: {
    js: "import { createRequire as __kpCreateRequire } from 'node:module'; const require = __kpCreateRequire(import.meta.url);",
  },
  legalComments: 'none',
  // Handlebars uses the source-map package when it can load it; its built-in stand-in is much faster
  // and keypolicy never asks for template source maps.
  alias: { 'source-map': './scripts/no-source-map.cjs' },
  // resvg is a native module (its .node binary comes from a platform package): loaded from node_modules.
  external: ['@resvg/resvg-js'],
  logLevel: 'warning',
});
