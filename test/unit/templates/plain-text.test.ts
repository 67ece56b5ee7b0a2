/** Plain-text (`.txt`) templates: read line by line into the document model, errors at their place. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDocument, textOf } from '../../../src/document/model.js';
import { checkProfile } from '../../../src/pipeline/check-profile.js';
import { checkTemplates } from '../../../src/templates/check.js';
import { loadTemplates } from '../../../src/templates/packs.js';
import { plainTextTemplate } from '../../../src/templates/plain-text.js';
import { renderProfilePolicies } from '../../../src/templates/policies.js';
import { mappedText } from '../../../src/templates/source-map.js';
import { ENGLAND_MINIMAL, tempDir } from '../../helpers.js';

const SEED = readFileSync(
  path.resolve(import.meta.dirname, '../../../../shared/seeds/001_4c4bef3aba8c1a79.txt'),
  'utf8',
);

async function render(files: Record<string, string>, policy: string) {
  const dir = tempDir({ 'keypolicy.yaml': ENGLAND_MINIMAL, ...files });
  const report = await checkProfile(path.join(dir, 'keypolicy.yaml'));
  if (!report.resolved) throw new Error('profile did not resolve');
  return renderProfilePolicies(report.resolved, {
    date: '2026-04-01',
    packs: [path.join(dir, 'pack')],
    policies: [policy],
  });
}

describe('plain-text templates', () => {
  it('reads numbered lines as headings, dash lines as list items and every other line as a paragraph', () => {
    const { lines, title } = plainTextTemplate(SEED);
    const text = mappedText(lines);
    expect(title).toBe('Key Workers Policy');
    expect(text.startsWith('## 1. Purpose\n')).toBe(true);
    expect(text).toContain('\n### 4.1. Building a Relationship of Trust\n');
    expect(text).toContain('\n- Define the role and responsibilities of Key Workers.\n- Ensure personalised');
    expect(text).not.toContain('org_field_logo');
    expect(text).not.toMatch(/^Key Workers Policy$/m);
  });

  it('renders the seed as a policy: its title, its own numbers, lists, and the title block once', async () => {
    const { policies, diagnostics } = await render(
      { 'pack/key-workers-policy.txt': SEED },
      'key-workers-policy',
    );
    expect(diagnostics).toEqual([]);
    const [policy] = policies;
    if (!policy) throw new Error('not rendered');
    expect(policy.title).toBe('Key Workers Policy');
    expect(policy.markdown).not.toContain('keypolicy:logo');
    expect(policy.markdown).toContain('Responsible Person: Priya Shah');
    expect(policy.markdown).toContain('Copyright © 2026 – Riverside Support Ltd. All rights reserved.');
    const doc = buildDocument(
      {
        title: policy.title,
        markdown: policy.markdown,
        organisation: {
          name: 'Riverside Support Ltd',
          registrations: [],
          owner: 'Registered Manager',
          brandColour: '#000000',
          uncontrolledWhenPrinted: true,
          copyright: '©',
        },
      },
      {
        version: '0.1',
        status: 'draft',
        date: '2026-04-01',
        nextReviewDate: '2027-04-01',
        approvals: [],
        approverRoles: ['Registered Manager'],
        history: [],
      },
    );
    const headings = doc.body.children.filter((n) => n.type === 'heading').map((h) => textOf(h));
    expect(headings.slice(0, 5)).toEqual([
      '1. Purpose',
      '2. Scope',
      '3. Related Policies',
      '4. Role and Responsibilities of a Key Worker',
      '4.1. Building a Relationship of Trust',
    ]);
    expect(doc.contents?.find((e) => e.number === '4.1')).toMatchObject({
      text: 'Building a Relationship of Trust',
      level: 2,
      id: 'section-4-1',
    });
    const lists = doc.body.children.filter((n) => n.type === 'list');
    expect(lists.length).toBeGreaterThan(15);
  });

  it('reports an unknown field at its line and column in the .txt file, after escaped text', async () => {
    const text = 'Policy Title\n1. Purpose\nSome *starred* <text> and [brackets] {{org_field_nmae}} here.\n';
    const { diagnostics } = await render({ 'pack/bad.txt': text }, 'bad');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ line: 3, column: 40, code: 'KP_TEMPLATE' });
    expect(diagnostics[0]?.message).toContain('org_field_nmae');
  });

  it('keeps Markdown and HTML punctuation in the text literal', async () => {
    const text =
      'Title Line\n1. Purpose\n# not a heading *not emphasis* <b>x</b> & [y](javascript:z)\n+ not a list\n';
    const { policies } = await render({ 'pack/lit.txt': text }, 'lit');
    const doc = policies[0]?.markdown ?? '';
    expect(doc).toContain('\\# not a heading \\*not emphasis\\* \\<b>x\\</b> & \\[y\\](javascript:z)');
    expect(doc).toContain('\\+ not a list');
  });

  it('takes front matter: its title wins and the title line is still not printed twice', async () => {
    const text = `---\nid: fm-policy\ntitle: Our {{WorkerTitle}} Policy\nversion: 2.0.0\nnations: [england]\n---\n{{org_field_name}}\nKey Workers Policy\n1. Purpose\nText.\n`;
    const { policies, diagnostics } = await render({ 'pack/anything.txt': text }, 'fm-policy');
    expect(diagnostics).toEqual([]);
    expect(policies[0]?.title).toBe('Our Key Worker Policy');
    expect(policies[0]?.templateVersion).toBe('2.0.0');
    expect(policies[0]?.markdown.trim()).toBe('## 1. Purpose\n\nText.');
  });

  it('is checked by templates --check like any template', async () => {
    const dir = tempDir({ 'pack/t.txt': 'Title\n1. Purpose\n{{organisation.nmae}}\n' });
    const set = await loadTemplates([path.join(dir, 'pack')]);
    const found = checkTemplates(set).filter((d) => d.file.endsWith('t.txt'));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ line: 3, column: 3, code: 'KP_TEMPLATE_FIELD' });
  });
});
