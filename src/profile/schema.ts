/**
 * The organisation profile schema: the single source of truth. The TypeScript `Profile` type, the JSON
 * Schema in `schemas/profile.schema.json`, the profile `init` writes and the README's reference all
 * come from this definition (`npm run generate`; a test fails when a generated file is stale).
 * TypeBox is needed only to generate those files: at run time keypolicy reads the generated JSON Schema.
 */
import { Type, type Static } from '@sinclair/typebox';
import {
  ALLOCATION_CRITERIA,
  NATIONS,
  PROFILE_SCHEMA_ID,
  SELECTION_METHODS,
  SERVICE_TYPES,
  SUPPRESSIBLE_WARNINGS,
  WORKER_TERMS,
} from './enums.js';

function stringEnum<const T extends readonly string[]>(
  values: T,
  options: { description: string; default?: T[number] },
) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

const text = (description: string, extra: Record<string, unknown> = {}) =>
  Type.String({ minLength: 1, description, ...extra });

const textList = (description: string, extra: Record<string, unknown> = {}) =>
  Type.Array(Type.String({ minLength: 1 }), { description, ...extra });

/** A calendar date written as YYYY-MM-DD; the `date` format also rejects days that do not exist. */
const isoDate = (description: string) =>
  Type.String({ format: 'date', description: `${description} Written YYYY-MM-DD, e.g. 2026-04-01.` });

const months = (description: string, min: number, max: number, defaultValue: number) =>
  Type.Integer({ minimum: min, maximum: max, default: defaultValue, description });

const closed = { additionalProperties: false } as const;

const personFields = {
  firstName: text('First (given) name.'),
  lastName: text('Last (family) name.'),
  jobTitle: Type.Optional(text('Job title as it should appear in documents, if different from the role.')),
  email: Type.Optional(text('Work e-mail address.', { format: 'email' })),
  telephone: Type.Optional(text('Work telephone number.')),
};

const Person = (description: string) => Type.Object(personFields, { ...closed, description });

const Organisation = Type.Object(
  {
    name: text(
      'The organisation’s name as it appears on every policy (public key path `organisation.name`).',
    ),
    legalName: Type.Optional(text('Registered legal name, when it differs from the trading name.')),
    address: Type.Optional(
      Type.Object(
        {
          lines: textList('Street address lines, first to last.', { minItems: 1 }),
          postcode: Type.Optional(text('Postcode.')),
        },
        { ...closed, description: 'Postal address of the registered office or service.' },
      ),
    ),
    contact: Type.Optional(
      Type.Object(
        {
          telephone: Type.Optional(text('Main telephone number.')),
          email: Type.Optional(text('Main e-mail address.', { format: 'email' })),
          website: Type.Optional(text('Website address, starting https://.', { pattern: '^https?://' })),
        },
        { ...closed, description: 'How to contact the organisation.' },
      ),
    ),
    logo: Type.Optional(
      text(
        'Path to the logo (PNG, JPEG or SVG, at most 5 MB), relative to this profile (public key path `organisation.logo`).',
      ),
    ),
    brandColour: Type.Optional(
      Type.String({
        pattern: '^#[0-9A-Fa-f]{6}$',
        default: '#1f4e79',
        description: 'Brand colour for headings and rules, as #RRGGBB.',
      }),
    ),
  },
  { ...closed, description: 'Who the policies belong to.' },
);

const Registration = Type.Object(
  {
    cqcProviderId: Type.Optional(
      text('England: the CQC provider ID, usually `1-` and 9 or 10 digits (e.g. 1-199747506).'),
    ),
    cqcLocationId: Type.Optional(
      text(
        'England: the CQC location ID of this service, usually `1-` and 9 or 10 digits (e.g. 1-187729429).',
      ),
    ),
    ciwProviderId: Type.Optional(text('Wales: the provider registration reference issued by CIW.')),
    ciwServiceId: Type.Optional(
      text('Wales: the CIW service registration reference, as CIW writes it (often like SIN-00009093-CGLK).'),
    ),
  },
  {
    ...closed,
    description:
      'Registration identifiers exactly as the regulator issued them. England needs the CQC location ID; Wales needs the CIW service registration.',
  },
);

