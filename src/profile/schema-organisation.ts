/** The profile schema's sections about who the organisation is: its name, registration, people, service and words. */
import { Type } from '@sinclair/typebox';
import { SERVICE_TYPES, WORKER_TERMS } from './enums.js';
import { closed, stringEnum, text, textList } from './schema-fields.js';

const personFields = {
  firstName: text('First (given) name.'),
  lastName: text('Last (family) name.'),
  jobTitle: Type.Optional(text('Job title as it should appear in documents, if different from the role.')),
  email: Type.Optional(text('Work e-mail address.', { format: 'email' })),
  telephone: Type.Optional(text('Work telephone number.')),
};

const Person = (description: string) => Type.Object(personFields, { ...closed, description });

export const Organisation = Type.Object(
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

export const Registration = Type.Object(
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

export const People = Type.Object(
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

export const Service = Type.Object(
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

export const Terminology = Type.Object(
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
