/** A build reads each template pack once for all its organisations, and the next build reads it again. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTemplates, type PackReads } from '../../../src/templates/packs.js';
import { ENGLAND_MINIMAL, runCli, tempDir } from '../../helpers.js';

const handbook = (words: string) =>
  `---\nid: handbook\ntitle: Staff Handbook\nversion: 1.0.0\n---\n## Duties\n\n${words}\n`;

describe('template packs shared by one build', () => {
  it('reads a pack once per build, and a later pack still wins by id', async () => {
    const dir = tempDir({
      'a/handbook.md': handbook('From pack a.'),
      'b/handbook.md': handbook('From pack b.'),
    });
    const reads: PackReads = new Map();
    const first = await loadTemplates([path.join(dir, 'a'), path.join(dir, 'b')], reads);
    const second = await loadTemplates([path.join(dir, 'a'), path.join(dir, 'b')], reads);
    expect(reads.size).toBe(3);
    expect(second.templates.get('handbook')).toBe(first.templates.get('handbook'));
    expect(first.templates.get('handbook')?.body).toContain('From pack b.');
    expect(first.templates.has('key-worker-policy')).toBe(true);
  });

  it('sees a template edited between two builds in one process, and records a new version', async () => {
    const dir = tempDir({
      'keypolicy.yaml': `${ENGLAND_MINIMAL}templates: [pack]\npolicies: [handbook]\n`,
      'pack/handbook.md': handbook('Old words.'),
    });
    const build = (date: string) => runCli(['build', '--format', 'md', '--date', date, '--json'], dir);
    expect((await build('2026-04-01')).code).toBe(0);
    writeFileSync(path.join(dir, 'pack/handbook.md'), handbook('New words.'));
    const again = await build('2026-04-02');
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as { summary: unknown }).summary).toEqual({
      built: 1,
      unchanged: 0,
      failed: 0,
    });
    const policy = readFileSync(path.join(dir, 'policies/riverside-support-ltd/staff-handbook.md'), 'utf8');
    expect(policy).toContain('New words.');
  });
});
