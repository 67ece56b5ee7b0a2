/** The closed vocabularies of the profile, shared by the schema source and the command line. */

export const PROFILE_SCHEMA_ID = 'https://keypolicy.dev/schemas/profile.schema.json';

/** Codes of the warnings a profile may silence under `validation.suppress`. */
export const SUPPRESSIBLE_WARNINGS = [
  'KP_ID_FORMAT',
  'KP_EXAMPLE_VALUE',
  'KP_NATION_MISMATCH',
  'KP_DATA_OUT_OF_DATE',
  'KP_SCHEMA_OUTDATED',
] as const;

export const SERVICE_TYPES = ['supported-living', 'care-home', 'domiciliary'] as const;
export const NATIONS = ['england', 'wales'] as const;
export const WORKER_TERMS = ['key', 'link'] as const;
export const ALLOCATION_CRITERIA = [
  'preferences',
  'personality-and-interests',
  'specialist-needs',
  'culture-religion-and-language',
  'gender',
  'continuity',
] as const;
export const SELECTION_METHODS = ['chosen-by-person', 'chosen-with-person', 'allocated-then-agreed'] as const;

export type Nation = (typeof NATIONS)[number];
export type ServiceType = (typeof SERVICE_TYPES)[number];
