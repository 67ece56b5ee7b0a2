/**
 * Golden editions of the built-in key worker policy: every example profile (the consultant's clients
 * included, not the abstract base) rendered on a fixed date and compared byte for byte. After an intended
 * change to the template, regenerate with `npx vitest run test/golden -u` and read the diff.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkProfile as validateProfile } from '../../src/pipeline/check-profile.js';
import { renderProfilePolicies } from '../../src/templates/policies.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Golden file name → the example profile and the title its edition must have. */
const EXAMPLES: Record<string, { file: string; title: string }> = {
  'england-supported-living': {
    file: 'examples/england-supported-living/keypolicy.yaml',
    title: 'Key Worker Policy',
  },
  'england-domiciliary-link': {
    file: 'examples/england-domiciliary-link/keypolicy.yaml',
    title: 'Link Worker Policy',
  },
  'wales-care-home': { file: 'examples/wales-care-home/keypolicy.yaml', title: 'Key Worker Policy' },
  'ashcombe-house': { file: 'examples/consultant/clients/ashcombe-house.yaml', title: 'Key Worker Policy' },
  'gofal-glannau': { file: 'examples/consultant/clients/gofal-glannau.yaml', title: 'Key Worker Policy' },
};

/** Every profile under examples/, as paths relative to the repository. */
function exampleProfiles(dir = 'examples'): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    // Registers and their folders of snapshots (left by the README's quick start build) are not profiles.
    if (entry.isDirectory()) return entry.name.endsWith('.register') ? [] : exampleProfiles(relative);
    return entry.name.endsWith('.yaml') && !entry.name.endsWith('.register.yaml') ? [relative] : [];
  });
}

describe('golden key worker policy editions', () => {
  it('has a golden file for every example profile except abstract bases', async () => {
    const covered = new Set(Object.values(EXAMPLES).map((e) => e.file));
    for (const file of exampleProfiles()) {
      const report = await validateProfile(path.join(ROOT, file));
      expect(covered.has(file), file).toBe(!report.abstract);
    }
  });

  for (const [name, { file, title }] of Object.entries(EXAMPLES)) {
    it(`${name} renders exactly as approved`, async () => {
      const report = await validateProfile(path.join(ROOT, file));
      expect(report.errors).toEqual([]);
      const resolved = report.resolved;
      if (!resolved) throw new Error(`${file} did not resolve`);
      const { policies, diagnostics } = await renderProfilePolicies(resolved, {
        date: '2026-04-01',
        policies: ['key-worker-policy'],
      });
      expect(diagnostics).toEqual([]);
      const policy = policies.find((p) => p.id === 'key-worker-policy');
      if (!policy) throw new Error('no key-worker-policy');
      expect(policy.title).toBe(title);
      await expect(policy.markdown).toMatchFileSnapshot(`./${name}.md`);
    });
  }
});
