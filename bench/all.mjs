#!/usr/bin/env node
// Every benchmark in turn: validate, validate by profile size, one cold build, batches (with memory at
// 1,000 profiles) and the peers. `npm run bench` takes several minutes; `npm run bench -- --quick` gives
// a smaller run.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const flags = process.argv.slice(2);
for (const script of ['validate', 'validate-size', 'build', 'approve', 'batch', 'peers']) {
  const path = fileURLToPath(new URL(`./${script}.mjs`, import.meta.url));
  const result = spawnSync(process.execPath, [path, ...flags], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  console.log();
}
