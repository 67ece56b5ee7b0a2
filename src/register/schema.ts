/**
 * The register schema: the single source of `schemas/register.schema.json` and its precompiled validator
 * (`npm run generate`). TypeBox is needed only to generate them.
 */
import { Type, type Static } from '@sinclair/typebox';

const date = (description: string) => Type.String({ format: 'date', description });

const Approval = Type.Object(
  {
    name: Type.String({ minLength: 1, description: 'Who signed.' }),
    role: Type.String({ minLength: 1, description: 'In which role, as the profile names it.' }),
    date: date('When they signed (YYYY-MM-DD).'),
  },
  { additionalProperties: false, description: 'One sign-off.' },
);

const Version = Type.Object(
  {
    version: Type.String({
      pattern: '^[1-9]\\d*\\.\\d+$',
      description: 'The version number, e.g. 1.0 or 2.3.',
    }),
    date: date('The date of this version (YYYY-MM-DD).'),
    contentHash: Type.String({
      pattern: '^sha256:[0-9a-f]{64}$',
      description: 'sha256 of the policy’s words.',
    }),
    title: Type.String({ minLength: 1, description: 'The policy title of this version.' }),
    template: Type.Object(
      {
        id: Type.String({ minLength: 1, description: 'The template id.' }),
        version: Type.String({ minLength: 1, description: 'The template version.' }),
      },
      { additionalProperties: false, description: 'The template this version was rendered from.' },
    ),
    keypolicy: Type.String({ minLength: 1, description: 'The keypolicy version that recorded it.' }),
    summary: Type.String({ description: 'The change-log entry: what changed and why.' }),
    approverRoles: Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      description: 'The roles that must all sign this version.',
    }),
    approvals: Type.Array(Approval, { description: 'Sign-offs so far.' }),
    approvedOn: Type.Optional(date('The effective date: when the last required role signed.')),
    profile: Type.Record(Type.String(), Type.Unknown(), {
      description: 'The profile fields this version was built from (dotted paths), for change logs.',
    }),
    markdown: Type.Optional(
      Type.String({
        description: 'The policy’s words, so `diff` can compare and the words of any version can be found.',
      }),
    ),
    entryHash: Type.Optional(
      Type.String({
        pattern: '^sha256:[0-9a-f]{64}$',
        description:
          'sha256 of this entry and the entry before it: a hand edit of a past version or approval breaks the chain.',
      }),
    ),
  },
  { additionalProperties: false, description: 'One recorded version of a policy.' },
);

export const RegisterSchema = Type.Object(
  {
    registerVersion: Type.Literal(1, { description: 'The format of this file.' }),
    policies: Type.Record(
      Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$' }),
      Type.Object(
        {
          versions: Type.Array(Version, {
            minItems: 1,
            description: 'Every recorded version, oldest first.',
          }),
        },
        { additionalProperties: false, description: 'One policy’s history.' },
      ),
      { description: 'Each policy, by template id.' },
    ),
  },
  {
    additionalProperties: false,
    $id: 'https://keypolicy.dev/schemas/register.schema.json',
    title: 'keypolicy policy register',
    description:
      'Every issued version of every policy of one organisation: versions, change logs and sign-off.',
  },
);

export type Register = Static<typeof RegisterSchema>;
export type RegisterVersion = Static<typeof Version>;
export type RegisterApproval = Static<typeof Approval>;

/** The schema as plain JSON (2020-12), as written to `schemas/register.schema.json`. */
export function registerJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    ...(JSON.parse(JSON.stringify(RegisterSchema)) as object),
  };
}
