/** Section ids from headings as written, and the organisation's words spliced into a template. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkProfile } from '../../../src/pipeline/check-profile.js';
import { loadTemplates } from '../../../src/templates/packs.js';
import { renderProfilePolicies } from '../../../src/templates/policies.js';
import { sectionId, sourceSections, templateLines } from '../../../src/templates/sections.js';
import { ENGLAND_MINIMAL, tempDir } from '../../helpers.js';

describe('section ids', () => {
  it('slug the heading as written, without its number, each field by its name', () => {
    expect(sectionId('Review of this policy')).toBe('review-of-this-policy');
    expect(sectionId('Choosing and assigning {{workers}}')).toBe('choosing-and-assigning-workers');
    expect(sectionId('The {{regulator.short}} assessment framework')).toBe(
      'the-regulator-short-assessment-framework',
    );
    expect(sectionId('4.1. Building a Relationship of Trust')).toBe('building-a-relationship-of-trust');
    expect(
      sectionId('Legislation and regulation{{#if a}}{{#if b}}, and related policies{{/if}}{{/if}}'),
    ).toBe('legislation-and-regulation');
  });

  it('are the same for key and link worker editions of the built-in policy', async () => {
    const set = await loadTemplates([]);
    const template = set.templates.get('key-worker-policy');
    if (!template) throw new Error('no built-in policy');
    const ids = sourceSections(templateLines(template)).map((s) => s.id);
    expect(ids).toEqual(
      expect.arrayContaining(['purpose-and-aims', 'choosing-and-assigning-workers', 'review-of-this-policy']),
    );
  });

  it('never cut a section past the end of an {{#if}} it is in', async () => {
    const set = await loadTemplates([]);
    const template = set.templates.get('key-worker-policy');
    if (!template) throw new Error('no built-in policy');
    const lines = templateLines(template);
    for (const section of sourceSections(lines)) {
      const text = lines
        .slice(section.start, section.end)
        .map((l) => l.text)
        .join('\n');
      const opens = (text.match(/\{\{[#^][^}]*\}\}/g) ?? []).length;
      const closes = (text.match(/\{\{\/[^}]*\}\}/g) ?? []).length;
      expect(opens, section.id).toBe(closes);
    }
  });
});

describe('section overrides', () => {
  /** The profile checked in a folder with `files` beside it. */
  const render = async (profile: string, files: Record<string, string> = {}) => {
    const dir = tempDir({ 'keypolicy.yaml': profile, ...files });
    return { report: await checkProfile(path.join(dir, 'keypolicy.yaml')) };
  };

  it('reword a plain-text template’s section too', async () => {
    const { report } = await render(
      `${ENGLAND_MINIMAL}templates: [pack]\npolicies:\n  - id: ours\n    sections:\n      purpose:\n        replace: Our purpose, for each {{person}}.\n`,
      { 'pack/ours.txt': 'Our Policy\n1. Purpose\nOld words.\n2. Scope\nEveryone.\n' },
    );
    expect(report.errors).toEqual([]);
    const { policies, diagnostics } = await renderProfilePolicies(report.resolved!, { date: '2026-04-01' });
    expect(diagnostics).toEqual([]);
    expect(policies[0]?.markdown).toBe(
      '## 1. Purpose\n\nOur purpose, for each person we support.\n\n## 2. Scope\n\nEveryone.\n',
    );
  });

  it('fail validation when a later template version no longer has the section', async () => {
    const profile = `${ENGLAND_MINIMAL}templates: [pack]\npolicies:\n  - id: ours\n    sections:\n      scope:\n        append: And visitors.\n`;
    const before = await render(profile, {
      'pack/ours.md':
        '---\nid: ours\ntitle: Ours\nversion: 1.0.0\n---\n## Purpose\n\nWords.\n\n## Scope\n\nEveryone.\n',
    });
    expect(before.report.errors).toEqual([]);
    const after = await render(profile, {
      'pack/ours.md':
        '---\nid: ours\ntitle: Ours\nversion: 2.0.0\n---\n## Purpose\n\nWords.\n\n## Who this applies to\n\nEveryone.\n',
    });
    expect(after.report.resolved).toBeUndefined();
    expect(after.report.errors).toHaveLength(1);
    expect(after.report.errors[0]).toMatchObject({ code: 'KP_SECTION_UNKNOWN', line: 16, column: 7 });
    expect(after.report.errors[0]?.message).toContain(
      'version 2.0.0 of that template has no section with that id',
    );
  });
});
