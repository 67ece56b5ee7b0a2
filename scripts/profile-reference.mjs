// Renders the profile schema as the README's reference table: one row per field, from the schema's
// own descriptions and defaults, so the documentation cannot drift from the schema.

const typeName = (schema) => {
  // Joined with a bare `|`: cell() escapes it once for the table.
  if (schema.enum) return schema.enum.map((v) => `\`${v}\``).join(' | ');
  if (schema.anyOf) return schema.anyOf.map(typeName).join(' or ');
  if (schema.type === 'array') return `list of ${typeName(schema.items ?? {})}`;
  if (schema.type === 'object') return 'mapping';
  if (schema.format === 'date') return 'date';
  return schema.type ?? 'any';
};

const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');

function rows(schema, path, required, out) {
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    const full = path ? `${path}.${key}` : key;
    const def =
      child.default !== undefined &&
      !(typeof child.default === 'object' && Object.keys(child.default).length === 0)
        ? `\`${JSON.stringify(child.default)}\``
        : '';
    const need = required.includes(key) ? 'yes' : '';
    out.push(
      `| \`${full}\` | ${cell(typeName(child))} | ${need} | ${def} | ${cell(child.description ?? '')} |`,
    );
    if (child.type === 'object') rows(child, full, child.required ?? [], out);
    if (child.type === 'array' && child.items?.type === 'object')
      rows(child.items, `${full}[]`, child.items.required ?? [], out);
    const entry = child.items?.anyOf?.find((s) => s.type === 'object');
    if (entry) rows(entry, `${full}[]`, entry.required ?? [], out);
  }
}

export function profileReference(schema) {
  const out = ['| field | type | required | default | description |', '| --- | --- | --- | --- | --- |'];
  rows(schema, '', schema.required ?? [], out);
  const conditions = (schema.allOf ?? []).map((c) => `- ${c.description}`);
  return [...out, '', 'Conditional requirements:', '', ...conditions].join('\n');
}
