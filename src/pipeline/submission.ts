/**
 * `check`: would CQC (or CIW) accept each policy a profile builds as a supporting document? The policies
 * are rendered in memory as a build would make them (nothing is written, no browser is started) and held
 * to the guidance: relevant to the service, related policies listed, current references and links, no
 * blank sections or placeholder text, an accountable person named, and dates of creation and review.
 */
import path from 'node:path';
import { formatUkDate } from '../core/dates.js';
import type { Diagnostic } from '../diagnostics/errors.js';
import { diagnosticForFile, sourceFromText, type DiagnosticInit } from '../diagnostics/source.js';
import { documentSource } from '../document/model.js';
import { loadMergedProfile, originOf } from '../profile/extends.js';
import { loadYamlFile } from '../profile/load.js';
import type { ResolvedProfile } from '../profile/resolve.js';
import { loadRegister, registerPathFor } from '../register/register.js';
import type { Register } from '../register/schema.js';
import { sourceHash } from '../register/snapshots.js';
import { documentVersion, profileSnapshot, recordVersion } from '../register/versioning.js';
import { loadTemplates, type TemplateSet } from '../templates/packs.js';
import type { PolicyRendition } from '../templates/policies.js';
import { renditions } from './build-profile.js';
import { checkProfile } from './check-profile.js';
import { printedStrings, profileProblems } from './submission-profile.js';
import { emptySections, linkProblem, linksIn, placeholdersIn } from './submission-text.js';

export interface PolicySubmission {
  id: string;
  title: string;
  /** The version a build would show: the recorded one, or the one a build would record now. */
  version: string;
  status: 'draft' | 'approved';
  /** Why it could not be submitted as it stands, each located at what to fix. */
  problems: Diagnostic[];
  /** What is worth knowing but does not stop it (a draft still to approve, a provisional review date). */
  notes: string[];
}

export interface ProfileSubmission {
  /** Absolute path of the profile. */
  file: string;
  abstract: boolean;
  organisation: string | null;
  /** Problems of the profile as a whole (it is invalid, or a rule about the profile fails). */
  problems: Diagnostic[];
  policies: PolicySubmission[];
}

export const isReady = (s: ProfileSubmission): boolean =>
  s.problems.length === 0 && s.policies.every((p) => p.problems.length === 0);

/** The template's text and the partials it may call, each with the file line it starts on. */
function templateTexts(policy: PolicyRendition, set: TemplateSet) {
  const template = [...set.templates.values()].find((t) => t.file === policy.file);
  return [
    ...(template ? [{ file: template.file, text: template.body, firstLine: template.bodyLine }] : []),
    ...[...set.partials.values()].map((p) => ({ file: p.file, text: p.text, firstLine: 1 })),
  ];
}

/** Where a piece of rendered text came from: the template or a partial it calls, found by its words. */
function locateInTemplates(
  policy: PolicyRendition,
  set: TemplateSet,
  words: string,
  init: Omit<DiagnosticInit, 'pointer'>,
): Diagnostic {
  for (const { file, text, firstLine } of templateTexts(policy, set)) {
    const index = text.indexOf(words);
    if (index >= 0)
      return sourceFromText(file, text, { firstLine }).diagnosticAt([index, index + words.length], init);
  }
  return diagnosticForFile(policy.file, init);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The template line a rendered heading came from: the same words, or a heading line whose `{{…}}`
 * parts, each standing for anything, give the rendered one.
 */
function headingSource(heading: string, set: TemplateSet, policy: PolicyRendition): string {
  for (const { text } of templateTexts(policy, set))
    for (const line of text.split('\n')) {
      if (!/^ {0,3}#{1,6}\s/.test(line) || !line.includes('{{')) continue;
      const pattern = line
        .trim()
        .split(/\{\{[^}]*\}\}/)
        .map(escapeRegExp)
        .join('.*?');
      if (new RegExp(`^${pattern}$`).test(heading)) return line.trim();
    }
  return heading;
}

/** The problems in one policy's words, located in its template (or left to the profile's own checks). */
function wordingProblems(policy: PolicyRendition, set: TemplateSet, profileText: string[]): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const lineOf = (index: number) => policy.markdown.slice(0, index).split('\n').length;
  for (const section of emptySections(policy.markdown)) {
    const init = {
      code: 'KP_CHECK_EMPTY_SECTION',
      message: `The section “${section.text || '(untitled)'}” has nothing in it (line ${section.line} of the rendered policy); CQC asks for no blank sections.`,
      hint: 'Write its content, or remove the heading (or the condition that leaves it empty).',
    };
    problems.push(locateInTemplates(policy, set, headingSource(section.heading, set, policy), init));
  }
  for (const found of placeholdersIn(policy.markdown)) {
    // A placeholder the profile wrote is reported at the profile's field, once.
    if (profileText.some((text) => text.includes(found.text))) continue;
    problems.push(
      locateInTemplates(policy, set, found.text, {
        code: 'KP_CHECK_PLACEHOLDER',
        message: `The policy still holds \`${found.text}\`, ${found.what} (line ${lineOf(found.index)} of the rendered policy); CQC asks for no placeholder text.`,
        hint: 'Replace it in the template with the real wording or a field of the profile.',
      }),
    );
  }
  for (const link of linksIn(policy.markdown)) {
    const problem = linkProblem(link.url);
    if (!problem || profileText.some((text) => text.includes(link.url))) continue;
    problems.push(
      locateInTemplates(policy, set, link.url, {
        code: 'KP_CHECK_LINK',
        message: `The link \`${link.url}\` ${problem} (line ${lineOf(link.index)} of the rendered policy); CQC asks for current references and links.`,
        hint: 'Correct the address in the template: the full address of a real page, starting https://.',
      }),
    );
  }
  return problems;
}

