// The JSON Schemas of keypolicy's machine-readable outputs: every `--json` document and manifest.json,
// published in schemas/ (importable as keypolicy/schemas/<name>.schema.json) and stamped with the
// version that wrote them. Documents may gain fields (objects stay open); the fields listed here stay.
// Every `--json` document may instead be a failure: `{ ok: false, …, error: { code, message, hint, exitCode } }`.

const ID = (name) => `https://keypolicy.dev/schemas/${name}.schema.json`;
const string = { type: 'string' };
const nullableString = { type: ['string', 'null'] };
const boolean = { type: 'boolean' };
const integer = { type: 'integer', minimum: 0 };
const strings = { type: 'array', items: string };
const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
const nullableDate = { anyOf: [date, { type: 'null' }] };
const object = (properties, required = Object.keys(properties), extra = {}) => ({
  type: 'object',
  properties,
  required,
  ...extra,
});
const list = (items) => ({ type: 'array', items });

const defs = {
  diagnostic: object(
    {
      file: string,
      code: { type: 'string', pattern: '^KP_[A-Z0-9_]+$' },
      severity: { enum: ['error', 'warning'] },
      path: string,
      line: integer,
      column: integer,
      message: string,
      hint: nullableString,
    },
    undefined,
    { description: 'A problem located at file:line:column (line and column 0: the whole file).' },
  ),
  failure: object(
    {
      code: string,
      message: string,
      hint: nullableString,
      exitCode: { enum: [1, 2, 3, 130] },
    },
    ['code', 'message', 'hint'],
    { description: 'Why the command could not run: it exits with `exitCode`.' },
  ),
};
const diagnostics = list({ $ref: '#/$defs/diagnostic' });

/** A command's document, or its failure document (the same shape, emptied, with `error`). */
function outputSchema(name, title, document) {
  return (version) => ({
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: ID(name),
    'x-keypolicy-version': version,
    title,
    anyOf: [
      document,
      object({ ok: { const: false }, error: { $ref: '#/$defs/failure' } }, ['error'], {
        description: 'The command failed before it could report: nothing in it but the error.',
      }),
    ],
    $defs: defs,
  });
}

const files = list(
  object({
    file: string,
    policy: string,
    format: string,
    version: string,
    status: { enum: ['draft', 'approved'] },
    sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
  }),
);

export const OUTPUT_SCHEMAS = {
  validate: outputSchema(
    'validate',
    'keypolicy validate --json',
    object({
      valid: boolean,
      date: nullableDate,
      files: list(
        object({
          file: string,
          valid: boolean,
          abstract: boolean,
          errors: diagnostics,
          warnings: diagnostics,
        }),
      ),
      notes: strings,
    }),
  ),
  check: outputSchema(
    'check',
    'keypolicy check --json',
    object({
      ready: boolean,
      date: nullableDate,
      profiles: list(
        object({
          profile: string,
          organisation: nullableString,
          ready: boolean,
          problems: diagnostics,
          policies: list(
            object({
              id: string,
              title: string,
              version: string,
              status: string,
              ready: boolean,
              problems: diagnostics,
              notes: strings,
            }),
          ),
        }),
      ),
      notes: strings,
    }),
  ),
  build: outputSchema(
    'build',
    'keypolicy build --json',
    object({
      ok: boolean,
      summary: object({ built: integer, unchanged: integer, failed: integer }),
      notes: strings,
      profiles: list(
        object({
          profile: string,
          organisation: nullableString,
          slug: nullableString,
          state: { enum: ['built', 'unchanged', 'failed'] },
          recorded: list(
            object({ policy: string, version: string, outcome: string }, ['policy', 'version', 'outcome']),
          ),
          files,
          errors: diagnostics,
          warnings: diagnostics,
        }),
      ),
    }),
  ),
  status: outputSchema(
    'status',
    'keypolicy status --json',
    object(
      {
        asOf: date,
        dueSoonDays: integer,
        graceDays: integer,
        failOn: strings,
        ok: boolean,
        notes: strings,
        profiles: list(
          object({
            profile: string,
            organisation: nullableString,
            policies: list(
              object(
                {
                  id: string,
                  title: string,
                  inForce: {
                    anyOf: [
                      { type: 'null' },
                      object({ version: string, effectiveDate: date, nextReviewDate: date }),
                    ],
                  },
                  pending: { anyOf: [{ type: 'null' }, object({ version: string, date })] },
                  flags: list({ enum: ['overdue', 'due-soon', 'unapproved', 'stale', 'unacknowledged'] }),
                },
                ['id', 'title', 'inForce', 'pending', 'flags'],
              ),
            ),
            errors: diagnostics,
            warnings: diagnostics,
          }),
        ),
      },
      ['asOf', 'ok', 'notes', 'profiles'],
    ),
  ),
  diff: outputSchema(
    'diff',
    'keypolicy diff --json',
    object({
      ok: boolean,
      changed: boolean,
      notes: strings,
      profiles: list(
        object({
          profile: string,
          organisation: nullableString,
          changed: boolean,
          errors: diagnostics,
          warnings: diagnostics,
          policies: list(
            object({
              id: string,
              title: string,
              changed: boolean,
              action: { enum: ['unchanged', 'first-version', 'new-draft', 'revise-draft'] },
              version: object({ now: nullableString, next: string }),
              fields: strings,
              sections: object({ added: strings, removed: strings, reworded: strings }),
              diff: string,
            }),
          ),
        }),
      ),
    }),
  ),
  templates: outputSchema(
    'templates',
    'keypolicy templates --json',
    object(
      {
        valid: boolean,
        templates: list(
          object(
            {
              id: string,
              version: string,
              titles: strings,
              nations: strings,
              services: strings,
              description: nullableString,
              foreign: boolean,
              file: string,
            },
            ['id', 'version', 'titles', 'nations', 'services', 'file'],
          ),
        ),
        diagnostics,
      },
      ['valid', 'templates', 'diagnostics'],
    ),
  ),
  acknowledge: outputSchema('acknowledge', 'keypolicy acknowledge --json', {
    anyOf: [
      object(
        {
          ok: boolean,
          policy: nullableString,
          title: nullableString,
          version: nullableString,
          effectiveDate: nullableDate,
          recorded: { type: ['integer', 'boolean'] },
          rows: list({ type: 'object', required: ['status'] }),
          errors: diagnostics,
        },
        ['ok', 'policy', 'version', 'rows', 'errors'],
      ),
      object({ ok: { const: true }, replaced: integer, pseudonym: string, notes: strings }),
    ],
  }),
  manifest: (version) => ({
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: ID('manifest'),
    'x-keypolicy-version': version,
    title: 'OUT/<slug>/manifest.json',
    description:
      'Every file of an organisation’s output folder (outside archive/), with its version and hash.',
    ...object(
      {
        organisation: string,
        organisationId: string,
        slug: string,
        keypolicy: string,
        inputs: string,
        files: list(
          object({
            file: string,
            policy: string,
            format: string,
            version: string,
            status: { enum: ['draft', 'approved'] },
            sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
            effectiveDate: nullableDate,
            nextReviewDate: date,
          }),
        ),
      },
      ['organisation', 'slug', 'keypolicy', 'files'],
    ),
  }),
};

/** Each output schema as the text of its file under schemas/. */
export function outputSchemaFiles(version) {
  return Object.fromEntries(
    Object.entries(OUTPUT_SCHEMAS).map(([name, make]) => [
      `schemas/${name}.schema.json`,
      `${JSON.stringify(make(version), null, 2)}\n`,
    ]),
  );
}
