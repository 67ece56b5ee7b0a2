/**
 * The organisation profile schema: the single source of truth. The TypeScript `Profile` type (emitted as
 * plain types in src/generated/profile.ts, so the published declarations need no TypeBox), the JSON
 * Schema in `schemas/profile.schema.json`, the profile `init` writes and the README's reference all
 * come from this definition (`npm run generate`; a test fails when a generated file is stale).
 * TypeBox is needed only to generate those files: at run time keypolicy reads the generated JSON Schema.
 * This file holds the root, with the rules across sections and the lenient variant; the sections are in
 * schema-organisation.ts, schema-key-working.ts and schema-document-control.ts, built from schema-fields.ts.
 */
import { Type, type Static } from '@sinclair/typebox';
import { VERSION } from '../core/version.js';
import type { Profile } from '../generated/profile.js';
import { NATIONS, PROFILE_SCHEMA_ID, SUPPRESSIBLE_WARNINGS } from './enums.js';
import { DocumentControl, PolicyEntry } from './schema-document-control.js';
import { closed, stringEnum, text, textList } from './schema-fields.js';
import { KeyWorking } from './schema-key-working.js';
import { Organisation, People, Registration, Service, Terminology } from './schema-organisation.js';
import { Staff } from './schema-staff.js';

const ProfileSchema = Type.Object(
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

export type { Profile };

// The generated plain type and TypeBox's own must agree both ways (a type error here: run `npm run generate`).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const typesAgree: Same<Static<typeof ProfileSchema>, Profile> = true;
void typesAgree;

/**
 * The complete rules as a plain JSON Schema (2020-12): what a profile must satisfy once its `extends`
 * chain is merged. keypolicy's precompiled validators are built from it (`strict`, and `lenient` for
 * abstract bases), and the plain `Profile` type.
 */
export function profileRules(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    ...(JSON.parse(JSON.stringify(ProfileSchema)) as object),
  };
}

/** Every `description` also as `markdownDescription`, which editors (yaml-language-server) render as Markdown. */
function withMarkdown(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withMarkdown);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    // Values (a default, a const, an enum) are data, not schemas: copied as they are.
    if (['default', 'const', 'enum', 'examples'].includes(key)) out[key] = value;
    else if (key === 'properties' || key === '$defs') out[key] = mapValues(value, withMarkdown);
    else out[key] = withMarkdown(value);
    if (key === 'description' && typeof value === 'string') out.markdownDescription = value;
  }
  return out;
}

const mapValues = (value: unknown, f: (v: unknown) => unknown) =>
  Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, f(v)]));

/** A file that `extends` a base, or is an `abstract: true` base, is checked for its own fields only. */
const PARTIAL_FILE = {
  anyOf: [{ required: ['extends'] }, { required: ['abstract'], properties: { abstract: { const: true } } }],
};

/**
 * A rule keypolicy checks after the schema, with a message that cites the regulation
 * (profile/semantic-check.ts, KP_WALES_PLAN_REVIEW), said again here so editors flag it too; it applies
 * to any file that sets both values, a base or a client as much as a complete profile.
 */
const WALES_PLAN_REVIEW = {
  description:
    'In Wales the personal plan must be reviewed at least every 3 months (regulation 16 of the Regulated Services (Service Providers and Responsible Individuals) (Wales) Regulations 2017).',
  if: { properties: { nation: { const: 'wales' } }, required: ['nation'] },
  then: { properties: { keyWorking: { properties: { planReviewIntervalMonths: { maximum: 3 } } } } },
};

/**
 * The schema as published in `schemas/profile.schema.json`, for editors and other tools: it accepts
 * exactly the files `keypolicy validate` accepts, as far as JSON Schema can say. Every field is
 * described at the top level (for completion and hover help) without requirements, so a file that
 * `extends` a base — which may leave out what the base gives — or an `abstract: true` base validates on
 * its own; any other file must also meet the complete rules (`$defs/complete`). Stamped with the
 * keypolicy version that wrote it (`x-keypolicy-version`), so `validate` can tell an old copy.
 */
export function profileJsonSchema(): Record<string, unknown> {
  const { $schema, $id, title, description, ...rules } = profileRules();
  return withMarkdown({
    $schema,
    $id,
    'x-keypolicy-version': VERSION,
    title,
    description,
    ...(lenientSchema(rules) as object),
    if: PARTIAL_FILE,
    else: { $ref: '#/$defs/complete' },
    allOf: [WALES_PLAN_REVIEW],
    $defs: { complete: rules },
  }) as Record<string, unknown>;
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
