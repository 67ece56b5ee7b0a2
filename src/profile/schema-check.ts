/** Validate stage, part 1: check a merged profile against the JSON Schema and explain ajv's findings in plain English. */
import type { ErrorObject, ValidateFunction } from 'ajv';
import * as generated from '../generated/schema-validators.js';
import { loadSchema, schemaAt, type SchemaName, type SchemaNode } from './schema-lookup.js';
import {
  displayPath,
  escapePointer,
  parentPointer,
  pointerSegments,
  valueAtPointer,
  type DiagnosticInit,
} from '../diagnostics/source.js';
import { DID_YOU_MEAN, didYouMean, suggest } from '../diagnostics/suggest.js';

type Schema = SchemaNode;

type Validator = ValidateFunction;
const validators = generated as unknown as Record<
  'strict' | 'lenient' | 'frontMatter' | 'register',
  Validator
>;

/** Which generated validator checks which document, and the schema its errors refer to. */
const CHECKS = {
  profile: { validate: validators.strict, schema: 'profile' },
  'profile-lenient': { validate: validators.lenient, schema: 'profile' },
  template: { validate: validators.frontMatter, schema: 'template' },
  register: { validate: validators.register, schema: 'register' },
} as const satisfies Record<string, { validate: Validator; schema: SchemaName }>;

/** The subschema at a schema path such as `/properties/nation` (the form ajv reports). */
function schemaAtPath(root: Schema, schemaPath: string): Schema | undefined {
  let node: unknown = root;
  for (const segment of pointerSegments(schemaPath)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node as Schema | undefined;
}

const quote = (value: unknown) => `\`${String(value)}\``;

function listWords(values: readonly unknown[], joiner = 'or'): string {
  const quoted = values.map(quote);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} ${joiner} ${quoted.at(-1)}`;
}

const TYPE_WORDS: Record<string, string> = {
  boolean: '`true` or `false`',
  integer: 'a whole number',
  number: 'a number',
  string: 'text',
  object: 'a block of fields (a mapping)',
  array: 'a list',
  null: 'empty',
};

function typeOf(value: unknown): string {
  if (value === null) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a block of fields';
  if (typeof value === 'string') return 'text';
  return `\`${JSON.stringify(value)}\``;
}

interface Context {
  /** How the user wrote the value at a pointer. */
  wrote: (pointer: string, value: unknown) => string;
  root: Schema;
}

/** The human reason for a conditional requirement (the `description` of the `allOf` entry it came from). */
function conditionReason(error: ErrorObject, root: Schema): string | undefined {
  const match = /^#\/allOf\/(\d+)\/then/.exec(error.schemaPath);
  if (!match) return undefined;
  const entry = (root.allOf as Schema[] | undefined)?.[Number(match[1])];
  return typeof entry?.description === 'string' ? entry.description : undefined;
}

