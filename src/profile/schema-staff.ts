/** The profile schema's staff list: who must read and acknowledge each policy version in force. */
import { Type } from '@sinclair/typebox';
import { closed, text } from './schema-fields.js';

export const StaffMember = Type.Object(
  {
    name: text(
      'The person’s name as they write it; `keypolicy acknowledge --by` and read-and-sign sheets use it.',
    ),
    role: text(
      'Their role, e.g. Support Worker. A policy may narrow its readers by role (`policies[].readers`).',
    ),
    id: Type.Optional(
      Type.Union([text('A staff number or HR id.'), Type.Integer({ minimum: 0 })], {
        description: 'An optional staff number or HR id, matched before the name (a name may change).',
      }),
    ),
  },
  { ...closed, description: 'One member of staff.' },
);

export const Staff = Type.Union(
  [
    Type.String({
      pattern: '\\.([Yy][Aa]?[Mm][Ll]|[Cc][Ss][Vv])$',
      description:
        'A staff list kept in its own file, relative to this profile: `staff.yaml` (a list of `name`, `role`, `id`) or `staff.csv` (a header row `name,role,id`).',
    }),
    Type.Array(StaffMember, { description: 'The staff, each with a name, a role and an optional id.' }),
  ],
  {
    description:
      'Who must read and acknowledge each policy version in force: a list here, or the path of a `.yaml` or `.csv` file beside the profile. Kept locally; never printed in a policy.',
  },
);
