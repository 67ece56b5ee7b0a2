/** Resolve stage: a valid merged profile → defaults filled in, vocabulary and regulator derived, frozen. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { PACKAGE_ROOT } from '../core/version.js';
import type { PlainObject } from './load.js';
import type { Profile } from './schema.js';
import { rootSchema, type SchemaNode } from './schema-lookup.js';
import type { StaffList } from './staff.js';

type Nation = Profile['nation'];
type ServiceType = Profile['service']['type'];

/** The words a policy uses for this variant (domain notes' vocabulary table, then the profile's overrides). */
export interface Vocabulary {
  worker: string;
  workers: string;
  person: string;
  people: string;
  plan: string;
  plans: string;
  /** The manager accountable for care: "registered manager" in England, "manager" in Wales. */
  manager: string;
  /** How the service is regulated, e.g. "a domiciliary support service". */
  regulatedAs: string;
}

/** The regulatory data file for a nation (templates/data/<nation>.yaml): trusted, versioned facts. */
export type RegulatoryData = PlainObject & { regulator: { name: string; short: string } };

export interface Variant {
  england: boolean;
  wales: boolean;
  supportedLiving: boolean;
  careHome: boolean;
  domiciliary: boolean;
  /** Supported living only: housing is separate from care, so tenancies come up. */
  tenancy: boolean;
  nursing: boolean;
  sharedRole: boolean;
  activeOffer: boolean;
}

export interface ResolvedProfile {
  /** Absolute path of the profile file. */
  file: string;
  /** The profile with every default filled in (what templates read), typed by the schema. */
  data: Profile & PlainObject;
  nation: Nation;
  serviceType: ServiceType;
  vocabulary: Vocabulary;
  regulatory: RegulatoryData;
  variant: Variant;
  /** Roles that must sign off a version (documentControl.approvers or the nation's default). */
  approvers: string[];
  /** The role that owns the policy. */
  owner: string;
  /** Absolute path of the logo, if any. */
  logo?: string;
  /** Absolute paths of the profile's template packs, in order. */
  templatePacks: string[];
  /** Who must read its policies (`staff:`), kept apart from `data`: staff never reach a template. */
  staff?: StaffList;
}

/** The default word for the people a service supports, singular and plural, by nation and service type. */
export const PEOPLE: Record<Nation, Record<ServiceType, [string, string]>> = {
  england: {
    'supported-living': ['person we support', 'people we support'],
    'care-home': ['resident', 'residents'],
    domiciliary: ['person who uses the service', 'people who use the service'],
  },
  wales: {
    'supported-living': ['individual', 'individuals'],
    'care-home': ['individual', 'individuals'],
    domiciliary: ['individual', 'individuals'],
  },
};

/** The default name of a person's plan, by nation and service type. */
export const PLAN: Record<Nation, Record<ServiceType, string>> = {
  england: { 'supported-living': 'support plan', 'care-home': 'care plan', domiciliary: 'care plan' },
  wales: { 'supported-living': 'personal plan', 'care-home': 'personal plan', domiciliary: 'personal plan' },
};

const REGULATED_AS: Record<Nation, Record<ServiceType, string>> = {
  england: {
    'supported-living': 'personal care, provided separately from the housing',
    'care-home': 'accommodation for people who need personal or nursing care',
    domiciliary: 'personal care',
  },
  wales: {
    'supported-living': 'a domiciliary support service',
    'care-home': 'a care home service',
    domiciliary: 'a domiciliary support service',
  },
};

/** English plural of a term the profile overrides without giving a plural: good enough for nouns of roles. */
export function pluralise(term: string): string {
  if (/(s|x|z|ch|sh)$/i.test(term)) return `${term}es`;
  if (/[^aeiou]y$/i.test(term)) return `${term.slice(0, -1)}ies`;
  return `${term}s`;
}

const isObject = (value: unknown): value is PlainObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Fill in the schema's `default`s, recursively, without touching what the profile says. */
function withDefaults(schema: SchemaNode | undefined, value: unknown): unknown {
  if (!schema || !isObject(value)) return value;
  const properties = (schema.properties ?? {}) as Record<string, SchemaNode>;
  const out: PlainObject = { ...value };
  for (const [key, child] of Object.entries(properties)) {
    if (out[key] === undefined && child.default !== undefined) out[key] = structuredClone(child.default);
    if (out[key] !== undefined) out[key] = withDefaults(child, out[key]);
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

const regulatoryCache = new Map<Nation, RegulatoryData>();

/** The built-in regulatory facts for a nation. */
export function regulatoryData(nation: Nation): RegulatoryData {
  let data = regulatoryCache.get(nation);
  if (!data) {
    data = deepFreeze(
      parse(
        readFileSync(path.join(PACKAGE_ROOT, 'templates', 'data', `${nation}.yaml`), 'utf8'),
      ) as RegulatoryData,
    );
    regulatoryCache.set(nation, data);
  }
  return data;
}

/**
 * Resolve a profile that has passed validation. `folderOf` gives the folder a field's path is relative
 * to (the file that wrote it, which may be a base profile).
 */
export function resolveProfile(
  file: string,
  merged: PlainObject,
  folderOf: (pointer: string) => string,
  staff?: StaffList,
): ResolvedProfile {
  // The staff list is not the organisation's facts: no template, change log or fingerprint of the words sees it.
  const facts = Object.fromEntries(Object.entries(merged).filter(([key]) => key !== 'staff'));
  const data = withDefaults(rootSchema(), facts) as Profile & PlainObject;
  const nation = data.nation;
  const serviceType = data.service.type;
  const terminology = data.terminology ?? {};
  const keyWorking = data.keyWorking ?? {};
  const worker = terminology.worker === 'link' ? 'link worker' : 'key worker';
  const [defaultPerson, defaultPeople] = PEOPLE[nation][serviceType];
  const person = terminology.person ?? defaultPerson;
  const plan = terminology.plan ?? PLAN[nation][serviceType];
  const wales = nation === 'wales';
  const logo = data.organisation.logo;
  const resolved: ResolvedProfile = {
    file,
    data,
    nation,
    serviceType,
    vocabulary: {
      worker,
      workers: `${worker}s`,
      person,
      people: terminology.people ?? (terminology.person ? pluralise(person) : defaultPeople),
      plan,
      plans: pluralise(plan),
      manager: terminology.manager ?? (wales ? 'manager' : 'registered manager'),
      regulatedAs: REGULATED_AS[nation][serviceType],
    },
    regulatory: regulatoryData(nation),
    variant: {
      england: !wales,
      wales,
      supportedLiving: serviceType === 'supported-living',
      careHome: serviceType === 'care-home',
      domiciliary: serviceType === 'domiciliary',
      tenancy: serviceType === 'supported-living',
      nursing: data.service.nursing === true,
      sharedRole: keyWorking.sharedRole === true,
      activeOffer: wales && keyWorking.activeOffer !== false,
    },
    approvers: data.documentControl?.approvers ?? [wales ? 'Responsible Individual' : 'Registered Manager'],
    owner: data.documentControl?.owner ?? (wales ? 'Manager' : 'Registered Manager'),
    ...(logo ? { logo: path.resolve(folderOf('/organisation/logo'), logo) } : {}),
    templatePacks: (data.templates ?? []).map((pack, index) =>
      path.resolve(folderOf(`/templates/${index}`), pack),
    ),
    ...(staff ? { staff } : {}),
  };
  return deepFreeze(resolved);
}
