import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { ENGLAND_MINIMAL, runBinary, runCli, tempDir } from '../helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(root, 'bin/keypolicy.js');

const keypolicy = (args: string[], cwd: string) => runBinary(cwd, args);

vi.mock('@inquirer/prompts', () => {
  const answers: unknown[] = ['  Ty Gwyn Care  ', 'wales', 'care-home', 'link', true];
  const next = () => Promise.resolve(answers.shift());
  return { input: next, select: next, confirm: next };
});

describe('keypolicy (the real binary)', () => {
  it('has complete help for the program and every command', () => {
    const main = keypolicy(['--help'], root);
    expect(main.status).toBe(0);
    for (const command of ['init', 'validate', 'check', 'schema', 'templates']) {
      expect(main.stdout).toContain(command);
      const help = keypolicy([command, '--help'], root);
      expect(help.status).toBe(0);
      expect(help.stdout).toContain(`Usage: keypolicy ${command}`);
    }
    const init = keypolicy(['init', '--help'], root).stdout;
    for (const flag of ['--name', '--nation', '--service', '--term', '--shared-role', '--out', '--force']) {
      expect(init).toContain(flag);
    }
  });

  it('treats unknown flags, commands and choices as usage errors (exit 2)', () => {
    expect(keypolicy(['validate', '--no-such-flag'], root).status).toBe(2);
    expect(keypolicy(['nosuchcommand', '--help'], root).status).toBe(2);
    const bad = keypolicy(['init', '--nation', 'scotland'], tempDir());
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('england');
  });

  it('init writes a profile that validates, refuses to overwrite, and overwrites with --force', () => {
    const dir = tempDir();
    const first = keypolicy(
      ['init', '--name', 'Seaview Homes', '--nation', 'england', '--service', 'care-home'],
      dir,
    );
    expect(first.status).toBe(0);
    const file = path.join(dir, 'keypolicy.yaml');
    expect(readFileSync(file, 'utf8')).toContain('name: Seaview Homes');
    const again = keypolicy(['init', '--name', 'Other'], dir);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('KP_EXISTS');
    expect(readFileSync(file, 'utf8')).toContain('name: Seaview Homes');
    expect(keypolicy(['init', '--name', 'Other', '--force'], dir).status).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('name: Other');
    const check = keypolicy(['validate'], dir);
    expect(check.status).toBe(0);
    expect(check.stderr).toContain('KP_EXAMPLE_VALUE');
  });

  it('init without a terminal never waits for input', async () => {
    const dir = tempDir();
    // stdin stays open and silent: a prompt would hang until the timeout.
    const child = spawn(process.execPath, [bin, 'init'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill();
        resolve(null);
      }, 15_000);
      child.on('exit', (status) => {
        clearTimeout(timer);
        resolve(status);
      });
    });
    expect(code).toBe(0);
    expect(existsSync(path.join(dir, 'keypolicy.yaml'))).toBe(true);
  });

  it('validate prints file:line:col diagnostics with a code frame and exits 1', () => {
    const dir = tempDir({
      'keypolicy.yaml': ENGLAND_MINIMAL.replace('type: supported-living', 'type: nursing-home'),
    });
    const result = keypolicy(['validate'], dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('keypolicy.yaml:11:9 error KP_ENUM service.type: `service.type` must be');
    expect(result.stderr).toContain('  11 |   type: nursing-home\n     |         ^^^^^^^^^^^^');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('validate --json prints exactly one JSON document on stdout', () => {
    const dir = tempDir({ 'good.yaml': ENGLAND_MINIMAL, 'bad.yaml': 'nation: [\n' });
    const result = keypolicy(['validate', '--json', 'good.yaml', 'bad.yaml'], dir);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as {
      valid: boolean;
      files: { file: string; errors: Record<string, unknown>[]; warnings: unknown[] }[];
    };
    expect(report.valid).toBe(false);
    expect(report.files.map((f) => [f.file, f.errors.length])).toEqual([
      ['good.yaml', 0],
      ['bad.yaml', 1],
    ]);
    expect(Object.keys(report.files[1]!.errors[0]!).sort()).toEqual(
      ['code', 'column', 'file', 'hint', 'line', 'message', 'path', 'severity'].sort(),
    );
  });

  it('schema prints the generated schema and writes it with --out', () => {
    const dir = tempDir();
    const printed = keypolicy(['schema'], dir);
    expect(printed.status).toBe(0);
    expect(printed.stdout).toBe(readFileSync(path.join(root, 'schemas/profile.schema.json'), 'utf8'));
    expect(keypolicy(['schema', '--out', 'profile.schema.json'], dir).status).toBe(0);
    expect(readFileSync(path.join(dir, 'profile.schema.json'), 'utf8')).toBe(printed.stdout);
  });

  it('schema --out creates the folder, and an unwritable place is an environment error (exit 3)', () => {
    const dir = tempDir({ 'a-file': '' });
    expect(keypolicy(['schema', '--out', 'new/folder/schema.json'], dir).status).toBe(0);
    expect(existsSync(path.join(dir, 'new/folder/schema.json'))).toBe(true);
    const result = keypolicy(['schema', '--out', 'a-file/schema.json'], dir);
    expect(result.status).toBe(3);
    expect(result.stderr).toContain('KP_IO');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('keypolicy templates', () => {
  it('lists the built-in template and a pack’s, with versions and variants, as JSON', () => {
    const dir = tempDir({
      'pack/ours.md':
        '---\nid: ours\ntitle: Our {{WorkerTitle}} Rota\nversion: 2.1.0\nnations: [wales]\n---\nText\n',
    });
    const result = keypolicy(['templates', '--json', '--templates', 'pack'], dir);
    expect(result.status).toBe(0);
    const listing = JSON.parse(result.stdout) as {
      templates: { id: string; version: string; titles: string[]; nations: string[] }[];
    };
    expect(listing.templates.map((t) => [t.id, t.version, t.titles, t.nations])).toEqual([
      ['key-worker-policy', '1.1.0', ['Key Worker Policy', 'Link Worker Policy'], ['england', 'wales']],
      ['ours', '2.1.0', ['Our Key Worker Rota', 'Our Link Worker Rota'], ['wales']],
    ]);
  });

  it('--check exits 1 and points at a field no profile has', () => {
    const dir = tempDir({
      'pack/typo.md': '---\nid: typo\ntitle: T\nversion: 1.0.0\n---\nHello {{organisation.nmae}}\n',
    });
    const result = keypolicy(['templates', '--check', '--templates', 'pack'], dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('pack/typo.md:6:9 error KP_TEMPLATE_FIELD');
    expect(result.stderr).toContain('did you mean `organisation.name`?');
  });

  it('includes the packs a profile lists', () => {
    const dir = tempDir({
      'keypolicy.yaml': `${ENGLAND_MINIMAL}templates: [house]\n`,
      'house/rota.md': '---\nid: rota\ntitle: Rota\nversion: 1.0.0\n---\nText\n',
    });
    expect(keypolicy(['templates'], dir).stdout).toContain('rota v1.0.0');
  });
});

describe('init on a terminal', () => {
  it('asks its questions and writes the answers', async () => {
    const dir = tempDir();
    const result = await runCli(['init'], dir, { interactive: true });
    expect(result.code).toBe(0);
    const text = readFileSync(path.join(dir, 'keypolicy.yaml'), 'utf8');
    expect(text).toContain('name: Ty Gwyn Care\n');
    expect(text).toContain('nation: wales');
    expect(text).toContain('type: care-home');
    expect(text).toContain('worker: link');
    expect(text).toContain('sharedRole: true');
  });
});
