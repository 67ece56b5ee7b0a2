import { existsSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { addMonths, formatUkDate } from '../../../src/core/dates.js';
import { parseMarkdown } from '../../../src/core/markdown.js';
import { checkProfile as validateProfile } from '../../../src/pipeline/check-profile.js';
import { checkTemplates } from '../../../src/templates/check.js';
import { everyMonths, joinWords, term } from '../../../src/templates/helpers.js';
import { loadTemplates } from '../../../src/templates/packs.js';
import { renderProfilePolicies } from '../../../src/templates/policies.js';
import { ENGLAND_MINIMAL, tempDir, WALES_MINIMAL } from '../../helpers.js';

/**
 * The product's source documents, beside the project in its workspace and in CI (never copied into the
 * repository). A clone elsewhere has none: the test that renders one says so and is skipped, except in CI.
 */
const seeds = path.resolve(import.meta.dirname, '../../../../shared/seeds');
const haveSeeds = existsSync(seeds) || Boolean(process.env.CI);

async function resolved(text: string, files: Record<string, string> = {}) {
  const dir = tempDir({ 'keypolicy.yaml': text, ...files });
  const report = await validateProfile(path.join(dir, 'keypolicy.yaml'));
  expect(report.errors).toEqual([]);
  return { profile: report.resolved!, dir };
}

/** Render `body` as a one-template pack for the profile. */
async function render(profileText: string, body: string, frontMatter = 'id: t\ntitle: T\nversion: 1.0.0\n') {
  const { profile, dir } = await resolved(profileText, { 'pack/t.md': `---\n${frontMatter}---\n${body}` });
  return renderProfilePolicies(profile, {
    packs: [path.join(dir, 'pack')],
    policies: ['t'],
    date: '2026-04-01',
  });
}

type MdNode = { type: string; value?: string; children?: MdNode[] };
const nodesOf = (markdown: string) => {
  const all: MdNode[] = [];
  const walk = (node: MdNode) => {
    all.push(node);
    node.children?.forEach(walk);
  };
  walk(parseMarkdown(markdown));
  return all;
};
const textOf = (markdown: string) =>
  nodesOf(markdown)
    .filter((n) => n.type === 'text')
    .map((n) => n.value)
    .join('');

describe('profile values are data', () => {
  const hostile: [string, string][] = [
    ['markup and template code', 'A & B [Care](x) **Ltd** {{x}} <b>'],
    [
      'HTML, entities and inline markup',
      '<script>alert(1)</script> &amp; `code` ~~gone~~ _it_ # not a heading',
    ],
    [
      'things that look like links',
      'https://evil.example www.evil.example mail@evil.example <https://x.example>',
    ],
    ['right-to-left text and other scripts', 'שלום Care — مرحبا \u202ereversed\u202c 😀 Ŵŷ'],
    ['block markup after line breaks', '1. not a list | not | a table\n\n# not a heading\n    not code'],
    ['a 10,000-character name', 'x'.repeat(10_000)],
  ];
  it.each(hostile)('renders %s literally, never as markup or template code', async (_label, name) => {
    const yamlName = JSON.stringify(name);
    const { policies, diagnostics } = await render(
      ENGLAND_MINIMAL.replace('name: Riverside Support Ltd', `name: ${yamlName}`),
      'Welcome to {{organisation.name}}.\n\n- {{organisation.name}}\n',
    );
    expect(diagnostics).toEqual([]);
    const markdown = policies[0]!.markdown;
    const literal = name.replace(/\n/g, ' ');
    expect(textOf(markdown)).toBe(`Welcome to ${literal}.${literal}`);
    const kinds = new Set(nodesOf(markdown).map((n) => n.type));
    for (const markup of [
      'link',
      'strong',
      'emphasis',
      'html',
      'inlineCode',
      'delete',
      'heading',
      'table',
      'image',
    ]) {
      expect(kinds.has(markup), markup).toBe(false);
    }
  });
});

describe('strict rendering', () => {
  it('names the template file, line, column and field a profile lacks', async () => {
    const { diagnostics } = await render(
      ENGLAND_MINIMAL,
      'Line one.\n\nWe are {{organisation.legalName}}.\n',
    );
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'KP_TEMPLATE', line: 8, column: 10 });
    expect(path.basename(diagnostics[0]!.file)).toBe('t.md');
    expect(diagnostics[0]!.message).toBe(
      'The template reads `organisation.legalName`, which this profile does not have.',
    );
  });

  it('lets {{#if}} guard an optional field', async () => {
    const { diagnostics, policies } = await render(
      ENGLAND_MINIMAL,
      '{{#if organisation.legalName}}{{organisation.legalName}}{{else}}none{{/if}}',
    );
    expect(diagnostics).toEqual([]);
    expect(policies[0]!.markdown).toBe('none');
  });

  it('refuses triple braces, which would bypass escaping', async () => {
    const { diagnostics } = await render(ENGLAND_MINIMAL, 'Hello {{{organisation.name}}}');
    expect(diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['KP_TEMPLATE', 6, 7]]);
  });

  it('reports a Handlebars syntax error at its line', async () => {
    const { diagnostics } = await render(ENGLAND_MINIMAL, 'a\n{{#if variant.england}}\nno end\n');
    expect(diagnostics[0]).toMatchObject({ code: 'KP_TEMPLATE' });
    expect(diagnostics[0]!.message).toMatch(/^The template is not valid Handlebars/);
  });

  it('reports a syntax error at its line and column, with no column past the line', async () => {
    const { diagnostics } = await render(ENGLAND_MINIMAL, 'abc\nde {{foo bar}\nx');
    expect(diagnostics.map((d) => [d.line, d.column])).toEqual([[7, 13]]);
  });

  it('reports errors inside a partial in the partial’s own file, once', async () => {
    const frontMatter = 'id: t\ntitle: T\nversion: 1.0.0\npartials: [bits]\n';
    for (const [partial, expected] of [
      ['one\n{{#if variant.england}}\nunclosed\n', 'bits.md:4:1'],
      ['one\n\nWe are {{organisation.legalName}}.', 'bits.md:3:10'],
    ] as const) {
      const { profile, dir } = await resolved(ENGLAND_MINIMAL, {
        'pack/t.md': `---\n${frontMatter}---\nIntro\n{{> bits}}\n`,
        'pack/partials/bits.md': partial,
      });
      const { diagnostics } = await renderProfilePolicies(profile, {
        packs: [path.join(dir, 'pack')],
        date: '2026-04-01',
      });
      // The built-in policy does not include `bits`, so only the pack's template fails.
      expect(diagnostics.map((d) => `${path.basename(d.file)}:${d.line}:${d.column}`)).toEqual([expected]);
    }
  });

  it('turns {{log}} into a warning naming the template, never console output', async () => {
    const out = vi.spyOn(process.stdout, 'write');
    const err = vi.spyOn(process.stderr, 'write');
    try {
      const { diagnostics, warnings } = await render(
        ENGLAND_MINIMAL,
        'a {{log "checking" organisation.name}}',
      );
      expect(diagnostics).toEqual([]);
      expect(out).not.toHaveBeenCalled();
      expect(err).not.toHaveBeenCalled();
      expect(warnings.map((w) => [path.basename(w.file), w.code, w.severity, w.message])).toEqual([
        ['t.md', 'KP_TEMPLATE_LOG', 'warning', '{{log}}: checking Riverside Support Ltd'],
      ]);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });
});

