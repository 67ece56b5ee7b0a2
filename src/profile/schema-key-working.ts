/** The profile schema's `keyWorking` section: how key (or link) working runs in the service. */
import { Type } from '@sinclair/typebox';
import { ALLOCATION_CRITERIA, SELECTION_METHODS } from './enums.js';
import { closed, months, stringEnum, text, textList } from './schema-fields.js';

const Tasks = Type.Object(
  {
    daily: Type.Optional(textList('Things the key worker does every day.')),
    weekly: Type.Optional(textList('Things the key worker does every week.')),
    monthly: Type.Optional(textList('Things the key worker does every month.')),
  },
  {
    ...closed,
    description:
      'Overrides for the daily, weekly and monthly practice section; omitted lists use the built-in wording.',
  },
);

const RelatedPolicy = Type.Object(
  {
    title: text('The related policy’s title, e.g. "Safeguarding Adults Policy".'),
    code: Type.Optional(text('The organisation’s reference code for it, e.g. CHW07.')),
  },
  { ...closed, description: 'A policy that this one refers to.' },
);

const AbsenceCover = Type.Object(
  {
    coveredBy: Type.Optional(
      text('Who takes on the key worker’s duties while they are absent, as a role.', {
        default: 'the senior staff member on duty',
      }),
    ),
  },
  { ...closed, default: {}, description: 'Cover when the key worker is absent (leave, sickness, vacancy).' },
);

const Training = Type.Object(
  {
    refresherIntervalMonths: Type.Optional(
      months('How often, in months, key worker training is refreshed.', 1, 36, 12),
    ),
    topics: Type.Optional(
      textList('Training topics in addition to the built-in list (e.g. "Positive behaviour support").'),
    ),
    beforeAppointment: Type.Optional(
      textList(
        'Anything required before appointment beyond the nation’s induction (Care Certificate in England, All Wales Induction Framework in Wales).',
      ),
    ),
  },
  { ...closed, default: {}, description: 'Training required of key workers.' },
);

const Sections = Type.Object(
  {
    tasks: Type.Optional(
      Type.Boolean({ default: true, description: 'Include the daily, weekly and monthly practice section.' }),
    ),
    complaints: Type.Optional(
      Type.Boolean({ default: true, description: 'Include the concerns and complaints section.' }),
    ),
    relatedPolicies: Type.Optional(
      Type.Boolean({ default: true, description: 'List related policies with their codes.' }),
    ),
  },
  { ...closed, default: {}, description: 'Which optional sections the key worker policy includes.' },
);

export const KeyWorking = Type.Object(
  {
    sharedRole: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          'True when key working is a shared (joint) role: two key workers for one person, supervised by a named role (public key path `keyWorking.sharedRole`).',
      }),
    ),
    sharedRoleSupervisor: Type.Optional(
      text(
        'Who supervises joint key workers and checks the arrangement works, as a role (e.g. "Deputy Manager"). Required when `sharedRole` is true.',
      ),
    ),
    selection: Type.Optional(
      stringEnum(SELECTION_METHODS, {
        default: 'chosen-with-person',
        description:
          'How the person is involved in choosing their key worker: `chosen-by-person`, `chosen-with-person` (default) or `allocated-then-agreed`.',
      }),
    ),
    allocationCriteria: Type.Optional(
      Type.Array(stringEnum(ALLOCATION_CRITERIA, { description: 'One criterion.' }), {
        uniqueItems: true,
        minItems: 1,
        default: [
          'preferences',
          'personality-and-interests',
          'specialist-needs',
          'culture-religion-and-language',
        ],
        description: `What key workers are matched on: ${ALLOCATION_CRITERIA.map((c) => `\`${c}\``).join(', ')}.`,
      }),
    ),
    activeOffer: Type.Optional(
      Type.Boolean({
        description:
          'Wales: match Welsh-speaking key workers to Welsh-speaking individuals under the Active Offer ("More than just words"). Defaults to true in Wales.',
      }),
    ),
    absenceCover: Type.Optional(AbsenceCover),
    planReviewIntervalMonths: Type.Optional(
      months(
        'How often, in months, the key worker reviews the person’s plan with them. In Wales at most 3 (regulation 16 of the 2017 Regulations).',
        1,
        12,
        3,
      ),
    ),
    evaluationIntervalMonths: Type.Optional(
      months('How often, in months, managers evaluate each key worker’s effectiveness.', 1, 12, 3),
    ),
    training: Type.Optional(Training),
    sections: Type.Optional(Sections),
    tasks: Type.Optional(Tasks),
    localArrangements: Type.Optional(
      text(
        'A paragraph of your own about local arrangements, in Markdown (bold, italics, lists and https links are kept; HTML is not). The only profile field read as Markdown: every other value is shown exactly as written.',
      ),
    ),
    relatedPolicies: Type.Optional(
      Type.Array(RelatedPolicy, {
        default: [],
        description: 'Policies this one refers to, with their codes.',
      }),
    ),
  },
  { ...closed, default: {}, description: 'How key (or link) working runs in this service.' },
);
