/** The profile `keypolicy init` writes: every field a policy needs, commented from the schema's descriptions. */
import { Document, isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import { EXAMPLE_ORGANISATION_NAME, EXAMPLE_VALUES } from './example-values.js';
import type { Profile } from './schema.js';
import { schemaAt } from './schema-lookup.js';
import { escapePointer } from '../diagnostics/source.js';

export interface StarterOptions {
  name?: string;
  nation: Profile['nation'];
  service: Profile['service']['type'];
  term: 'key' | 'link';
  sharedRole: boolean;
}

const example = (pointer: string) => {
  const found = EXAMPLE_VALUES.find((e) => e.pointer === pointer);
  if (!found) throw new Error(`no example value for ${pointer}`);
  return typeof found.value === 'string' ? found.value : { ...found.value };
};

/** The starter profile as data. */
export function starterProfile(options: StarterOptions): Profile {
  const wales = options.nation === 'wales';
  return {
    organisation: { name: options.name ?? EXAMPLE_ORGANISATION_NAME },
    nation: options.nation,
    registration: wales
      ? { ciwServiceId: example('/registration/ciwServiceId') as string }
      : {
          cqcProviderId: example('/registration/cqcProviderId') as string,
          cqcLocationId: example('/registration/cqcLocationId') as string,
        },
    people: wales
      ? {
          responsibleIndividual: example('/people/responsibleIndividual') as {
            firstName: string;
            lastName: string;
          },
          manager: example('/people/manager') as { firstName: string; lastName: string },
        }
      : {
          registeredManager: example('/people/registeredManager') as { firstName: string; lastName: string },
          nominatedIndividual: example('/people/nominatedIndividual') as {
            firstName: string;
            lastName: string;
          },
        },
    service: { type: options.service, nursing: false },
    terminology: { worker: options.term },
    keyWorking: {
      sharedRole: options.sharedRole,
      ...(options.sharedRole ? { sharedRoleSupervisor: 'Deputy Manager' } : {}),
      selection: 'chosen-with-person',
      allocationCriteria: [
        'preferences',
        'personality-and-interests',
        'specialist-needs',
        'culture-religion-and-language',
      ],
      ...(wales ? { activeOffer: true } : {}),
      absenceCover: { coveredBy: 'the senior staff member on duty' },
      planReviewIntervalMonths: 3,
      evaluationIntervalMonths: 3,
      training: { refresherIntervalMonths: 12 },
      sections: { tasks: true, complaints: true, relatedPolicies: true },
      relatedPolicies: [
        { title: 'Person-Centred Care Policy' },
        { title: 'Safeguarding Adults Policy' },
        { title: 'Medication Policy' },
        { title: 'Complaints Policy' },
        { title: 'Equality, Diversity and Inclusion Policy' },
      ],
    },
    documentControl: {
      reviewIntervalMonths: 12,
      owner: wales ? 'Manager' : 'Registered Manager',
      approvers: [wales ? 'Responsible Individual' : 'Registered Manager'],
      uncontrolledWhenPrinted: true,
    },
  };
}

/** Wrap a description into `#` comment lines of at most ~100 characters. */
function commentLines(text: string, width = 96): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => ` ${l}`).join('\n');
}

/** Comments go on sections and their fields; deeper ones (a person's first name) speak for themselves. */
const COMMENT_DEPTH = 2;

function annotate(node: Node | null, pointer: string, depth = 1): void {
  if (depth > COMMENT_DEPTH) return;
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const child = `${pointer}/${escapePointer(String(pair.key.value))}`;
      const description = schemaAt(child)?.description;
      if (typeof description === 'string') pair.key.commentBefore = commentLines(description);
      annotate(pair.value as Node | null, child, depth + 1);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => annotate(item as Node, `${pointer}/${index}`, depth));
  }
}

/** The starter profile as commented YAML; `schemaRef` is what the editor line points at. */
export function starterProfileYaml(options: StarterOptions, schemaRef: string): string {
  const document = new Document(starterProfile(options));
  annotate(document.contents, '');
  document.commentBefore =
    ` yaml-language-server: $schema=${schemaRef}\n` +
    ' keypolicy organisation profile. Edit the values, then run `keypolicy validate`.\n' +
    ' Values marked by `validate` as examples (registration numbers, people) must be replaced before approval.';
  // Left commented out: the staff who must read each policy are the provider's to list, never examples.
  document.comment =
    ' Who must read and acknowledge each policy in force (`keypolicy acknowledge`, `keypolicy sheet`,\n' +
    ' `keypolicy status`): a list here, or a staff.csv / staff.yaml file beside this profile. Staff are never\n' +
    ' printed in a policy.\n' +
    ' staff:\n' +
    '   - { name: Amy Pond, role: Support Worker, id: "1042" }\n' +
    '   - { name: Ben Okafor, role: Senior Support Worker }\n' +
    ' or: staff: staff.csv   (columns name,role,id)';
  return document.toString({ lineWidth: 0 });
}