describe('front matter', () => {
  it('refuses ---js front matter without running it', async () => {
    const { profile, dir } = await resolved(ENGLAND_MINIMAL, {
      'pack/evil.md': '---js\n{ id: (globalThis.pwned = 1, "evil") }\n---\nbody\n',
    });
    const { diagnostics } = await renderProfilePolicies(profile, {
      packs: [path.join(dir, 'pack')],
      date: '2026-04-01',
    });
    expect(diagnostics.map((d) => d.code)).toEqual(['KP_TEMPLATE_CODE']);
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined();
  });

  it('validates the front matter against the template schema', async () => {
    const { diagnostics } = await render(
      ENGLAND_MINIMAL,
      'x',
      'id: t\ntitle: T\nversion: one\nnations: [scotland]\n',
    );
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['KP_TEMPLATE_FRONT_MATTER', 4],
      ['KP_TEMPLATE_FRONT_MATTER', 5],
    ]);
  });
});

describe('template packs', () => {
  it('lets a later pack override a template by id, and refuses files that lead outside a pack', async () => {
    const dir = tempDir({
      'a/t.md': '---\nid: t\ntitle: A\nversion: 1.0.0\n---\nfrom a',
      'b/t.md': '---\nid: t\ntitle: B\nversion: 2.0.0\n---\nfrom b',
      'outside.md': 'secret',
    });
    symlinkSync(path.join(dir, 'outside.md'), path.join(dir, 'b/link.md'));
    const set = await loadTemplates([path.join(dir, 'a'), path.join(dir, 'b')]);
    expect(set.templates.get('t')?.version).toBe('2.0.0');
    expect(set.templates.has('link')).toBe(false);
    expect(set.diagnostics.map((d) => d.code)).toEqual(['KP_TEMPLATE_PATH']);
  });

  it('reports two templates with one id in one pack', async () => {
    const dir = tempDir({
      'p/a.md': '---\nid: same\ntitle: A\nversion: 1.0.0\n---\n',
      'p/b.md': '---\nid: same\ntitle: B\nversion: 1.0.0\n---\n',
    });
    expect((await loadTemplates([path.join(dir, 'p')])).diagnostics.map((d) => d.code)).toEqual([
      'KP_TEMPLATE_DUPLICATE_ID',
    ]);
  });

  it('builds the templates that apply to the nation and service, or those asked for', async () => {
    const { profile, dir } = await resolved(WALES_MINIMAL, {
      'pack/wales-only.md': '---\nid: wales-only\ntitle: W\nversion: 1.0.0\nnations: [wales]\n---\nW',
      'pack/england-only.md': '---\nid: england-only\ntitle: E\nversion: 1.0.0\nnations: [england]\n---\nE',
    });
    const packs = [path.join(dir, 'pack')];
    const all = await renderProfilePolicies(profile, { packs, date: '2026-04-01' });
    expect(all.policies.map((p) => p.id)).toEqual(['key-worker-policy', 'wales-only']);
    const asked = await renderProfilePolicies(profile, {
      packs,
      policies: ['england-only'],
      date: '2026-04-01',
    });
    expect(asked.policies.map((p) => p.id)).toEqual(['england-only']);
    const unknown = await renderProfilePolicies(profile, { packs, policies: ['nope'], date: '2026-04-01' });
    expect(unknown.diagnostics.map((d) => d.code)).toEqual(['KP_POLICY_UNKNOWN']);
  });
});

