/**
 * The register's story on a copy of an example, through the real CLI: build (1.0 draft) → approve →
 * build (signed-off edition) → change the profile → build (1.1 draft, change log) → diff → status →
 * build --frozen. Then the register under concurrent builds and when it is corrupted.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Register } from '../../src/register/schema.js';
import { approveArgs, browserProcesses, ENGLAND_MINIMAL, runBinary, tempDir } from '../helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(root, 'bin/keypolicy.js');

const keypolicy = (cwd: string, ...args: string[]) => runBinary(cwd, args);

const register = (dir: string) =>
  parse(readFileSync(path.join(dir, 'keypolicy.register.yaml'), 'utf8')) as Register;
const versions = (dir: string) => register(dir).policies['key-worker-policy']?.versions ?? [];

describe('versions, approval, change logs and review', () => {
  const dir = tempDir({ 'keypolicy.yaml': ENGLAND_MINIMAL });

  it('records the first build as version 1.0, a draft', () => {
    const result = keypolicy(dir, 'build', '--format', 'md,html', '--date', '2026-04-01');
    expect(result.status).toBe(0);
    expect(versions(dir).map((v) => [v.version, v.date, v.summary, v.approvedOn])).toEqual([
      ['1.0', '2026-04-01', 'First version.', undefined],
    ]);
    const html = readFileSync(
      path.join(dir, 'policies/riverside-support-ltd/key-worker-policy.html'),
      'utf8',
    );
    expect(html).toContain('DRAFT');
    expect(html).toContain('<td>On approval</td>');
  });

  it('keeps the same version and bytes when nothing changed, on another day', () => {
    const file = path.join(dir, 'policies/riverside-support-ltd/key-worker-policy.html');
    const before = readFileSync(file);
    expect(keypolicy(dir, 'build', '--format', 'md,html', '--date', '2026-05-20').status).toBe(0);
    expect(versions(dir)).toHaveLength(1);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses to approve in a role that does not sign, then approves', () => {
    const wrong = keypolicy(dir, ...approveArgs('Cook'));
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain('"Cook" is not a role that signs');
    const never = keypolicy(
      dir,
      'approve',
      '--policy',
      'nothing-built',
      '--by',
      'Priya Shah',
      '--role',
      'Registered Manager',
    );
    expect(never.status).toBe(1);
    expect(never.stderr).toContain('There is no policy `nothing-built`');
    expect(never.stderr).toContain('Choices: key-worker-policy (Key Worker Policy)');
    const ok = keypolicy(dir, ...approveArgs('registered manager', '2026-04-10'));
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('approved, effective 10 April 2026');
    const again = keypolicy(dir, ...approveArgs('Registered Manager'));
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already approved');
  });

  it('builds the signed-off edition, archives it once, and shows the approver in the PDF', () => {
    const result = keypolicy(dir, 'build', '--date', '2026-04-11');
    expect(result.status).toBe(0);
    expect(versions(dir).map((v) => [v.version, v.approvedOn])).toEqual([['1.0', '2026-04-10']]);
    const out = path.join(dir, 'policies/riverside-support-ltd');
    for (const ext of ['pdf', 'docx', 'html'])
      expect(existsSync(path.join(out, `archive/key-worker-policy-v1.0.${ext}`))).toBe(true);
    const text = execFileSync('pdftotext', ['-layout', path.join(out, 'key-worker-policy.pdf'), '-'], {
      encoding: 'utf8',
    });
    expect(text).toContain('Priya Shah');
    expect(text).toContain('10 April 2026');
    expect(text).toContain('10 April 2027');
    expect(text).not.toContain('DRAFT');
  });

  it('records a changed profile as a new draft, 1.1, with a change log naming the field and the sections', () => {
    writeFileSync(path.join(dir, 'keypolicy.yaml'), `${ENGLAND_MINIMAL}terminology:\n  worker: link\n`);
    const diff = keypolicy(dir, 'diff');
    expect(diff.status).toBe(0);
    expect(diff.stdout).toContain('profile: terminology.worker: key → link');
    expect(diff.stdout).toMatch(/^-.*key worker/m);
    expect(diff.stdout).toMatch(/^\+.*link worker/m);
    expect(versions(dir)).toHaveLength(1);

    const frozen = keypolicy(dir, 'build', '--format', 'md', '--frozen', '--date', '2026-06-01');
    expect(frozen.status).toBe(1);
    expect(frozen.stderr).toContain('KP_FROZEN');
    expect(versions(dir)).toHaveLength(1);

    expect(
      keypolicy(
        dir,
        'build',
        '--format',
        'md,html',
        '--date',
        '2026-06-01',
        '--message',
        'Staff prefer "link worker".',
      ).status,
    ).toBe(0);
    const [, latest] = versions(dir);
    expect(latest?.version).toBe('1.1');
    expect(latest?.approvedOn).toBeUndefined();
    // The message replaces the generated summary; the field-level detail stays for audit.
    expect(latest?.summary).toBe('Staff prefer "link worker".');
    expect(latest?.changes?.fields).toContain('terminology.worker: key → link');
    const html = readFileSync(
      path.join(dir, 'policies/riverside-support-ltd/link-worker-policy.html'),
      'utf8',
    );
    expect(html).toContain('<td>1.0</td>');
    expect(html).toContain('<td>1.1</td>');
    expect(html).toContain('Priya Shah (Registered Manager), 10 April 2026');
  });

  it('revises a pending draft in place rather than adding versions', () => {
    writeFileSync(
      path.join(dir, 'keypolicy.yaml'),
      `${ENGLAND_MINIMAL}terminology:\n  worker: link\ndocumentControl:\n  reviewTriggers: [A new local authority contract]\n`,
    );
    expect(keypolicy(dir, 'build', '--format', 'md', '--date', '2026-06-02').status).toBe(0);
    expect(versions(dir).map((v) => [v.version, v.date, v.summary])).toEqual([
      ['1.0', '2026-04-01', 'First version.'],
      ['1.1', '2026-06-02', 'Staff prefer "link worker".'],
    ]);
  });

  it('reports status, the version in force on a day, and fails CI when asked', () => {
    const status = keypolicy(dir, 'status', '--json', '--as-of', '2026-07-01');
    expect(status.status).toBe(0);
    const report = JSON.parse(status.stdout) as {
      profiles: {
        policies: {
          inForce: { version: string; nextReviewDate: string };
          pending: { version: string };
          flags: string[];
        }[];
      }[];
    };
    const [policy] = report.profiles[0]!.policies;
    expect(policy?.inForce).toMatchObject({ version: '1.0', nextReviewDate: '2027-04-10' });
    expect(policy?.pending).toMatchObject({ version: '1.1' });
    expect(policy?.flags).toEqual(['unapproved']);
    expect(keypolicy(dir, 'status', '--as-of', '2027-05-01', '--fail-on', 'overdue').status).toBe(1);
    expect(keypolicy(dir, 'status', '--as-of', '2027-03-20', '--fail-on', 'overdue').status).toBe(0);
    expect(keypolicy(dir, 'status', '--as-of', '2027-03-20', '--fail-on', 'due-soon').status).toBe(1);
    expect(keypolicy(dir, 'status', '--as-of', '2026-04-05', '--json').stdout).toContain('"inForce": null');
    expect(keypolicy(dir, 'status', '--fail-on', 'late').status).toBe(2);
  });
});

describe('register safety', () => {
  it('never loses or interleaves the register when builds of one profile run at once', async () => {
    const dir = tempDir({ 'keypolicy.yaml': ENGLAND_MINIMAL });
    const run = () =>
      new Promise<number | null>((resolve) => {
        const child = spawn(
          process.execPath,
          [bin, 'build', '--format', 'md', '--date', '2026-04-01', '--quiet'],
          { cwd: dir },
        );
        child.on('exit', resolve);
      });
    const codes = await Promise.all([run(), run(), run()]);
    expect(codes).toEqual([0, 0, 0]);
    expect(versions(dir).map((v) => v.version)).toEqual(['1.0']);
    expect(existsSync(path.join(dir, 'keypolicy.register.yaml.lock'))).toBe(false);
  });

  it('leaves the previous files and register intact when stopped by SIGTERM mid-build (exit 143)', async () => {
    const dir = tempDir({ 'keypolicy.yaml': ENGLAND_MINIMAL });
    expect(keypolicy(dir, 'build', '--format', 'md,html', '--date', '2026-04-01').status).toBe(0);
    const registerBefore = readFileSync(path.join(dir, 'keypolicy.register.yaml'));
    const htmlFile = path.join(dir, 'policies/riverside-support-ltd/key-worker-policy.html');
    const htmlBefore = readFileSync(htmlFile);
    writeFileSync(path.join(dir, 'keypolicy.yaml'), `${ENGLAND_MINIMAL}terminology:\n  worker: link\n`);
    // A browser that is still starting when the stop comes: the build is mid-way whatever the machine's speed.
    const tmp = path.join(dir, 'tmp');
    mkdirSync(tmp);
    writeFileSync(path.join(dir, 'slow-chrome'), '#!/bin/sh\nsleep 60\n', { mode: 0o755 });
    const child = spawn(
      process.execPath,
      [
        bin,
        'build',
        '--format',
        'pdf,docx,html,md',
        '--date',
        '2026-04-02',
        '--browser',
        path.join(dir, 'slow-chrome'),
      ],
      { cwd: dir, env: { ...process.env, TMPDIR: tmp } },
    );
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (status) => resolve(status));
      const stopWhenStarted = () => {
        if (browserProcesses(tmp).length > 0) child.kill('SIGTERM');
        else setTimeout(stopWhenStarted, 20);
      };
      stopWhenStarted();
    });
    expect(code).toBe(143);
    expect(browserProcesses(tmp)).toEqual([]);
    const leftovers = spawnSync('find', [dir, '-name', '*.tmp', '-o', '-name', '*.lock'], {
      encoding: 'utf8',
    }).stdout.trim();
    expect(leftovers).toBe('');
    expect(readFileSync(htmlFile).equals(htmlBefore)).toBe(true);
    expect(readFileSync(path.join(dir, 'keypolicy.register.yaml')).equals(registerBefore)).toBe(true);
  });

  it('is tamper-evident: a hand edit of a past approval is reported by validate and status', () => {
    const dir = tempDir({ 'keypolicy.yaml': ENGLAND_MINIMAL });
    expect(keypolicy(dir, 'build', '--format', 'md', '--date', '2026-04-01').status).toBe(0);
    expect(keypolicy(dir, ...approveArgs('Registered Manager', '2026-04-02')).status).toBe(0);
    expect(keypolicy(dir, 'validate').status).toBe(0);
    const file = path.join(dir, 'keypolicy.register.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('name: Priya Shah', 'name: Someone Else'));
    const validate = keypolicy(dir, 'validate');
    expect(validate.status).toBe(1);
    expect(validate.stderr).toMatch(
      /keypolicy\.register\.yaml:\d+:\d+ error KP_REGISTER_TAMPERED .*Version 1\.0 of `key-worker-policy` has been changed/,
    );
    expect(keypolicy(dir, 'status').status).toBe(1);
  });

  it('reports a corrupted register at its line and never overwrites it', () => {
    const dir = tempDir({ 'keypolicy.yaml': ENGLAND_MINIMAL });
    expect(keypolicy(dir, 'build', '--format', 'md', '--date', '2026-04-01').status).toBe(0);
    const file = path.join(dir, 'keypolicy.register.yaml');
    const broken = readFileSync(file, 'utf8').replace('date: 2026-04-01', 'date: 2026-02-30');
    writeFileSync(file, broken);
    const result = keypolicy(dir, 'build', '--format', 'md', '--date', '2026-04-02');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/keypolicy\.register\.yaml:\d+:\d+ error KP_REGISTER .*date.*2026-02-30/);
    expect(readFileSync(file, 'utf8')).toBe(broken);
  });
});
