/** Which policies a profile gets, rendered: the library entry point for `build`, `diff` and the tests. */
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/errors.js';
import type { ResolvedProfile } from '../profile/resolve.js';
import { diagnosticForFile } from '../diagnostics/source.js';
import { collectingLogs } from './engine.js';
import { withinRenderLimits } from './limits.js';
import { applySectionOverrides } from './overrides.js';
import { loadTemplates, type PackReads } from './packs.js';
import { renderPolicy, type RenderedPolicy } from './render.js';
import { selectTemplates } from './selection.js';
import { stoppedError } from './template-errors.js';

export interface PolicyRequest {
  /** Template packs from the command line (`--templates`), after the profile's own. */
  packs?: readonly string[];
  /** Template ids from `--policy`; otherwise the profile's `policies`, otherwise every applicable template. */
  policies?: readonly string[];
  /** The version date (YYYY-MM-DD), or for each policy id its own (a recorded version keeps its date). */
  date: string | ((id: string) => string);
  /** Packs this build has read already (a batch reads each once). */
  packReads?: PackReads;
}

/** A rendered policy with the document-control settings that apply to it. */
export interface PolicyRendition extends RenderedPolicy {
  reviewIntervalMonths: number;
  /** The roles that must sign it (the policy's own `approvers`, else the profile's). */
  approverRoles: string[];
}

/** Render every policy a profile gets. Problems come back as diagnostics, never as throws. */
export async function renderProfilePolicies(
  profile: ResolvedProfile,
  request: PolicyRequest,
): Promise<{ policies: PolicyRendition[]; diagnostics: Diagnostic[]; warnings: Diagnostic[] }> {
  const set = await loadTemplates(
    [...profile.templatePacks, ...(request.packs ?? []).map((p) => path.resolve(p))],
    request.packReads,
  );
  if (set.diagnostics.length > 0) return { policies: [], diagnostics: set.diagnostics, warnings: [] };
  const warnings: Diagnostic[] = [];
  const { selected, diagnostics } = selectTemplates(profile, set, request.policies);
  const policies: PolicyRendition[] = [];
  for (const selection of selected) {
    const { entry } = selection;
    const overridden = applySectionOverrides(selection.template, entry.sections, profile.file);
    if (overridden.diagnostics.length > 0) {
      diagnostics.push(...overridden.diagnostics);
      continue;
    }
    const template = overridden.template;
    const partials = overridden.partials.length
      ? new Map([...set.partials, ...overridden.partials.map((p) => [p.name, p] as const)])
      : set.partials;
    const reviewIntervalMonths =
      entry.reviewIntervalMonths ?? profile.data.documentControl?.reviewIntervalMonths ?? 12;
    const date = typeof request.date === 'string' ? request.date : request.date(template.id);
    const { value: rendered, stopped } = withinRenderLimits(() =>
      collectingLogs(() =>
        renderPolicy(template, partials, profile, { version: date, reviewIntervalMonths }),
      ),
    );
    if (stopped !== undefined) {
      diagnostics.push(stoppedError(template, stopped));
      continue;
    }
    const result = rendered.value;
    for (const text of rendered.logs)
      warnings.push(
        diagnosticForFile(template.file, {
          code: 'KP_TEMPLATE_LOG',
          severity: 'warning',
          message: `{{log}}: ${text}`,
        }),
      );
    diagnostics.push(...result.diagnostics);
    if (result.policy) {
      policies.push({
        ...result.policy,
        ...(entry.title ? { title: entry.title } : {}),
        reviewIntervalMonths,
        approverRoles: entry.approvers ?? [...profile.approvers],
      });
    }
  }
  return { policies, diagnostics, warnings };
}