describe('foreign templates (org_field_* placeholders)', () => {
  it.skipIf(!haveSeeds)(
    'renders the Welsh seed (../shared/seeds) with the profile’s values and no placeholder left',
    async () => {
      const { profile } = await resolved(WALES_MINIMAL);
      const { policies, diagnostics } = await renderProfilePolicies(profile, {
        packs: [seeds],
        policies: ['001_4c4bef3aba8c1a79'],
        date: '2026-04-01',
      });
      expect(diagnostics).toEqual([]);
      const [policy] = policies;
      expect(policy!.title).toBe('Key Workers Policy');
      expect(policy!.markdown).not.toContain('{{');
      const text = textOf(policy!.markdown);
      expect(text).toContain('Cartref Gofal Cyf');
      // The opening lines repeat keypolicy's own title block (logo, name, registration, title): left out.
      expect(text).not.toContain('Registration Number:');
      expect(text.startsWith('1. Purpose')).toBe(true);
      expect(text).toContain('Responsible Person: Ffion Jones');
      expect(text).toContain('Reviewed on: 1 April 2026');
      expect(text).toContain('Next Review Date: 1 April 2027');
      expect(text).toContain('Copyright © 2026');
    },
  );
});

describe('templates --check', () => {
  it('finds fields a template reads that no profile can have, inside blocks and partials too', async () => {
    const dir = tempDir({
      'p/t.md':
        '---\nid: t\ntitle: T\nversion: 1.0.0\npartials: [bits]\n---\n{{keyWorking.sharedRol}}\n{{#each keyWorking.relatedPolicies}}{{titel}} {{code}}{{/each}}\n{{#if variant.wales}}{{regulatory.legislation.personalPlan.number}}{{/if}}\n{{> bits}}\n{{> missing}}\n{{nohelper organisation.name}}\n',
      'p/partials/bits.md': '{{organisation.nmae}}',
    });
    const set = await loadTemplates([path.join(dir, 'p')]);
    const found = checkTemplates(set).map(
      (d) => `${path.basename(d.file)}:${d.line}:${d.column} ${d.message}`,
    );
    expect(found).toEqual([
      't.md:7:3 `keyWorking.sharedRol` is not a field a profile can have; did you mean `keyWorking.sharedRole`?',
      't.md:8:39 `titel` is not a field a profile can have; did you mean `title`?',
      'bits.md:1:3 `organisation.nmae` is not a field a profile can have; did you mean `organisation.name`?',
      't.md:11:1 The partial `missing` does not exist in any pack.',
      't.md:12:3 `nohelper` is not a helper keypolicy knows.',
    ]);
  });

  it('reports syntax errors in templates and partials, a shared partial once', async () => {
    const dir = tempDir({
      'p/a.md': '---\nid: a\ntitle: A\nversion: 1.0.0\npartials: [bits]\n---\n{{> bits}}\n',
      'p/b.md': '---\nid: b\ntitle: B\nversion: 1.0.0\npartials: [bits]\n---\n{{> bits}}\n{{#each x}}\n',
      'p/partials/bits.md': 'one {{organisation.name}\n',
    });
    const found = checkTemplates(await loadTemplates([path.join(dir, 'p')])).map(
      (d) => `${path.basename(d.file)}:${d.line}:${d.column} ${d.code}`,
    );
    expect(found).toEqual(['bits.md:1:24 KP_TEMPLATE', 'b.md:9:1 KP_TEMPLATE']);
  });

  it('passes the built-in templates', async () => {
    expect(checkTemplates(await loadTemplates([]))).toEqual([]);
  });
});

