/** Find the part of the profile schema that describes a field: for hints, suggestions and comments. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../version.js';
import { pointerSegments } from './source.js';

/** The generated schema file (kept identical to src/profile/schema.ts by a test). */
export const PROFILE_SCHEMA_FILE = path.join(PACKAGE_ROOT, 'schemas', 'profile.schema.json');

export type SchemaNode = Record<string, unknown>;

let root: SchemaNode | undefined;

/** The profile schema as plain JSON, read once per process. */
export const rootSchema = (): SchemaNode =>
  (root ??= JSON.parse(readFileSync(PROFILE_SCHEMA_FILE, 'utf8')) as SchemaNode);

/** The subschema that describes the value at `pointer`, following properties, items and unions. */
export function schemaAt(pointer: string): SchemaNode | undefined {
  let schema: SchemaNode | undefined = rootSchema();
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