const People = Type.Object(
  {
    registeredManager: Type.Optional(
      Person(
        'England: the CQC registered manager, in day-to-day charge of the regulated activity. Required in England.',
      ),
    ),
    nominatedIndividual: Type.Optional(
      Person('England: the nominated individual who supervises the management of the regulated activity.'),
    ),
    responsibleIndividual: Type.Optional(
      Person('Wales: the Responsible Individual designated by the provider. Required in Wales.'),
    ),
    manager: Type.Optional(
      Type.Object(
        {
          ...personFields,
          socialCareWalesRegistration: Type.Optional(
            text('The manager’s Social Care Wales registration number.'),
          ),
        },
        {
          ...closed,
          description: 'Wales: the service manager, registered with Social Care Wales. Required in Wales.',
        },
      ),
    ),
  },
  { ...closed, description: 'The people the regulator expects the policy to name.' },
);

const Service = Type.Object(
  {
    type: stringEnum(SERVICE_TYPES, {
      description:
        'The kind of service (public key path `service.type`): `supported-living`, `care-home` or `domiciliary`. It sets the vocabulary ("the person we support", "resident", …). In Wales, supported living and domiciliary care are both regulated as a domiciliary support service.',
    }),
    name: Type.Optional(text('The service’s own name, when it differs from the organisation’s.')),
    nursing: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          'True when the service provides nursing care, so key workers work with the nursing team on medication.',
      }),
    ),
  },
  { ...closed, description: 'The regulated service this profile describes.' },
);

const Terminology = Type.Object(
  {
    worker: Type.Optional(
      stringEnum(WORKER_TERMS, {
        default: 'key',
        description:
          'Which term the policy uses (public key path `terminology.worker`): `key` for "key worker" or `link` for "link worker". Only the chosen term ever appears in a document.',
      }),
    ),
    person: Type.Optional(
      text(
        'Override the word for the person receiving care, singular (default by nation and service, e.g. "resident").',
      ),
    ),
    people: Type.Optional(text('Override the plural of `person` (e.g. "residents").')),
    manager: Type.Optional(
      text(
        'Override the title of the manager accountable for care (default "registered manager" in England, "manager" in Wales).',
      ),
    ),
    plan: Type.Optional(
      text(
        'Override the name of the person’s plan (default "care plan", "support plan" or, in Wales, "personal plan").',
      ),
    ),
  },
  {
    ...closed,
    default: {},
    description: 'The words the policy uses. Defaults follow the nation and service type.',
  },
);

const Tasks = Type.Object(
  {
    daily: Type.Optional(textList('Things the key worker does every day.')),
    weekly: Type.Optional(textList('Things the key worker does every week.')),
    monthly: Type.Optional(textList('Things the key worker does every month.')),
  },
  {
    ...closed,
    description:
      'Overrides for the daily, weekly and monthly practice section; omitted lists use the built-in wording.',
  },
);

const RelatedPolicy = Type.Object(
  {
    title: text('The related policy’s title, e.g. "Safeguarding Adults Policy".'),
    code: Type.Optional(text('The organisation’s reference code for it, e.g. CHW07.')),
  },
  { ...closed, description: 'A policy that this one refers to.' },
);

const AbsenceCover = Type.Object(
  {
    coveredBy: Type.Optional(
      text('Who takes on the key worker’s duties while they are absent, as a role.', {
        default: 'the senior staff member on duty',
      }),
    ),
  },
  { ...closed, default: {}, description: 'Cover when the key worker is absent (leave, sickness, vacancy).' },
);

const Training = Type.Object(
  {
    refresherIntervalMonths: Type.Optional(
      months('How often, in months, key worker training is refreshed.', 1, 36, 12),
    ),
    topics: Type.Optional(
      textList('Training topics in addition to the built-in list (e.g. "Positive behaviour support").'),
    ),
    beforeAppointment: Type.Optional(
      textList(
        'Anything required before appointment beyond the nation’s induction (Care Certificate in England, All Wales Induction Framework in Wales).',
      ),
    ),
  },
  { ...closed, default: {}, description: 'Training required of key workers.' },
);

const Sections = Type.Object(
  {
    tasks: Type.Optional(
      Type.Boolean({ default: true, description: 'Include the daily, weekly and monthly practice section.' }),
    ),
    complaints: Type.Optional(
      Type.Boolean({ default: true, description: 'Include the concerns and complaints section.' }),
    ),
    relatedPolicies: Type.Optional(
      Type.Boolean({ default: true, description: 'List related policies with their codes.' }),
    ),
  },
  { ...closed, default: {}, description: 'Which optional sections the key worker policy includes.' },
);

