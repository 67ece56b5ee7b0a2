import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkProfile as validateProfile } from '../../../src/pipeline/check-profile.js';
import { ENGLAND_MINIMAL, TINY_PNG, WALES_MINIMAL, tempDir } from '../../helpers.js';

async function check(text: string, files: Record<string, string | Uint8Array> = {}) {
  const dir = tempDir({ 'keypolicy.yaml': text, ...files });
  return validateProfile(path.join(dir, 'keypolicy.yaml'));
}

const summary = (r: Awaited<ReturnType<typeof check>>) =>
  [...r.errors, ...r.warnings].map((d) => `${d.line}:${d.column} ${d.code} ${d.path}`);

describe('validateProfile: schema', () => {
  it('accepts minimal England and Wales profiles', async () => {
    for (const text of [ENGLAND_MINIMAL, WALES_MINIMAL]) {
      const report = await check(text);
      expect(summary(report)).toEqual([]);
    }
  });

  it('explains an enum in plain English with a suggestion', async () => {
    const report = await check(ENGLAND_MINIMAL.replace('type: supported-living', 'type: Supported_Living'));
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatchObject({ code: 'KP_ENUM', path: 'service.type', line: 11, column: 9 });
    expect(report.errors[0]!.message).toBe(
      '`service.type` must be `supported-living`, `care-home` or `domiciliary`; you wrote `Supported_Living`. Did you mean `supported-living`?',
    );
  });

  it('suggests the closest key for a typo, at the key', async () => {
    const report = await check(
      `${ENGLAND_MINIMAL}keyWorking:\n  sharedrole: true\n  shardRoleSupervisor: Deputy\n`,
    );
    expect(report.errors.map((d) => [d.code, d.path, d.line, d.column, d.message])).toEqual([
      [
        'KP_UNKNOWN_KEY',
        'keyWorking.sharedrole',
        13,
        3,
        '`sharedrole` is not a field keypolicy knows under `keyWorking`; did you mean `sharedRole`?',
      ],
      [
        'KP_UNKNOWN_KEY',
        'keyWorking.shardRoleSupervisor',
        14,
        3,
        '`shardRoleSupervisor` is not a field keypolicy knows under `keyWorking`; did you mean `sharedRoleSupervisor`?',
      ],
    ]);
  });

  it('lists the allowed fields when nothing is close', async () => {
    const report = await check(`${ENGLAND_MINIMAL}output:\n  zzzz: 1\n`);
    expect(report.errors[0]?.hint).toBe('Fields allowed here: `slug`.');
  });

  it('requires the registered manager in England and says why', async () => {
    const report = await check(ENGLAND_MINIMAL.replace(/people:\n(.*\n){3}/, 'people: {}\n'));
    expect(report.errors.map((d) => [d.code, d.path, d.line])).toEqual([
      ['KP_REQUIRED', 'people.registeredManager', 6],
    ]);
    expect(report.errors[0]!.message).toContain('In England');
    expect(report.errors[0]!.hint).toContain('Add `registeredManager:` under `people:`');
  });

  it('requires the responsible individual and manager in Wales', async () => {
    const report = await check(WALES_MINIMAL.replace(/people:\n(.*\n){6}/, ''));
    expect(report.errors.map((d) => d.path)).toEqual(['people']);
    const partial = await check(WALES_MINIMAL.replace(/ {2}manager:\n(.*\n){2}/, ''));
    expect(partial.errors.map((d) => d.path)).toEqual(['people.manager']);
  });

  it('requires a supervisor for a shared role', async () => {
    const report = await check(`${ENGLAND_MINIMAL}keyWorking:\n  sharedRole: true\n`);
    expect(report.errors.map((d) => [d.code, d.path])).toEqual([
      ['KP_REQUIRED', 'keyWorking.sharedRoleSupervisor'],
    ]);
  });

  it('checks types, ranges and real dates', async () => {
    const report = await check(
      `${ENGLAND_MINIMAL}documentControl:\n  reviewIntervalMonths: 0\n  firstIssued: 2025-02-29\n  uncontrolledWhenPrinted: "no"\n`,
    );
    expect(report.errors.map((d) => `${d.code} ${d.message}`)).toEqual([
      'KP_RANGE `documentControl.reviewIntervalMonths` must be between 1 and 36; you wrote `0`.',
      'KP_DATE `documentControl.firstIssued` must be a real date written YYYY-MM-DD; you wrote `2025-02-29`.',
      'KP_TYPE `documentControl.uncontrolledWhenPrinted` must be `true` or `false`; you wrote `no`.',
    ]);
  });

  it('reports the right branch of a list whose entries may be ids or objects', async () => {
    const report = await check(
      `${ENGLAND_MINIMAL}policies:\n  - key-worker-policy\n  - id: Not An Id\n  - 7\n`,
    );
    expect(report.errors.map((d) => `${d.code} ${d.path}`)).toEqual([
      'KP_FORMAT policies[1].id',
      'KP_TYPE policies[2]',
    ]);
  });

  it('validates an abstract base leniently but still rejects unknown keys', async () => {
    const report = await check(
      'abstract: true\ndocumentControl:\n  reviewIntervalMonths: 24\n  reveiwTriggers: []\n',
    );
    expect(report.abstract).toBe(true);
    expect(report.errors.map((d) => d.code)).toEqual(['KP_UNKNOWN_KEY']);
  });

  it('reports a base file’s mistakes in the base file', async () => {
    const dir = tempDir({
      'base.yaml': 'abstract: true\nkeyWorking:\n  evaluationIntervalMonths: 99\n',
      'client.yaml': `extends: base.yaml\n${ENGLAND_MINIMAL}`,
    });
    const report = await validateProfile(path.join(dir, 'client.yaml'));
    expect(report.abstract).toBe(false);
    expect(report.errors.map((d) => [path.basename(d.file), d.line, d.code])).toEqual([
      ['base.yaml', 3, 'KP_RANGE'],
    ]);
  });
});

