/** Which policies a profile gets, rendered: the library entry point for `build`, `diff` and the tests. */
import path from 'node:path';
import type { Diagnostic } from '../errors.js';
import type { ResolvedProfile } from '../profile/resolve.js';
import { sourceFromText } from '../profile/source.js';
import { appliesTo, loadTemplates, type Template, type TemplateSet } from './packs.js';
import { renderPolicy, type RenderedPolicy } from './render.js';

export interface PolicyRequest {
  /** Template packs from the command line (`--templates`), after the profile's own. */
  packs?: readonly string[];
  /** Template ids from `--policy`; otherwise the profile's `policies`, otherwise every applicable template. */
  policies?: readonly string[];
  /** The version date (YYYY-MM-DD), or for each policy id its own (a recorded version keeps its date). */
  date: string | ((id: string) => string);
}

interface PolicyEntry {
  id: string;
  title?: string;
  reviewIntervalMonths?: number;
  approvers?: string[];
}

/** The profile's `policies` list as entries (an entry may be an id or an object with overrides). */
function profilePolicies(profile: ResolvedProfile): PolicyEntry[] | undefined {
  const list = (profile.data.policies ?? undefined) as (string | PolicyEntry)[] | undefined;
  return list?.map((entry) => (typeof entry === 'string' ? { id: entry } : entry));
}

/** The templates a profile's build makes, in a stable order, or diagnostics naming unknown ids. */
export function selectTemplates(
  profile: ResolvedProfile,
  set: TemplateSet,
  requested?: readonly string[],
): { selected: { template: Template; entry: PolicyEntry }[]; diagnostics: Diagnostic[] } {
  const fromProfile = profilePolicies(profile);
  const entries: PolicyEntry[] = requested?.length
    ? requested.map((id) => fromProfile?.find((e) => e.id === id) ?? { id })
    : (fromProfile ??
      [...set.templates.values()]
        .filter((t) => appliesTo(t, profile.nation, profile.serviceType))
        .map((t) => ({ id: t.id })));
  const diagnostics: Diagnostic[] = [];
  const selected: { template: Template; entry: PolicyEntry }[] = [];
  for (const entry of entries) {
    const template = set.templates.get(entry.id);
    if (template) selected.push({ template, entry });
    else {
      const known = [...set.templates.keys()].map((id) => `\`${id}\``).join(', ');
      diagnostics.push(
        sourceFromText(profile.file, '').diagnosticAt([0, 0], {
          code: 'KP_POLICY_UNKNOWN',
          message: `There is no template with the id \`${entry.id}\`.`,
          hint: `Available templates: ${known || 'none'}. \`keypolicy templates\` lists them.`,
        }),
      );
    }
  }
  selected.sort((a, b) => a.template.id.localeCompare(b.template.id));
  return { selected, diagnostics };
}

/** A rendered policy with the document-control settings that apply to it. */
export interface PolicyRendition extends RenderedPolicy {
  reviewIntervalMonths: number;
  /** The roles that must sign it (the policy's own `approvers`, else the profile's). */
  approverRoles: string[];
}

/** Render every policy a profile gets. Problems come back as diagnostics, never as throws. */
export async function renderProfilePolicies(
  profile: ResolvedProfile,
  request: PolicyRequest,
): Promise<{ policies: PolicyRendition[]; diagnostics: Diagnostic[] }> {
  const set = await loadTemplates([
    ...profile.templatePacks,
    ...(request.packs ?? []).map((p) => path.resolve(p)),
  ]);
  if (set.diagnostics.length > 0) return { policies: [], diagnostics: set.diagnostics };
  const { selected, diagnostics } = selectTemplates(profile, set, request.policies);
  const policies: PolicyRendition[] = [];
  for (const { template, entry } of selected) {
    const reviewIntervalMonths =
      entry.reviewIntervalMonths ??
      (profile.data.documentControl as { reviewIntervalMonths?: number } | undefined)?.reviewIntervalMonths ??
      12;
    const date = typeof request.date === 'string' ? request.date : request.date(template.id);
    const result = renderPolicy(template, set.partials, profile, { version: date, reviewIntervalMonths });
    diagnostics.push(...result.diagnostics);
    if (result.policy) {
      policies.push({
        ...result.policy,
        ...(entry.title ? { title: entry.title } : {}),
        reviewIntervalMonths,
        approverRoles: entry.approvers ?? [...profile.approvers],
      });
    }
  }
  return { policies, diagnostics };
}
