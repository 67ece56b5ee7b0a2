/** Strict values in templates: prototype names are unknown fields, and date helpers fail on a date that is not real. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkProfile } from '../../../src/pipeline/check-profile.js';
import { loadTemplates } from '../../../src/templates/packs.js';
import { renderProfilePolicies } from '../../../src/templates/policies.js';
import { ENGLAND_MINIMAL, tempDir } from '../../helpers.js';

const FRONT = '---\nid: t\ntitle: T\nversion: 1.0.0\n---\n';

async function render(body: string) {
  const dir = tempDir({ 'keypolicy.yaml': ENGLAND_MINIMAL, 'pack/t.md': `${FRONT}${body}` });
  const report = await checkProfile(path.join(dir, 'keypolicy.yaml'));
  const pack = path.join(dir, 'pack');
  const loaded = await loadTemplates([pack]);
  const rendered = await renderProfilePolicies(report.resolved!, {
    packs: [pack],
    policies: ['t'],
    date: '2026-04-01',
  });
  return { loaded, rendered };
}

describe('strict values in templates', () => {
  it('refuses prototype names as fields, where they are written', async () => {
    const { loaded } = await render(
      '# A\n\n{{constructor}} and {{organisation.__proto__}} and {{#with organisation}}{{toString}}{{/with}}\n',
    );
    expect(loaded.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([
      ['KP_TEMPLATE_FIELD', 8, 3],
      ['KP_TEMPLATE_FIELD', 8, 23],
      ['KP_TEMPLATE_FIELD', 8, 76],
    ]);
  });

  it('fails the template on a date that is not real, or months that are not whole', async () => {
    for (const body of [
      '{{date "2026-02-30"}}',
      '{{date "soon"}}',
      '{{addMonths "2026-01-31" "1e400"}}',
      '{{every -3}}',
    ]) {
      const { rendered } = await render(`# A\n\n${body}\n`);
      expect(rendered.policies).toEqual([]);
      expect(rendered.diagnostics.map((d) => d.code)).toEqual(['KP_TEMPLATE']);
      expect(rendered.diagnostics[0]?.message).not.toMatch(/NaN|30 February/);
    }
    const { rendered } = await render('# A\n\n{{date "2026-02-28"}}, {{addMonths "2026-01-31" 1}}\n');
    expect(rendered.policies[0]?.markdown).toContain('28 February 2026, 2026-02-28');
  });
});
