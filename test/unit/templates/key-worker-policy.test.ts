/**
 * The built-in key worker policy template: every variant renders cleanly, uses only its own terms and
 * nation's law, shows exactly the sections its profile asks for, and covers every point of both source
 * documents the policy was written from.
 */
import { cpSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { starterProfile } from '../../../src/profile/starter.js';
import { checkProfile as validateProfile } from '../../../src/pipeline/check-profile.js';
import { PRECOMPILED } from '../../../src/generated/precompiled-templates.js';
import { loadTemplates } from '../../../src/templates/packs.js';
import { renderProfilePolicies } from '../../../src/templates/policies.js';
import { compileKey } from '../../../src/templates/render.js';
import { tempDir } from '../../helpers.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const DATE = '2026-04-01';

type Nation = 'england' | 'wales';
type Service = 'supported-living' | 'care-home' | 'domiciliary';
type Term = 'key' | 'link';
type Data = Record<string, unknown> & {
  service: Record<string, unknown>;
  keyWorking: Record<string, unknown>;
  documentControl: Record<string, unknown>;
};

interface Edition {
  title: string;
  markdown: string;
  /** The markdown with Markdown escapes removed, for matching words. */
  text: string;
}

const unescape = (markdown: string) => markdown.replace(/\\(.)/g, '$1');

async function renderFile(file: string): Promise<Edition> {
  const report = await validateProfile(file);
  expect(report.errors).toEqual([]);
  if (!report.resolved) throw new Error(`${file} did not resolve`);
  const { policies, diagnostics } = await renderProfilePolicies(report.resolved, {
    date: DATE,
    policies: ['key-worker-policy'],
  });
  expect(diagnostics).toEqual([]);
  const policy = policies.find((p) => p.id === 'key-worker-policy');
  if (!policy) throw new Error('no key-worker-policy rendered');
  return { title: policy.title, markdown: policy.markdown, text: unescape(policy.markdown) };
}

/** A starter profile for a variant, with `edit` applied to its data. */
function profile(
  nation: Nation,
  service: Service,
  term: Term,
  sharedRole: boolean,
  edit: (data: Data) => void = () => {},
): Data {
  const data = structuredClone(starterProfile({ nation, service, term, sharedRole })) as unknown as Data;
  data.organisation = { name: 'Brynmor Care Ltd' };
  edit(data);
  return data;
}

async function render(data: Data): Promise<Edition> {
  const dir = tempDir({ 'keypolicy.yaml': stringify(data) });
  return renderFile(path.join(dir, 'keypolicy.yaml'));
}

const headings = (markdown: string) =>
  markdown
    .split('\n')
    .filter((line) => /^#{1,6} /.test(line))
    .map((line) => unescape(line));

const NATIONS: Nation[] = ['england', 'wales'];
const SERVICES: Service[] = ['supported-living', 'care-home', 'domiciliary'];
const TERMS: Term[] = ['key', 'link'];

const KEY_TERMS = /key[\s-]?work(?:er|ing)|keywork/i;
const LINK_TERMS = /link[\s-]?work(?:er|ing)|linkwork/i;
const WALES_ONLY =
  /\bCIW\b|Care Inspectorate Wales|Regulation and Inspection of Social Care|Regulated Services \(Service Providers|Social Services and Well-?being|Social Care Wales|\bAWIF\b|All Wales Induction|Active Offer|More than just words|responsible individual|\bWales\b|\bWelsh\b/i;
const ENGLAND_ONLY =
  /\bCQC\b|Care Quality Commission|Care Certificate|Skills for Care|Health and Social Care Act|Act 2008|Regulated Activities|Regulations 2014|2014\/2936|registered manager/i;

/** The sections every edition has, and those that depend on the profile (the brief's 16 topics). */
const SECTIONS: { topic: string; heading: RegExp; when?: (v: VariantKey) => boolean }[] = [
  { topic: 'purpose and aims', heading: /^## Purpose and aims$/ },
  { topic: 'policy statement and scope', heading: /^## Policy statement and scope$/ },
  { topic: 'legislation, regulation and related policies', heading: /^## Legislation and regulation/ },
  { topic: 'definitions', heading: /^## Definitions$/ },
  { topic: 'roles and accountability', heading: /^## Roles and accountability$/ },
  {
    topic: 'shared key working',
    heading: /^## Shared (key|link) worker arrangements$/,
    when: (v) => v.sharedRole,
  },
  { topic: 'responsibilities', heading: /^## Responsibilities of the (key|link) worker$/ },
  { topic: 'planning and reviews', heading: /^## The .+ and its reviews$/ },
  { topic: 'co-ordinating with family', heading: /^## Co-ordinating with family and others$/ },
  { topic: 'choosing and assigning', heading: /^## Choosing and assigning (key|link) workers$/ },
  { topic: 'absence cover', heading: /^## Cover when the (key|link) worker is absent$/ },
  { topic: 'daily, weekly and monthly practice', heading: /^## Daily, weekly and monthly practice$/ },
  { topic: 'training and competence', heading: /^## Training and competence$/ },
  { topic: 'monitoring effectiveness', heading: /^## Monitoring effectiveness$/ },
  { topic: 'concerns and complaints', heading: /^## Concerns and complaints about a (key|link) worker$/ },
  { topic: 'review of this policy', heading: /^## Review of this policy$/ },
];

interface VariantKey {
  nation: Nation;
  service: Service;
  term: Term;
  sharedRole: boolean;
}

const VARIANTS: VariantKey[] = NATIONS.flatMap((nation) =>
  SERVICES.flatMap((service) =>
    TERMS.flatMap((term) => [false, true].map((sharedRole) => ({ nation, service, term, sharedRole }))),
  ),
);

describe('key worker policy: the 24 variants', () => {
  it('has 24 variants', () => expect(VARIANTS).toHaveLength(24));

  for (const v of VARIANTS) {
    const name = `${v.nation} ${v.service} ${v.term} worker${v.sharedRole ? ' shared' : ''}`;
    it(`${name} renders cleanly with only its own terms, law and sections`, async () => {
      const edition = await render(profile(v.nation, v.service, v.term, v.sharedRole));
      const { title, markdown, text } = edition;

      // No template syntax or unfilled placeholders left.
      expect(markdown).not.toMatch(/\{\{|\}\}/);
      expect(markdown).not.toMatch(/undefined|\[object Object\]/);
      // No title heading, no numbered headings: the document layer adds the title and the numbers.
      expect(markdown).not.toMatch(/^# /m);
      expect(markdown).not.toMatch(/^#{2,6} +\d/m);

      // Only the chosen term, in any form, anywhere (title included).
      expect(title).toBe(v.term === 'key' ? 'Key Worker Policy' : 'Link Worker Policy');
      const wrongTerm = v.term === 'key' ? LINK_TERMS : KEY_TERMS;
      expect(text).not.toMatch(wrongTerm);
      expect(title).not.toMatch(wrongTerm);
      expect(text).toMatch(v.term === 'key' ? /key worker/ : /link worker/);

      // Only the nation's own law, regulator and workforce bodies.
      const otherNation = v.nation === 'england' ? WALES_ONLY : ENGLAND_ONLY;
      expect(text).not.toMatch(otherNation);
      expect(title).not.toMatch(otherNation);

      // Grammar with the variant's person term: no "a individual", no "person we support's".
      expect(text).not.toMatch(/\ba individual|\ban (person|resident|client)\b/i);
      expect(text).not.toMatch(/(we support|use the service|uses the service)'s/);

      // Sections: every topic that applies, and none that does not.
      const found = headings(markdown);
      for (const section of SECTIONS) {
        const expected = section.when ? section.when(v) : true;
        expect(
          found.some((h) => section.heading.test(h)),
          `${section.topic} ${expected ? 'missing' : 'present'}`,
        ).toBe(expected);
      }

      // Shared key working appears exactly when the role is shared.
      expect(/\bjoint\b/i.test(text)).toBe(v.sharedRole);
      if (v.sharedRole) expect(text).toContain('The Deputy Manager supervises every joint arrangement');

      // Tenancy only for supported living.
      expect(/tenanc/i.test(text)).toBe(v.service === 'supported-living');

      // Medicines support in every edition, pointing to the medication policy; no nursing without nursing.
      expect(text).toContain('### Medicines\n');
      expect(text).toMatch(/follows the Brynmor Care Ltd medication policy/);
      expect(text).toMatch(/noticing any problem with their medicines/);
      expect(text).not.toMatch(/nursing team|registered nurses/i);

      // One voice: staff duties in the third person, never "you".
      expect(text).not.toMatch(/\byou(r|rs|rself)?\b/i);

      // The regulatory facts are dated.
      expect(text).toMatch(/The law, regulation and guidance in this section are as at \d{1,2} \w+ \d{4}\./);

      // Wales supported living: no regulated "supported living" category.
      expect(text.includes('Wales has no regulated service called "supported living"')).toBe(
        v.nation === 'wales' && v.service === 'supported-living',
      );
      if (v.nation === 'wales' && v.service === 'supported-living')
        expect(text).toMatch(
          /supported living included, is regulated by .+ as a domiciliary support service/,
        );

      // Accountability and review floor follow the nation.
      if (v.nation === 'england') {
        expect(text).toContain(
          'Each ' + (v.term === 'key' ? 'key' : 'link') + ' worker is responsible to the registered manager',
        );
        expect(text).toContain('Care Certificate (Skills for Care, 16 standards)');
        expect(text).toContain('are as at 1 December 2026.');
        expect(text).toMatch(/maps the (key|link) worker role to the CQC single assessment framework/);
        expect(text).toContain(
          'On 24 March 2026, the CQC published draft sector-specific assessment frameworks (adult social care among four sectors) for consultation, which closed on 12 June 2026.',
        );
        expect(text).toContain('- replaces the 34 quality statements with 24 key lines of enquiry (KLOEs)');
        // Whether a final framework is published, or from when it applies, is not verified: never claimed.
        expect(text).not.toMatch(/final framework|comes? into force|takes effect|from \d{1,2} \w+ 2027/i);
        expect(text).not.toMatch(/October|31 December 2025/);
      } else {
        expect(text).toMatch(
          /is responsible to the manager, and through the manager to the responsible individual/,
        );
        expect(text).toContain('All Wales Induction Framework for Health and Social Care (AWIF)');
        expect(text).toMatch(/reviewed as required and at least every three months/);
        expect(text).toMatch(/regulation 73: the responsible individual visits the service/);
        // The Active Offer is on by default in Wales.
        expect(text).toContain('who speak Welsh are matched with a');
      }
    });
  }
});

describe('key worker policy: precompiled', () => {
  it('renders every variant exactly as the Handlebars compiler does', async () => {
    // A copy of the built-in pack with one more partial has another compile key, so it is compiled here.
    const builtIn = await loadTemplates([]);
    const template = builtIn.templates.get('key-worker-policy');
    if (!template) throw new Error('no built-in key-worker-policy');
    expect(PRECOMPILED[compileKey(template, builtIn.partials)]).toBeDefined();
    const pack = tempDir({ 'partials/unused.md': 'not called' });
    cpSync(path.join(ROOT, 'templates/key-worker-policy.md'), path.join(pack, 'key-worker-policy.md'));
    for (const v of VARIANTS) {
      const dir = tempDir({
        'keypolicy.yaml': stringify(profile(v.nation, v.service, v.term, v.sharedRole)),
      });
      const report = await validateProfile(path.join(dir, 'keypolicy.yaml'));
      if (!report.resolved) throw new Error('did not resolve');
      const request = { date: DATE, policies: ['key-worker-policy'] };
      const precompiled = await renderProfilePolicies(report.resolved, request);
      const compiled = await renderProfilePolicies(report.resolved, { ...request, packs: [pack] });
      expect(compiled.diagnostics).toEqual([]);
      expect(compiled.policies[0]?.file).toBe(path.join(pack, 'key-worker-policy.md'));
      expect(compiled.policies[0]?.markdown).toBe(precompiled.policies[0]?.markdown);
      expect(compiled.policies[0]?.title).toBe(precompiled.policies[0]?.title);
    }
  });
});

describe('key worker policy: service-specific wording', () => {
  it('gives domiciliary care visiting wording, not care home or shift wording', async () => {
    const { text } = await render(profile('england', 'domiciliary', 'key', false));
    expect(text).toContain('at or before their first visit');
    expect(text).toContain('Before each visit, reading the notes from the visits');
    expect(text).not.toMatch(/life of the home|moving around|on each shift|night team|admission/i);
    expect(text).toMatch(/where night visits are part of their care, at night/);
  });

  it('gives care home wording in a care home', async () => {
    const { text } = await render(profile('wales', 'care-home', 'link', false));
    expect(text).toContain('in the life of the home');
    expect(text).toContain('on admission or, where possible, before it');
    expect(text).toMatch(/by day and at night/);
    expect(text).not.toMatch(/before visiting|first visit/i);
  });

  it('gives supported living wording, with the tenancy point, in supported living', async () => {
    const { text } = await render(profile('england', 'supported-living', 'link', true));
    expect(text).toContain('when they move in or their support begins');
    expect(text).toMatch(/concerns and issues about their tenancy agreement or housing/);
    expect(text).toMatch(
      /The Care Quality Commission \(CQC\) regulates the personal care we provide, not the housing/,
    );
    expect(text).toContain('one from the day team and one from the night team');
  });

  it('gives the nursing team’s part in medicines only when the service provides nursing', async () => {
    for (const nation of NATIONS) {
      const nursing = await render(
        profile(nation, 'care-home', 'key', false, (d) => {
          d.service.nursing = true;
        }),
      );
      expect(nursing.text).toContain('Registered nurses keep clinical responsibility for medication.');
      expect(nursing.text).toMatch(/works with the nursing team so that the .+ receives their medication/);
      expect(nursing.text).toContain('managers, senior staff and the nursing team');
      expect(nursing.text).not.toContain('district nurses');
      const without = await render(profile(nation, 'care-home', 'key', false));
      expect(without.text).toMatch(/key worker's part is:\n\n- supporting the .+ with their medicines/);
      expect(without.text).not.toMatch(/nursing team|registered nurses|clinical responsibility/i);
      expect(without.text).toContain('district nurses');
    }
  });
});

describe('key worker policy: profile settings', () => {
  it('drops the optional sections when they are turned off', async () => {
    const { markdown, text } = await render(
      profile('wales', 'domiciliary', 'key', false, (d) => {
        d.keyWorking.sections = { tasks: false, complaints: false, relatedPolicies: false };
      }),
    );
    const found = headings(markdown);
    expect(found).not.toContain('## Daily, weekly and monthly practice');
    expect(found).not.toContain('## Concerns and complaints about a key worker');
    expect(found).not.toContain('### Related policies');
    expect(found).toContain('## Legislation and regulation');
    expect(text).not.toMatch(/related policies|Safeguarding Adults Policy|formal complaints procedure/i);
  });

  it('drops the related policies when the list is empty, and lists codes when given', async () => {
    const empty = await render(
      profile('england', 'care-home', 'key', false, (d) => {
        d.keyWorking.relatedPolicies = [];
      }),
    );
    expect(headings(empty.markdown)).not.toContain('### Related policies');
    const coded = await render(
      profile('england', 'care-home', 'key', false, (d) => {
        d.keyWorking.relatedPolicies = [
          { title: 'Safeguarding Adults Policy', code: 'SG-01' },
          { title: 'Complaints Policy' },
        ];
      }),
    );
    expect(headings(coded.markdown)).toContain('## Legislation and regulation, and related policies');
    expect(coded.text).toContain('- Safeguarding Adults Policy (SG-01)\n- Complaints Policy\n');
  });

  it('uses the profile’s task lists where given and the built-in wording otherwise', async () => {
    const { text } = await render(
      profile('england', 'care-home', 'key', false, (d) => {
        d.keyWorking.tasks = { daily: ['Say good morning to the resident in person'] };
      }),
    );
    const practice = text.slice(text.indexOf('### Daily'), text.indexOf('## Training'));
    expect(practice).toContain('### Daily\n\n- Say good morning to the resident in person\n\n### Weekly');
    expect(practice).not.toContain('Spending dedicated time');
    expect(practice).toContain('Checking progress on any health appointments');
    expect(practice).toContain('Holding a planned one-to-one conversation');
  });

  it('describes each way of choosing, and only the allocation criteria chosen', async () => {
    const wording = {
      'chosen-by-person': 'chooses their own key worker',
      'chosen-with-person': 'chooses each key worker together with the',
      'allocated-then-agreed': 'proposes a key worker for each',
    } as const;
    for (const [selection, phrase] of Object.entries(wording)) {
      const { text } = await render(
        profile('england', 'supported-living', 'key', false, (d) => {
          d.keyWorking.selection = selection;
          d.keyWorking.allocationCriteria = ['gender', 'continuity'];
        }),
      );
      expect(text).toContain(phrase);
      for (const other of Object.values(wording)) if (other !== phrase) expect(text).not.toContain(other);
      expect(text).toContain('- the gender of the staff member');
      expect(text).toContain('- continuity, favouring staff');
      expect(text).not.toMatch(/personality and interests|specialist needs|culture, religion and language/);
    }
  });

  it('matches Welsh speakers only when the Active Offer is made', async () => {
    const off = await render(
      profile('wales', 'care-home', 'key', false, (d) => {
        d.keyWorking.activeOffer = false;
      }),
    );
    expect(off.text).not.toMatch(/who speak Welsh are matched/);
    expect(off.text).not.toContain('Welsh language awareness');
    // The principle is still stated in the legislation section.
    expect(off.text).toContain('Services in Wales should make the Active Offer');
  });

  it('uses the intervals, cover, training and review settings of the profile', async () => {
    const { text } = await render(
      profile('england', 'domiciliary', 'link', false, (d) => {
        d.keyWorking.planReviewIntervalMonths = 6;
        d.keyWorking.evaluationIntervalMonths = 1;
        d.keyWorking.absenceCover = { coveredBy: 'the care co-ordinator' };
        d.keyWorking.training = {
          refresherIntervalMonths: 24,
          topics: ['Lone working', 'Safeguarding adults at risk'],
          beforeAppointment: ['Three months with the agency'],
        };
        d.documentControl.reviewIntervalMonths = 6;
        d.documentControl.reviewTriggers = ['A missed visit that caused harm'];
      }),
    );
    expect(text).toContain(
      'reviews each care plan with the person who uses the service at least every six months',
    );
    expect(text).toContain('by the registered manager or a senior member of staff every month');
    expect(text).toContain(
      'or while the post is vacant, the care co-ordinator takes on their responsibilities',
    );
    expect(text).toContain('Training is refreshed every two years.');
    expect(text).toContain('- Three months with the agency');
    expect(text).toContain('- Lone working\n');
    // A topic the built-in list has is listed once.
    expect(text.match(/Safeguarding adults at risk/g)).toHaveLength(1);
    expect(text).toContain('This policy is reviewed every six months.');
    expect(text).toContain('- A missed visit that caused harm\n');
  });

  it('reviews Welsh personal plans more often than the floor only when the profile says so', async () => {
    const monthly = await render(
      profile('wales', 'domiciliary', 'key', false, (d) => {
        d.keyWorking.planReviewIntervalMonths = 1;
      }),
    );
    expect(monthly.text).toContain('reviews each personal plan more often than that, every month');
    const floor = await render(profile('wales', 'domiciliary', 'key', false));
    expect(floor.text).toContain('reviews each personal plan at least every three months');
  });

  it('adds a Local arrangements section, keeping its Markdown, only when given', async () => {
    const without = await render(profile('england', 'care-home', 'key', false));
    expect(headings(without.markdown)).not.toContain('## Local arrangements');
    const { markdown } = await render(
      profile('england', 'care-home', 'key', false, (d) => {
        d.keyWorking.localArrangements = 'Key workers meet on the **first Monday** of each month.';
      }),
    );
    expect(headings(markdown)).toContain('## Local arrangements');
    expect(markdown).toContain(
      '\n## Local arrangements\n\nKey workers meet on the **first Monday** of each month.\n\n## Review',
    );
  });

  it('reads the organisation’s own words as text, never as Markdown', async () => {
    const { markdown } = await render(
      profile('england', 'care-home', 'key', false, (d) => {
        d.organisation = { name: '*Star* Care [Ltd]' };
      }),
    );
    expect(markdown).toContain('\\*Star\\* Care \\[Ltd\\]');
    expect(markdown).not.toMatch(/(^|[^\\])\*Star/);
    // Punctuation that starts no markup is left as written.
    const plain = await render(
      profile('wales', 'care-home', 'key', false, (d) => {
        d.organisation = { name: 'Gofal (Wales) Ltd.' };
      }),
    );
    expect(plain.markdown).toContain('At Gofal (Wales) Ltd., ');
  });
});

/**
 * Every point each source document makes, and the words the template uses for it. Checked on the
 * England supported living example (shared, key worker) and the Wales care home example (nursing).
 */
const SEED_SUPPORTED_LIVING_ENGLAND: [string, RegExp][] = [
  ['applies where named workers are used; either term', /each person we support has a named key worker/],
  [
    'continuous care from a team at different times, including night',
    /team of staff working at different times, by day and at night/,
  ],
  [
    'single point of contact for concerns arising from the plan',
    /single point of contact for any concern or question arising from their support plan/,
  ],
  ['the role can be shared', /## Shared key worker arrangements/],
  [
    'aim: individualised care meeting needs and choices',
    /individualised care and support that meets the needs, choices and preferences/,
  ],
  ['aim: assessing and managing risks', /effective way of assessing and managing risks/],
  [
    'aim: professional relationships',
    /sound basis for professional relationships between staff and people we support/,
  ],
  ['aim: accountability', /clear accountability for the care each person we support receives/],
  ['aim: monitoring quality', /sound framework for monitoring the quality of the care and support/],
  [
    'aim: human rights, equality, diversity, inclusion, anti-discrimination',
    /human rights, equality, diversity, inclusion and anti-discrimination/,
  ],
  [
    'aim: rewarding and clear framework for staff and people',
    /a clear, rewarding framework within which staff and people we support can work together/,
  ],
  [
    'commitment to a specific named key worker and a firm professional relationship',
    /committed to every person we support having a specific, named key worker .* build a firm professional relationship/,
  ],
  ['named key worker accepted as best practice', /accepted as good practice in adult social care/],
  [
    'sets out values, principles and policies',
    /sets out the values, principles and practice behind the key worker role/,
  ],
  ['followed by all staff and volunteers', /All staff and volunteers must follow it/],
  [
    'in line with the 2014 Regulations (person-centred)',
    /Health and Social Care Act 2008 \(Regulated Activities\) Regulations 2014 \(SI 2014\/2936\)/,
  ],
  [
    'regulation 9 person-centred care',
    /Regulation 9 \(Person-centred care\) requires care that is appropriate/,
  ],
  [
    'each new person has a named member of care staff',
    /Every person we support has a named key worker from the start of their care and support/,
  ],
  ['people new to the service involved in choosing', /Each person we support chooses their own key worker/],
  ['overall aim to co-ordinate and facilitate care', /to co-ordinate and make possible the care and support/],
  [
    'functions vary; overall role co-ordination',
    /What a key worker does day to day varies with the needs of each person we support/,
  ],
  [
    'keeps the team informed of plan changes',
    /keeps the rest of the team informed of any change to the support plans/,
  ],
  [
    'responsible to the registered manager or other named manager, under their supervision',
    /responsible to the registered manager, or to another named manager or suitably qualified person .* guidance and supervision/,
  ],
  [
    'joint key workers clear about respective responsibilities',
    /agree, record and keep to a clear division of the responsibilities/,
  ],
  ['joint key workers communicate closely', /communicate closely with one another/],
  [
    'a named supervisor checks the joint arrangement works',
    /The Deputy Manager supervises every joint arrangement and checks that it is working/,
  ],
  [
    'overall responsibility lies with the registered manager, who delegates',
    /Overall responsibility for care at Larkspur Community Support lies with the registered manager, who delegates/,
  ],
  [
    'taking the lead in all matters for the named person',
    /taking the lead in all matters concerning the people we support assigned to them/,
  ],
  [
    'communicating closely and sensitively',
    /communicating closely and sensitively with each person we support/,
  ],
  [
    'leading the person-centred plan, shared through meetings and supervision',
    /leading the development of a person-centred support plan, and keeping the staff team up to date .* staff meetings and supervision/,
  ],
  [
    'monitoring that others’ care is consistent',
    /monitoring that the care and support given by other staff is consistent/,
  ],
  [
    'contact point for professionals, including safeguarding',
    /recognised contact point for other care and health professionals .* including where safeguarding concerns have been raised/,
  ],
  [
    'liaising with colleagues, advocates, friends and family',
    /liaising with colleagues, advocates, friends and family/,
  ],
  ['tenancy agreement concerns', /concerns and issues about their tenancy agreement/],
  [
    'changes, difficulties and resources discussed with the registered manager',
    /discussing with the registered manager any change .* any difficulty being experienced and any additional resources/,
  ],
  ['setting up care reviews', /- setting up the review/],
  ['inviting whom the person wishes', /inviting whoever the person we support would like to attend/],
  ['drawing up the agenda', /drawing up the agenda/],
  [
    'actions followed through by named individuals',
    /with a named person responsible for each and a date, and that they are followed through/,
  ],
  [
    'maintaining contact with family; main link',
    /helps them to keep in touch with their family and acts as the main link/,
  ],
  [
    'disagreement with family goes first to the registered manager',
    /cannot agree .* raises it first with the registered manager/,
  ],
  [
    'external facilitator: key worker takes less of a lead',
    /external facilitator.*takes less of a lead and supports the facilitator/s,
  ],
  [
    'trained and experienced in care planning and needs assessment',
    /trained and experienced in care planning and needs assessment/,
  ],
  [
    'policy explained at induction to new staff and volunteers',
    /explained to all new staff and volunteers during their induction/,
  ],
  [
    'not a key worker until competent, after the Care Certificate and further training',
    /do not become key workers until they have completed the Care Certificate .* further experience and training, and been assessed .* as competent/,
  ],
  [
    'annual review, or when the use of key workers changes',
    /This policy is reviewed every year[\s\S]*a change in how Larkspur Community Support uses key workers/,
  ],
];

const SEED_CARE_HOME_WALES: [string, RegExp][] = [
  [
    'purpose: role, responsibilities and management',
    /sets out the values, principles and practice behind the key worker role/,
  ],
  [
    'consistent person-centred care in line with regulations',
    /person-centred principles and requirements of the law and regulation/,
  ],
  ['relationships, continuity, emotional support, advocacy', /built on trust, continuity and respect/],
  ['aim: personalised care planning', /individualised care and support/],
  ['aim: autonomy, dignity and well-being', /dignity, autonomy and well-being for each resident/],
  [
    'aim: communication with residents, families and multi-disciplinary teams',
    /clear, co-ordinated communication between residents, their families and the professionals/,
  ],
  ['aim: clear guidance for staff', /a clear, rewarding framework within which staff/],
  ['scope: all residents have a key worker', /every resident, each of whom has an allocated key worker/],
  ['scope: all care staff', /all care staff, including bank and agency staff/],
  [
    'scope: management and nursing staff',
    /managers, senior staff and the nursing team, who put the policy into practice, supervise key workers/,
  ],
  [
    'scope: families and external professionals',
    /families, friends, advocates and representatives, and the external professionals/,
  ],
  ['related policies with codes', /- Person-Centred Care Policy \(CHW07\)/],
  [
    'definition: emotional, social and practical support',
    /to provide emotional, social and practical support/,
  ],
  [
    'main point of contact; security and familiarity',
    /main point of contact for the resident, so that they have someone familiar to turn to and feel secure/,
  ],
  ['encourages autonomy', /encouraging the resident to make their own choices/],
  ['voices heard in decisions', /making sure the resident is heard in every decision about their care/],
  [
    'develops and reviews the plan with the resident',
    /works closely with the resident to develop and review their personal plan/,
  ],
  [
    'plan reflects preferences, medical needs and lifestyle',
    /reflects their preferences, health needs and lifestyle choices, the routines and activities/,
  ],
  ['supports expressing wishes', /helps the resident to express their wishes/],
  [
    'monitors changes and updates the plan',
    /watches for changes in their condition .* makes sure the personal plan is updated/,
  ],
  [
    'advocate for rights and preferences',
    /speaking up for the resident so that their rights and preferences are upheld/,
  ],
  [
    'liaises with family to inform and involve',
    /keeping the people whom the resident wants involved informed and included/,
  ],
  ['GPs and therapists', /such as GPs, therapists and specialist teams/],
  ['multi-disciplinary team meetings', /multi-disciplinary meetings/],
  ['reduce isolation', /helping to reduce loneliness and isolation/],
  ['social activities and the home community', /take part in activities and in the life of the home/],
  [
    'signs of depression or anxiety, escalated',
    /signs of mental health concerns, such as low mood, depression or anxiety, and raising them promptly/,
  ],
  [
    'observes and reports changes',
    /noticing physical and emotional changes in the resident, recording them and reporting concerns promptly/,
  ],
  [
    'medication with the nursing team',
    /works with the nursing team so that the resident receives their medication as prescribed/,
  ],
  [
    'daily living while respecting independence',
    /daily living activities, as their personal plan sets out, while respecting their independence/,
  ],
  ['assigned on preferences', /the preferences of the resident about who supports them/],
  ['personality and interests', /personality and interests, so that the two are likely to get on/],
  [
    'specialist needs: dementia, physical disability, mental health',
    /specialist needs, for example dementia, physical disability, .* mental health/,
  ],
  ['culture, religion and language', /culture, religion and language, so that care is culturally sensitive/],
  [
    'Welsh speakers matched (Active Offer)',
    /residents who speak Welsh are matched with a key worker who speaks Welsh, without having to ask/,
  ],
  ['introduced at admission', /introduced to their key worker on admission/],
  ['can request a change', /can ask for a different key worker at any time/],
  ['training: person-centred care', /- Person-centred care approaches/],
  ['training: communication and active listening', /- Effective communication and active listening/],
  ['training: safeguarding', /- Safeguarding adults at risk/],
  ['training: behaviour that challenges', /- Supporting people whose behaviour may challenge/],
  ['training: deteriorating health', /- Recognising deteriorating health and well-being/],
  [
    'training refreshed annually and reviewed in supervision',
    /Training is refreshed every year\. .* discussed in supervision/,
  ],
  ['daily: dedicated time', /### Daily\n\n- Spending dedicated time with the resident/],
  ['daily: personal care, mobility and diet', /personal care, moving around, and eating and drinking/],
  [
    'daily: reassurance and social engagement',
    /Offering reassurance and encouraging them to join in activities/,
  ],
  [
    'weekly: review and update the plan',
    /### Weekly\n\n- Reviewing the personal plan against what the key worker has observed/,
  ],
  ['weekly: healthcare interventions', /physiotherapy or speech and language therapy/],
  [
    'weekly: activities, accompanied',
    /Arranging, and where possible going with the resident to, social or recreational activities/,
  ],
  [
    'monthly: formal discussion about care and satisfaction',
    /### Monthly\n\n- Holding a planned one-to-one conversation .* how satisfied they are/,
  ],
  [
    'monthly: family updates and concerns',
    /contacting their family or representative to share news and listen to any concerns/,
  ],
  ['monthly: accurate documentation', /records of the resident are accurate and up to date/],
  [
    'quarterly evaluations',
    /evaluation of each key worker's effectiveness by the manager or a senior member of staff every three months/,
  ],
  [
    'feedback from residents and families',
    /feedback from residents and their families about their key worker/,
  ],
  [
    'relationship concerns addressed; reassignment',
    /relationship between any resident and their key worker are dealt with promptly, and a different key worker is assigned/,
  ],
  [
    'annual audits of performance and satisfaction',
    /audits, at least once a year, of key worker allocations/,
  ],
  [
    'CIW inspectors review documentation',
    /inspections by CIW, whose inspectors may look at key worker allocations, personal plans, feedback/,
  ],
  [
    'gaps lead to additional training',
    /Gaps in a key worker's effectiveness lead to additional training and support/,
  ],
  [
    'RI visits and quality of care review',
    /responsible individual's visits, at least every three months.*quality of care at least every six months/,
  ],
  ['complaints: speak to the key worker directly', /talk to the key worker about it directly/],
  ['complaints: raise with the manager', /raise it with the manager, who will look into it/],
  [
    'complaints: request a different key worker',
    /ask for a different key worker, if they feel their needs are not being met/,
  ],
  ['complaints: formal procedure', /formal complaints procedure/],
  [
    'complaints documented, investigated, resolved transparently',
    /recorded, investigated and resolved promptly and openly/,
  ],
  ['training records show competency', /training records show that their competence is kept up to date/],
  ['review annually or if regulations change', /reviewed every year[\s\S]*A change in the law or regulation/],
  ['review if best practice evolves', /A development in good practice/],
  [
    'review if feedback shows improvement needed',
    /Feedback from residents, families or staff showing that improvements are needed/,
  ],
  [
    'personal plan reviewed at least every three months (regulation 16)',
    /Regulation 16 requires the personal plan to be reviewed as required and at least every three months, involving the resident and any representative/,
  ],
];

describe('key worker policy: every point of the source documents is covered', () => {
  it('covers the supported living (England) source in the England supported living example', async () => {
    const { text } = await renderFile(path.join(ROOT, 'examples/england-supported-living/keypolicy.yaml'));
    const missing = SEED_SUPPORTED_LIVING_ENGLAND.filter(([, pattern]) => !pattern.test(text)).map(
      ([p]) => p,
    );
    expect(missing).toEqual([]);
  });

  it('covers the care home (Wales) source in the Wales care home example', async () => {
    const { text } = await renderFile(path.join(ROOT, 'examples/wales-care-home/keypolicy.yaml'));
    const missing = SEED_CARE_HOME_WALES.filter(([, pattern]) => !pattern.test(text)).map(([p]) => p);
    expect(missing).toEqual([]);
  });

  it('covers the points common to both sources in both editions', async () => {
    const common: [string, RegExp][] = [
      ['night', /at night/],
      ['volunteers', /volunteers/],
      ['safeguarding', /safeguarding/],
      ['external facilitator', /external facilitator/],
      [
        'quarterly evaluations → evaluationIntervalMonths',
        /effectiveness by the .*manager or a senior member of staff every three months/,
      ],
      ['right to change', /can ask for a different key worker/],
    ];
    for (const file of [
      'examples/england-supported-living/keypolicy.yaml',
      'examples/wales-care-home/keypolicy.yaml',
    ]) {
      const { text } = await renderFile(path.join(ROOT, file));
      expect(common.filter(([, pattern]) => !pattern.test(text)).map(([p]) => `${file}: ${p}`)).toEqual([]);
    }
  });
});
