/** A profile checked as every command sees it: the profile itself, its policy ids against the template packs, and its register. */
import { validateProfile, type ProfileReport } from '../profile/validate.js';
import { loadRegister, registerPathFor } from '../register/register.js';

/**
 * Validate a profile with the checks that need the layers above it. `register: false` leaves the
 * register to the caller: a build reads it anyway, and skips it when its bytes are unchanged.
 */
export function checkProfile(file: string, options: { register?: boolean } = {}): Promise<ProfileReport> {
  return validateProfile(file, {
    // The template engine is loaded only when a profile lists policies.
    templateIds: async (packs) => {
      const { loadTemplates } = await import('../templates/packs.js');
      return new Set((await loadTemplates(packs)).templates.keys());
    },
    // The register beside the profile is part of what is checked: hand edits of its history show here.
    ...(options.register !== false
      ? { beside: async (file: string) => (await loadRegister(registerPathFor(file))).diagnostics }
      : {}),
  });
}
