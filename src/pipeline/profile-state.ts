/** What `status` and `diff` look at: a valid profile, its register, and its policies as they would build now. */
import path from 'node:path';
import { renditions } from './build-profile.js';
import { documentSource } from '../document/model.js';
import type { Diagnostic } from '../diagnostics/errors.js';
import type { ResolvedProfile } from '../profile/resolve.js';
import { checkProfile } from './check-profile.js';
import { loadRegister, registerPathFor } from '../register/register.js';
import type { Register } from '../register/schema.js';
import { sourceHash } from '../register/snapshots.js';
import type { PolicyRendition } from '../templates/policies.js';

export interface ProfileState {
  file: string;
  /** An `abstract: true` base: never built, so it has no state to show. */
  abstract: boolean;
  profile?: ResolvedProfile;
  register?: Register;
  /** Each policy rendered as a build would now, with its latest recorded date (no new date, nothing written). */
  current: (PolicyRendition & { source: string })[];
  diagnostics: Diagnostic[];
  /** What is odd but readable in the register. */
  warnings: Diagnostic[];
}

export async function loadProfileState(
  file: string,
  options: { date: string; policies?: readonly string[]; packs?: readonly string[] },
): Promise<ProfileState> {
  const absolute = path.resolve(file);
  const report = await checkProfile(absolute, { register: false });
  const base = { file: absolute, abstract: report.abstract === true, current: [], warnings: [] };
  if (!report.resolved) return { ...base, diagnostics: report.errors };
  const { register, diagnostics, warnings } = await loadRegister(registerPathFor(absolute));
  if (!register) return { ...base, profile: report.resolved, diagnostics };
  const rendered = await renditions(report.resolved, register, { ...options, frozen: true });
  const profile = report.resolved;
  const current = await Promise.all(
    rendered.policies.map(async (p) => ({ ...p, source: sourceHash(await documentSource(p, profile)) })),
  );
  return { ...base, profile, register, current, diagnostics: rendered.diagnostics, warnings };
}
