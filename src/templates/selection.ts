/** Which policies a profile gets: the templates that apply to it, or those it (or the command line) names. */
import type { Diagnostic } from '../diagnostics/errors.js';
import { sourceFromText } from '../diagnostics/source.js';
import type { Nation, ServiceType } from '../profile/enums.js';
import type { ResolvedProfile } from '../profile/resolve.js';
import type { Template, TemplateSet } from './packs.js';
import type { SectionOverride } from './sections.js';

/** A policy the profile asks for: its id, with the profile's overrides of the template's settings. */
export interface PolicyEntry {
  id: string;
  title?: string;
  reviewIntervalMonths?: number;
  approvers?: string[];
  /** The organisation's own words for sections of the template, by section id. */
  sections?: Record<string, SectionOverride>;
}

/** Whether a template applies to a nation and service type. */
export const appliesTo = (template: Template, nation: Nation, service: ServiceType): boolean =>
  template.nations.includes(nation) && template.services.includes(service);

/** The profile's `policies` list as entries (an entry may be an id or an object with overrides). */
function profilePolicies(profile: ResolvedProfile): PolicyEntry[] | undefined {
  const list = profile.data.policies ?? undefined;
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