describe('validateProfile: semantic checks', () => {
  it('accepts a real PNG logo and rejects a text file named logo.png', async () => {
    const good = await check(
      ENGLAND_MINIMAL.replace('  name: Riverside Support Ltd\n', '  name: R\n  logo: logo.png\n'),
      {
        'logo.png': TINY_PNG,
      },
    );
    expect(summary(good)).toEqual([]);
    const bad = await check(
      ENGLAND_MINIMAL.replace('  name: Riverside Support Ltd\n', '  name: R\n  logo: logo.png\n'),
      {
        'logo.png': 'not an image',
      },
    );
    expect(summary(bad)).toEqual(['3:9 KP_LOGO_TYPE organisation.logo']);
  });

  it('resolves a base profile’s logo relative to the base', async () => {
    const dir = tempDir({
      'shared/base.yaml': 'abstract: true\norganisation:\n  logo: brand/logo.svg\n',
      'shared/brand/logo.svg':
        '<?xml version="1.0"?>\n<!-- brand -->\n<svg xmlns="http://www.w3.org/2000/svg"/>',
      'client.yaml': `extends: shared/base.yaml\n${ENGLAND_MINIMAL}`,
    });
    expect((await validateProfile(path.join(dir, 'client.yaml'))).errors).toEqual([]);
  });

  it('reports a missing logo and a missing template pack', async () => {
    const report = await check(
      `${ENGLAND_MINIMAL.replace('  name: Riverside Support Ltd\n', '  name: R\n  logo: nope.png\n')}templates: [packs/ours]\n`,
    );
    expect(report.errors.map((d) => d.code)).toEqual(['KP_LOGO_NOT_FOUND', 'KP_TEMPLATES_NOT_FOUND']);
  });

  it('enforces the three-month personal plan review in Wales only', async () => {
    const wales = await check(`${WALES_MINIMAL}keyWorking:\n  planReviewIntervalMonths: 6\n`);
    expect(wales.errors.map((d) => d.code)).toEqual(['KP_WALES_PLAN_REVIEW']);
    expect(wales.errors[0]!.message).toContain('regulation 16');
    const england = await check(`${ENGLAND_MINIMAL}keyWorking:\n  planReviewIntervalMonths: 6\n`);
    expect(england.errors).toEqual([]);
  });

  it('warns, never errs, about identifier formats, and can be silenced', async () => {
    const text = ENGLAND_MINIMAL.replace('1-187729429', 'RBZ12');
    const report = await check(text);
    expect(report.errors).toEqual([]);
    expect(report.warnings.map((d) => d.code)).toEqual(['KP_ID_FORMAT']);
    const silenced = await check(`${text}validation:\n  suppress: [KP_ID_FORMAT]\n`);
    expect(silenced.warnings).toEqual([]);
  });

  it('warns about fields of the other nation', async () => {
    const report = await check(`${ENGLAND_MINIMAL}keyWorking:\n  activeOffer: true\n`);
    expect(report.warnings.map((d) => `${d.code} ${d.path}`)).toEqual([
      'KP_NATION_MISMATCH keyWorking.activeOffer',
    ]);
  });
});

describe('validateProfile: numbers YAML reads where text was meant', () => {
  it('says to quote a telephone number with a leading zero', async () => {
    const report = await check(
      ENGLAND_MINIMAL.replace(
        '  name: Riverside Support Ltd\n',
        '  name: R\n  contact:\n    telephone: 01632960214\n',
      ),
    );
    expect(report.errors.map((d) => [d.code, d.message, d.hint])).toEqual([
      [
        'KP_TYPE',
        '`organisation.contact.telephone` must be text, but YAML reads `01632960214` as a number.',
        "Put it in quotes: '01632960214'.",
      ],
    ]);
  });
});

describe('validateProfile: policies', () => {
  it('warns about a policy id no pack provides, and accepts one from the profile’s own pack', async () => {
    const report = await check(`${ENGLAND_MINIMAL}policies: [key-worker-policy, mystery-policy]\n`);
    expect(report.warnings.map((d) => [d.code, d.path, d.line])).toEqual([
      ['KP_POLICY_UNKNOWN', 'policies[1]', 12],
    ]);
    const withPack = await check(`${ENGLAND_MINIMAL}templates: [pack]\npolicies: [mystery-policy]\n`, {
      'pack/mystery.md': '---\nid: mystery-policy\ntitle: Mystery\nversion: 1.0.0\n---\nText\n',
    });
    expect(withPack.warnings).toEqual([]);
  });
});
