/**
 * The organisation profile schema: the single source of truth. The TypeScript `Profile` type, the JSON
 * Schema in `schemas/profile.schema.json`, the profile `init` writes and the README's reference all
 * come from this definition (`npm run generate`; a test fails when a generated file is stale).
 * TypeBox is needed only to generate those files: at run time keypolicy reads the generated JSON Schema.
 * This file holds the root, with the rules across sections and the lenient variant; the sections are in
 * schema-organisation.ts, schema-key-working.ts and schema-document-control.ts, built from schema-fields.ts.
 */
import { Type, type Static } from '@sinclair/typebox';
import { NATIONS, PROFILE_SCHEMA_ID, SUPPRESSIBLE_WARNINGS } from './enums.js';
import { DocumentControl, PolicyEntry } from './schema-document-control.js';
import { closed, stringEnum, text, textList } from './schema-fields.js';
import { KeyWorking } from './schema-key-working.js';
import { Organisation, People, Registration, Service, Terminology } from './schema-organisation.js';
import { Staff } from './schema-staff.js';

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
    staff: Type.Optional(Staff),
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
