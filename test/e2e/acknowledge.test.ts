/**
 * Staff acknowledgements end to end: build, approve, three of four staff acknowledge, status shows 3 of 4
 * and who is missing; a review with no change keeps them, a revision asks again; a filled sheet imported
 * (good and bad rows, all or nothing); the read-and-sign sheet read back from PDF and DOCX; erasure by
 * pseudonym keeps every hash; eight concurrent runs lose nothing.
 *
 * Commands run through the real command line, in-process and, for the concurrent runs, as processes of
 * the built binary.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync, strFromU8 } from 'fflate';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { StatusFlags } from '../../src/commands/status.js';
import { ENGLAND_MINIMAL, runCli, tempDir } from '../helpers.js';

const STAFF =
  'name,role,id\nDan Brown,Support Worker,\nAmy Pond,Support Worker,1001\nCara Lee,Senior Support Worker,\nBen Okafor,Support Worker,\n';
const PROFILE = `${ENGLAND_MINIMAL}staff: staff.csv\n`;
const ACKS = 'keypolicy.register/key-worker-policy';
const BIN = fileURLToPath(new URL('../../bin/keypolicy.js', import.meta.url));

/** `keypolicy …` in-process, through the real command line. */
const kp = (args: string[], cwd: string) => runCli(args, cwd);

/** `keypolicy status` with these flags. */
function status(cwd: string, flags: Partial<StatusFlags>) {
  const args = ['status'];
  if (flags.asOf) args.push('--as-of', flags.asOf);
  if (flags.failOn) args.push('--fail-on', flags.failOn);
  if (flags.graceDays) args.push('--grace-days', flags.graceDays);
  if (flags.json) args.push('--json');
  if (flags.people) args.push('--people');
  return runCli(args, cwd);
}

interface Reading {
  required: number;
  acknowledged: number;
  missing: string[] | number;
  daysInForce: number;
}
const readingOf = async (dir: string, asOf: string): Promise<Reading> => {
  const { stdout } = await status(dir, { asOf, json: true, people: true });
  const doc = JSON.parse(stdout) as { profiles: { policies: { reading: Reading }[] }[] };
  return doc.profiles[0]?.policies[0]?.reading as Reading;
};
const approve = (date: string) => [
  'approve',
  '--by',
  'Priya Shah',
  '--role',
  'Registered Manager',
  '--date',
  date,
  '--allow-example-values',
];

