/**
 * Change logs: the register keeps field-level detail; the printed history is plain English in the
 * edition's own words (sections as the document names them, no field paths, no Markdown, no stray
 * separators), and earlier rows are re-worded into a later edition's terminology.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { profileValue } from '../../arbitraries.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { checkProfile as validateProfile } from '../../../src/pipeline/check-profile.js';
import { changeDetail, plainSummary, type EditionFacts } from '../../../src/register/change-log.js';
import { inEditionTerms } from '../../../src/register/vocabulary.js';
import { profileSnapshot } from '../../../src/register/versioning.js';
import { renderProfilePolicies } from '../../../src/templates/policies.js';
import { ENGLAND_MINIMAL, WALES_MINIMAL, tempDir } from '../../helpers.js';

const dir = tempDir();
let counter = 0;

/** The key worker policy a profile gets, as the facts the change log compares. */
async function edition(yaml: string): Promise<EditionFacts> {
  const file = path.join(dir, `p${counter++}.yaml`);
  writeFileSync(file, yaml);
  const report = await validateProfile(file);
  expect(report.errors).toEqual([]);
  const { policies, diagnostics } = await renderProfilePolicies(report.resolved!, {
    date: '2026-04-01',
    policies: ['key-worker-policy'],
  });
  expect(diagnostics).toEqual([]);
  const policy = policies[0]!;
  return {
    title: policy.title,
    markdown: policy.markdown,
    profile: profileSnapshot(report.resolved!.data),
    templateId: policy.id,
    templateVersion: policy.templateVersion,
  };
}

const summary = (previous: EditionFacts, next: EditionFacts) =>
  plainSummary(changeDetail(previous, next), previous, next);

const LINK = 'terminology:\n  worker: link\n';
const DEPUTY = 'keyWorking:\n  absenceCover:\n    coveredBy: the deputy manager\n';
const COVER_HEADING = 'Cover when the key worker is absent';

