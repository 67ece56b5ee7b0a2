/** The profile a command reads when none is named: light, so commands can start work before loading the pipeline. */
export const DEFAULT_PROFILE = 'keypolicy.yaml';
