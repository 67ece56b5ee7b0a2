/**
 * The register schema: the single source of `schemas/register.schema.json` and its precompiled validator
 * (`npm run generate`). TypeBox is needed only to generate them.
 */
import { Type, type Static } from '@sinclair/typebox';

const date = (description: string) => Type.String({ format: 'date', description });

const user = Type.Optional(
  Type.String({
    minLength: 1,
    description: 'The operating-system user who ran the command, beside the name they gave.',
  }),
);

const Approval = Type.Object(
  {
    name: Type.String({ minLength: 1, description: 'Who signed.' }),
    role: Type.String({ minLength: 1, description: 'In which role, as the profile names it.' }),
    date: date('When they signed (YYYY-MM-DD).'),
    user,
  },
  { additionalProperties: false, description: 'One sign-off.' },
);

const Review = Type.Object(
  {
    name: Type.String({ minLength: 1, description: 'Who reviewed it.' }),
    role: Type.String({ minLength: 1, description: 'In which role.' }),
    date: date('When (YYYY-MM-DD).'),
    nextReviewDate: date('The next review date this review set.'),
    message: Type.Optional(Type.String({ description: 'What the reviewer noted.' })),
    user,
  },
  { additionalProperties: false, description: 'A review of the version in force that changed nothing.' },
);

const Withdrawal = Type.Object(
  {
    name: Type.String({ minLength: 1, description: 'Who withdrew it.' }),
    role: Type.String({ minLength: 1, description: 'In which role.' }),
    date: date('From when the policy is no longer in force (YYYY-MM-DD).'),
    message: Type.Optional(Type.String({ description: 'Why.' })),
    user,
  },
  {
    additionalProperties: false,
    description: 'The policy was withdrawn: no version is in force after this date.',
  },
);

const sha256 = (description: string) => Type.String({ pattern: '^sha256:[0-9a-f]{64}$', description });

const Changes = Type.Object(
  {
    sections: Type.Object(
      {
        added: Type.Array(Type.String()),
        removed: Type.Array(Type.String()),
        reworded: Type.Array(Type.String()),
      },
      { additionalProperties: false, description: 'Sections by heading, as the document names them.' },
    ),
    fields: Type.Array(Type.String(), {
      description: 'The profile fields that changed, as `path: old → new`.',
    }),
    title: Type.Optional(
      Type.Object({ from: Type.String(), to: Type.String() }, { additionalProperties: false }),
    ),
    template: Type.Optional(
      Type.Object(
        { id: Type.String(), from: Type.String(), to: Type.String() },
        { additionalProperties: false },
      ),
    ),
  },
  {
    additionalProperties: false,
    description: 'The field-level detail of what changed since the version before (for audit and `diff`).',
  },
);

const Acknowledged = Type.Object(
  {
    count: Type.Integer({
      minimum: 1,
      description: 'How many acknowledgements of this version are recorded.',
    }),
    head: sha256(
      'The hash of the last acknowledgement in NAME.register/<policy>/<version>.acknowledgements.yaml, which chains them all.',
    ),
    latest: date('The latest date an acknowledgement was recorded on.'),
  },
  {
    additionalProperties: false,
    description:
      'Staff acknowledgements of this version, kept beside the register and covered by its hashes.',
  },
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
    summary: Type.String({ description: 'The change-log entry as printed: what changed, in plain English.' }),
    message: Type.Optional(
      Type.String({
        description: 'The `--message` given for this version; it replaces the generated summary.',
      }),
    ),
    changes: Type.Optional(Changes),
    user,
    approverRoles: Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      description: 'The roles that must all sign this version.',
    }),
    approvals: Type.Array(Approval, { description: 'Sign-offs so far.' }),
    approvedOn: Type.Optional(date('The effective date: when the last required role signed.')),
    nextReviewDate: Type.Optional(
      date('The next review date, fixed when the version was approved (review interval at that moment).'),
    ),
    reviewIntervalMonths: Type.Optional(
      Type.Integer({
        minimum: 1,
        description:
          'The review interval when this version was built (for a draft’s provisional review date).',
      }),
    ),
    reviews: Type.Optional(
      Type.Array(Review, { description: 'Reviews of this version that changed nothing.' }),
    ),
    withdrawn: Type.Optional(Withdrawal),
    acknowledgements: Type.Optional(Acknowledged),
    source: Type.Optional(
      sha256(
        'sha256 of the snapshot this version was rendered from (NAME.register/<policy>/<version>.yaml).',
      ),
    ),
    profile: Type.Record(Type.String(), Type.Unknown(), {
      description: 'The profile fields this version was built from (dotted paths), for change logs.',
    }),
    markdown: Type.Optional(
      Type.String({
        description: 'The policy’s words, so `diff` can compare and the words of any version can be found.',
      }),
    ),
    entryHash: Type.Optional(
      sha256(
        'sha256 of this entry and the entry before it: a hand edit of a past version or approval breaks the chain.',
      ),
    ),
  },
  { additionalProperties: false, description: 'One recorded version of a policy.' },
);

export const RegisterSchema = Type.Object(
  {
    registerVersion: Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)], {
      description:
        'The format of this file (1 is upgraded to 2 on the next write; 3 once staff acknowledgements are recorded).',
    }),
    organisationId: Type.Optional(
      Type.String({
        pattern: '^[0-9a-f-]{36}$',
        description:
          'The organisation’s id, made at its first build: an output folder whose manifest names another id belongs to another organisation.',
      }),
    ),
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
export type RegisterReview = Static<typeof Review>;
export type RegisterWithdrawal = Static<typeof Withdrawal>;
export type ChangeRecord = Static<typeof Changes>;
export type RegisterAcknowledged = Static<typeof Acknowledged>;

/** The register format this keypolicy writes, and the ones it reads. */
export const REGISTER_FORMAT = 2;
/** The format of a register that records staff acknowledgements, which an older keypolicy would not keep. */
export const ACKNOWLEDGED_FORMAT = 3;
export const READABLE_REGISTER_FORMATS: readonly number[] = [1, 2, 3];

/** The schema as plain JSON (2020-12), as written to `schemas/register.schema.json`. */
export function registerJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    ...(JSON.parse(JSON.stringify(RegisterSchema)) as object),
  };
}