const KeyWorking = Type.Object(
  {
    sharedRole: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          'True when key working is a shared (joint) role: two key workers for one person, supervised by a named role (public key path `keyWorking.sharedRole`).',
      }),
    ),
    sharedRoleSupervisor: Type.Optional(
      text(
        'Who supervises joint key workers and checks the arrangement works, as a role (e.g. "Deputy Manager"). Required when `sharedRole` is true.',
      ),
    ),
    selection: Type.Optional(
      stringEnum(SELECTION_METHODS, {
        default: 'chosen-with-person',
        description:
          'How the person is involved in choosing their key worker: `chosen-by-person`, `chosen-with-person` (default) or `allocated-then-agreed`.',
      }),
    ),
    allocationCriteria: Type.Optional(
      Type.Array(stringEnum(ALLOCATION_CRITERIA, { description: 'One criterion.' }), {
        uniqueItems: true,
        minItems: 1,
        default: [
          'preferences',
          'personality-and-interests',
          'specialist-needs',
          'culture-religion-and-language',
        ],
        description: `What key workers are matched on: ${ALLOCATION_CRITERIA.map((c) => `\`${c}\``).join(', ')}.`,
      }),
    ),
    activeOffer: Type.Optional(
      Type.Boolean({
        description:
          'Wales: match Welsh-speaking key workers to Welsh-speaking individuals under the Active Offer ("More than just words"). Defaults to true in Wales.',
      }),
    ),
    absenceCover: Type.Optional(AbsenceCover),
    planReviewIntervalMonths: Type.Optional(
      months(
        'How often, in months, the key worker reviews the person’s plan with them. In Wales at most 3 (regulation 16 of the 2017 Regulations).',
        1,
        12,
        3,
      ),
    ),
    evaluationIntervalMonths: Type.Optional(
      months('How often, in months, managers evaluate each key worker’s effectiveness.', 1, 12, 3),
    ),
    training: Type.Optional(Training),
    sections: Type.Optional(Sections),
    tasks: Type.Optional(Tasks),
    localArrangements: Type.Optional(
      text(
        'A paragraph of your own about local arrangements, in Markdown (bold, italics, lists and https links are kept; HTML is not). The only profile field read as Markdown: every other value is shown exactly as written.',
      ),
    ),
    relatedPolicies: Type.Optional(
      Type.Array(RelatedPolicy, {
        default: [],
        description: 'Policies this one refers to, with their codes.',
      }),
    ),
  },
  { ...closed, default: {}, description: 'How key (or link) working runs in this service.' },
);

const DocumentControl = Type.Object(
  {
    reviewIntervalMonths: Type.Optional(
      months(
        'Months between policy reviews, 1 to 36 (public key path `documentControl.reviewIntervalMonths`). Annual review (12) is good practice.',
        1,
        36,
        12,
      ),
    ),
    reviewTriggers: Type.Optional(
      textList(
        'Events that bring the review forward, in addition to the built-in ones (changes in regulation, practice or feedback).',
      ),
    ),
    owner: Type.Optional(
      text('The role that owns the policy (default: Registered Manager in England, Manager in Wales).'),
    ),
    approvers: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        minItems: 1,
        uniqueItems: true,
        description:
          'Roles that must all sign a version off, matched by name ignoring case (default: Registered Manager in England, Responsible Individual in Wales).',
      }),
    ),
    uncontrolledWhenPrinted: Type.Optional(
      Type.Boolean({
        default: true,
        description: 'Print a footer line saying printed copies are uncontrolled.',
      }),
    ),
    copyright: Type.Optional(text('Copyright line for the footer (default "© <organisation name>").')),
    firstIssued: Type.Optional(isoDate('When this policy was first issued, before keypolicy managed it.')),
  },
  { ...closed, default: {}, description: 'Document control: review cycle, owner, sign-off and footer.' },
);

const PolicyEntry = Type.Object(
  {
    id: Type.String({
      pattern: '^[a-z0-9][a-z0-9-]*$',
      description: 'The template id, e.g. key-worker-policy (see `keypolicy templates`).',
    }),
    title: Type.Optional(text('A different title for this organisation’s edition.')),
    reviewIntervalMonths: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 36, description: 'Months between reviews for this policy only.' }),
    ),
    approvers: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        minItems: 1,
        uniqueItems: true,
        description: 'Approver roles for this policy only.',
      }),
    ),
  },
  { ...closed, description: 'A policy to build, with overrides.' },
);

export const ProfileSchema = Type.Object(
  {
    extends: Type.Optional(
      text(
        'Path to a base profile this one overrides, relative to this file (deep merge; lists replace). Public key path `extends`.',
      ),
    ),
    abstract: Type.Optional(
      Type.Boolean({
        description:
          'True for a base profile that is not itself an organisation: it may leave required fields out and is never built.',
      }),
    ),
    organisation: Organisation,
    nation: stringEnum(NATIONS, {
      description:
        'The nation (public key path `nation`): `england` (regulator CQC) or `wales` (regulator CIW). It sets the law cited, the identifiers required and the vocabulary.',
    }),
    registration: Type.Optional(Registration),
    people: Type.Optional(People),
    service: Service,
    terminology: Type.Optional(Terminology),
    keyWorking: Type.Optional(KeyWorking),
    documentControl: Type.Optional(DocumentControl),
    policies: Type.Optional(
      Type.Array(
        Type.Union([
          Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$', description: 'A template id.' }),
          PolicyEntry,
        ]),
        {
          minItems: 1,
          description:
            'Which policies to build, by template id (public key path `policies`); default: every template for this nation and service. An entry may be an id or an object with overrides.',
        },
      ),
    ),
    templates: Type.Optional(
      textList(
        'Extra template pack folders, relative to this profile, used by every command in addition to the built-in pack.',
      ),
    ),
    output: Type.Optional(
      Type.Object(
        {
          slug: Type.Optional(
            Type.String({
              pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
              maxLength: 80,
              description:
                'The output folder name, in lower case with hyphens, when the organisation name alone is not enough (e.g. two services of one provider).',
            }),
          ),
        },
        { ...closed, description: 'Where this organisation’s documents go.' },
      ),
    ),
    validation: Type.Optional(
      Type.Object(
        {
          suppress: Type.Array(stringEnum(SUPPRESSIBLE_WARNINGS, { description: 'A warning code.' }), {
            uniqueItems: true,
            description: `Warning codes to silence: ${SUPPRESSIBLE_WARNINGS.map((c) => `\`${c}\``).join(', ')}.`,
          }),
        },
        { ...closed, description: 'Settings for `keypolicy validate`.' },
      ),
    ),
  },
  {
    ...closed,
    $id: PROFILE_SCHEMA_ID,
    title: 'keypolicy organisation profile',
    description:
      'Describes one adult social care organisation so keypolicy can validate it and build its controlled policies.',
    allOf: [
      {
        description: 'In England the CQC location ID and the registered manager are required.',
        if: { properties: { nation: { const: 'england' } }, required: ['nation'] },
        then: {
          required: ['registration', 'people'],
          properties: {
            registration: { required: ['cqcLocationId'] },
            people: { required: ['registeredManager'] },
          },
        },
      },
      {
        description:
          'In Wales the CIW service registration, the Responsible Individual and the manager are required.',
        if: { properties: { nation: { const: 'wales' } }, required: ['nation'] },
        then: {
          required: ['registration', 'people'],
          properties: {
            registration: { required: ['ciwServiceId'] },
            people: { required: ['responsibleIndividual', 'manager'] },
          },
        },
      },
      {
        description: 'Shared key working needs a named supervisor role.',
        if: {
          properties: {
            keyWorking: { properties: { sharedRole: { const: true } }, required: ['sharedRole'] },
          },
          required: ['keyWorking'],
        },
        then: { properties: { keyWorking: { required: ['sharedRoleSupervisor'] } } },
      },
    ],
  },
);

export type Profile = Static<typeof ProfileSchema>;

/** The schema as a plain JSON document (2020-12), as written to `schemas/profile.schema.json`. */
export function profileJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    ...(JSON.parse(JSON.stringify(ProfileSchema)) as object),
  };
}

/** A copy without `required` and the conditional requirements, for `abstract: true` bases. */
export function lenientSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(lenientSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'required' || key === 'allOf') continue;
    out[key] =
      key === '$id' ? String(value).replace(/\.schema\.json$/, '-lenient.schema.json') : lenientSchema(value);
  }
  return out;
}
