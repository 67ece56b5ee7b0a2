/** Which policies a profile gets, rendered: the library entry point for `build`, `diff` and the tests. */
import path from 'node:path';
import Handlebars from 'handlebars';
import type { Diagnostic } from '../diagnostics/errors.js';
import type { ResolvedProfile } from '../profile/resolve.js';
import { sourceFromText } from '../diagnostics/source.js';
import { appliesTo, loadTemplates, type PackReads, type Template, type TemplateSet } from './packs.js';
import { renderPolicy, type RenderedPolicy } from './render.js';

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

interface PolicyEntry {
  id: string;
  title?: string;
  reviewIntervalMonths?: number;
  approvers?: string[];
}

/** The profile's `policies` list as entries (an entry may be an id or an object with overrides). */
function profilePolicies(profile: ResolvedProfile): PolicyEntry[] | undefined {
  const list = profile.data.policies ?? undefined;
  return list?.map((entry) => (typeof entry === 'string' ? { id: entry } : entry));
}

/** The templates a profile's build makes, in a stable order, or diagnostics naming unknown ids. */
export function selectTemplates(
  profile: ResolvedProfile,
  set: TemplateSet,
  requested?: readonly string[],
): { selected: { template: Template; entry: PolicyEntry }[]; diagnostics: Diagnostic[] } {
  const fromProfile = profilePolicies(profile);
  const entries: PolicyEntry[] = requested?.length
    ? requested.map((id) => fromProfile?.find((e) => e.id === id) ?? { id })
    : (fromProfile ??
      [...set.templates.values()]
        .filter((t) => appliesTo(t, profile.nation, profile.serviceType))
        .map((t) => ({ id: t.id })));
  const diagnostics: Diagnostic[] = [];
  const selected: { template: Template; entry: PolicyEntry }[] = [];
  for (const entry of entries) {
    const template = set.templates.get(entry.id);
    if (template) selected.push({ template, entry });
    else {
      const known = [...set.templates.keys()].map((id) => `\`${id}\``).join(', ');
      diagnostics.push(
        sourceFromText(profile.file, '').diagnosticAt([0, 0], {
          code: 'KP_POLICY_UNKNOWN',
          message: `There is no template with the id \`${entry.id}\`.`,
          hint: `Available templates: ${known || 'none'}. \`keypolicy templates\` lists them.`,
        }),
      );
    }
  }
  selected.sort((a, b) => a.template.id.localeCompare(b.template.id));
  return { selected, diagnostics };
}

/**
 * Limits on writing one policy. Handlebars builds the whole text before its size (at most 2 MB) can be
 * checked, so a loop inside a loop over long lists, or partials that each use another several times,
 * would run for minutes and fill memory first. No real policy comes near these.
 */
export const RENDER_LIMITS = {
  /** Runs of an `{{#each}}` (or `{{#with}}`) body. */
  repeats: 100_000,
  /** Partials used. */
  partials: 10_000,
  /** Text the partials wrote: a partial's text counts again in each partial around it. */
  partialChars: 16 * 1024 * 1024,
  /** Seconds from the first repeat or partial (compiling the template is not counted). */
  seconds: 5,
};
export type RenderLimits = typeof RENDER_LIMITS;

/** The two places Handlebars repeats work. They are module-wide (every instance calls them). */
interface RepeatHooks {
  VM: {
    invokePartial: (
      this: unknown,
      partial: unknown,
      context: unknown,
      options: { name?: unknown },
    ) => unknown;
  };
  Utils: { blockParams: (this: unknown, ...args: unknown[]) => unknown };
}

class LimitReached extends Error {}

const count = (n: number) => n.toLocaleString('en-GB');

/**
 * Run one (synchronous) render with every `#each`/`#with` repeat and partial counted, stopping it when a
 * limit is passed. The hooks are swapped in only for this call, so nothing else sees them.
 */
export function withinRenderLimits<T>(
  render: () => T,
  limits: RenderLimits = RENDER_LIMITS,
): { value: T; stopped?: string } {
  const hooks = Handlebars as unknown as RepeatHooks;
  const { invokePartial } = hooks.VM;
  const { blockParams } = hooks.Utils;
  let repeats = 0;
  let partials = 0;
  let partialChars = 0;
  let deadline: number | undefined;
  let stopped: string | undefined;
  const check = (partial?: unknown) => {
    deadline ??= performance.now() + limits.seconds * 1000;
    stopped ??=
      repeats > limits.repeats
        ? `its \`{{#each}}\` blocks repeated more than ${count(limits.repeats)} times (a loop inside a loop over long lists?)`
        : partials > limits.partials
          ? `partials were used more than ${count(limits.partials)} times${typeof partial === 'string' ? ` (the last was \`${partial}\`)` : ''}: partials that each use another partial several times multiply`
          : partialChars > limits.partialChars
            ? `its partials had written more than ${limits.partialChars / 1024 / 1024} MB of text`
            : performance.now() > deadline
              ? `writing it took more than ${limits.seconds} seconds`
              : undefined;
    // Thrown again at every later call, so a helper that catches it cannot carry on.
    if (stopped !== undefined) throw new LimitReached(stopped);
  };
  hooks.Utils.blockParams = function (...args) {
    repeats++;
    check();
    return blockParams.apply(this, args);
  };
  hooks.VM.invokePartial = function (partial, context, options) {
    partials++;
    check(options.name);
    const result = invokePartial.call(this, partial, context, options);
    if (typeof result === 'string') partialChars += result.length;
    check(options.name);
    return result;
  };
  try {
    const value = render();
    return stopped === undefined ? { value } : { value, stopped };
  } finally {
    hooks.VM.invokePartial = invokePartial;
    hooks.Utils.blockParams = blockParams;
  }
}

/** A render stopped by a limit, reported at the first line of the template's body. */
function stoppedDiagnostic(template: Template, reason: string): Diagnostic {
  const text = `${'\n'.repeat(template.bodyLine - 1)}${template.body}`;
  const offset = template.bodyLine - 1;
  return sourceFromText(template.file, text).diagnosticAt([offset, offset + 1], {
    code: 'KP_TEMPLATE',
    message: `This policy was stopped before it was finished: ${reason}. A policy may be at most 2 MB of text.`,
    hint: 'Look for an `{{#each}}` inside another `{{#each}}` over long lists in the profile, and for partials that use other partials several times. A policy normally takes well under a second to write.',
  });
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
): Promise<{ policies: PolicyRendition[]; diagnostics: Diagnostic[] }> {
  const set = await loadTemplates(
    [...profile.templatePacks, ...(request.packs ?? []).map((p) => path.resolve(p))],
    request.packReads,
  );
  if (set.diagnostics.length > 0) return { policies: [], diagnostics: set.diagnostics };
  const { selected, diagnostics } = selectTemplates(profile, set, request.policies);
  const policies: PolicyRendition[] = [];
  for (const { template, entry } of selected) {
    const reviewIntervalMonths =
      entry.reviewIntervalMonths ?? profile.data.documentControl?.reviewIntervalMonths ?? 12;
    const date = typeof request.date === 'string' ? request.date : request.date(template.id);
    const { value: result, stopped } = withinRenderLimits(() =>
      renderPolicy(template, set.partials, profile, { version: date, reviewIntervalMonths }),
    );
    if (stopped !== undefined) {
      diagnostics.push(stoppedDiagnostic(template, stopped));
      continue;
    }
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
  return { policies, diagnostics };
}
