#!/usr/bin/env node
// Measures `keypolicy build` of one profile to PDF, DOCX and HTML as a whole process from a cold start
// (node start → browser launch → three files written → exit), the figure the documents issue budgets at
// 1.2 s median, and the per-format cost inside one process. Usage: npm run bench:build [-- RUNS]
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const quick = process.argv.includes('--quick');
const runs = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? (quick ? 3 : 7));
// Built from a copy: a build records versions in a register beside the profile.
const copy = mkdtempSync(path.join(tmpdir(), 'keypolicy-bench-profile-'));
cpSync(path.join(root, 'examples/wales-care-home'), copy, { recursive: true });
const profile = path.join(copy, 'keypolicy.yaml');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => `${(ms / 1000).toFixed(3)} s`;

function timeBuild(format) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const out = mkdtempSync(path.join(tmpdir(), 'keypolicy-bench-'));
    const start = performance.now();
    const result = spawnSync(
      process.execPath,
      [
        'bin/keypolicy.js',
        'build',
        profile,
        '--out',
        out,
        '--format',
        format,
        '--date',
        '2026-04-01',
        '--quiet',
      ],
      { cwd: root, encoding: 'utf8' },
    );
    times.push(performance.now() - start);
    rmSync(out, { recursive: true, force: true });
    rmSync(path.join(copy, 'keypolicy.register.yaml'), { force: true });
    rmSync(path.join(copy, 'keypolicy.register'), { recursive: true, force: true });
    if (result.status !== 0) throw new Error(`build failed:\n${result.stderr}`);
  }
  return times;
}

console.log(
  `keypolicy build benchmark (${runs} runs each, examples/wales-care-home, whole process from a cold start)`,
);
for (const format of ['pdf,docx,html', 'html', 'docx', 'md', 'pdf']) {
  const times = timeBuild(format);
  const budget = format === 'pdf,docx,html' ? '  (budget 1.200 s)' : '';
  console.log(
    `  --format ${format.padEnd(14)} median ${fmt(median(times))}  min ${fmt(Math.min(...times))}  max ${fmt(Math.max(...times))}${budget}`,
  );
}
process.on('exit', () => rmSync(copy, { recursive: true, force: true }));
