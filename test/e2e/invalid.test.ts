/**
 * The bad-input corpus: every folder under test/e2e/invalid/ is one case (see invalid/README.md).
 * Each case is copied to a fresh temporary folder, its make.mjs (if any) writes the inputs that are
 * not committed, and `keypolicy validate keypolicy.yaml` must print exactly expected.txt.
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  readdirSync,
  readFileSync,
  realpathSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers.js';

const CASES = fileURLToPath(new URL('./invalid/', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** `UPDATE_EXPECTED=1` rewrites every expected.txt; `UPDATE_EXPECTED=a,b` only those cases. */
const UPDATE = process.env.UPDATE_EXPECTED ?? '';
/** Cases also run through the real binary, to prove the in-process runs match a real process. */
const SPAWNED = ['extends-base-unknown-key', 'alias-bomb'];
/** Placeholder for the temporary case folder, which appears in some hints. */
const DIR = '<case>';

const names = readdirSync(CASES)
  .filter((name) => statSync(path.join(CASES, name)).isDirectory())
  .sort();

interface Run {
  exit: number;
  stdout: string;
  stderr: string;
}

interface Diagnostic {
  code: unknown;
  severity: unknown;
  path: unknown;
  line: unknown;
  column: unknown;
  message: unknown;
  hint: unknown;
}

interface JsonReport {
  valid: unknown;
  files: { file: unknown; errors: Diagnostic[]; warnings: Diagnostic[] }[];
}

/** Copy a case to a fresh temporary folder and run its make.mjs there. */
async function prepare(name: string): Promise<string> {
  const dir = realpathSync(tempDir());
  const source = path.join(CASES, name);
  cpSync(source, dir, {
    recursive: true,
    filter: (file) => file === source || !['expected.txt', 'make.mjs'].includes(path.basename(file)),
  });
  const make = path.join(source, 'make.mjs');
  if (existsSync(make)) {
    const module = (await import(pathToFileURL(make).href)) as { default: (dir: string) => Promise<void> };
    await module.default(dir);
  }
  return dir;
}

const normalise = (text: string, dir: string) => text.split(dir).join(DIR);

async function runInProcess(dir: string, args: string[]): Promise<Run> {
  const { code, stdout, stderr } = await runCli(['validate', ...args], dir);
  return { exit: code, stdout: normalise(stdout, dir), stderr: normalise(stderr, dir) };
}

function runProcess(dir: string, args: string[]): Run {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin/keypolicy.js'), 'validate', ...args], {
    cwd: dir,
    env,
    encoding: 'utf8',
  });
  if (result.error) throw result.error;
  return {
    exit: result.status ?? -1,
    stdout: normalise(result.stdout, dir),
    stderr: normalise(result.stderr, dir),
  };
}

/** expected.txt: `exit: N`, then stderr, then stdout. */
const transcript = (run: Run) => `exit: ${run.exit}\n${run.stderr}${run.stdout}`;

function expectNoCrash(text: string): void {
  expect(text).not.toMatch(/^ {4}at /m);
  expect(text).not.toMatch(/internal error/i);
}

function expectWellFormed(d: Diagnostic): void {
  expect(d.code).toEqual(expect.stringMatching(/^KP_[A-Z0-9_]+$/));
  expect(['error', 'warning']).toContain(d.severity);
  expect(typeof d.path).toBe('string');
  expect(Number.isInteger(d.line) && (d.line as number) >= 1).toBe(true);
  expect(Number.isInteger(d.column) && (d.column as number) >= 1).toBe(true);
  expect(d.message).toEqual(expect.stringMatching(/\S/));
  expect(d.hint).toEqual(expect.stringMatching(/\S/));
}

describe('keypolicy validate rejects bad input with exact diagnostics', () => {
  it('has a corpus', () => {
    expect(names.length).toBeGreaterThanOrEqual(34);
  });

  it.each(names)('%s', async (name) => {
    const expectedFile = path.join(CASES, name, 'expected.txt');
    const dir = await prepare(name);

    const run = await runInProcess(dir, ['keypolicy.yaml']);
    expectNoCrash(run.stdout + run.stderr);
    const actual = transcript(run);
    if (UPDATE === '1' || UPDATE.split(',').includes(name)) writeFileSync(expectedFile, actual);
    expect(actual).toBe(readFileSync(expectedFile, 'utf8'));

    // --json: one JSON document on stdout and nothing else; same verdict; every diagnostic complete.
    const json = await runInProcess(dir, ['--json', 'keypolicy.yaml']);
    expectNoCrash(json.stdout + json.stderr);
    expect(json.exit).toBe(run.exit);
    expect(json.stderr).toBe('');
    const report = JSON.parse(json.stdout) as JsonReport;
    expect(report.valid).toBe(run.exit === 0);
    expect(report.files).toHaveLength(1);
    const diagnostics = report.files.flatMap((f) => [...f.errors, ...f.warnings]);
    expect(diagnostics.length).toBeGreaterThan(0);
    for (const d of diagnostics) expectWellFormed(d);
    for (const d of report.files.flatMap((f) => f.errors)) expect(d.severity).toBe('error');
    for (const d of report.files.flatMap((f) => f.warnings)) expect(d.severity).toBe('warning');
  });

  it.each(SPAWNED)('%s gives the same output from the real binary', async (name) => {
    const dir = await prepare(name);
    const inProcess = await runInProcess(dir, ['keypolicy.yaml']);
    const spawned = runProcess(dir, ['keypolicy.yaml']);
    expectNoCrash(spawned.stdout + spawned.stderr);
    expect(transcript(spawned)).toBe(transcript(inProcess));
    expect(transcript(spawned)).toBe(readFileSync(path.join(CASES, name, 'expected.txt'), 'utf8'));
  });
});
