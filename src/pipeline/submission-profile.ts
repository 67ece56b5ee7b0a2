/**
 * `check`'s rules about the profile itself, each located at the field to fix: related policies listed,
 * an accountable person named (and not init's example), no example value or placeholder left, links
 * well formed, every policy relevant to the service, and the regulatory data current.
 */
import type { Diagnostic } from '../diagnostics/errors.js';
import { escapePointer, valueAtPointer, type DiagnosticInit } from '../diagnostics/source.js';
import { originOf, type MergedProfile } from '../profile/extends.js';
import { exampleValuesIn, type ExampleValue } from '../profile/example-values.js';
import type { ResolvedProfile } from '../profile/resolve.js';
import { dataAgeProblem, dataFileFor } from '../templates/data-files.js';
import type { Template } from '../templates/packs.js';
import { appliesTo } from '../templates/selection.js';
import { linkProblem, placeholdersIn } from './submission-text.js';

/** Fields that never reach a document: paths, settings and the schema's own. */
const NOT_PRINTED = [
  '/$schema',
  '/extends',
  '/abstract',
  '/templates',
  '/validation',
  '/output',
  '/organisation/logo',
];

/** Every string in the profile that a document may print, with its pointer. */
export function printedStrings(data: unknown): { pointer: string; value: string }[] {
  const found: { pointer: string; value: string }[] = [];
  const visit = (value: unknown, pointer: string): void => {
    if (NOT_PRINTED.some((p) => pointer === p || pointer.startsWith(`${p}/`))) return;
    if (typeof value === 'string') found.push({ pointer, value });
    else if (Array.isArray(value)) value.forEach((item, i) => visit(item, `${pointer}/${i}`));
    else if (value !== null && typeof value === 'object')
      for (const [key, child] of Object.entries(value)) visit(child, `${pointer}/${escapePointer(key)}`);
  };
  visit(data, '');
  return found;
}

/** The people a policy names as accountable: the registered manager in England; the manager and RI in Wales. */
const ACCOUNTABLE: Record<ResolvedProfile['nation'], { pointer: string; role: string }[]> = {
  england: [{ pointer: '/people/registeredManager', role: 'registered manager' }],
  wales: [
    { pointer: '/people/manager', role: 'manager' },
    { pointer: '/people/responsibleIndividual', role: 'responsible individual' },
  ],
};

const shown = (example: ExampleValue) =>
  typeof example.value === 'string' ? example.value : `${example.value.firstName} ${example.value.lastName}`;

function accountablePeople(profile: ResolvedProfile, merged: MergedProfile): DiagnosticInit[] {
  return ACCOUNTABLE[profile.nation].flatMap(({ pointer, role }): DiagnosticInit[] => {
    const person = valueAtPointer(merged.data, pointer) as
      { firstName?: unknown; lastName?: unknown } | undefined;
    const name = [person?.firstName, person?.lastName]
      .filter((n) => typeof n === 'string' && n.trim())
      .join(' ');
    if (!person || !name)
      return [
        {
          code: 'KP_CHECK_ACCOUNTABLE_PERSON',
          pointer,
          message: `The policy must name an accountable person, but the profile gives no ${role}.`,
          hint: `Add \`${pointer.slice(1).replace(/\//g, '.')}\` with their firstName and lastName.`,
        },
      ];
    const example = exampleValuesIn((p) => valueAtPointer(merged.data, p)).find((e) => e.pointer === pointer);
    if (!example) return [];
    return [
      {
        code: 'KP_CHECK_ACCOUNTABLE_PERSON',
        pointer,
        message: `The accountable ${role} is still \`${shown(example)}\`, the example \`keypolicy init\` wrote, not a real person.`,
        hint: `Replace it with ${example.replaceWith}.`,
      },
    ];
  });
}

function exampleValues(profile: ResolvedProfile, merged: MergedProfile): DiagnosticInit[] {
  const people = new Set(ACCOUNTABLE[profile.nation].map((a) => a.pointer));
  return exampleValuesIn((p) => valueAtPointer(merged.data, p))
    .filter((example) => !people.has(example.pointer))
    .map((example) => ({
      code: 'KP_CHECK_EXAMPLE_VALUE',
      pointer: example.pointer,
      message: `This is still the example value \`${shown(example)}\` that \`keypolicy init\` wrote; a policy you submit must show the real one.`,
      hint: `Replace it with ${example.replaceWith}.`,
    }));
}

