/** Build one profile's documents: render its policies, draw every format from one model, write them safely. */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { BrowserSession } from '../document/browser.js';
import { renderHtml } from '../document/html.js';
import { buildDocument, type PolicyDocument } from '../document/model.js';
import type { Diagnostic } from '../errors.js';
import { writeFileAtomic } from '../output/atomic-write.js';
import { slugify } from '../output/paths.js';
import type { ResolvedProfile } from '../profile/resolve.js';
import { initialVersion } from '../register/initial-version.js';
import { escapeMarkdown } from '../templates/escape.js';
import { renderProfilePolicies } from '../templates/policies.js';
import type { RenderedPolicy } from '../templates/render.js';

export const FORMATS = ['pdf', 'docx', 'html', 'md'] as const;
export type Format = (typeof FORMATS)[number];

export interface BuildOptions {
  out: string;
  formats: readonly Format[];
  policies?: readonly string[];
  packs?: readonly string[];
  date: string;
  /** Launched only when a PDF is asked for. */
  browser: () => BrowserSession;
}

export interface WrittenFile {
  policy: string;
  format: Format;
  file: string;
  sha256: string;
  bytes: number;
}

export interface ProfileBuild {
  slug: string;
  files: WrittenFile[];
  diagnostics: Diagnostic[];
}

/** The organisation's output folder name: `output.slug`, else the name made safe. */
export function organisationSlug(profile: ResolvedProfile): string {
  const data = profile.data as { organisation: { name: string }; output?: { slug?: string } };
  return data.output?.slug ?? slugify(data.organisation.name);
}

export async function buildProfile(profile: ResolvedProfile, options: BuildOptions): Promise<ProfileBuild> {
  const slug = organisationSlug(profile);
  const { policies, diagnostics } = await renderProfilePolicies(profile, {
    ...(options.packs ? { packs: options.packs } : {}),
    ...(options.policies ? { policies: options.policies } : {}),
    date: options.date,
  });
  if (diagnostics.length > 0) return { slug, files: [], diagnostics };
  const interval =
    (profile.data as { documentControl?: { reviewIntervalMonths?: number } }).documentControl
      ?.reviewIntervalMonths ?? 12;
  const files: WrittenFile[] = [];
  for (const policy of policies) {
    const version = initialVersion(options.date, interval, [...profile.approvers]);
    const name = slugify(policy.title, 'policy');
    // The model is needed for every format but Markdown; built once, drawn many times.
    const doc = options.formats.some((f) => f !== 'md')
      ? await buildDocument(policy, profile, version)
      : undefined;
    // Formats render side by side: Chromium prints in its own process while this one writes the DOCX.
    const rendered = await Promise.all(
      options.formats.map(async (format) => ({
        format,
        contents: await renderFormat(format, doc, policy, options),
      })),
    );
    for (const { format, contents } of rendered) {
      const file = path.join(options.out, slug, `${name}.${format}`);
      await writeFileAtomic(file, contents);
      files.push({
        policy: policy.id,
        format,
        file,
        sha256: createHash('sha256').update(contents).digest('hex'),
        bytes: Buffer.byteLength(contents),
      });
    }
  }
  return { slug, files, diagnostics: [] };
}

async function renderFormat(
  format: Format,
  doc: PolicyDocument | undefined,
  policy: RenderedPolicy,
  options: BuildOptions,
): Promise<string | Buffer> {
  if (format === 'md') return `# ${escapeMarkdown(policy.title)}\n\n${policy.markdown.trimEnd()}\n`;
  if (!doc) throw new Error('the document model is built for every format but Markdown');
  switch (format) {
    case 'html':
      return renderHtml(doc);
    case 'pdf': {
      const { renderPdf } = await import('../document/pdf.js');
      return renderPdf(doc, options.browser());
    }
    case 'docx': {
      const { renderDocx } = await import('../document/docx.js');
      return renderDocx(doc);
    }
  }
}
