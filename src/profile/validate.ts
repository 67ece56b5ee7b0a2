/** Validate a profile file: load it with its `extends` chain, then run the schema and semantic checks. */
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/errors.js';
import { loadMergedProfile, originOf, type MergedProfile } from './extends.js';
import type { PlainObject } from './load.js';
import { resolveProfile, type ResolvedProfile } from './resolve.js';
import { checkAgainstSchema } from './schema-check.js';
import { checkSemantics } from './semantic-check.js';
import { inlineStaff, loadStaffFile, type StaffList } from './staff.js';
import type { DiagnosticInit } from '../diagnostics/source.js';

export interface ProfileReport {
  /** Absolute path of the profile. */
  file: string;
  errors: Diagnostic[];
  warnings: Diagnostic[];
  /** The merged profile, present when it could be parsed (even with schema errors). */
  data?: PlainObject;
  /** True for an `abstract: true` base, which is validated leniently and never built. */
  abstract: boolean;
  /** The profile ready to build: present when it has no errors and is not abstract. */
  resolved?: ResolvedProfile;
  /** The files of its `extends` chain, leaf first (what a change to can change the profile). */
  chain: string[];
}

const byPosition = (a: Diagnostic, b: Diagnostic) =>
  a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code);

function truncate(text: string, max = 60): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/** Paths in a profile are relative to the file that wrote them (a base profile's logo to the base). */
const folderOf = (merged: MergedProfile) => (pointer: string) => path.dirname(originOf(merged, pointer).file);

function locate(merged: MergedProfile, finding: DiagnosticInit): Diagnostic {
  return originOf(merged, finding.pointer).diagnostic(finding);
}

/**
 * Checks a profile gets from the layers above it, passed in so this layer never reaches up: which
 * template ids its packs provide (templates), and what is wrong with the files kept beside it (register).
 */
export interface ProfileChecks {
  templateIds?: (packs: string[]) => Promise<ReadonlySet<string>>;
  beside?: (file: string) => Promise<Diagnostic[]>;
}

/**
 * Every id in `policies` should name a template of the built-in pack or the profile's own packs. Only a
 * warning: `build --templates DIR` may still supply it.
 */
async function checkPolicyIds(
  merged: MergedProfile,
  findings: DiagnosticInit[],
  templateIds: NonNullable<ProfileChecks['templateIds']>,
): Promise<DiagnosticInit[]> {
  const policies = merged.data.policies;
  if (
    !Array.isArray(policies) ||
    findings.some((f) => f.pointer.startsWith('/policies') || f.pointer.startsWith('/templates'))
  ) {
    return [];
  }
  const packs = Array.isArray(merged.data.templates) ? (merged.data.templates as string[]) : [];
  const ids = await templateIds(
    packs.map((pack, i) => path.resolve(folderOf(merged)(`/templates/${i}`), pack)),
  );
  return policies.flatMap((entry: unknown, index) => {
    const id = typeof entry === 'string' ? entry : (entry as { id?: unknown }).id;
    if (typeof id !== 'string' || ids.has(id)) return [];
    return [
      {
        code: 'KP_POLICY_UNKNOWN',
        severity: 'warning' as const,
        pointer: typeof entry === 'string' ? `/policies/${index}` : `/policies/${index}/id`,
        message: `No template has the id \`${id}\` in the built-in pack or this profile's \`templates\` packs.`,
        hint: `Available: ${[...ids].map((k) => `\`${k}\``).join(', ')}. \`keypolicy templates\` lists them; a build fails unless --templates supplies it.`,
      },
    ];
  });
}

/** The staff list, inline or in the file `staff:` names (relative to the file that names it). */
async function readStaff(
  merged: MergedProfile,
  file: string,
): Promise<{ staff?: StaffList; diagnostics: Diagnostic[] }> {
  const value = merged.data.staff;
  if (Array.isArray(value)) return inlineStaff(file, value, (init) => locate(merged, init));
  if (typeof value !== 'string') return { diagnostics: [] };
  return loadStaffFile(path.resolve(folderOf(merged)('/staff'), value), (message, hint) =>
    locate(merged, { code: 'KP_STAFF_FILE', pointer: '/staff', message, hint }),
  );
}

/**
 * Validate one profile and report every problem at once, with the checks the layers above pass in.
 * Never throws for bad input.
 */
export async function validateProfile(file: string, checks: ProfileChecks = {}): Promise<ProfileReport> {
  const absolute = path.resolve(file);
  const { merged, diagnostics } = await loadMergedProfile(absolute);
  const found = [...diagnostics];
  let abstract = false;
  let staff: StaffList | undefined;
  if (merged) {
    abstract = merged.data.abstract === true;
    const wrote = (pointer: string, value: unknown) => {
      const text = originOf(merged, pointer).sourceOf(pointer);
      return `\`${truncate(typeof value === 'string' ? value : (text ?? JSON.stringify(value)))}\``;
    };
    const findings = [
      ...checkAgainstSchema(merged.data, { check: abstract ? 'profile-lenient' : 'profile', wrote }),
      ...(await checkSemantics({
        data: merged.data,
        folderOf: folderOf(merged),
      })),
    ];
    found.push(...findings.map((f) => locate(merged, f)));
    if (!findings.some((f) => f.pointer === '/staff' || f.pointer.startsWith('/staff/'))) {
      const read = await readStaff(merged, absolute);
      staff = read.staff;
      found.push(...read.diagnostics);
    }
    if (checks.templateIds)
      found.push(
        ...(await checkPolicyIds(merged, findings, checks.templateIds)).map((f) => locate(merged, f)),
      );
    if (!abstract && checks.beside) found.push(...(await checks.beside(absolute)));
  }
  found.sort(byPosition);
  const errors = found.filter((d) => d.severity === 'error');
  const buildable = merged && errors.length === 0 && !abstract;
  return {
    file: absolute,
    errors,
    warnings: found.filter((d) => d.severity === 'warning'),
    ...(merged ? { data: merged.data } : {}),
    abstract,
    chain: merged ? merged.chain.map((source) => source.file) : [absolute],
    ...(buildable ? { resolved: resolveProfile(absolute, merged.data, folderOf(merged), staff) } : {}),
  };
}
