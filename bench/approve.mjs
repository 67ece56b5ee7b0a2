#!/usr/bin/env node
// Measures `keypolicy approve` on a built profile as a whole process: the last required sign-off, which
// draws the signed edition from the version's snapshot to PDF, DOCX and HTML and writes it to the top
// level, in-force/ and archive/ (budget: 1.5 s median). Also the first sign-off of two, which only
// records it. Usage: npm run bench:approve [-- RUNS]
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const quick = process.argv.includes('--quick');
const runs = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? (quick ? 3 : 7));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => `${(ms / 1000).toFixed(3)} s`;

const keypolicy = (cwd, args) => {
  const start = performance.now();
  const result = spawnSync(process.execPath, [path.join(root, 'bin/keypolicy.js'), ...args], {
    cwd,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`keypolicy ${args[0]} failed:\n${result.stderr}`);
  return performance.now() - start;
};

const first = [];
const last = [];
for (let i = 0; i < runs; i++) {
  // A fresh copy each run: the example's two approvers (Manager, Responsible Individual) sign in turn.
  const dir = mkdtempSync(path.join(tmpdir(), 'keypolicy-bench-approve-'));
  cpSync(path.join(root, 'examples/wales-care-home'), dir, { recursive: true });
  keypolicy(dir, ['build', '--date', '2026-04-01', '--quiet']);
  first.push(keypolicy(dir, ['approve', '--by', 'Ffion Jones', '--role', 'Manager', '--date', '2026-04-02']));
  last.push(
    keypolicy(dir, [
      'approve',
      '--by',
      'Gareth Pugh',
      '--role',
      'Responsible Individual',
      '--date',
      '2026-04-02',
    ]),
  );
  rmSync(dir, { recursive: true, force: true });
}
console.log(
  `approve, a sign-off that is not the last (records it):     median ${fmt(median(first))} (${runs} runs)`,
);
console.log(
  `approve, the last sign-off (draws PDF, DOCX, HTML):       median ${fmt(median(last))} (${runs} runs, budget 1.5 s)`,
);
