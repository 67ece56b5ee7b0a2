/**
 * The published schemas of keypolicy's machine-readable outputs (schemas/<command>.schema.json and
 * manifest.schema.json) hold real outputs: each `--json` document, success and failure, and the manifest
 * a build writes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { copyExample, runCli, tempDir } from '../helpers.js';
import { VERSION } from '../../src/core/version.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ajv = new Ajv2020({ strict: false, allErrors: true });

function expectValid(name: string, document: unknown): void {
  const schema = JSON.parse(readFileSync(path.join(ROOT, 'schemas', `${name}.schema.json`), 'utf8')) as {
    $id: string;
    'x-keypolicy-version': string;
  };
  expect(schema['x-keypolicy-version']).toBe(VERSION);
  const validate = ajv.getSchema(schema.$id) ?? ajv.compile(schema);
  const ok = validate(document);
  expect(validate.errors ?? [], `${name}: ${JSON.stringify(document).slice(0, 300)}`).toEqual([]);
  expect(ok).toBe(true);
}

async function json(name: string, args: string[], cwd: string): Promise<Record<string, unknown>> {
  const run = await runCli([...args, '--json'], cwd);
  const document = JSON.parse(run.stdout) as Record<string, unknown>;
  expectValid(name, document);
  return document;
}

describe('published output schemas hold real outputs', () => {
  it('validate, check, build, manifest.json, status, diff and templates', async () => {
    const dir = tempDir();
    copyExample(path.join(ROOT, 'examples/england-supported-living'), dir);
    await json('validate', ['validate'], dir);
    await json('validate', ['validate', 'nothing-here/*.yaml'], dir);
    writeFileSync(path.join(dir, 'bad.yaml'), 'nation: scotland\n');
    await json('validate', ['validate', 'bad.yaml'], dir);
    await json('check', ['check', '--date', '2026-06-01'], dir);
    await json('check', ['check', 'missing.yaml'], dir);
    const build = await json('build', ['build', '--format', 'md', '--date', '2026-06-01'], dir);
    const slug = (build.profiles as { slug: string }[])[0]?.slug ?? '';
    expectValid(
      'manifest',
      JSON.parse(readFileSync(path.join(dir, 'policies', slug, 'manifest.json'), 'utf8')),
    );
    await json('build', ['build', 'bad.yaml', '--format', 'md'], dir);
    await json('status', ['status'], dir);
    await json('status', ['status', 'missing.yaml'], dir);
    await json('diff', ['diff'], dir);
    await json('diff', ['diff', 'bad.yaml'], dir);
    await json('templates', ['templates'], dir);

    // Approve, then a member of staff reads it; a sheet that does not exist fails as a document too.
    const approve = await runCli(
      [
        'approve',
        '--by',
        'Sam Jones',
        '--role',
        'Registered Manager',
        '--date',
        '2026-06-02',
        '--allow-example-values',
      ],
      dir,
    );
    expect(approve.code, approve.stderr).toBe(0);
    const staff = readFileSync(path.join(dir, 'staff.csv'), 'utf8').split('\n')[1]?.split(',')[0] ?? '';
    await json('acknowledge', ['acknowledge', '--by', staff, '--date', '2026-06-03'], dir);
    await json('acknowledge', ['acknowledge', '--from', 'missing.csv'], dir);
    await json('status', ['status', '--as-of', '2026-06-03'], dir);
  }, 120_000);

  it('a failure before the command could report', async () => {
    const dir = tempDir();
    await json('build', ['build', '--nonsense'], dir);
    await json('diff', ['diff', '--exit-code', '--bogus'], dir);
  });
});