/** A dotted field path such as keyWorking.absenceCover.coveredBy or terminology.worker. */
const FIELD_PATH = /\b[a-z]+[A-Z]?\w*\.[a-z]\w*\b/;
/** Markdown syntax a reader should never see in the history. */
const MARKUP = /[*_#\\`[\]<>|~]/;

/** What every printed summary must be: plain sentences, no jargon, no stray separators. */
function expectPlain(text: string): void {
  expect(text).not.toMatch(FIELD_PATH);
  expect(text).not.toMatch(MARKUP);
  expect(text).not.toContain(' ; ');
  expect(text).not.toContain(';;');
  expect(text).not.toContain('→');
  expect(text).not.toMatch(/^[\s;,:.]/);
  expect(text).not.toMatch(/[;,:]\s*\.?$/);
  expect(text).toMatch(/\.$/);
  expect(text).not.toMatch(/Profile changes|Sections (added|removed|reworded)|\(opening\)/);
  // About four sentences at most (a sentence ends with a full stop and a space or the end).
  const sentences = text.replace(/“[^”]*”/g, '“”').split(/\.(?:\s|$)/);
  expect(sentences.filter(Boolean).length).toBeLessThanOrEqual(5);
}

const eds: Record<string, EditionFacts> = {};

beforeAll(async () => {
  eds.key = await edition(ENGLAND_MINIMAL);
  eds.link = await edition(`${ENGLAND_MINIMAL}${LINK}`);
  eds.deputy = await edition(`${ENGLAND_MINIMAL}${DEPUTY}`);
  eds.linkDeputy = await edition(`${ENGLAND_MINIMAL}${LINK}${DEPUTY}`);
  eds.linkTenant = await edition(`${ENGLAND_MINIMAL}terminology:\n  worker: link\n  person: tenant\n`);
  eds.many = await edition(
    `${ENGLAND_MINIMAL}keyWorking:\n  sections:\n    tasks: false\n  training:\n    topics: [Positive behaviour support]\n  planReviewIntervalMonths: 6\n  relatedPolicies:\n    - title: Safeguarding adults\n      code: SG01\n`,
  );
  eds.local = await edition(
    `${ENGLAND_MINIMAL}keyWorking:\n  localArrangements: "We record visits in **Nourish**; see [our guide](https://example.com/guide)."\n`,
  );
  eds.local2 = await edition(
    `${ENGLAND_MINIMAL}keyWorking:\n  localArrangements: "Records are kept in _Nourish_ (see the \`records\` policy)."\n`,
  );
  eds.longCover = await edition(
    `${ENGLAND_MINIMAL}keyWorking:\n  absenceCover:\n    coveredBy: ${'the most senior member of the day or night team who is on duty at that time'}\n`,
  );
  eds.renamed = await edition(ENGLAND_MINIMAL.replace('Riverside Support Ltd', 'Riverside Care Ltd'));
  eds.colour = await edition(
    ENGLAND_MINIMAL.replace(
      '  name: Riverside Support Ltd\n',
      '  name: Riverside Support Ltd\n  brandColour: "#336699"\n',
    ),
  );
  eds.wales = await edition(WALES_MINIMAL);
  eds.walesNoOffer = await edition(`${WALES_MINIMAL}keyWorking:\n  activeOffer: false\n`);
}, 60_000);

describe('changeDetail: the audit detail the register keeps', () => {
  it('keeps the field-level detail of a profile change, and the section it rewords by its heading', () => {
    const detail = changeDetail(eds.key!, eds.deputy!);
    expect(detail.fields).toEqual([
      'keyWorking.absenceCover.coveredBy: the senior staff member on duty → the deputy manager',
    ]);
    expect(detail.sections).toEqual({ added: [], removed: [], reworded: [COVER_HEADING] });
    expect(detail.title).toBeUndefined();
    expect(detail.template).toBeUndefined();
  });

  it('records a change of terminology as the field that caused it, not every section reworded', () => {
    const detail = changeDetail(eds.key!, eds.link!);
    expect(detail.fields).toEqual(['terminology.worker: key → link']);
    expect(detail.title).toEqual({ from: 'Key Worker Policy', to: 'Link Worker Policy' });
    expect(detail.sections).toEqual({ added: [], removed: [], reworded: [] });
    // With another change as well, that section is named in the new terms.
    expect(changeDetail(eds.key!, eds.linkDeputy!).sections.reworded).toEqual([
      'Cover when the link worker is absent',
    ]);
  });

  it('names sections added and removed as each edition does, and records a template version change', () => {
    const detail = changeDetail(eds.key!, eds.many!);
    expect(detail.sections.added).toEqual([
      'Legislation and regulation, and related policies',
      'Related policies',
    ]);
    expect(detail.sections.removed).toEqual([
      'Legislation and regulation',
      'Daily, weekly and monthly practice',
      'Daily',
      'Weekly',
      'Monthly',
    ]);
    expect(detail.sections.reworded).toEqual(['The support plan and its reviews', 'Training and competence']);
    expect(changeDetail(eds.key!, { ...eds.key!, templateVersion: '1.2.0' }).template).toEqual({
      id: 'key-worker-policy',
      from: '1.1.0',
      to: '1.2.0',
    });
  });

  it('gives headings as plain text: no escapes, no emphasis, no code marks', () => {
    const facts = (markdown: string): EditionFacts => ({ ...eds.key!, markdown });
    const before = facts('## Law \\(Wales\\)\n\nOld.\n\n## **Bold** and _soft_ `code`\n\nSame.\n');
    const after = facts(
      '## Law \\(Wales\\)\n\nNew.\n\n## **Bold** and _soft_ `code`\n\nSame.\n\n## Who\\#1 is\n\nX.\n',
    );
    const detail = changeDetail(before, after);
    expect(detail.sections).toEqual({ added: ['Who#1 is'], removed: [], reworded: ['Law (Wales)'] });
    expect(changeDetail(after, before).sections.removed).toEqual(['Who#1 is']);
    expect(plainSummary(detail, before, after)).toBe('New section: Who#1 is. Updated: Law (Wales).');
  });
});

describe('plainSummary: the printed history, in plain English', () => {
  it('quotes a short plain value that changed, against the section it reworded', () => {
    const text = summary(eds.key!, eds.deputy!);
    expect(text).toBe(`${COVER_HEADING}: “the senior staff member on duty” changed to “the deputy manager”.`);
    expectPlain(text);
  });

  it('says the section was updated when the value is long or Markdown, never quoting it', () => {
    const long = summary(eds.deputy!, eds.longCover!);
    expect(long).toBe(`Updated: ${COVER_HEADING}.`);
    expectPlain(long);
    const markdown = summary(eds.local!, eds.local2!);
    expect(markdown).toBe('Updated: Local arrangements.');
    expectPlain(markdown);
    const added = summary(eds.key!, eds.local!);
    expect(added).toBe('New section: Local arrangements.');
    expectPlain(added);
    const removed = summary(eds.local!, eds.key!);
    expect(removed).toBe('Removed: Local arrangements.');
  });

  it('names a change of terminology with both terms, and the title change', () => {
    const text = summary(eds.key!, eds.link!);
    expect(text).toBe(
      'Now uses the term “link worker” instead of “key worker”. Title changed from “Key Worker Policy” to “Link Worker Policy”.',
    );
    expectPlain(text);
    const both = summary(eds.key!, eds.linkTenant!);
    expect(both).toContain(
      'Now uses the terms “link worker” and “tenant” instead of “key worker” and “person we support”.',
    );
    expectPlain(both);
  });

  it('writes a terminology switch with another change in the new terms', () => {
    const text = summary(eds.key!, eds.linkDeputy!);
    expect(text).toContain('Now uses the term “link worker” instead of “key worker”.');
    expect(text).toContain(
      'Cover when the link worker is absent: “the senior staff member on duty” changed to “the deputy manager”.',
    );
    expectPlain(text);
  });

  it('lists new, removed and updated sections in natural English, a subsection only with its section', () => {
    const text = summary(eds.key!, eds.many!);
    expect(text).toBe(
      'New section: Related policies. Removed: Daily, weekly and monthly practice. Training and competence: now includes “Positive behaviour support”. Updated: Legislation and regulation, and related policies; The support plan and its reviews.',
    );
    expectPlain(text);
    const back = summary(eds.many!, eds.key!);
    expect(back).toContain('New section: Daily, weekly and monthly practice.');
    expect(back).toContain('Training and competence: no longer includes “Positive behaviour support”.');
    expectPlain(back);
    const wales = summary(eds.wales!, eds.walesNoOffer!);
    expect(wales).toBe(
      'Updated: The Active Offer; Choosing and assigning key workers; Training and competence.',
    );
    expectPlain(wales);
  });

  it('says a value that changed everywhere changed throughout', () => {
    const text = summary(eds.key!, eds.renamed!);
    expect(text).toBe('“Riverside Support Ltd” changed to “Riverside Care Ltd” throughout.');
    expectPlain(text);
  });

  it('gives the template version, never its id, and only for a major or minor version', () => {
    const text = summary(eds.key!, { ...eds.deputy!, templateVersion: '2.0.0' });
    expect(text).toBe(
      `${COVER_HEADING}: “the senior staff member on duty” changed to “the deputy manager”. Updated to template version 2.0.`,
    );
    expect(text).not.toContain('key-worker-policy');
    expect(
      summary(eds.key!, { ...eds.key!, markdown: `${eds.key!.markdown}\nMore.\n`, templateVersion: '1.1.1' }),
    ).toBe('Updated: Review of this policy.');
  });

  it('falls back to plain words when nothing can be named', () => {
    expect(summary(eds.key!, eds.colour!)).toBe('Document details updated: the brand colour.');
    expect(summary(eds.key!, { ...eds.key! })).toBe('Document details updated.');
    // A version recorded without its words: what changed cannot be named.
    expect(summary({ ...eds.key!, markdown: '' }, eds.deputy!)).toBe('Wording updated.');
  });

  it('keeps to a few sentences when many sections change', () => {
    const facts = (n: number, word: string): EditionFacts => ({
      ...eds.key!,
      markdown: Array.from({ length: n }, (_, i) => `## Part ${i + 1}\n\n${word} ${i}.\n`).join('\n'),
    });
    const text = summary(facts(9, 'Old'), facts(9, 'New'));
    expect(text).toBe('Updated: Part 1, Part 2, Part 3 and 6 more sections.');
    expectPlain(text);
  });
});

describe('inEditionTerms: earlier rows in a later edition’s words', () => {
  it('re-words the worker term in every case, number and possessive, and nothing else', () => {
    const text =
      "The key worker, Key worker, Key Worker, KEY WORKER, key workers, Key Workers, key worker's and key-worker; monkey workers and keyWorking stay.";
    expect(inEditionTerms(text, eds.key!.profile, eds.link!.profile)).toBe(
      "The link worker, Link worker, Link Worker, LINK WORKER, link workers, Link Workers, link worker's and link-worker; monkey workers and keyWorking stay.",
    );
    expect(inEditionTerms('Link Workers and link worker', eds.link!.profile, eds.key!.profile)).toBe(
      'Key Workers and key worker',
    );
  });

  it('is the identity when the terms are the same', () => {
    const text = summary(eds.key!, eds.deputy!);
    expect(inEditionTerms(text, eds.key!.profile, eds.deputy!.profile)).toBe(text);
    expect(inEditionTerms('key worker', eds.link!.profile, eds.linkDeputy!.profile)).toBe('key worker');
  });

  it('re-words other terms a terminology override changed', () => {
    expect(
      inEditionTerms(
        'Each person we support and the people we support.',
        eds.key!.profile,
        eds.linkTenant!.profile,
      ),
    ).toBe('Each tenant and the tenants.');
    expect(inEditionTerms('The Tenants’ key worker.', eds.linkTenant!.profile, eds.key!.profile)).toBe(
      'The People we support’ key worker.',
    );
  });

  it('leaves a sentence recording a change of terminology as it is', () => {
    const text = `${summary(eds.key!, eds.link!)} Updated: Choosing and assigning link workers.`;
    expect(inEditionTerms(text, eds.link!.profile, eds.key!.profile)).toBe(
      'Now uses the term “link worker” instead of “key worker”. Title changed from “Key Worker Policy” to “Key Worker Policy”. Updated: Choosing and assigning key workers.',
    );
  });

  it('shows a link edition’s history without "key worker", except where the switch is recorded', () => {
    // 1.0 key worker; 1.1 the cover changed; 1.2 link worker; 1.3 the cover changed back.
    const versions = [eds.key!, eds.deputy!, eds.linkDeputy!, eds.link!];
    const edition = versions.at(-1)!;
    const rows = versions.slice(1).map((next, i) => {
      const previous = versions[i]!;
      const detail = changeDetail(previous, next);
      const text = plainSummary(detail, previous, next);
      const switches = detail.fields.some((f) => f.startsWith('terminology.'));
      return switches ? text : inEditionTerms(text, next.profile, edition.profile);
    });
    for (const row of rows) expectPlain(row);
    expect(rows[0]).toBe(
      'Cover when the link worker is absent: “the senior staff member on duty” changed to “the deputy manager”.',
    );
    expect(rows[1]).toContain('Now uses the term “link worker” instead of “key worker”.');
    expect(rows[2]).toBe(
      'Cover when the link worker is absent: “the deputy manager” changed to “the senior staff member on duty”.',
    );
    for (const row of [rows[0]!, rows[2]!]) expect(row).not.toMatch(/key[\s-]workers?/i);
  });

  it('never leaves the other worker term, whatever the text around it', () => {
    const piece = fc.oneof(
      fc.constantFrom('key worker', 'Key Worker', 'KEY WORKERS', "key worker's", 'Key-worker', 'keyworker'),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const text = pieces.join(' ');
        const out = inEditionTerms(text, eds.key!.profile, eds.link!.profile);
        expect(out.replace(/[\p{L}\p{N}]key[\s-]+worker/giu, '')).not.toMatch(
          /(?<![\p{L}\p{N}])key[\s-]+worker/iu,
        );
        expect(inEditionTerms(text, eds.key!.profile, eds.key!.profile)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});

describe('fuzzing profile values', () => {
  it('never puts Markdown syntax, field paths or stray separators in a summary', async () => {
    // Printable text, Markdown and HTML punctuation, dotted words; line breaks become spaces.
    const value = profileValue('*_[]()<>&#!`~|{}\\:;@.-+=\'"/ ', [
      'a.b',
      'keyWorking.tasks',
      ' ; ',
      '→',
      '**x**',
      '](http://x)',
      'the deputy',
    ]);
    // Some plain values too, so that quoted sentences are made and checked.
    const anyValue = fc.oneof(
      value,
      fc.constantFrom(
        'the deputy manager',
        'Mr. Smith (days)',
        'the team leader',
        'Jo O’Neill',
        'Café & bar',
      ),
    );
    const profile = (name: string, cover: string, topic?: string) =>
      `${ENGLAND_MINIMAL.replace(/name: .*\n/, `name: ${JSON.stringify(name)}\n`)}${stringify({
        keyWorking: {
          absenceCover: { coveredBy: cover },
          ...(topic ? { training: { topics: [topic] } } : {}),
        },
      })}`;
    await fc.assert(
      fc.asyncProperty(anyValue, anyValue, anyValue, anyValue, async (name, cover, otherCover, topic) => {
        const before = await edition(profile(name, cover));
        const after = await edition(profile(name, otherCover, topic));
        for (const [a, b] of [
          [before, after],
          [after, before],
          [eds.key!, after],
        ] as const) {
          const text = summary(a, b);
          expectPlain(text);
          expectPlain(inEditionTerms(text, a.profile, eds.link!.profile));
        }
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
