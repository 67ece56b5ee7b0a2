/**
 * The register as the single source of truth, in real sequences rather than single steps: edit before
 * rebuilding then approve; a terminology switch; an interval change after approval; review and
 * withdrawal; dates that would go backwards; eight approvers at once with a dead process's lock.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { registerText } from '../../src/register/register.js';
import type { Register } from '../../src/register/schema.js';
import { ENGLAND_MINIMAL, runCli, tempDir } from '../helpers.js';

const bin = fileURLToPath(new URL('../../bin/keypolicy.js', import.meta.url));
const ORG = 'policies/riverside-support-ltd';

const registerOf = (dir: string) =>
  parse(readFileSync(path.join(dir, 'keypolicy.register.yaml'), 'utf8')) as Register;
const versionsOf = (dir: string) => registerOf(dir).policies['key-worker-policy']?.versions ?? [];
const read = (dir: string, file: string) => readFileSync(path.join(dir, ORG, file), 'utf8');
const filesIn = (dir: string, folder = ''): string[] =>
  readdirSync(path.join(dir, ORG, folder), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesIn(dir, path.join(folder, e.name)) : [path.join(folder, e.name)]))
    .sort();
const manifestFiles = (dir: string) =>
  (JSON.parse(read(dir, 'manifest.json')) as { files: { file: string }[] }).files.map((f) => f.file).sort();
interface StatusJson {
  profiles: { policies: Record<string, unknown>[]; warnings: { code: string }[] }[];
}

const sign = (date: string, ...more: string[]) => [
  'approve',
  '--by',
  'Priya Shah',
  '--role',
  'Registered Manager',
  '--date',
  date,
  ...more,
];

describe('approval draws the edition that was built', () => {
  const dir = tempDir({ 'keypolicy.yaml': ENGLAND_MINIMAL });

  it('signs the version as built when the profile was edited before a rebuild, at once and from its snapshot', async () => {
    expect((await runCli(['build', '-f', 'md,html', '--date', '2026-04-01'], dir)).code).toBe(0);
    expect(existsSync(path.join(dir, 'keypolicy.register/key-worker-policy/1.0.yaml'))).toBe(true);
    writeFileSync(
      path.join(dir, 'keypolicy.yaml'),
      ENGLAND_MINIMAL.replace('Riverside Support Ltd', 'Riverside Care Ltd').concat(
        'output:\n  slug: riverside-support-ltd\n',
      ),
    );
    const approved = await runCli(sign('2026-04-10'), dir);
    expect(approved.code).toBe(0);
    expect(approved.stdout).toContain('approved, effective 10 April 2026; next review by 10 April 2027');
    expect(approved.stdout).toContain('signed the version as built');
    // The signed edition is the one built: the old name, no DRAFT, the sign-off filled.
    for (const file of [
      'key-worker-policy.html',
      'in-force/key-worker-policy.html',
      'archive/key-worker-policy-v1.0.html',
    ]) {
      const html = read(dir, file);
      expect(html).toContain('Riverside Support Ltd');
      expect(html).not.toContain('Riverside Care Ltd');
      expect(html).not.toContain('DRAFT');
      expect(html).toContain('Priya Shah');
    }
    expect(read(dir, 'in-force/key-worker-policy.md')).toContain('Riverside Support Ltd');
    const manifest = JSON.parse(read(dir, 'manifest.json')) as {
      files: { file: string; status: string; effectiveDate: string }[];
    };
    expect(manifest.files.every((f) => f.status === 'approved' && f.effectiveDate === '2026-04-10')).toBe(
      true,
    );
    expect(manifestFiles(dir)).toEqual(
      filesIn(dir).filter((f) => !f.startsWith('archive') && f !== 'manifest.json'),
    );
    const [v1] = versionsOf(dir);
    expect(v1).toMatchObject({ approvedOn: '2026-04-10', nextReviewDate: '2027-04-10' });
    expect(v1?.approvals[0]?.user).toBeTruthy();
  });

  it('records the edit as a new draft on the next build, keeping the signed edition in force', async () => {
    expect((await runCli(['build', '-f', 'md,html', '--date', '2026-04-12'], dir)).code).toBe(0);
    expect(versionsOf(dir).map((v) => [v.version, v.approvedOn])).toEqual([
      ['1.0', '2026-04-10'],
      ['1.1', undefined],
    ]);
    expect(read(dir, 'key-worker-policy.html')).toContain('Riverside Care Ltd');
    expect(read(dir, 'key-worker-policy.html')).toContain('DRAFT');
    expect(read(dir, 'in-force/key-worker-policy.html')).toContain('Riverside Support Ltd');
    expect(read(dir, 'in-force/key-worker-policy.html')).not.toContain('DRAFT');
  });

  it('never dates a build, a sign-off or a review before the register’s latest entry, and leaves it untouched', async () => {
    const before = readFileSync(path.join(dir, 'keypolicy.register.yaml'), 'utf8');
    writeFileSync(
      path.join(dir, 'keypolicy.yaml'),
      `${readFileSync(path.join(dir, 'keypolicy.yaml'), 'utf8')}terminology:\n  worker: link\n`,
    );
    const early = await runCli(['build', '-f', 'md', '--date', '2026-04-11'], dir);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain('KP_DATE_ORDER');
    const signEarly = await runCli(sign('2026-04-11'), dir);
    expect(signEarly.code).toBe(1);
    expect(signEarly.stderr).toContain('cannot be approved before then');
    expect(readFileSync(path.join(dir, 'keypolicy.register.yaml'), 'utf8')).toBe(before);
    for (const args of [
      ['build', '--date', '1999-12-31'],
      ['build', '--date', '2026-02-30'],
      ['status', '--as-of', '10000-01-01'],
    ])
      expect((await runCli(args, dir)).code).toBe(2);
    const future = spawnSync(process.execPath, [bin, 'status'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, SOURCE_DATE_EPOCH: '99999999999999' },
    });
    expect(future.status).toBe(2);
    expect(future.stderr).toContain('SOURCE_DATE_EPOCH');
  });
});

describe('a terminology switch, review dates and the change log', () => {
  const dir = tempDir({ 'keypolicy.yaml': ENGLAND_MINIMAL });

  it('keeps one current edition per policy, and in-force until the successor is approved', async () => {
    await runCli(['build', '-f', 'md,html', '--date', '2026-04-01'], dir);
    await runCli(sign('2026-04-02'), dir);
    writeFileSync(path.join(dir, 'keypolicy.yaml'), `${ENGLAND_MINIMAL}terminology:\n  worker: link\n`);
    expect((await runCli(['build', '-f', 'md,html', '--date', '2026-05-01'], dir)).code).toBe(0);
    expect(filesIn(dir).filter((f) => !f.startsWith('archive'))).toEqual([
      'in-force/key-worker-policy.html',
      'in-force/key-worker-policy.md',
      'link-worker-policy.html',
      'link-worker-policy.md',
      'manifest.json',
    ]);
    const approved = await runCli([...sign('2026-05-02'), '--policy', 'LINK-WORKER-POLICY', '--json'], dir);
    expect(approved.code).toBe(0);
    expect(JSON.parse(approved.stdout)).toMatchObject({ ok: true, approved: true, version: '1.1' });
    expect(filesIn(dir)).toEqual([
      'archive/key-worker-policy-v1.0.html',
      'archive/key-worker-policy-v1.0.md',
      'archive/link-worker-policy-v1.1.html',
      'archive/link-worker-policy-v1.1.md',
      'in-force/link-worker-policy.html',
      'in-force/link-worker-policy.md',
      'link-worker-policy.html',
      'link-worker-policy.md',
      'manifest.json',
    ]);
    expect(manifestFiles(dir)).toEqual(
      filesIn(dir).filter((f) => !f.startsWith('archive') && f !== 'manifest.json'),
    );
  });

  it('prints a history people can read, in the edition’s own vocabulary', () => {
    const html = read(dir, 'link-worker-policy.html');
    const history = html.slice(html.indexOf('Version history'));
    const rows = [...history.matchAll(/<tr>(.*?)<\/tr>/gs)].map((m) => m[1]!.replace(/<[^>]+>/g, ' '));
    expect(rows.some((r) => r.includes('Now uses the term “link worker” instead of “key worker”'))).toBe(
      true,
    );
    const others = rows.filter((r) => !r.includes('Now uses the term'));
    expect(others.join(' ')).not.toMatch(/key worker/i);
    expect(history).not.toMatch(/terminology\.worker|\s;\s|→/);
    expect(versionsOf(dir)[1]?.changes?.fields).toContain('terminology.worker: key → link');
  });

  it('keeps the review date fixed at approval when the interval changes, until a review', async () => {
    writeFileSync(
      path.join(dir, 'keypolicy.yaml'),
      `${ENGLAND_MINIMAL}terminology:\n  worker: link\ndocumentControl:\n  reviewIntervalMonths: 36\n`,
    );
    const status = await runCli(['status', '--as-of', '2027-06-01', '--json'], dir);
    const [policy] = (
      JSON.parse(status.stdout) as {
        profiles: { policies: { inForce: { nextReviewDate: string }; flags: string[] }[] }[];
      }
    ).profiles[0]!.policies;
    expect(policy?.inForce.nextReviewDate).toBe('2027-05-02');
    expect(policy?.flags).toContain('overdue');
    // The interval is in the policy's words, so this is a change: it cannot be reviewed as unchanged.
    const reviewArgs = [
      'review',
      '--by',
      'Priya Shah',
      '--role',
      'registered manager',
      '--date',
      '2027-06-01',
      '--json',
    ];
    const changed = await runCli(reviewArgs, dir);
    expect(changed.code).toBe(1);
    expect(JSON.parse(changed.stdout)).toMatchObject({ ok: false, error: { code: 'KP_REVIEW_CHANGED' } });
    writeFileSync(path.join(dir, 'keypolicy.yaml'), `${ENGLAND_MINIMAL}terminology:\n  worker: link\n`);
    const review = await runCli(reviewArgs, dir);
    expect(review.code).toBe(0);
    expect(JSON.parse(review.stdout)).toMatchObject({
      ok: true,
      version: '1.1',
      nextReviewDate: '2028-06-01',
    });
    const after = await runCli(['status', '--as-of', '2027-06-02', '--fail-on', 'overdue'], dir);
    expect(after.code).toBe(0);
    expect(read(dir, 'in-force/link-worker-policy.html')).toContain('Reviewed, no changes.');
    expect(existsSync(path.join(dir, ORG, 'archive/link-worker-policy-v1.1-reviewed-2027-06-01.html'))).toBe(
      true,
    );
  });

  it('withdraws a policy: its editions move to the archive and status never calls it overdue', async () => {
    const withdrawn = await runCli(
      [
        'withdraw',
        '--policy',
        'Link Worker Policy',
        '--by',
        'Priya Shah',
        '--role',
        'Registered Manager',
        '--date',
        '2027-07-01',
      ],
      dir,
    );
    expect(withdrawn.code).toBe(0);
    expect(filesIn(dir).filter((f) => !f.startsWith('archive'))).toEqual(['manifest.json']);
    const status = await runCli(['status', '--as-of', '2031-01-01', '--json', '--fail-on', 'overdue'], dir);
    expect(status.code).toBe(0);
    expect((JSON.parse(status.stdout) as StatusJson).profiles[0]?.policies[0]).toMatchObject({
      state: 'withdrawn',
      flags: [],
    });
  });
});

describe('what approve refuses', () => {
  it('refuses init’s example values, naming each field, unless told', async () => {
    const dir = tempDir();
    await runCli(['init', '--name', 'Example Care Ltd'], dir);
    await runCli(['build', '-f', 'md', '--date', '2026-04-01'], dir);
    const refused = await runCli(
      ['approve', '--by', 'A', '--role', 'Registered Manager', '--date', '2026-04-02'],
      dir,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('KP_EXAMPLE_VALUES');
    expect(refused.stderr).toContain('organisation.name');
    expect(refused.stderr).toContain('registration.cqcProviderId');
    const allowed = await runCli(
      [
        'approve',
        '--by',
        'A',
        '--role',
        'Registered Manager',
        '--date',
        '2026-04-02',
        '--allow-example-values',
      ],
      dir,
    );
    expect(allowed.code).toBe(0);
    const review = ['review', '--by', 'A', '--role', 'Registered Manager', '--date', '2026-05-01'];
    const reviewRefused = await runCli(review, dir);
    expect(reviewRefused.code).toBe(1);
    expect(reviewRefused.stderr).toContain('KP_EXAMPLE_VALUES');
    expect((await runCli([...review, '--allow-example-values'], dir)).code).toBe(0);
  });

  it('refuses a register from a newer keypolicy and never rewrites it; reads one out of date order with a warning', async () => {
    const dir = tempDir({ 'keypolicy.yaml': ENGLAND_MINIMAL });
    await runCli(['build', '-f', 'md', '--date', '2026-04-01'], dir);
    const file = path.join(dir, 'keypolicy.register.yaml');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.replace('registerVersion: 2', 'registerVersion: 999'));
    const future = await runCli(sign('2026-04-02'), dir);
    expect(future.code).toBe(1);
    expect(future.stderr).toContain('format 999');
    expect(readFileSync(file, 'utf8')).toContain('registerVersion: 999');
    writeFileSync(file, good);
    const unknown = await runCli([...sign('2026-04-02'), '--policy', 'complaints'], dir);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Choices: key-worker-policy');
    // A register an earlier release wrote out of date order (hashes intact) is read, with a warning.
    expect((await runCli(sign('2026-04-02'), dir)).code).toBe(0);
    writeFileSync(path.join(dir, 'keypolicy.yaml'), `${ENGLAND_MINIMAL}terminology:\n  worker: link\n`);
    await runCli(['build', '-f', 'md', '--date', '2026-05-01'], dir);
    const register = registerOf(dir);
    register.policies['key-worker-policy']!.versions[1]!.date = '2026-03-01';
    writeFileSync(file, registerText(register));
    const status = await runCli(['status', '--json'], dir);
    expect(status.code).toBe(0);
    expect((JSON.parse(status.stdout) as StatusJson).profiles[0]?.warnings[0]?.code).toBe(
      'KP_REGISTER_DATES',
    );
    expect((await runCli(['validate'], dir)).code).toBe(0);
  });
});

describe('a register from the previous release (format 1, no snapshots)', () => {
  it('is read, signed from the profile while it renders the same words, and upgraded on that write', async () => {
    const dir = tempDir({ 'keypolicy.yaml': ENGLAND_MINIMAL });
    await runCli(['build', '-f', 'md,html', '--date', '2026-04-01'], dir);
    const file = path.join(dir, 'keypolicy.register.yaml');
    const register = registerOf(dir);
    for (const v of register.policies['key-worker-policy']!.versions) delete v.source;
    writeFileSync(file, registerText(register).replace('registerVersion: 2', 'registerVersion: 1'));
    rmSync(path.join(dir, 'keypolicy.register', 'key-worker-policy'), { recursive: true });
    expect((await runCli(['status'], dir)).code).toBe(0);
    const approved = await runCli(sign('2026-04-02'), dir);
    expect(approved.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('registerVersion: 2');
    expect(versionsOf(dir)[0]?.source).toMatch(/^sha256:/);
    expect(existsSync(path.join(dir, 'keypolicy.register/key-worker-policy/1.0.yaml'))).toBe(true);
    expect(read(dir, 'in-force/key-worker-policy.html')).not.toContain('DRAFT');
  });
});

describe('concurrency', () => {
  it('records every one of eight concurrent sign-offs exactly once, with a dead process’s lock present', async () => {
    const roles = ['Registered Manager', 'Director', 'Nominated Individual', 'Quality Lead'];
    const dir = tempDir({
      'keypolicy.yaml': `${ENGLAND_MINIMAL}documentControl:\n  approvers: [${roles.map((r) => `"${r}"`).join(', ')}]\n`,
    });
    await runCli(['build', '-f', 'md', '--date', '2026-04-01'], dir);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(path.join(dir, 'keypolicy.register.yaml.lock'), String(dead));
    // Each role twice: one of each pair signs, the other is refused.
    const runs = [...roles, ...roles].map(
      (role, i) =>
        new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const child = spawn(
            process.execPath,
            [bin, 'approve', '--by', `Person ${i}`, '--role', role, '--date', '2026-04-02'],
            { cwd: dir, env: { ...process.env, NO_COLOR: '1' } },
          );
          let stderr = '';
          child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          child.on('close', (code) => resolve({ code, stderr }));
        }),
    );
    const results = await Promise.all(runs);
    expect(results.filter((r) => r.code === 0)).toHaveLength(4);
    const refused = results.filter((r) => r.code !== 0);
    expect(refused).toHaveLength(4);
    for (const r of refused) expect(r.stderr).toMatch(/has already signed|already approved/);
    const [v1] = versionsOf(dir);
    expect(v1?.approvals.map((a) => a.role).sort()).toEqual([...roles].sort());
    expect(v1?.approvedOn).toBe('2026-04-02');
    expect(existsSync(path.join(dir, 'keypolicy.register.yaml.lock'))).toBe(false);
    expect(execFileSync(process.execPath, [bin, 'validate'], { cwd: dir, encoding: 'utf8' })).toContain(
      'is valid',
    );
  }, 120_000);
});
