/**
 * Section overrides in the profile: one section of the built-in policy reworded without a pack, with
 * the same strict fields and escaping, unknown ids refused with a suggestion, and the change log.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runTemplates } from '../../src/commands/templates.js';
import { approveArgs, ENGLAND_MINIMAL, runCli, tempDir } from '../helpers.js';

const profile = (sections: string) =>
  `${ENGLAND_MINIMAL}policies:\n  - id: key-worker-policy\n    sections:\n${sections}`;

const OVERRIDES = `      review-of-this-policy:
        replace: |
          {{organisation.name}} reviews this policy with {{people}} every spring.
      choosing-and-assigning-workers:
        prepend: 'Our words first: <b>literal</b>.'
        append: Our words last, for each {{worker}}.
      the-regulator-short-assessment-framework:
        remove: true
`;

function capture(cwd: string) {
  const out = { stdout: '', stderr: '' };
  const io = {
    cwd,
    env: { NO_COLOR: '1' },
    stdout: { write: (s: string) => (out.stdout += s) },
    stderr: { write: (s: string) => (out.stderr += s) },
    interactive: false,
  };
  return { out, io };
}

const build = (dir: string, date: string) => runCli(['build', '--format', 'html,md', '--date', date], dir);

describe('section overrides', () => {
  it('replaces, prepends, appends and removes sections in the edition, fields filled', async () => {
    const dir = tempDir({ 'keypolicy.yaml': profile(OVERRIDES) });
    const result = await build(dir, '2026-04-01');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const html = readFileSync(
      path.join(dir, 'policies/riverside-support-ltd/key-worker-policy.html'),
      'utf8',
    );
    const review = html.slice(html.indexOf('Review of this policy</h2>'));
    expect(review).toContain(
      'Riverside Support Ltd reviews this policy with people we support every spring.',
    );
    expect(review).not.toContain('It is reviewed sooner after any of the following');
    const choosing = html.slice(html.indexOf('Choosing and assigning key workers</h2>'));
    expect(choosing).toMatch(/<\/h2>\s*<p>Our words first: &#x3C;b>literal&#x3C;\/b>\.<\/p>/);
    expect(choosing.slice(0, choosing.indexOf('<h2', 10))).toMatch(
      /<p>Our words last, for each key worker\.<\/p>\s*$/,
    );
    expect(html).not.toContain('assessment framework');
    expect(html).toContain('Law and regulation');
  });

  it('refuses an unknown section id with its place in the profile and a suggestion', async () => {
    const dir = tempDir({
      'keypolicy.yaml': profile('      review-of-the-policy:\n        append: More.\n'),
    });
    const validated = await runCli(['validate'], dir);
    expect(validated.code).toBe(1);
    expect(validated.stderr).toContain('keypolicy.yaml:15:7');
    expect(validated.stderr).toContain('did you mean `review-of-this-policy`?');
    const built = await build(dir, '2026-04-01');
    expect(built.code).toBe(1);
    expect(built.stderr).toContain('has no section with that id; did you mean `review-of-this-policy`?');
  });

  it('reports a field the profile does not have at the override in the profile', async () => {
    const dir = tempDir({
      'keypolicy.yaml': profile(
        '      review-of-this-policy:\n        append: |\n          Ask {{organisation.nmae}}.\n',
      ),
    });
    const built = await build(dir, '2026-04-01');
    expect(built.code).toBe(1);
    expect(built.stderr).toContain('keypolicy.yaml:17:');
    expect(built.stderr).toContain('organisation.nmae');
  });

  it('refuses raw values and partial paths in the organisation’s words', async () => {
    const dir = tempDir({
      'keypolicy.yaml': profile(
        '      review-of-this-policy:\n        append: |\n          Ask {{{organisation.name}}}.\n          {{> ../../etc/passwd}}\n',
      ),
    });
    const built = await build(dir, '2026-04-01');
    expect(built.code).toBe(1);
    expect(built.stderr).toContain('Triple braces');
    expect(built.stderr).toContain('KP_TEMPLATE_PATH');
  });

  it('lists section ids with the headings this profile prints', async () => {
    const dir = tempDir({ 'keypolicy.yaml': profile(OVERRIDES) });
    const listed0 = await runCli(['templates', '--sections', 'key-worker-policy'], dir);
    expect(listed0.code).toBe(0);
    const out = listed0;
    expect(out.stdout).toMatch(
      /choosing-and-assigning-workers\s+Choosing and assigning key workers \(reworded by the organisation: prepend, append\)/,
    );
    expect(out.stdout).toMatch(/review-of-this-policy\s+Review of this policy/);
    expect(out.stdout).toMatch(/the-active-offer\s+The Active Offer \(not in this edition\)/);
    const json = capture(dir);
    expect(await runTemplates({ sections: 'key-worker-policy', json: true }, json.io)).toBe(0);
    const listed = JSON.parse(json.out.stdout) as { sections: { id: string; printed: string }[] };
    expect(listed.sections.find((s) => s.id === 'the-regulator-short-assessment-framework')?.printed).toBe(
      'The CQC assessment framework',
    );
    const unknown = capture(dir);
    expect(await runTemplates({ sections: 'key-worker-polcy' }, unknown.io)).toBe(1);
    expect(unknown.out.stderr).toContain('did you mean `key-worker-policy`?');
  });

  it('records the rewording in the change log', async () => {
    const dir = tempDir({ 'keypolicy.yaml': profile(OVERRIDES) });
    expect((await build(dir, '2026-04-01')).code).toBe(0);
    expect((await runCli(approveArgs('Registered Manager', '2026-04-02'), dir)).code).toBe(0);
    writeFileSync(
      path.join(dir, 'keypolicy.yaml'),
      profile(OVERRIDES.replace('every spring', 'every autumn')),
    );
    const again = await build(dir, '2026-05-01');
    expect(again.code).toBe(0);
    const register = parse(readFileSync(path.join(dir, 'keypolicy.register.yaml'), 'utf8')) as {
      policies: Record<string, { versions: { version: string; summary?: string; changes?: unknown }[] }>;
    };
    const latest = register.policies['key-worker-policy']?.versions.at(-1);
    expect(latest?.version).toBe('1.1');
    expect(latest?.summary).toBe('Reworded by the organisation: Review of this policy.');
    expect(JSON.stringify(latest?.changes)).toContain('policies[0].sections.review-of-this-policy.replace');
  });
});
