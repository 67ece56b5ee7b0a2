/** Where outputs go: `OUT/<organisation slug>/<policy file>.<ext>`, safe whatever a name contains. */
import { createHash } from 'node:crypto';
import type { ResolvedProfile } from '../profile/resolve.js';

const MAX_SLUG = 80;
const RESERVED = new Set([
  'con',
  'prn',
  'aux',
  'nul',
  ...Array.from({ length: 9 }, (_, i) => [`com${i + 1}`, `lpt${i + 1}`]).flat(),
]);

const shortHash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 8);

/**
 * A name as a folder or file name: lower-case ASCII with accents folded, every run of other characters
 * one `-`, trimmed ("Tŷ Celyn Care Home" → `ty-celyn-care-home`). Over 80 characters it is cut and given
 * a short hash so different names stay different; device names such as `con` get a suffix; a name that
 * leaves nothing becomes `<fallback>-<hash>`.
 */
export function slugify(name: string, fallback = 'organisation'): string {
  const slug = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug === '') return `${fallback}-${shortHash(name)}`;
  if (slug.length > MAX_SLUG) return `${slug.slice(0, MAX_SLUG - 9).replace(/-+$/, '')}-${shortHash(name)}`;
  if (RESERVED.has(slug)) return `${slug}-${shortHash(name)}`;
  return slug;
}

/** The organisation's output folder name: `output.slug`, else the name made safe. */
export function organisationSlug(profile: ResolvedProfile): string {
  const { data } = profile;
  return data.output?.slug ?? slugify(data.organisation.name);
}

/** The file name (without extension) of an edition: its title made safe (`link-worker-policy`). */
export const editionName = (title: string): string => slugify(title, 'policy');
