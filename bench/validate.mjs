#!/usr/bin/env node
// Measures `keypolicy validate` of one profile as a whole process (node start to exit), the figure the
// foundation issue budgets at 0.3 s median, and the in-process cost of validating once warmed up.
// Usage: node bench/validate.mjs [RUNS=21] [--quick]   (prints figures, never fails on them)
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const quick = process.argv.includes('--quick');
const runs = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? (quick ? 7 : 21));
const profile = 'examples/wales-care-home/keypolicy.yaml';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => `${(ms / 1000).toFixed(3)} s`;

function timeProcess(args) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const result = spawnSync(process.execPath, ['bin/keypolicy.js', ...args], {
      cwd: root,
      encoding: 'utf8',
    });
    times.push(performance.now() - start);
    if (result.status !== 0) throw new Error(`keypolicy ${args.join(' ')} failed:\n${result.stderr}`);
  }
  return times;
}

const baseline = [];
for (let i = 0; i < runs; i++) {
  const start = performance.now();
  spawnSync(process.execPath, ['-e', '0']);
  baseline.push(performance.now() - start);
}
const validate = timeProcess(['validate', profile]);
const help = timeProcess(['--help']);

const { checkProfile: validateProfile } = await import('../dist/pipeline/check-profile.js');
await validateProfile(`${root}/${profile}`);
const warm = [];
for (let i = 0; i < 200; i++) {
  const start = performance.now();
  await validateProfile(`${root}/${profile}`);
  warm.push(performance.now() - start);
}

console.log(`keypolicy validate benchmark (${runs} runs each, ${profile})`);
console.log(`  node -e 0 (bare node start)        median ${fmt(median(baseline))}`);
console.log(`  keypolicy --help                   median ${fmt(median(help))}`);
console.log(
  `  keypolicy validate PROFILE         median ${fmt(median(validate))}  min ${fmt(Math.min(...validate))}  max ${fmt(Math.max(...validate))}  (budget 0.300 s)`,
);
console.log(`  validateProfile() in-process, warm median ${fmt(median(warm))}`);