describe('acknowledging the version in force', () => {
  const dir = tempDir({ 'keypolicy.yaml': PROFILE, 'staff.csv': STAFF });

  it('records three of four staff and shows 3 of 4 with the missing name', async () => {
    expect((await runCli(['build', '-f', 'md', '--date', '2026-04-01'], dir)).code).toBe(0);
    expect((await runCli(approve('2026-04-02'), dir)).code).toBe(0);
    for (const name of ['amy pond', 'Dan Brown', 'Cara Lee']) {
      const run = await kp(['acknowledge', '--by', name, '--date', '2026-04-03'], dir);
      expect(run.code, run.stderr).toBe(0);
    }
    expect((await kp(['acknowledge', '--by', 'Amy Pond', '--date', '2026-04-03'], dir)).stdout).toContain(
      'already acknowledged',
    );
    const reading = await readingOf(dir, '2026-04-05');
    expect(reading).toMatchObject({ required: 4, acknowledged: 3, missing: ['Ben Okafor'], daysInForce: 3 });
    const human = await status(dir, { asOf: '2026-04-05' });
    expect(human.stdout).toContain('3 of 4');
    expect(human.stdout).toContain('not yet read by Ben Okafor');
    // Names only with --people.
    const quiet = await status(dir, { asOf: '2026-04-05', json: true });
    expect(quiet.stdout).not.toContain('Ben Okafor');
    expect(quiet.stdout).toContain('"missing": 1');
  });

  it('refuses someone not on the list and a date before the effective date, recording nothing', async () => {
    const before = readFileSync(path.join(dir, 'keypolicy.register.yaml'), 'utf8');
    const stranger = await kp(['acknowledge', '--by', 'Zed Zulu', '--date', '2026-04-04'], dir);
    expect(stranger.code).toBe(1);
    expect(stranger.stderr).toContain('not on the staff list');
    const early = await kp(['acknowledge', '--by', 'Ben Okafor', '--date', '2026-04-01'], dir);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain('came into force on 2 April 2026');
    expect(readFileSync(path.join(dir, 'keypolicy.register.yaml'), 'utf8')).toBe(before);
    expect((await kp(['acknowledge', '--json'], dir)).code).toBe(2);
  });

  it('fails CI after the grace period, not before', async () => {
    const failOn = 'unacknowledged';
    expect((await status(dir, { asOf: '2026-04-30', failOn })).code).toBe(0);
    expect((await status(dir, { asOf: '2026-05-01', failOn })).code).toBe(1);
    expect((await status(dir, { asOf: '2026-05-01', failOn, graceDays: '60' })).code).toBe(0);
  });

  it('imports a filled sheet all or nothing, reporting each row', async () => {
    writeFileSync(
      path.join(dir, 'bad.csv'),
      'NAME,Date,Score\nBen Okafor,05/04/2026,90\nZed Zulu,05/04/2026,1\nCara Lee,31/02/2026,\nDan Brown,01/04/2026,\n',
    );
    const bad = await kp(['acknowledge', '--from', 'bad.csv', '--date', '2026-04-06', '--json'], dir);
    expect(bad.code).toBe(1);
    const rows = (JSON.parse(bad.stdout) as { rows: { status: string; line: number }[] }).rows;
    expect(rows.map((r) => [r.line, r.status])).toEqual([
      [2, 'accepted'],
      [3, 'rejected'],
      [4, 'rejected'],
      [5, 'rejected'],
    ]);
    expect((await readingOf(dir, '2026-04-06')).acknowledged).toBe(3);
    writeFileSync(path.join(dir, 'broken.csv'), 'name,date\n"Ben Okafor,05/04/2026\n');
    const broken = await kp(['acknowledge', '--from', 'broken.csv', '--date', '2026-04-06'], dir);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('broken.csv:2:1 error KP_CSV');
    writeFileSync(
      path.join(dir, 'good.csv'),
      '\uFEFFName,DATE\r\nBen Okafor,05/04/2026\r\nAmy Pond,2026-04-03\r\n',
    );
    const good = await kp(['acknowledge', '--from', 'good.csv', '--date', '2026-04-06'], dir);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toContain('Recorded 1 acknowledgement');
    expect(await readingOf(dir, '2026-04-06')).toMatchObject({ acknowledged: 4, missing: [] });
  });

  it('keeps coverage through a review with no change, and asks again after a revision', async () => {
    const review = ['review', '--by', 'Priya Shah', '--role', 'Registered Manager', '--date', '2026-04-10'];
    expect((await runCli([...review, '--allow-example-values'], dir)).code).toBe(0);
    expect((await readingOf(dir, '2026-04-10')).acknowledged).toBe(4);
    writeFileSync(
      path.join(dir, 'keypolicy.yaml'),
      PROFILE.replace('Riverside Support Ltd', 'Riverside Care Ltd').concat(
        'output:\n  slug: riverside-support-ltd\n',
      ),
    );
    expect((await runCli(['build', '-f', 'md', '--date', '2026-04-11'], dir)).code).toBe(0);
    // A draft pending: version 1.0 is still the one in force, still read by all.
    expect((await readingOf(dir, '2026-04-11')).acknowledged).toBe(4);
    expect((await runCli(approve('2026-04-12'), dir)).code).toBe(0);
    expect(await readingOf(dir, '2026-04-12')).toMatchObject({ acknowledged: 0, required: 4 });
    // The old record stays as history.
    expect(readFileSync(path.join(dir, ACKS, '1.0.acknowledgements.yaml'), 'utf8')).toContain('Ben Okafor');
    expect((await kp(['acknowledge', '--by', 'Amy Pond', '--date', '2026-04-12'], dir)).code).toBe(0);
    expect((await readingOf(dir, '2026-04-12')).acknowledged).toBe(1);
  });

  it('erases a name by pseudonym and every hash and count still holds', async () => {
    const erased = await kp(['acknowledge', '--erase', 'Amy Pond', '--pseudonym', 'Former staff 1'], dir);
    expect(erased.code, erased.stderr).toBe(0);
    expect(erased.stderr).toContain('still on the staff list');
    writeFileSync(path.join(dir, 'staff.csv'), STAFF.replace('Amy Pond', 'Former staff 1'));
    for (const file of ['1.0.acknowledgements.yaml', '1.1.acknowledgements.yaml']) {
      const text = readFileSync(path.join(dir, ACKS, file), 'utf8');
      expect(text).not.toContain('Amy Pond');
      expect(text).not.toContain('1001');
    }
    expect((await status(dir, { asOf: '2026-04-12' })).code).toBe(0);
    expect((await readingOf(dir, '2026-04-12')).acknowledged).toBe(1);
    expect((await readingOf(dir, '2026-04-09')).acknowledged).toBe(4);
  });

  it('notices a hand edit of the record', async () => {
    const file = path.join(dir, ACKS, '1.1.acknowledgements.yaml');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('date: 2026-04-12', 'date: 2026-04-13'));
    const run = await status(dir, { asOf: '2026-04-14' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('KP_ACKNOWLEDGEMENTS');
    writeFileSync(file, text);
  });

  it('refuses when no version is in force', async () => {
    const withdraw = [
      'withdraw',
      '--policy',
      'key-worker-policy',
      '--by',
      'Priya Shah',
      '--role',
      'Registered Manager',
    ];
    expect((await runCli([...withdraw, '--date', '2026-04-20'], dir)).code).toBe(0);
    const run = await kp(['acknowledge', '--by', 'Ben Okafor', '--date', '2026-04-21'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('withdrawn');
  });
});

describe('the staff list', () => {
  it('is read from YAML with located errors, and a folder input never takes it for a profile', async () => {
    const dir = tempDir({
      'keypolicy.yaml': `${ENGLAND_MINIMAL}staff: staff.yaml\n`,
      'staff.yaml': '- name: Amy Pond\n  role: Support Worker\n  nmae: x\n',
    });
    const run = await runCli(['validate', '.'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'staff.yaml: skipped (a staff list that keypolicy.yaml names, not a profile)',
    );
    expect(run.stderr).toMatch(/staff\.yaml:3:3 error KP_STAFF/);
    writeFileSync(path.join(dir, 'staff.yaml'), 'staff:\n  - name: Amy Pond\n    role: Support Worker\n');
    expect((await runCli(['validate', '.'], dir)).code).toBe(0);
  });

  it('never reaches the policy documents', async () => {
    const dir = tempDir({ 'keypolicy.yaml': PROFILE, 'staff.csv': STAFF });
    expect((await runCli(['build', '-f', 'md,html', '--date', '2026-04-01'], dir)).code).toBe(0);
    const md = readFileSync(path.join(dir, 'policies/riverside-support-ltd/key-worker-policy.md'), 'utf8');
    expect(md).not.toContain('Amy Pond');
    expect(readFileSync(path.join(dir, 'keypolicy.register.yaml'), 'utf8')).not.toContain('Amy Pond');
  });
});

describe('read-and-sign sheets', () => {
  const people = Array.from(
    { length: 60 },
    (_, i) => `Person ${String(60 - i).padStart(2, '0')},Support Worker,`,
  );
  const dir = tempDir({
    'keypolicy.yaml': `${PROFILE}policies:\n  - id: key-worker-policy\n    readers: [support worker]\n`,
    'staff.csv': `name,role,id\n${people.join('\n')}\nZoe Manager,Registered Manager,\n`,
  });
  const folder = path.join(dir, 'policies/riverside-support-ltd/in-force');
  const tool = (name: string) => spawnSync('which', [name]).status === 0;

  it('writes PDF, DOCX and CSV for the version in force, read back and imported', async () => {
    expect((await runCli(['build', '-f', 'md', '--date', '2026-04-01'], dir)).code).toBe(0);
    expect((await runCli(approve('2026-04-02'), dir)).code).toBe(0);
    const run = await kp(['sheet', '--date', '2026-04-03'], dir);
    expect(run.code, run.stderr).toBe(0);
    const csv = readFileSync(path.join(folder, 'key-worker-policy-read-and-sign.csv'), 'utf8');
    const lines = csv.trim().split(/\r\n/);
    expect(lines[0]).toBe('name,date');
    expect(lines[1]).toBe('Person 01,');
    expect(lines).toHaveLength(61); // the manager's role does not read it
    const xml = strFromU8(
      unzipSync(readFileSync(path.join(folder, 'key-worker-policy-read-and-sign.docx')))[
        'word/document.xml'
      ] as Uint8Array,
    );
    for (const words of [
      'Read and sign: Key Worker Policy',
      'Version',
      '1.0',
      'Content hash',
      'Person 60',
      'Signature',
    ])
      expect(xml).toContain(words);
    expect(xml).toContain('<w:tblHeader/>');
    expect(xml.indexOf('Person 01')).toBeLessThan(xml.indexOf('Person 02'));
    if (tool('pdftotext')) {
      const pdf = path.join(folder, 'key-worker-policy-read-and-sign.pdf');
      const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
      expect(text).toContain('Read and sign: Key Worker Policy');
      expect(text).toContain('2 April 2026');
      expect(text).toMatch(/sha256:[0-9a-f]{64}/);
      const pages = text.split('\f').filter((p) => p.trim());
      expect(pages.length).toBeGreaterThan(1);
      // The header row repeats on every page.
      for (const page of pages) expect(page).toMatch(/Name\s+Signature\s+Date/);
      expect(pages.at(-1)).toContain('Person 60');
    }
    const manifest = JSON.parse(readFileSync(path.join(folder, '../manifest.json'), 'utf8')) as {
      files: { file: string }[];
    };
    expect(manifest.files.map((f) => f.file)).toContain('in-force/key-worker-policy-read-and-sign.pdf');
    // Fill in two dates and import the sheet back.
    writeFileSync(
      path.join(dir, 'filled.csv'),
      csv.replace('Person 01,', 'Person 01,03/04/2026').replace('Person 02,', 'Person 02,2026-04-03'),
    );
    const imported = await kp(['acknowledge', '--from', 'filled.csv', '--date', '2026-04-03'], dir);
    expect(imported.code, imported.stderr).toBe(0);
    expect((await readingOf(dir, '2026-04-03')).acknowledged).toBe(2);
    // A rebuild keeps the sheet; it stays listed.
    expect((await runCli(['build', '-f', 'md', '--date', '2026-04-03', '--force'], dir)).code).toBe(0);
    expect(existsSync(path.join(folder, 'key-worker-policy-read-and-sign.csv'))).toBe(true);
  }, 120_000);
});

describe('concurrency', () => {
  it('loses nothing when eight acknowledge at once, with a dead process’s lock present', async () => {
    const names = Array.from({ length: 8 }, (_, i) => `Worker ${i + 1}`);
    const dir = tempDir({
      'keypolicy.yaml': PROFILE,
      'staff.csv': `name,role\n${names.map((n) => `${n},Support Worker`).join('\n')}\n`,
    });
    await runCli(['build', '-f', 'md', '--date', '2026-04-01'], dir);
    await runCli(approve('2026-04-02'), dir);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(path.join(dir, 'keypolicy.register.yaml.lock'), String(dead));
    const runs = names.map(
      (name) =>
        new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, [BIN, 'acknowledge', '--by', name, '--date', '2026-04-03'], {
            cwd: dir,
            env: { ...process.env, NO_COLOR: '1' },
          });
          let stderr = '';
          child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          child.on('close', (code) => resolve({ code, stderr }));
        }),
    );
    const results = await Promise.all(runs);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const entries = parse(readFileSync(path.join(dir, ACKS, '1.0.acknowledgements.yaml'), 'utf8')) as {
      name: string;
    }[];
    expect(entries.map((e) => e.name).sort()).toEqual([...names].sort());
    expect(await readingOf(dir, '2026-04-03')).toMatchObject({ acknowledged: 8, required: 8 });
    expect(existsSync(path.join(dir, 'keypolicy.register.yaml.lock'))).toBe(false);
  }, 120_000);
});
