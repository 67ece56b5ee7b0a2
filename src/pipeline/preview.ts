/**
 * `preview`'s render: a profile's policies drawn as the HTML edition a build would make now, entirely in
 * memory (nothing is written, the register is only read), with the files whose change can change them.
 */
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/errors.js';
import { diagnosticForFile } from '../diagnostics/source.js';
import { buildDocument, documentSource } from '../document/model.js';
import { BUILT_IN_PACK } from '../templates/packs.js';
import { renderHtml } from '../writers/html/html.js';
import { loadRegister, registerPathFor } from '../register/register.js';
import { sourceHash } from '../register/snapshots.js';
import { documentVersion, profileSnapshot, recordVersion } from '../register/versioning.js';
import { renditions } from './build-profile.js';
import { checkProfile } from './check-profile.js';
import type { PlainObject } from '../profile/load.js';

/** One policy as the preview shows it. */
export interface PreviewPolicy {
  id: string;
  title: string;
  /** The template file it was rendered from. */
  file: string;
  version: string;
  status: 'draft' | 'approved';
  /** The whole HTML edition (self-contained, with its own strict Content-Security-Policy). */
  html: string;
}

/** What can change a preview: files (watched by their folders) and template packs (watched as trees). */
export interface PreviewInputs {
  files: string[];
  packs: string[];
}

export interface PreviewRender {
  /** Absolute path of the profile. */
  file: string;
  /** The organisation's name, when the profile could be read far enough to know it. */
  organisation?: string;
  /** Every policy the profile builds, in build order; empty when there are errors. */
  policies: PreviewPolicy[];
  errors: Diagnostic[];
  warnings: Diagnostic[];
  inputs: PreviewInputs;
}

/**
 * The logo and staff list a profile names, even one that does not validate: each path is relative to
 * the file of the chain that wrote it, so each file's folder is tried (watching one too many costs nothing).
 */
function namedFiles(data: PlainObject | undefined, chain: readonly string[]): string[] {
  const logo = (data?.organisation as { logo?: unknown } | undefined)?.logo;
  const named = [logo, data?.staff].filter((v): v is string => typeof v === 'string' && v !== '');
  return named.flatMap((name) => chain.map((file) => path.resolve(path.dirname(file), name)));
}

/**
 * Render a profile's policies for the preview: validated as `build` validates, rendered as `build`
 * renders (the register's dates for unchanged words, `date` for changed ones), each with the version a
 * build would record — a new or revised draft when its words changed — worked out on a copy of the
 * register, which is never written.
 */
export async function renderPreview(
  file: string,
  options: { date: string; packs?: readonly string[] },
): Promise<PreviewRender> {
  const absolute = path.resolve(file);
  const extraPacks = (options.packs ?? []).map((p) => path.resolve(p));
  const registerFile = registerPathFor(absolute);
  const report = await checkProfile(absolute, { register: false });
  const name = (report.data?.organisation as { name?: unknown } | undefined)?.name;
  const inputs: PreviewInputs = {
    files: [...report.chain, registerFile, ...namedFiles(report.data, report.chain)],
    packs: [BUILT_IN_PACK, ...extraPacks],
  };
  const base = {
    file: absolute,
    ...(typeof name === 'string' ? { organisation: name } : {}),
    policies: [],
    warnings: report.warnings,
    inputs,
  };
  const profile = report.resolved;
  if (!profile) {
    const errors = report.abstract
      ? [
          diagnosticForFile(absolute, {
            code: 'KP_PREVIEW_ABSTRACT',
            message:
              'This is an abstract base (`abstract: true`): it is never built, so there is nothing to show.',
            hint: 'Preview a profile that extends it instead.',
          }),
        ]
      : report.errors;
    return { ...base, errors };
  }
  inputs.files.push(...(profile.logo ? [profile.logo] : []), ...(profile.staff ? [profile.staff.file] : []));
  inputs.packs.push(...profile.templatePacks);
  const loaded = await loadRegister(registerFile);
  if (!loaded.register) return { ...base, errors: loaded.diagnostics };
  const rendered = await renditions(profile, loaded.register, {
    date: options.date,
    ...(extraPacks.length > 0 ? { packs: extraPacks } : {}),
  });
  const warnings = [...report.warnings, ...loaded.warnings, ...rendered.warnings];
  if (rendered.diagnostics.length > 0) return { ...base, warnings, errors: rendered.diagnostics };

  // What a build would record, on a copy: a build records every policy into one register.
  const register = structuredClone(loaded.register);
  const snapshot = profileSnapshot(profile.data);
  const policies: PreviewPolicy[] = [];
  for (const policy of rendered.policies) {
    const source = await documentSource(policy, profile);
    const { version } = recordVersion(register, {
      id: policy.id,
      title: policy.title,
      markdown: policy.markdown,
      templateId: policy.id,
      templateVersion: policy.templateVersion,
      profile: snapshot,
      approverRoles: policy.approverRoles,
      date: options.date,
      source: sourceHash(source),
      reviewIntervalMonths: policy.reviewIntervalMonths,
    });
    const versions = register.policies[policy.id]?.versions ?? [];
    const info = documentVersion(versions, policy.reviewIntervalMonths, version);
    policies.push({
      id: policy.id,
      title: policy.title,
      file: policy.file,
      version: info.version,
      status: info.status,
      html: renderHtml(buildDocument(source, info)),
    });
  }
  return { ...base, organisation: profile.data.organisation.name, policies, warnings, errors: [] };
}
