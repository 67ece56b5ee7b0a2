/** Nothing is ever overwritten silently: two editions with one file name, two profiles sharing a register, another organisation's folder. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGLAND_MINIMAL, WALES_MINIMAL, runCli, tempDir } from '../helpers.js';

const template = (id: string, title: string) =>
  `---\nid: ${id}\ntitle: ${title}\nversion: 1.0.0\nnations: [england, wales]\nservices: [supported-living, care-home, domiciliary]\n---\n# Purpose\n\nText of ${id}.\n`;

describe('no silent overwrite', () => {
  it('refuses two editions that would share one file name, naming both template ids', async () => {
    const dir = tempDir({
      'keypolicy.yaml': `${ENGLAND_MINIMAL}templates: [pack]\npolicies: [alpha-policy, beta-policy]\n`,
      'pack/alpha.md': template('alpha-policy', 'Safeguarding Policy'),
      'pack/beta.md': template('beta-policy', 'Safeguarding policy!'),
    });
    const result = await runCli(['build', '-f', 'md', '--date', '2026-04-01'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('KP_EDITION_CLASH');
    expect(result.stderr).toContain('`alpha-policy` and `beta-policy`');
    expect(existsSync(path.join(dir, 'policies'))).toBe(false);
    expect(existsSync(path.join(dir, 'keypolicy.register.yaml'))).toBe(false);
  });

  it('refuses a.yaml beside a.yml: they would share a.register.yaml', async () => {
    const dir = tempDir({ 'a.yaml': ENGLAND_MINIMAL, 'a.yml': WALES_MINIMAL });
    const build = await runCli(['build', 'a.yaml', '-f', 'md', '--date', '2026-04-01'], dir);
    expect(build.code).toBe(1);
    expect(build.stderr).toContain('KP_REGISTER_SHARED');
    expect(existsSync(path.join(dir, 'a.register.yaml'))).toBe(false);
    const validate = await runCli(['validate', 'a.yml'], dir);
    expect(validate.code).toBe(1);
    expect(validate.stderr).toContain('a.yml and a.yaml are in one folder');
  });

  it('refuses to write into another organisation’s folder unless --force', async () => {
    const dir = tempDir({
      'one/keypolicy.yaml': `${ENGLAND_MINIMAL}output:\n  slug: shared\n`,
      'two/keypolicy.yaml': `${WALES_MINIMAL}output:\n  slug: shared\n`,
    });
    const out = path.join(dir, 'out');
    expect(
      (await runCli(['build', 'one/keypolicy.yaml', '-o', out, '-f', 'md', '--date', '2026-04-01'], dir))
        .code,
    ).toBe(0);
    const manifest = path.join(out, 'shared/manifest.json');
    const first = readFileSync(manifest, 'utf8');
    expect(JSON.parse(first)).toHaveProperty('organisationId');
    const other = await runCli(
      ['build', 'two/keypolicy.yaml', '-o', out, '-f', 'md', '--date', '2026-04-01'],
      dir,
    );
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('KP_FOLDER_TAKEN');
    expect(readFileSync(manifest, 'utf8')).toBe(first);
    // The same organisation builds there again without a word.
    writeFileSync(
      path.join(dir, 'one/keypolicy.yaml'),
      `${ENGLAND_MINIMAL}output:\n  slug: shared\nterminology:\n  worker: link\n`,
    );
    expect(
      (await runCli(['build', 'one/keypolicy.yaml', '-o', out, '-f', 'md', '--date', '2026-04-02'], dir))
        .code,
    ).toBe(0);
    const forced = await runCli(
      ['build', 'two/keypolicy.yaml', '-o', out, '-f', 'md', '--date', '2026-04-02', '--force'],
      dir,
    );
    expect(forced.code).toBe(0);
  });
});
