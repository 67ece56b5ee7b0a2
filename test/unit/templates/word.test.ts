/** Word templates: paragraphs, split runs, merge fields, lists and tables read into the document model. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkProfile } from '../../../src/pipeline/check-profile.js';
import { checkTemplates } from '../../../src/templates/check.js';
import { loadTemplates } from '../../../src/templates/packs.js';
import { renderProfilePolicies } from '../../../src/templates/policies.js';
import { wordTemplate } from '../../../src/templates/word.js';
import { ENGLAND_MINIMAL, tempDir } from '../../helpers.js';
import { wordTemplateBytes } from '../../word-template.js';

describe('Word templates', () => {
  it('reads headings, split fields, merge fields, list items and tables', async () => {
    const read = wordTemplate(await wordTemplateBytes());
    expect(read.problem).toBeUndefined();
    expect(read.title).toBe('Key Worker Policy for {{org_field_name}}');
    const text = read.lines.map((l) => l.text).join('\n');
    expect(text).toContain('This policy of {{org_field_name}} explains the role of the {{worker}}.');
    expect(text).toContain('## 1. Purpose');
    expect(text).toContain('Every {{person}} has a named worker at {{org_field_name}}.');
    expect(text).toContain('- First duty of care \\*literal\\*\n- Second duty for {{organisation.name}}');
    expect(text).toContain(
      '| Role | Name |\n| --- | --- |\n| Manager | {{org_field_registered_manager_first_name}} {{org_field_registered_manager_last_name}} |',
    );
    expect(text).toContain('### 2.1. Out of hours');
    // A consultant's own style based on Heading 2 is a heading; a decimal list is a numbered list.
    expect(text).toContain('## 3. Steps in our own style\n\n1. Step one\n1. Step two');
  });

  it('renders for a profile, the template id its file name and its title its first Heading 1', async () => {
    const dir = tempDir({
      'keypolicy.yaml': ENGLAND_MINIMAL,
      'pack/our-policy.docx': await wordTemplateBytes(),
    });
    const report = await checkProfile(path.join(dir, 'keypolicy.yaml'));
    const set = await loadTemplates([path.join(dir, 'pack')]);
    expect(set.diagnostics).toEqual([]);
    expect(set.templates.get('our-policy')?.format).toBe('word');
    const { policies, diagnostics } = await renderProfilePolicies(report.resolved!, {
      date: '2026-04-01',
      packs: [path.join(dir, 'pack')],
      policies: ['our-policy'],
    });
    expect(diagnostics).toEqual([]);
    expect(policies[0]?.title).toBe('Key Worker Policy for Riverside Support Ltd');
    expect(policies[0]?.markdown).toContain(
      'This policy of Riverside Support Ltd explains the role of the key worker.',
    );
    expect(policies[0]?.markdown).toContain('| Manager | Priya Shah |');
  });

  it('reports an unknown field by paragraph, with the paragraph’s text', async () => {
    const dir = tempDir({
      'keypolicy.yaml': ENGLAND_MINIMAL,
      'pack/bad.docx': await wordTemplateBytes({ badField: true }),
    });
    const report = await checkProfile(path.join(dir, 'keypolicy.yaml'));
    const { diagnostics } = await renderProfilePolicies(report.resolved!, {
      date: '2026-04-01',
      packs: [path.join(dir, 'pack')],
      policies: ['bad'],
    });
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ line: 9, code: 'KP_TEMPLATE' });
    expect(diagnostics[0]?.message).toContain('org_field_registered_mgr');
    expect(diagnostics[0]?.sourceLine ?? JSON.stringify(diagnostics[0])).toContain(
      'Manager | {{org_field_registered_manager_first_name}}',
    );
  });

  it('is checked by templates --check, each problem at its paragraph', async () => {
    const dir = tempDir({ 'pack/bad.docx': await wordTemplateBytes({ badField: true }) });
    const set = await loadTemplates([path.join(dir, 'pack')]);
    const found = checkTemplates(set).filter((d) => d.file.endsWith('bad.docx'));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ line: 9, code: 'KP_TEMPLATE_FIELD' });
    expect(found[0]?.message).toContain('org_field_registered_mgr');
  });

  it('refuses a .docx that is not a Word document', async () => {
    const dir = tempDir({ 'pack/broken.docx': 'not a zip' });
    const set = await loadTemplates([path.join(dir, 'pack')]);
    expect(set.diagnostics[0]).toMatchObject({ code: 'KP_TEMPLATE_WORD' });
  });
});
