#!/usr/bin/env node
// Batch benchmark: generates N client profiles across all 24 variants and measures, as whole processes,
// a batch build to PDF + DOCX + HTML and an unchanged rebuild (medians of RUNS), then the peak memory of
// the keypolicy process (GNU time's maximum resident set size) building M profiles once.
// Usage: node bench/batch.mjs [N=100] [RUNS=3] [--memory M=1000]   (`--quick`: N=20, RUNS=1, M=100)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const quick = process.argv.includes('--quick');
const memoryAt = process.argv.indexOf('--memory');
const memoryCount = Number(memoryAt > 0 ? process.argv[memoryAt + 1] : quick ? 100 : 1000);
const args = process.argv.slice(2).filter((a, i, all) => /^\d+$/.test(a) && all[i - 1] !== '--memory');
const count = Number(args[0] ?? (quick ? 20 : 100));
const runs = Number(args[1] ?? (quick ? 1 : 3));
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin/keypolicy.js');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** N profiles cycling through every nation × service × term × shared-role variant. */
export function generateProfiles(dir, n) {
  mkdirSync(dir, { recursive: true });
  const variants = [];
  for (const nation of ['england', 'wales'])
    for (const service of ['supported-living', 'care-home', 'domiciliary'])
      for (const term of ['key', 'link'])
        for (const shared of [false, true]) variants.push({ nation, service, term, shared });
  for (let i = 0; i < n; i++) {
    const v = variants[i % variants.length];
    const people =
      v.nation === 'wales'
        ? `registration:\n  ciwServiceId: SIN-${String(10000000 + i).padStart(8, '0')}-ABCD\npeople:\n  responsibleIndividual: { firstName: Rhys, lastName: Evans${i} }\n  manager: { firstName: Ffion, lastName: Jones${i} }\n`
        : `registration:\n  cqcLocationId: 1-${String(100000000 + i)}\npeople:\n  registeredManager: { firstName: Priya, lastName: Shah${i} }\n`;
    const shared = v.shared
      ? `keyWorking:\n  sharedRole: true\n  sharedRoleSupervisor: Deputy Manager\n`
      : '';
    writeFileSync(
      path.join(dir, `client-${String(i).padStart(4, '0')}.yaml`),
      `organisation:\n  name: Bench Client ${i} Ltd\nnation: ${v.nation}\n${people}service:\n  type: ${v.service}\nterminology:\n  worker: ${v.term}\n${shared}`,
    );
  }
}

function timed(args, cwd) {
  const start = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, bin, ...args], {
    cwd,
    encoding: 'utf8',
  });
  const ms = performance.now() - start;
  if (result.status !== 0)
    throw new Error(`keypolicy ${args.join(' ')} failed:\n${result.stderr.slice(-2000)}`);
  const peakKb = Number(result.stderr.trim().split('\n').at(-1));
  return { ms, peakMb: peakKb / 1024 };
}

/** A fresh folder of `n` generated clients; `work` runs in it, and it is removed afterwards. */
function withClients(n, work) {
  const dir = mkdtempSync(path.join(tmpdir(), 'keypolicy-batch-'));
  try {
    generateProfiles(path.join(dir, 'clients'), n);
    return work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const BUILD = ['build', 'clients', '--out', 'out', '--date', '2026-04-01', '--quiet'];

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const full = [];
  const rebuild = [];
  for (let r = 0; r < runs; r++) {
    withClients(count, (dir) => {
      full.push(timed(BUILD, dir).ms);
      rebuild.push(timed(BUILD, dir).ms);
    });
  }
  console.log(
    `keypolicy batch benchmark: ${count} profiles across all 24 variants, PDF + DOCX + HTML, ${runs} run(s)`,
  );
  console.log(
    `  full build          median ${(median(full) / 1000).toFixed(2)} s  (${(median(full) / count).toFixed(0)} ms per organisation; target for 100: 10 s)`,
  );
  console.log(
    `  unchanged rebuild   median ${(median(rebuild) / 1000).toFixed(2)} s  (target for 100: 1.5 s)`,
  );
  // Documents are written as they are made, so memory should not grow with the number of profiles.
  const memory = withClients(memoryCount, (dir) => timed(BUILD, dir));
  console.log(
    `  peak memory (RSS)   ${memory.peakMb.toFixed(0)} MB of the keypolicy process building ${memoryCount} profiles in ${(memory.ms / 1000).toFixed(0)} s (Chromium not included; target for 1,000: 400 MB)`,
  );
}