function relatedPolicies(profile: ResolvedProfile): DiagnosticInit[] {
  const keyWorking = profile.data.keyWorking ?? {};
  if (keyWorking.sections?.relatedPolicies === false)
    return [
      {
        code: 'KP_CHECK_RELATED_POLICIES',
        pointer: '/keyWorking/sections/relatedPolicies',
        message:
          'The related policies section is switched off, but CQC asks that a policy lists related policies.',
        hint: 'Set `keyWorking.sections.relatedPolicies: true` and list them under `keyWorking.relatedPolicies`.',
      },
    ];
  if ((keyWorking.relatedPolicies ?? []).length > 0) return [];
  return [
    {
      code: 'KP_CHECK_RELATED_POLICIES',
      pointer: '/keyWorking/relatedPolicies',
      message: 'No related policies are listed, but CQC asks that a policy lists related policies.',
      hint: 'List them under `keyWorking.relatedPolicies`, each with a `title` (and your `code` for it), e.g. your safeguarding and complaints policies.',
    },
  ];
}

function placeholders(merged: MergedProfile): DiagnosticInit[] {
  return printedStrings(merged.data).flatMap(({ pointer, value }) =>
    placeholdersIn(value).map((found) => ({
      code: 'KP_CHECK_PLACEHOLDER',
      pointer,
      message: `This holds \`${found.text}\`, ${found.what}; a policy you submit must have no placeholder text.`,
      hint: 'Replace it with the real wording.',
    })),
  );
}

function links(merged: MergedProfile): DiagnosticInit[] {
  return printedStrings(merged.data).flatMap(({ pointer, value }) => {
    const website = pointer === '/organisation/contact/website';
    if (!website && !/^https?:/i.test(value.trim())) return [];
    const problem = linkProblem(value.trim());
    return problem
      ? [
          {
            code: 'KP_CHECK_LINK',
            pointer,
            message: `The link \`${value}\` ${problem}; CQC asks for current references and links.`,
            hint: 'Write the full address of a real page, starting https://.',
          },
        ]
      : [];
  });
}

/** Every policy the profile lists must be one that applies to its nation and kind of service. */
function relevance(profile: ResolvedProfile, templates: ReadonlyMap<string, Template>): DiagnosticInit[] {
  return (profile.data.policies ?? []).flatMap((entry, index): DiagnosticInit[] => {
    const id = typeof entry === 'string' ? entry : entry.id;
    const template = templates.get(id);
    if (!template || appliesTo(template, profile.nation, profile.serviceType)) return [];
    return [
      {
        code: 'KP_CHECK_NOT_RELEVANT',
        pointer: typeof entry === 'string' ? `/policies/${index}` : `/policies/${index}/id`,
        message: `The template \`${id}\` is written for ${template.nations.join(' and ')} (${template.services.join(', ')}), not for this ${profile.nation} ${profile.serviceType} service.`,
        hint: 'Choose a template that applies to the service (`keypolicy templates` lists them), or correct `nation` or `service.type`.',
      },
    ];
  });
}

/** The profile's problems, located in the profile (or in the regulatory data file, for its date). */
export async function profileProblems(
  profile: ResolvedProfile,
  merged: MergedProfile,
  templates: ReadonlyMap<string, Template>,
  date: string,
): Promise<Diagnostic[]> {
  // A field still holding init's example is reported once, as an example, not again as a placeholder.
  const examples = exampleValuesIn((p) => valueAtPointer(merged.data, p)).map((e) => e.pointer);
  const findings = [
    ...relevance(profile, templates),
    ...relatedPolicies(profile),
    ...accountablePeople(profile, merged),
    ...exampleValues(profile, merged),
    ...placeholders(merged).filter(
      (f) => !examples.some((p) => f.pointer === p || f.pointer.startsWith(`${p}/`)),
    ),
    ...links(merged),
  ];
  const located = findings.map((f) => originOf(merged, f.pointer).diagnostic(f));
  const data = dataAgeProblem(await dataFileFor(profile.nation), date, {
    severity: 'error',
    requireDate: true,
  });
  return data ? [...located, data] : located;
}