/** Dates: when the policy was created (first issued) and when it will be reviewed, as a build would show them. */
async function datesOf(
  policy: PolicyRendition,
  profile: ResolvedProfile,
  register: Register,
  date: string,
): Promise<Pick<PolicySubmission, 'version' | 'status' | 'problems' | 'notes'>> {
  // What a build would record, worked out on a copy: the register itself is never touched.
  const copy = structuredClone(register);
  const { version, outcome } = recordVersion(copy, {
    id: policy.id,
    title: policy.title,
    markdown: policy.markdown,
    templateId: policy.id,
    templateVersion: policy.templateVersion,
    profile: profileSnapshot(profile.data),
    approverRoles: policy.approverRoles,
    date,
    source: sourceHash(await documentSource(policy, profile)),
    reviewIntervalMonths: policy.reviewIntervalMonths,
  });
  const versions = copy.policies[policy.id]?.versions ?? [];
  const info = documentVersion(versions, policy.reviewIntervalMonths, version);
  const notes: string[] = [];
  const problems: Diagnostic[] = [];
  if (outcome !== 'unchanged')
    notes.push(
      outcome === 'created' && versions.length === 1
        ? `Not built yet: a build would record it as draft ${version.version}.`
        : `Changed since it was last recorded: a build would record it as draft ${version.version}.`,
    );
  if (info.status === 'draft')
    notes.push(
      `Version ${info.version} is a draft: have it approved (keypolicy approve) before you submit it; its next review date, ${formatUkDate(info.nextReviewDate)}, is provisional until then.`,
    );
  if (version.withdrawn) notes.push(`It was withdrawn on ${formatUkDate(version.withdrawn.date)}.`);
  const firstIssued = profile.data.documentControl?.firstIssued ?? info.firstIssued;
  if (!firstIssued)
    notes.push(`It shows its first issue as “on approval”; the version is dated ${formatUkDate(info.date)}.`);
  if (info.status === 'approved' && outcome === 'unchanged' && info.nextReviewDate < date) {
    const registerFile = registerPathFor(profile.file);
    const index = versions.indexOf(version);
    const loaded = await loadYamlFile(registerFile, 'register');
    const init = {
      code: 'KP_CHECK_REVIEW_OVERDUE',
      pointer: `/policies/${policy.id}/versions/${index}/nextReviewDate`,
      message: `Version ${info.version} was due for review on ${formatUkDate(info.nextReviewDate)}, before ${formatUkDate(date)}; CQC asks for a policy that shows when it will be reviewed, and this date has passed.`,
      hint: 'Review it (keypolicy review) or build and approve a new version.',
    };
    problems.push(loaded.source ? loaded.source.diagnostic(init) : diagnosticForFile(registerFile, init));
  }
  return { version: info.version, status: info.status, problems, notes };
}

/** Check one profile as a submission on `date`. Never writes anything; bad input comes back as problems. */
export async function checkSubmission(file: string, options: { date: string }): Promise<ProfileSubmission> {
  const absolute = path.resolve(file);
  const report = await checkProfile(absolute, { register: false });
  const organisation = (report.data?.organisation as { name?: unknown } | undefined)?.name;
  const base = {
    file: absolute,
    abstract: report.abstract,
    organisation: typeof organisation === 'string' ? organisation : null,
    policies: [],
  };
  const profile = report.resolved;
  if (!profile) return { ...base, problems: report.errors };
  const loaded = await loadRegister(registerPathFor(absolute));
  const { merged } = await loadMergedProfile(absolute);
  if (!loaded.register || !merged) return { ...base, problems: loaded.diagnostics };
  const register = loaded.register;
  const rendered = await renditions(profile, register, { date: options.date, frozen: true });
  if (rendered.diagnostics.length > 0) return { ...base, problems: rendered.diagnostics };
  const set = await loadTemplates(profile.templatePacks);
  const problems = await profileProblems(profile, merged, set.templates, options.date);
  if (rendered.policies.length === 0)
    problems.push(
      originOf(merged, '/policies').diagnostic({
        code: 'KP_CHECK_NO_POLICY',
        pointer: '/policies',
        message: 'No policy applies to this profile, so there is nothing to submit.',
        hint: 'List a template under `policies` (`keypolicy templates` shows those available).',
      }),
    );
  const profileText = printedStrings(merged.data).map((s) => s.value);
  const policies: PolicySubmission[] = [];
  for (const policy of rendered.policies) {
    const dates = await datesOf(policy, profile, register, options.date);
    policies.push({
      id: policy.id,
      title: policy.title,
      ...dates,
      problems: [...wordingProblems(policy, set, profileText), ...dates.problems],
    });
  }
  return { ...base, problems, policies };
}
