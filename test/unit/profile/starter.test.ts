import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { NATIONS, SERVICE_TYPES, WORKER_TERMS } from '../../../src/profile/enums.js';
import { starterProfileYaml } from '../../../src/profile/starter.js';
import { checkProfile as validateProfile } from '../../../src/pipeline/check-profile.js';
import { tempDir } from '../../helpers.js';

const variants = NATIONS.flatMap((nation) =>
  SERVICE_TYPES.flatMap((service) =>
    WORKER_TERMS.flatMap((term) =>
      [false, true].map((sharedRole) => ({ nation, service, term, sharedRole })),
    ),
  ),
);

describe('starterProfileYaml', () => {
  it.each(variants)('writes a valid profile for %o, warning only about example values', async (variant) => {
    const text = starterProfileYaml(
      { ...variant, name: 'Harbour View Care' },
      '../schemas/profile.schema.json',
    );
    const dir = tempDir({ 'keypolicy.yaml': text });
    const report = await validateProfile(path.join(dir, 'keypolicy.yaml'));
    expect(report.errors).toEqual([]);
    const expected =
      variant.nation === 'wales'
        ? ['registration.ciwServiceId', 'people.responsibleIndividual', 'people.manager']
        : [
            'registration.cqcProviderId',
            'registration.cqcLocationId',
            'people.registeredManager',
            'people.nominatedIndividual',
          ];
    expect(report.warnings.map((d) => `${d.code} ${d.path}`)).toEqual(
      expected.map((p) => `KP_EXAMPLE_VALUE ${p}`),
    );
    const data = parse(text) as Record<string, Record<string, unknown>>;
    expect(data.terminology?.worker).toBe(variant.term);
    expect(data.keyWorking?.sharedRole).toBe(variant.sharedRole);
    expect(data.service?.type).toBe(variant.service);
  });

  it('starts with the editor schema line and comments each section from the schema', () => {
    const text = starterProfileYaml(
      { nation: 'england', service: 'care-home', term: 'key', sharedRole: false },
      '../schemas/profile.schema.json',
    );
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/profile.schema.json');
    expect(text).toContain('# Which term the policy uses (public key path `terminology.worker`)');
    expect(text).toContain('name: Example Care Ltd');
  });
});
