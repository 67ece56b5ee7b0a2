/** A profile checked as every command sees it: the profile itself, its policy ids against the template packs, and its register. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/errors.js';
import { diagnosticForFile } from '../diagnostics/source.js';
import { NATIONS, type Nation } from '../profile/enums.js';
import { validateProfile, type ProfileReport } from '../profile/validate.js';
import { loadRegister, registerPathFor } from '../register/register.js';
import { DATA_OUT_OF_DATE, dataAgeProblem, dataFileFor } from '../templates/data-files.js';

/** `a.yaml` beside `a.yml` (any case): both would keep their history in one `a.register.yaml`. */
function sharedRegister(file: string): Diagnostic[] {
  const ext = path.extname(file);
  const stem = path.basename(file, ext);
  const twin = ['.yaml', '.yml', '.YAML', '.YML']
    .filter((e) => e.toLowerCase() !== ext.toLowerCase())
    .map((e) => path.join(path.dirname(file), `${stem}${e}`))
    .find((candidate) => existsSync(candidate));
  if (!twin) return [];
  return [
    diagnosticForFile(file, {
      code: 'KP_REGISTER_SHARED',
      message: `${path.basename(file)} and ${path.basename(twin)} are in one folder, so both would keep their history in ${path.basename(registerPathFor(file))}.`,
      hint: 'Rename one of them (each profile needs its own name).',
    }),
  ];
}

/**
 * The warning that the regulatory data file of the profile's nation is more than a year older than
 * `date`, unless the profile silences it (`validation.suppress`).
 */
async function dataAgeWarnings(report: ProfileReport, date: string): Promise<Diagnostic[]> {
  const nation = report.data?.nation;
  if (typeof nation !== 'string' || !(NATIONS as readonly string[]).includes(nation)) return [];
  const validation = report.data?.validation as { suppress?: unknown } | undefined;
  if (Array.isArray(validation?.suppress) && validation.suppress.includes(DATA_OUT_OF_DATE)) return [];
  const problem = dataAgeProblem(await dataFileFor(nation as Nation), date, { severity: 'warning' });
  return problem ? [problem] : [];
}

/**
 * The profile's section overrides against the templates they reword (its own packs): a section a later
 * template renamed or removed is an error, never words dropped silently.
 */
async function sectionOverrideErrors(report: ProfileReport): Promise<Diagnostic[]> {
  const profile = report.resolved;
  const entries = (profile?.data.policies ?? []).flatMap((e) =>
    typeof e === 'object' && e.sections && Object.keys(e.sections).length ? [e] : [],
  );
  if (!profile || entries.length === 0) return [];
  const { loadTemplates } = await import('../templates/packs.js');
  const { unknownSectionDiagnostics } = await import('../templates/overrides.js');
  const set = await loadTemplates(profile.templatePacks);
  return entries.flatMap((entry) => {
    const template = set.templates.get(entry.id);
    return template && entry.sections
      ? unknownSectionDiagnostics(template, entry.sections, profile.file)
      : [];
  });
}

/**
 * Validate a profile with the checks that need the layers above it. `register: false` leaves the
 * register to the caller: a build reads it anyway, and skips it when its bytes are unchanged. With a
 * `date` (validate's), the age of the nation's regulatory data is checked too.
 */
export async function checkProfile(
  file: string,
  options: { register?: boolean; date?: string } = {},
): Promise<ProfileReport> {
  let report = await validateProfile(file, {
    // The template engine is loaded only when a profile lists policies.
    templateIds: async (packs) => {
      const { loadTemplates } = await import('../templates/packs.js');
      return new Set((await loadTemplates(packs)).templates.keys());
    },
    // What is kept beside the profile is part of what is checked: its register's name is its own, and
    // hand edits of its history show here.
    beside: async (profile: string) => [
      ...sharedRegister(profile),
      ...(options.register !== false ? (await loadRegister(registerPathFor(profile))).diagnostics : []),
    ],
  });
  const sectionErrors = await sectionOverrideErrors(report);
  if (sectionErrors.length > 0) {
    // Not buildable: the profile's words would be dropped.
    report = { ...report, errors: [...report.errors, ...sectionErrors] };
    delete report.resolved;
  }
  if (options.date === undefined) return report;
  return { ...report, warnings: [...report.warnings, ...(await dataAgeWarnings(report, options.date))] };
}