describe('helpers', () => {
  const vocabulary = {
    worker: 'link worker',
    workers: 'link workers',
    person: 'resident',
    people: 'residents',
    plan: 'care plan',
    plans: 'care plans',
    manager: 'registered manager',
    regulatedAs: '',
  };
  it('gives the worker term in any case and number', () => {
    expect(term(vocabulary, 'worker', ['title'])).toBe('Link Worker');
    expect(term(vocabulary, 'worker', ['plural'])).toBe('link workers');
    expect(term(vocabulary, 'worker', ['possessive'])).toBe("link worker's");
    expect(term(vocabulary, 'worker', ['plural', 'possessive'])).toBe("link workers'");
    expect(term(vocabulary, 'person', ['plural', 'capital'])).toBe('Residents');
    expect(term(vocabulary, 'worker', ['upper'])).toBe('LINK WORKER');
  });
  it('writes dates and intervals the UK way', () => {
    expect(formatUkDate('2026-04-01')).toBe('1 April 2026');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-11-15', 14)).toBe('2028-01-15');
    expect(everyMonths(3)).toBe('every three months');
    expect(everyMonths(1)).toBe('every month');
    expect(everyMonths(12)).toBe('every year');
    expect(everyMonths(24)).toBe('every two years');
    expect(joinWords(['a', 'b', 'c'])).toBe('a, b and c');
  });
});
