/** Find the part of the profile schema that describes a field: for hints, suggestions and comments. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../core/version.js';
import { pointerSegments } from '../diagnostics/source.js';

/** The generated schema files (kept identical to their TypeBox sources by a test). */
export const schemaFile = (name: SchemaName): string =>
  path.join(PACKAGE_ROOT, 'schemas', `${name}.schema.json`);
export const PROFILE_SCHEMA_FILE = schemaFile('profile');

export type SchemaName = 'profile' | 'template' | 'register';
export type SchemaNode = Record<string, unknown>;

const loaded = new Map<SchemaName, SchemaNode>();

/** A schema as plain JSON, read once per process. */
export function loadSchema(name: SchemaName): SchemaNode {
  let schema = loaded.get(name);
  if (!schema) {
    schema = JSON.parse(readFileSync(schemaFile(name), 'utf8')) as SchemaNode;
    // The published profile schema wraps the complete rules for editors (files that extend a base,
    // abstract bases); keypolicy's validators check the rules, and their error paths point into them.
    const complete = (schema.$defs as Record<string, SchemaNode> | undefined)?.complete;
    if (complete) schema = { $id: schema.$id, ...complete };
    loaded.set(name, schema);
  }
  return schema;
}

/** The profile schema. */
export const rootSchema = (): SchemaNode => loadSchema('profile');

/** The subschema that describes the value at `pointer`, following properties, items and unions. */
export function schemaAt(pointer: string, root: SchemaNode = rootSchema()): SchemaNode | undefined {
  let schema: SchemaNode | undefined = root;
  for (const segment of pointerSegments(pointer)) {
    const union = (schema.anyOf ?? schema.oneOf) as SchemaNode[] | undefined;
    if (union) schema = union.find((s) => s.type === 'object') ?? union[0];
    const properties = schema?.properties as Record<string, SchemaNode> | undefined;
    if (properties && Object.hasOwn(properties, segment)) schema = properties[segment];
    else if (schema?.items && /^\d+$/.test(segment)) schema = schema.items as SchemaNode;
    else return undefined;
    if (!schema) return undefined;
  }
  return schema;
}
