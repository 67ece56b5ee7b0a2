/** What stops a build before anything is written, and the organisation id it records at the first. */
import { createHash } from 'node:crypto';
import { formatUkDate } from '../core/dates.js';
import type { Diagnostic } from '../diagnostics/errors.js';
import { diagnosticForFile, escapePointer } from '../diagnostics/source.js';
import { loadMergedProfile, originOf } from '../profile/extends.js';
import type { ResolvedProfile } from '../profile/resolve.js';
import { latestVersion } from '../register/register.js';
import type { Register } from '../register/schema.js';
import { fieldChanges, profileSnapshot, sectionChanges } from '../register/versioning.js';
import type { PolicyRendition } from '../templates/policies.js';
import { editionName } from '../output/paths.js';

/** A dotted field path (`policies[0].id`) as a JSON pointer (`/policies/0/id`). */
const pointerOf = (field: string) =>
  field === ''
    ? ''
    : `/${field
        .replace(/\[(\d+)\]/g, '.$1')
        .split('.')
        .map(escapePointer)
        .join('/')}`;

/** The path of a `path: old → new` field change. */
const fieldPath = (change: string) => change.slice(0, Math.max(0, change.indexOf(': ')) || change.length);

/** "a; b; c and 4 more": a short list for one line. */
const few = (items: readonly string[], max = 3) =>
  items.length <= max ? items.join('; ') : `${items.slice(0, max).join('; ')} and ${items.length - max} more`;

/**
 * What `build --frozen` found unrecorded: each profile field whose change altered a policy, located at
 * that field (in the file of the `extends` chain that sets it) and naming the policies it changed; and a
 * policy changed by no field (a template or the logo changed) once, on the profile as a whole.
 */
export async function frozenDiagnostics(
  profile: ResolvedProfile,
  register: Register,
  changed: readonly PolicyRendition[],
): Promise<Diagnostic[]> {
  const snapshot = profileSnapshot(profile.data);
  const { merged } = await loadMergedProfile(profile.file);
  const byField = new Map<string, { change: string; policies: string[] }>();
  const found: Diagnostic[] = [];
  for (const policy of changed) {
    const latest = latestVersion(register, policy.id);
    const fields = latest ? fieldChanges(latest.profile, snapshot) : [];
    for (const change of fields) {
      const entry = byField.get(fieldPath(change)) ?? { change, policies: [] };
      entry.policies.push(`\`${policy.id}\` (version ${latest?.version ?? ''})`);
      byField.set(fieldPath(change), entry);
    }
    if (fields.length > 0) continue;
    const changes = latest ? sectionChanges(latest.markdown ?? '', policy.markdown) : undefined;
    const sections = changes ? [...changes.added, ...changes.removed, ...changes.reworded] : [];
    found.push(
      diagnosticForFile(profile.file, {
        code: 'KP_FROZEN',
        message: latest
          ? `\`${policy.id}\` has changed since version ${latest.version} was recorded, though no profile field did (its template or logo changed)${sections.length > 0 ? `: ${few(sections)}` : ''}.`
          : `\`${policy.id}\` has never been recorded in the register.`,
        hint: FROZEN_HINT,
      }),
    );
  }
  const located = [...byField].map(([field, { change, policies }]) => {
    const pointer = pointerOf(field);
    const init = {
      code: 'KP_FROZEN',
      pointer,
      message: `\`${field}\` changed (${change.slice(field.length + 2)}) since the recorded ${policies.join(', ')}; the change to ${policies.length === 1 ? 'that policy' : 'those policies'} is not recorded.`,
      hint: FROZEN_HINT,
    };
    return merged ? originOf(merged, pointer).diagnostic(init) : diagnosticForFile(profile.file, init);
  });
  return [...located, ...found];
}

const FROZEN_HINT =
  'Run `keypolicy build` without --frozen to record the new version, and commit the register with the change.';

/** An id in UUID form from the profile's fields and the first build's date. */
export function organisationId(snapshot: Record<string, unknown>, date: string): string {
  const hex = createHash('sha256').update(JSON.stringify(snapshot)).update(date).digest('hex');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20, 32)].join(
    '-',
  );
}

/** Two editions whose titles make one file name would overwrite each other: neither is written. */
export function editionClashes(profile: ResolvedProfile, policies: readonly PolicyRendition[]): Diagnostic[] {
  const byName = new Map<string, string[]>();
  for (const p of policies)
    byName.set(editionName(p.title), [...(byName.get(editionName(p.title)) ?? []), p.id]);
  return [...byName]
    .filter(([, ids]) => ids.length > 1)
    .map(([name, ids]) =>
      diagnosticForFile(profile.file, {
        code: 'KP_EDITION_CLASH',
        message: `The policies ${ids.map((id) => `\`${id}\``).join(' and ')} would both be written as ${name}.<ext>; nothing was written.`,
        hint: 'Give one of the templates another title, or build only one of them (--policy).',
      }),
    );
}

/** An organisation folder whose manifest names another organisation is never written into (unless --force). */
export function folderTaken(
  profile: ResolvedProfile,
  folder: string,
  register: Register,
  owner: string | undefined,
): Diagnostic[] {
  if (owner === undefined || owner === register.organisationId) return [];
  return [
    diagnosticForFile(profile.file, {
      code: 'KP_FOLDER_TAKEN',
      message: `The output folder ${folder} holds another organisation’s documents (its manifest names organisation ${owner}); nothing was written.`,
      hint: 'Give this organisation its own `output.slug`, or build to another --out. If the folder really is this organisation’s (its register was replaced), add --force.',
    }),
  ];
}

/** A build dated before the register's latest entry would put its history out of order. */
export function dateOrderDiagnostic(profile: ResolvedProfile, date: string, latest: string): Diagnostic {
  return diagnosticForFile(profile.file, {
    code: 'KP_DATE_ORDER',
    message: `This build is dated ${formatUkDate(date)}, before the register’s latest entry (${formatUkDate(latest)}); nothing was recorded.`,
    hint: `Build with --date ${latest} or later (or without --date, for today).`,
  });
}
