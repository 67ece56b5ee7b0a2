/** keypolicy's library API: what the CLI is a thin shell over, for tests and integrations. */
export { main } from './cli/main.js';
export type { Io, Output } from './cli/io.js';
export { runInit, type InitFlags } from './commands/init.js';
export { runSchema } from './commands/schema.js';
export { runValidate, type ValidateOptions } from './commands/validate.js';
export { ExitCode, KeypolicyError, type Diagnostic, type Severity } from './diagnostics/errors.js';
export { loadMergedProfile, type MergedProfile } from './profile/extends.js';
export type { Profile } from './profile/schema.js';
export { starterProfileYaml, type StarterOptions } from './profile/starter.js';
export type { ProfileReport } from './profile/validate.js';
// The full check every command runs: the profile, its policy ids against the packs, and its register.
export { checkProfile as validateProfile } from './pipeline/check-profile.js';
export { VERSION } from './core/version.js';
