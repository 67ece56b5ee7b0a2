/** What a template may read: the profile with its defaults, and what keypolicy derives from it. */
import { addMonths, formatUkDate } from '../core/dates.js';
import type { RegulatoryData, ResolvedProfile, Variant, Vocabulary } from '../profile/resolve.js';
import { SafeString } from './engine.js';
import { escapeMarkdown } from './escape.js';

export interface PolicyDates {
  /** The date of the version being rendered (YYYY-MM-DD). */
  version: string;
  /** The review interval that applies to this policy, in months. */
  reviewIntervalMonths: number;
}

/** `dates` in a template. */
export interface TemplateDates extends PolicyDates {
  /** The date the policy is next due for review (YYYY-MM-DD). */
  nextReview: string;
}

/** Placeholders that templates written for other policy systems use (`{{org_field_name}}` …). */
export interface ForeignFields {
  org_field_name: string;
  org_field_legal_name: string;
  org_field_logo: SafeString;
  org_field_registration_no: string;
  org_field_address: string;
  org_field_registered_manager_first_name: string;
  org_field_registered_manager_last_name: string;
  org_field_responsible_individual_first_name: string;
  org_field_responsible_individual_last_name: string;
  last_update_date: string;
  next_review_date: string;
  current_year: string;
}

/** What keypolicy derives from the profile for templates. */
export interface DerivedFields {
  vocabulary: Vocabulary;
  variant: Variant;
  regulatory: RegulatoryData;
  regulator: RegulatoryData['regulator'];
  approvers: string[];
  owner: string;
  dates: TemplateDates;
}

/** Everything a template can read. */
export type TemplateContext = ResolvedProfile['data'] & DerivedFields & ForeignFields;

/** The keys of `T` in the order written; the compiler checks that none is missing and none is extra. */
const keysOf = <T>(keys: Record<keyof T, true>) => Object.keys(keys) as (keyof T & string)[];

/** The fields of the objects above, for `templates --check` (check.ts), which knows no profile. */
export const VOCABULARY_FIELDS = keysOf<Vocabulary>({
  worker: true,
  workers: true,
  person: true,
  people: true,
  plan: true,
  plans: true,
  manager: true,
  regulatedAs: true,
});
export const VARIANT_FIELDS = keysOf<Variant>({
  england: true,
  wales: true,
  supportedLiving: true,
  careHome: true,
  domiciliary: true,
  tenancy: true,
  nursing: true,
  sharedRole: true,
  activeOffer: true,
});
export const DATES_FIELDS = keysOf<TemplateDates>({
  version: true,
  nextReview: true,
  reviewIntervalMonths: true,
});
export const FOREIGN_FIELDS = keysOf<ForeignFields>({
  org_field_name: true,
  org_field_legal_name: true,
  org_field_logo: true,
  org_field_registration_no: true,
  org_field_address: true,
  org_field_registered_manager_first_name: true,
  org_field_registered_manager_last_name: true,
  org_field_responsible_individual_first_name: true,
  org_field_responsible_individual_last_name: true,
  last_update_date: true,
  next_review_date: true,
  current_year: true,
});

function foreignFields(profile: ResolvedProfile, dates: PolicyDates): ForeignFields {
  const { data } = profile;
  const manager = profile.nation === 'wales' ? data.people?.manager : data.people?.registeredManager;
  const registration =
    profile.nation === 'wales' ? data.registration?.ciwServiceId : data.registration?.cqcLocationId;
  const address = data.organisation.address;
  return {
    org_field_name: data.organisation.name,
    org_field_legal_name: data.organisation.legalName ?? data.organisation.name,
    org_field_logo: new SafeString(
      profile.logo ? `![${escapeMarkdown(data.organisation.name)} logo](keypolicy:logo)` : '',
    ),
    org_field_registration_no: registration ?? '',
    org_field_address: address ? [...address.lines, address.postcode ?? ''].filter(Boolean).join(', ') : '',
    org_field_registered_manager_first_name: manager?.firstName ?? '',
    org_field_registered_manager_last_name: manager?.lastName ?? '',
    org_field_responsible_individual_first_name: data.people?.responsibleIndividual?.firstName ?? '',
    org_field_responsible_individual_last_name: data.people?.responsibleIndividual?.lastName ?? '',
    last_update_date: formatUkDate(dates.version),
    next_review_date: formatUkDate(addMonths(dates.version, dates.reviewIntervalMonths)),
    current_year: dates.version.slice(0, 4),
  };
}

/** What a template can read: the profile with defaults, the derived vocabulary and regulator, the dates. */
export function templateContext(profile: ResolvedProfile, dates: PolicyDates): TemplateContext {
  return {
    ...profile.data,
    vocabulary: profile.vocabulary,
    variant: profile.variant,
    regulatory: profile.regulatory,
    regulator: profile.regulatory.regulator,
    approvers: profile.approvers,
    owner: profile.owner,
    dates: {
      version: dates.version,
      nextReview: addMonths(dates.version, dates.reviewIntervalMonths),
      reviewIntervalMonths: dates.reviewIntervalMonths,
    },
    ...foreignFields(profile, dates),
  };
}
