/**
 * The copy of the profile schema that lives beside a profile (`keypolicy.schema.json`), named by the
 * profile's `# yaml-language-server: $schema=…` line so an editor finds it on any machine that has the
 * folder. Each copy is stamped with the keypolicy that wrote it (`x-keypolicy-version`); `validate`
 * warns when the copy a profile names comes from an older keypolicy.
 */
import { open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { VERSION } from '../core/version.js';
import type { Diagnostic } from '../diagnostics/errors.js';
import { shownPath } from '../diagnostics/report.js';
import { writeFileAtomic } from '../output/atomic-write.js';
import { PROFILE_SCHEMA_FILE } from '../profile/schema-lookup.js';
import type { ProfileReport } from '../profile/validate.js';

/** The name of the copy `init` writes beside a profile. */
export const SCHEMA_COPY = 'keypolicy.schema.json';
/** The warning code (silenced by `validation.suppress`). */
export const SCHEMA_OUTDATED = 'KP_SCHEMA_OUTDATED';

/** The profile schema as published: stamped with this keypolicy's version (`x-keypolicy-version`). */
export const stampedSchema = (): Promise<string> => readFile(PROFILE_SCHEMA_FILE, 'utf8');

/** Write the stamped schema to `file` (replacing what is there). */
export async function writeSchemaCopy(file: string): Promise<void> {
  await writeFileAtomic(file, await stampedSchema());
}

/** Compare two release numbers (`0.10.1` after `0.9.3`); a pre-release tag is ignored. */
export function compareReleases(a: string, b: string): number {
  const parts = (v: string) =>
    v
      .split(/[-+]/)[0]
      ?.split('.')
      .map((n) => Number(n) || 0) ?? [];
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The first few kilobytes of a regular file, where the modeline is. */
async function firstLines(file: string): Promise<string | undefined> {
  // Stat first: opening a named pipe would wait for a writer.
  if (!(await stat(file).catch(() => undefined))?.isFile()) return undefined;
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return undefined;
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

const MODELINE = /^#\s*yaml-language-server:\s*\$schema=(\S+)\s*$/;

/** Where the modeline names a local schema file: its line and the path, resolved from the profile. */
function schemaReference(
  text: string,
  profile: string,
): { line: number; column: number; file: string } | undefined {
  const lines = text.split('\n', 40);
  for (const [index, line] of lines.entries()) {
    const match = MODELINE.exec(line.replace(/\r$/, ''));
    if (!match?.[1]) continue;
    const target = match[1];
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) return undefined;
    return {
      line: index + 1,
      column: line.indexOf(target) + 1,
      file: path.resolve(path.dirname(profile), target),
    };
  }
  return undefined;
}

/** A warning when the profile's local schema copy was written by an older keypolicy (or is unstamped). */
export async function schemaCopyWarnings(report: ProfileReport): Promise<Diagnostic[]> {
  const validation = report.data?.validation as { suppress?: unknown } | undefined;
  if (Array.isArray(validation?.suppress) && validation.suppress.includes(SCHEMA_OUTDATED)) return [];
  // Only a profile that loaded (a regular file, never a pipe or a device), and only its first lines.
  if (report.data === undefined) return [];
  const text = await firstLines(report.file);
  const reference = text === undefined ? undefined : schemaReference(text, report.file);
  if (!reference) return [];
  const copy = await readFile(reference.file, 'utf8')
    .then((t) => JSON.parse(t) as Record<string, unknown>)
    .catch(() => undefined);
  // Only a keypolicy schema is judged: another tool's schema, or a missing file, is the editor's business.
  if (!copy || typeof copy.$id !== 'string' || !copy.$id.includes('keypolicy')) return [];
  const stamp = typeof copy['x-keypolicy-version'] === 'string' ? copy['x-keypolicy-version'] : undefined;
  if (stamp !== undefined && compareReleases(stamp, VERSION) >= 0) return [];
  const sourceLine = text?.split('\n')[reference.line - 1]?.replace(/\r$/, '');
  const where = path.relative(path.dirname(report.file), reference.file).split(path.sep).join('/');
  return [
    {
      code: SCHEMA_OUTDATED,
      severity: 'warning',
      file: report.file,
      path: '',
      line: reference.line,
      column: reference.column,
      length: where.length,
      message: `The schema your editor checks this profile with (${shownPath(reference.file, path.dirname(report.file))}) comes from ${stamp ? `keypolicy ${stamp}` : 'an older keypolicy'}; this is keypolicy ${VERSION}, so the editor may flag valid fields or miss new ones.`,
      hint: `Refresh it: keypolicy schema --out ${where}. Or silence this with \`validation: { suppress: [${SCHEMA_OUTDATED}] }\`.`,
      ...(sourceLine !== undefined ? { sourceLine } : {}),
    },
  ];
}