function explain(error: ErrorObject, ctx: Context): DiagnosticInit | undefined {
  const pointer = error.instancePath;
  const field = displayPath(pointer) || 'The profile';
  const named = displayPath(pointer) ? `\`${field}\`` : field;
  const parent = error.parentSchema;
  const description = typeof parent?.description === 'string' ? parent.description : undefined;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required': {
      const missing = String(params.missingProperty);
      const child = `${pointer}/${escapePointer(missing)}`;
      const reason = conditionReason(error, ctx.root);
      const childSchema = schemaAt(child, ctx.root);
      const where = displayPath(pointer) ? `under \`${displayPath(pointer)}:\`` : 'at the top level';
      return {
        code: 'KP_REQUIRED',
        pointer: child,
        at: 'key',
        message: `\`${displayPath(child)}\` is missing.${reason ? ` ${reason}` : ''}`,
        hint: `Add \`${missing}:\` ${where}.${typeof childSchema?.description === 'string' ? ` ${childSchema.description}` : ''}`,
      };
    }
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((parent?.properties as Schema | undefined) ?? {});
      const guess = suggest(key, allowed);
      return {
        code: 'KP_UNKNOWN_KEY',
        pointer: `${pointer}/${escapePointer(key)}`,
        at: 'key',
        message: `\`${key}\` is not a field keypolicy knows${displayPath(pointer) ? ` under \`${displayPath(pointer)}\`` : ''}${didYouMean(guess)}`,
        hint: guess
          ? `Rename it to \`${guess}\`.`
          : allowed.length > 0
            ? `Fields allowed here: ${allowed.map((k) => `\`${k}\``).join(', ')}.`
            : 'Remove it.',
      };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]) ?? [];
      const guess = typeof error.data === 'string' ? suggest(error.data, allowed.map(String)) : undefined;
      return {
        code: 'KP_ENUM',
        pointer,
        message: `${named} must be ${listWords(allowed)}; you wrote ${ctx.wrote(pointer, error.data)}.${guess ? ` Did you mean \`${guess}\`?` : ''}`,
        hint: description,
      };
    }
    case 'type': {
      const written = ctx.wrote(pointer, error.data);
      if (params.type === 'string' && (typeof error.data === 'number' || typeof error.data === 'boolean')) {
        // `telephone: 01632960214` or `code: yes` reads as a number or true/false in YAML, not as text.
        const raw = written.slice(1, -1);
        return {
          code: 'KP_TYPE',
          pointer,
          message: `${named} must be text, but YAML reads ${written} as ${typeof error.data === 'number' ? 'a number' : '`true`/`false`'}.`,
          hint: `Put it in quotes: '${raw}'.`,
        };
      }
      const expected = String(params.type)
        .split(',')
        .map((t) => TYPE_WORDS[t] ?? t)
        .join(' or ');
      return {
        code: 'KP_TYPE',
        pointer,
        message: `${named} must be ${expected}; you wrote ${typeof error.data === 'object' ? typeOf(error.data) : written}.`,
        hint: description,
      };
    }
    case 'minimum':
    case 'maximum': {
      const min = parent?.minimum as number | undefined;
      const max = parent?.maximum as number | undefined;
      const range =
        min !== undefined && max !== undefined
          ? `between ${String(min)} and ${String(max)}`
          : error.keyword === 'minimum'
            ? `at least ${String(min)}`
            : `at most ${String(max)}`;
      return {
        code: 'KP_RANGE',
        pointer,
        message: `${named} must be ${range}; you wrote ${ctx.wrote(pointer, error.data)}.`,
        hint: description,
      };
    }
    case 'minLength':
      return { code: 'KP_EMPTY_VALUE', pointer, message: `${named} must not be empty.`, hint: description };
    case 'maxLength':
      return {
        code: 'KP_TOO_LONG',
        pointer,
        message: `${named} may be at most ${String(params.limit)} characters long; it has ${String((error.data as string).length)}.`,
        hint: description,
      };
    case 'minItems':
      return {
        code: 'KP_EMPTY_LIST',
        pointer,
        message: `${named} must list at least ${String(params.limit)} ${params.limit === 1 ? 'entry' : 'entries'}.`,
        hint: description,
      };
    case 'uniqueItems':
      return {
        code: 'KP_DUPLICATE_ITEM',
        pointer: `${pointer}/${String(params.i)}`,
        message: `${named} lists the same entry twice (entries ${Number(params.j) + 1} and ${Number(params.i) + 1}).`,
        hint: 'Remove one of them.',
      };
    case 'pattern':
      return {
        code: 'KP_FORMAT',
        pointer,
        message: `${named} is not in the expected form; you wrote ${ctx.wrote(pointer, error.data)}.`,
        hint: description,
      };
    case 'format':
      return params.format === 'date'
        ? {
            code: 'KP_DATE',
            pointer,
            message: `${named} must be a real date written YYYY-MM-DD; you wrote ${ctx.wrote(pointer, error.data)}.`,
            hint: description,
          }
        : {
            code: 'KP_FORMAT',
            pointer,
            message: `${named} is not a valid ${String(params.format)}; you wrote ${ctx.wrote(pointer, error.data)}.`,
            hint: description,
          };
    case 'anyOf':
    case 'oneOf':
      return {
        code: 'KP_TYPE',
        pointer,
        message: `${named} must be ${describeUnion(parent)}; you wrote ${typeof error.data === 'object' ? typeOf(error.data) : ctx.wrote(pointer, error.data)}.`,
        hint: description,
      };
    default:
      return undefined;
  }
}

function describeUnion(schema: Schema | undefined): string {
  const branches = ((schema?.anyOf ?? schema?.oneOf) as Schema[] | undefined) ?? [];
  return branches
    .map((b) =>
      typeof b.description === 'string'
        ? b.description.replace(/\.$/, '').toLowerCase()
        : (TYPE_WORDS[String(b.type)] ?? 'a value'),
    )
    .join(' or ');
}

const jsonType = (value: unknown) =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'array'
      : typeof value === 'number' && Number.isInteger(value)
        ? 'integer'
        : typeof value;

/**
 * Keep the errors a person should read: drop `if` bookkeeping, and for a union (`anyOf`) keep only the
 * errors of the branch whose type matches the value, or the union's own error when none does.
 */
function relevant(errors: ErrorObject[]): ErrorObject[] {
  const unions = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const dropped = new Set<ErrorObject>();
  for (const union of unions) {
    const branches = ((union.parentSchema as Schema).anyOf ??
      (union.parentSchema as Schema).oneOf) as Schema[];
    const type = jsonType(union.data);
    const match = branches.findIndex((b) => b.type === type || (b.type === 'number' && type === 'integer'));
    const prefix = `${union.schemaPath}/`;
    for (const e of errors) {
      const inside =
        e.instancePath === union.instancePath || e.instancePath.startsWith(`${union.instancePath}/`);
      if (!inside || !e.schemaPath.startsWith(prefix)) continue;
      if (match < 0 || !e.schemaPath.startsWith(`${prefix}${match}/`)) dropped.add(e);
    }
    if (match >= 0) dropped.add(union);
  }
  return errors.filter((e) => e.keyword !== 'if' && !dropped.has(e));
}

/** Check `data` against a schema (`profile-lenient` for an `abstract: true` base); findings in plain English. */
export function checkAgainstSchema(
  data: unknown,
  options: { check: keyof typeof CHECKS; wrote: Context['wrote'] },
): DiagnosticInit[] {
  const { validate, schema } = CHECKS[options.check];
  const root = loadSchema(schema);
  if (validate(data)) return [];
  // The generated validators are not verbose (a third of the code); recover what `verbose` would give.
  const errors = (validate.errors ?? []).map((error) => ({
    ...error,
    parentSchema: schemaAtPath(root, parentPointer(error.schemaPath.replace(/^#/, ''))),
    data: valueAtPointer(data, error.instancePath),
  }));
  const findings: DiagnosticInit[] = [];
  const seen = new Set<string>();
  for (const error of relevant(errors)) {
    const finding = explain(error, { wrote: options.wrote, root });
    if (!finding) continue;
    const key = `${finding.code}|${finding.pointer}|${finding.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push(finding);
  }
  // `organisaton:` makes `organisation` missing too; the "did you mean" on the typo already says so.
  const renamed = new Set(
    findings.flatMap((f) => {
      const guess = DID_YOU_MEAN.exec(f.message)?.[1];
      return f.code === 'KP_UNKNOWN_KEY' && guess
        ? [`${parentPointer(f.pointer)}/${escapePointer(guess)}`]
        : [];
    }),
  );
  return findings.filter((f) => f.code !== 'KP_REQUIRED' || !renamed.has(f.pointer));
}
