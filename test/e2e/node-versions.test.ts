/**
 * The Node version running the tests is one keypolicy supports (package.json `engines`: Node 20 from
 * 20.15, 22 and 24), `npm ci` would warn of no unsupported engine on it, and the built CLI works end to
 * end on it. `.ci/run` runs this file on Node 22 and 24 too (scripts/node-versions.sh).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runBinary, tempDir } from '../helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SUPPORTED = [20, 22, 24];

const numbers = (version: string) => version.replace(/^v/, '').split('.').map(Number);

describe(`Node ${process.version}`, () => {
  it('is a supported version, within package.json engines', () => {
    const { engines } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      engines: { node: string };
    };
    expect(engines.node).toBe('>=20.15');
    const [major = 0, minor = 0] = numbers(process.version);
    expect(SUPPORTED).toContain(major);
    expect(major > 20 || minor >= 15).toBe(true);
  });

  it('installs without an unsupported-engine warning (npm ci --dry-run)', () => {
    const npm = spawnSync('npm', ['ci', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund'], {
      cwd: ROOT,
      encoding: 'utf8',
      // npm runs on the Node under test, so its engine checks are this Node's.
      env: {
        ...process.env,
        PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
      },
    });
    expect(npm.status, npm.stderr).toBe(0);
    expect(npm.stdout + npm.stderr).not.toContain('EBADENGINE');
  }, 120_000);

  it('runs the CLI end to end: init, validate, build --json, diff --exit-code', () => {
    const dir = tempDir();
    expect(runBinary(dir, ['init', '--name', 'Node Versions Care', '--nation', 'wales']).status).toBe(0);
    expect(runBinary(dir, ['validate']).status).toBe(0);
    const build = runBinary(dir, ['build', '--format', 'md,docx', '--json', '--date', '2026-06-01']);
    expect(build.status, build.stderr).toBe(0);
    const document = JSON.parse(build.stdout) as { ok: boolean; profiles: { files: unknown[] }[] };
    expect(document.ok).toBe(true);
    expect(document.profiles[0]?.files.length).toBe(2);
    expect(runBinary(dir, ['diff', '--exit-code']).status).toBe(0);
  }, 120_000);
});
