#!/usr/bin/env node
// Validation must stay linear in the size of a profile: a profile with tens of thousands of keys once
// took minutes (60,000 keys: 216 s), as the YAML parser's duplicate-key check, the `extends` merge and
// the YAML error locator each compared every key with every other. This writes profiles of 10,000,
// 50,000 and 100,000 keys, each an unknown field (the worst case: every key is reported, with a
// did-you-mean), and times validation in-process and as a whole `keypolicy validate --json` process.
// Usage: node bench/validate-size.mjs [--quick]   (prints figures, never fails on them; run `npm run build` first)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const quick = process.argv.includes('--quick');
const sizes = quick ? [10_000, 50_000] : [10_000, 50_000, 100_000];

const HEAD = `organisation:
  name: Riverside Support Ltd
nation: england
registration:
  cqcLocationId: 1-187729429
people:
  registeredManager:
    firstName: Priya
    lastName: Shah
service:
  type: supported-living
`;

/** A valid profile followed by `keys` unknown top-level fields, short enough to stay under the 1 MB limit. */
function profileWith(keys) {
  const lines = [];
  for (let i = 0; i < keys; i++) lines.push(`k${i.toString(36)}: 1`);
  return `${HEAD}${lines.join('\n')}\n`;
}

const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
const { checkProfile } = await import('../dist/pipeline/check-profile.js');
const dir = mkdtempSync(path.join(tmpdir(), 'keypolicy-bench-size-'));
try {
  // Warm up the modules and the schema once, so the first size is not charged for them.
  writeFileSync(path.join(dir, 'warm.yaml'), profileWith(10));
  await checkProfile(path.join(dir, 'warm.yaml'));

  console.log('keypolicy validate by profile size (every key an unknown field, each reported)');
  for (const keys of sizes) {
    const file = path.join(dir, `keys-${keys}.yaml`);
    writeFileSync(file, profileWith(keys));
    const kb = (statSync(file).size / 1024).toFixed(0);

    let start = performance.now();
    const report = await checkProfile(file);
    const inProcess = performance.now() - start;
    if (report.errors.length !== keys)
      throw new Error(`expected ${keys} errors, got ${report.errors.length} (${report.errors[0]?.code})`);

    start = performance.now();
    const run = spawnSync(process.execPath, ['bin/keypolicy.js', 'validate', '--json', file], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 1024 * 1024 * 1024,
    });
    const whole = performance.now() - start;
    if (run.status !== 1) throw new Error(`keypolicy validate exited ${run.status}:\n${run.stderr}`);

    const perKey = ((inProcess * 1000) / keys).toFixed(0);
    console.log(
      `  ${String(keys).padStart(7)} keys (${kb.padStart(4)} KB)  checkProfile ${fmt(inProcess).padStart(7)} (${perKey} µs a key)  ` +
        `keypolicy validate --json ${fmt(whole).padStart(7)}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
