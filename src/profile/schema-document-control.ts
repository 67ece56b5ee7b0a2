/** The profile schema's sections about the documents: document control and the policies to build. */
import { Type } from '@sinclair/typebox';
import { closed, isoDate, months, text, textList } from './schema-fields.js';

/** Sign-off roles: at least one, none twice. */
const roles = (description: string) =>
  Type.Array(Type.String({ minLength: 1 }), { minItems: 1, uniqueItems: true, description });

export const DocumentControl = Type.Object(
  {
    reviewIntervalMonths: Type.Optional(
      months(
        'Months between policy reviews, 1 to 36 (public key path `documentControl.reviewIntervalMonths`). Annual review (12) is good practice.',
        1,
        36,
        12,
      ),
    ),
    reviewTriggers: Type.Optional(
      textList(
        'Events that bring the review forward, in addition to the built-in ones (changes in regulation, practice or feedback).',
      ),
    ),
    owner: Type.Optional(
      text('The role that owns the policy (default: Registered Manager in England, Manager in Wales).'),
    ),
    approvers: Type.Optional(
      roles(
        'Roles that must all sign a version off, matched by name ignoring case (default: Registered Manager in England, Responsible Individual in Wales).',
      ),
    ),
    uncontrolledWhenPrinted: Type.Optional(
      Type.Boolean({
        default: true,
        description: 'Print a footer line saying printed copies are uncontrolled.',
      }),
    ),
    copyright: Type.Optional(text('Copyright line for the footer (default "© <organisation name>").')),
    firstIssued: Type.Optional(
      isoDate(
        'When this policy was first issued, before keypolicy managed it; printed as "First issued" (default: the first approval keypolicy recorded).',
      ),
    ),
    contents: Type.Optional(
      Type.Boolean({
        description:
          'Print a contents page after the document control: `true` always, `false` never; by default, when the edition runs to more than three pages.',
      }),
    ),
  },
  { ...closed, default: {}, description: 'Document control: review cycle, owner, sign-off and footer.' },
);

/** The organisation's own words for one section of a template, in Markdown with the template's fields. */
const SectionOverride = Type.Object(
  {
    replace: Type.Optional(
      text('Markdown that replaces the section’s words (its heading stays, its subsections go).'),
    ),
    prepend: Type.Optional(text('Markdown added at the start of the section, under its heading.')),
    append: Type.Optional(text('Markdown added at the end of the section, after its subsections.')),
    remove: Type.Optional(
      Type.Literal(true, { description: '`true` leaves the section, heading and all, out of the edition.' }),
    ),
  },
  {
    ...closed,
    minProperties: 1,
    description:
      'How this organisation words one section: `replace`, `prepend` and/or `append` Markdown (fields such as `{{worker}}` work as in templates), or `remove: true`.',
  },
);

export const PolicyEntry = Type.Object(
  {
    id: Type.String({
      pattern: '^[a-z0-9][a-z0-9-]*$',
      description: 'The template id, e.g. key-worker-policy (see `keypolicy templates`).',
    }),
    title: Type.Optional(text('A different title for this organisation’s edition.')),
    reviewIntervalMonths: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 36, description: 'Months between reviews for this policy only.' }),
    ),
    approvers: Type.Optional(roles('Approver roles for this policy only.')),
    sections: Type.Optional(
      Type.Record(Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$' }), SectionOverride, {
        description:
          'The organisation’s own words for sections of this policy, by section id (`keypolicy templates --sections ID` lists them), e.g. `review-of-this-policy: { append: … }`. A later template that renames or removes a section reworded here fails validation.',
      }),
    ),
    readers: Type.Optional(
      roles(
        'The staff roles that must read and acknowledge this policy, matched ignoring case (default: everyone on the staff list).',
      ),
    ),
  },
  { ...closed, description: 'A policy to build, with overrides.' },
);
