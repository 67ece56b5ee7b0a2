/**
 * The template front matter schema: the single source of `schemas/template.schema.json` and of the
 * precompiled validator (`npm run generate`). TypeBox is needed only to generate them.
 */
import { Type, type Static } from '@sinclair/typebox';
import { NATIONS, SERVICE_TYPES } from '../profile/enums.js';

export const TEMPLATE_SCHEMA_ID = 'https://keypolicy.dev/schemas/template.schema.json';

export const FrontMatterSchema = Type.Object(
  {
    id: Type.String({
      pattern: '^[a-z0-9][a-z0-9-]*$',
      description:
        'The template id, in lower case with hyphens (e.g. key-worker-policy). A later pack overrides an earlier one with the same id. Never shown in a document.',
    }),
    title: Type.String({
      minLength: 1,
      description:
        'The policy title. It may use the vocabulary helpers, e.g. "{{WorkerTitle}} Policy" gives "Key Worker Policy" or "Link Worker Policy".',
    }),
    version: Type.String({
      pattern: '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-[0-9A-Za-z.-]+)?$',
      description:
        'The template’s version (semver, e.g. 1.2.0). A new major version starts a new major policy version.',
    }),
    nations: Type.Optional(
      Type.Array(Type.Unsafe<(typeof NATIONS)[number]>({ type: 'string', enum: [...NATIONS] }), {
        minItems: 1,
        uniqueItems: true,
        description: 'The nations this template applies to (default: both).',
      }),
    ),
    services: Type.Optional(
      Type.Array(Type.Unsafe<(typeof SERVICE_TYPES)[number]>({ type: 'string', enum: [...SERVICE_TYPES] }), {
        minItems: 1,
        uniqueItems: true,
        description: 'The service types this template applies to (default: all).',
      }),
    ),
    description: Type.Optional(
      Type.String({ minLength: 1, description: 'What the policy covers, for `keypolicy templates`.' }),
    ),
    partials: Type.Optional(
      Type.Array(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*$' }), {
        uniqueItems: true,
        description: 'Partials (files in the pack’s partials/ folder, without extension) this template uses.',
      }),
    ),
  },
  {
    additionalProperties: false,
    $id: TEMPLATE_SCHEMA_ID,
    title: 'keypolicy template front matter',
    description: 'The YAML front matter at the top of a keypolicy policy template.',
  },
);

export type FrontMatter = Static<typeof FrontMatterSchema>;

/** The schema as plain JSON (2020-12), as written to `schemas/template.schema.json`. */
export function templateJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    ...(JSON.parse(JSON.stringify(FrontMatterSchema)) as object),
  };
}
