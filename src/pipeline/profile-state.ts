/** What `status` and `diff` look at: a valid profile, its register, and its policies as they would build now. */
import path from 'node:path';
import { renditions } from './build-profile.js';
import { documentSource } from '../document/model.js';
import { diagnosticForFile } from '../diagnostics/source.js';
import { KeypolicyError, type Diagnostic } from '../diagnostics/errors.js';
import { readAcknowledgements, type Acknowledgement } from '../register/acknowledgements.js';
import { versionInForce } from '../register/versioning.js';
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
  /** The staff acknowledgements of each policy's version in force on the day asked about (with a staff list). */
  acknowledgements: Record<string, Acknowledgement[]>;
}

export async function loadProfileState(
  file: string,
  options: { date: string; policies?: readonly string[]; packs?: readonly string[] },
): Promise<ProfileState> {
  const absolute = path.resolve(file);
  const report = await checkProfile(absolute, { register: false });
  const base = {
    file: absolute,
    abstract: report.abstract === true,
    current: [],
    warnings: [],
    acknowledgements: {},
  };
  if (!report.resolved) return { ...base, diagnostics: report.errors };
  const { register, diagnostics, warnings } = await loadRegister(registerPathFor(absolute));
  if (!register) return { ...base, profile: report.resolved, diagnostics };
  const rendered = await renditions(report.resolved, register, { ...options, frozen: true });
  const profile = report.resolved;
  const current = await Promise.all(
    rendered.policies.map(async (p) => ({ ...p, source: sourceHash(await documentSource(p, profile)) })),
  );
  const read = profile.staff
    ? await inForceAcknowledgements(absolute, register, options.date)
    : { acknowledgements: {}, diagnostics: [] };
  return {
    ...base,
    profile,
    register,
    current,
    diagnostics: [...rendered.diagnostics, ...read.diagnostics],
    warnings,
    acknowledgements: read.acknowledgements,
  };
}

/** Each policy's acknowledgements of the version in force on `date`, checked against the register. */
async function inForceAcknowledgements(
  file: string,
  register: Register,
  date: string,
): Promise<{ acknowledgements: Record<string, Acknowledgement[]>; diagnostics: Diagnostic[] }> {
  const registerFile = registerPathFor(file);
  const acknowledgements: Record<string, Acknowledgement[]> = {};
  const diagnostics: Diagnostic[] = [];
  for (const [id, policy] of Object.entries(register.policies)) {
    const inForce = versionInForce(
      policy.versions.filter((v) => v.date <= date),
      date,
    );
    if (!inForce) continue;
    try {
      acknowledgements[id] = await readAcknowledgements(registerFile, id, inForce);
    } catch (error) {
      if (!(error instanceof KeypolicyError)) throw error;
      diagnostics.push(
        diagnosticForFile(registerFile, {
          code: error.code,
          message: error.message,
          ...(error.hint ? { hint: error.hint } : {}),
        }),
      );
    }
  }
  return { acknowledgements, diagnostics };
}
