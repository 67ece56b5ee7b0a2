/** What `status` and `diff` look at: a valid profile, its register, and its policies as they would build now. */
import path from 'node:path';
import { renditions } from '../build/build-profile.js';
import type { Diagnostic } from '../errors.js';
import type { ResolvedProfile } from '../profile/resolve.js';
import { validateProfile } from '../profile/validate.js';
import { loadRegister, registerPathFor } from '../register/register.js';
import type { Register } from '../register/schema.js';
import type { PolicyRendition } from '../templates/policies.js';

export interface ProfileState {
  file: string;
  profile?: ResolvedProfile;
  register?: Register;
  /** Each policy rendered as a build would now, with its latest recorded date (no new date, nothing written). */
  current: PolicyRendition[];
  diagnostics: Diagnostic[];
}

export async function loadProfileState(
  file: string,
  options: { date: string; policies?: readonly string[]; packs?: readonly string[] },
): Promise<ProfileState> {
  const absolute = path.resolve(file);
  const report = await validateProfile(absolute);
  if (!report.resolved) return { file: absolute, current: [], diagnostics: report.errors };
  const { register, diagnostics } = await loadRegister(registerPathFor(absolute));
  if (!register) return { file: absolute, profile: report.resolved, current: [], diagnostics };
  const rendered = await renditions(report.resolved, register, { ...options, frozen: true });
  return {
    file: absolute,
    profile: report.resolved,
    register,
    current: rendered.policies,
    diagnostics: rendered.diagnostics,
  };
}
