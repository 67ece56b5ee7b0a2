/**
 * Build one profile: render its policies, record changed ones in the register, draw every format from
 * one document model, write the files safely, and archive each approved edition once.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { BrowserSession } from '../document/browser.js';
import { renderHtml } from '../document/html.js';
import { buildDocument, type PolicyDocument } from '../document/model.js';
import type { Diagnostic } from '../errors.js';
import type { Format } from './formats.js';
import { writeFilesAtomic, type FileWrite } from '../output/atomic-write.js';
import { slugify } from '../output/paths.js';
import type { ResolvedProfile } from '../profile/resolve.js';
import { sourceFromText } from '../profile/source.js';
import {
  latestVersion,
  loadRegister,
  registerPathFor,
  registerText,
  withRegisterLock,
} from '../register/register.js';
import type { Register } from '../register/schema.js';
import {
  contentHash,
  documentVersion,
  profileSnapshot,
  recordVersion,
  sectionChanges,
  type RecordOutcome,
} from '../register/versioning.js';
import { escapeMarkdown } from '../templates/escape.js';
import type { PackReads } from '../templates/packs.js';
import { renderProfilePolicies, type PolicyRendition } from '../templates/policies.js';

export interface BuildOptions {
  out: string;
  formats: readonly Format[];
  policies?: readonly string[];
  packs?: readonly string[];
  /** The date a changed policy's new version gets (YYYY-MM-DD). */
  date: string;
  /** Record nothing; fail when a policy's words differ from its latest recorded version. */
  frozen?: boolean;
  /** A note added to the change-log entry of every version this build records. */
  message?: string;
  /** Launched only when a PDF is asked for. */
  browser: () => BrowserSession;
  /** Template packs this build has read already, shared by a batch's organisations. */
  packReads?: PackReads;
  /** Draws a DOCX elsewhere (the build's worker threads); by default it is drawn on this thread. */
  docx?: (doc: PolicyDocument) => Promise<Buffer>;
  /**
   * More files written in the same all-or-nothing step as the documents and register (the batch's
   * manifest), given the files and the register text about to be written.
   */
  finalWrites?: (files: WrittenFile[], register: string | undefined) => Promise<FileWrite[]>;
}

export interface WrittenFile {
  policy: string;
  version: string;
  status: 'draft' | 'approved';
  effectiveDate: string | null;
  nextReviewDate: string;
  format: Format;
  file: string;
  sha256: string;
  bytes: number;
}

export interface ProfileBuild {
  slug: string;
  files: WrittenFile[];
  /** What the register recorded for each policy. */
  recorded: { policy: string; version: string; outcome: RecordOutcome }[];
  diagnostics: Diagnostic[];
}

/** The organisation's output folder name: `output.slug`, else the name made safe. */
export function organisationSlug(profile: ResolvedProfile): string {
  const data = profile.data as { organisation: { name: string }; output?: { slug?: string } };
  return data.output?.slug ?? slugify(data.organisation.name);
}

/**
 * Render each policy as the register would see it: a recorded policy is rendered with its latest
 * version's date first, so unchanged words give the same hash; a changed one is rendered again with
 * the build's date, the date its new version will carry.
 */
export async function renditions(
  profile: ResolvedProfile,
  register: Register,
  options: Pick<BuildOptions, 'packs' | 'policies' | 'date' | 'frozen' | 'packReads'>,
): Promise<{ policies: PolicyRendition[]; diagnostics: Diagnostic[] }> {
  const request = {
    ...(options.packs ? { packs: options.packs } : {}),
    ...(options.policies ? { policies: options.policies } : {}),
    ...(options.packReads ? { packReads: options.packReads } : {}),
  };
  const first = await renderProfilePolicies(profile, {
    ...request,
    date: (id) => latestVersion(register, id)?.date ?? options.date,
  });
  if (first.diagnostics.length > 0) return first;
  const redo = first.policies.filter((p) => {
    const latest = latestVersion(register, p.id);
    return latest && latest.contentHash !== contentHash(p.markdown) && latest.date !== options.date;
  });
  if (redo.length === 0 || options.frozen) return first;
  const second = await renderProfilePolicies(profile, {
    ...request,
    policies: redo.map((p) => p.id),
    date: options.date,
  });
  if (second.diagnostics.length > 0) return second;
  return {
    policies: first.policies.map((p) => second.policies.find((q) => q.id === p.id) ?? p),
    diagnostics: [],
  };
}

function frozenDiagnostic(profile: ResolvedProfile, register: Register, policy: PolicyRendition): Diagnostic {
  const latest = latestVersion(register, policy.id);
  const changes = latest ? sectionChanges(latest.markdown ?? '', policy.markdown) : undefined;
  const what = changes ? [...changes.added, ...changes.removed, ...changes.reworded].join('; ') : '';
  return sourceFromText(profile.file, '').diagnosticAt([0, 0], {
    code: 'KP_FROZEN',
    message: latest
      ? `\`${policy.id}\` has changed since version ${latest.version} was recorded${what ? ` (${what})` : ''}.`
      : `\`${policy.id}\` has never been recorded in the register.`,
    hint: 'Run `keypolicy build` without --frozen to record the new version, and commit the register with the change.',
  });
}

export async function buildProfile(profile: ResolvedProfile, options: BuildOptions): Promise<ProfileBuild> {
  const slug = organisationSlug(profile);
  const registerFile = registerPathFor(profile.file);
  const work = async (): Promise<ProfileBuild> => {
    const loaded = await loadRegister(registerFile);
    if (!loaded.register) return { slug, files: [], recorded: [], diagnostics: loaded.diagnostics };
    const register = loaded.register;
    const { policies, diagnostics } = await renditions(profile, register, options);
    if (diagnostics.length > 0) return { slug, files: [], recorded: [], diagnostics };

    if (options.frozen) {
      const changed = policies.filter(
        (p) => latestVersion(register, p.id)?.contentHash !== contentHash(p.markdown),
      );
      if (changed.length > 0) {
        return {
          slug,
          files: [],
          recorded: [],
          diagnostics: changed.map((p) => frozenDiagnostic(profile, register, p)),
        };
      }
    }
    const snapshot = profileSnapshot(profile.data);
    const recorded = policies.map((p) => {
      const { version, outcome } = recordVersion(register, {
        id: p.id,
        title: p.title,
        markdown: p.markdown,
        templateId: p.id,
        templateVersion: p.templateVersion,
        profile: snapshot,
        approverRoles: p.approverRoles,
        date: options.date,
        ...(options.message ? { message: options.message } : {}),
      });
      return { policy: p.id, version: version.version, outcome };
    });
    const files: WrittenFile[] = [];
    const writes: FileWrite[] = [];
    for (const policy of policies) {
      const versions = register.policies[policy.id]?.versions ?? [];
      const version = documentVersion(versions, policy.reviewIntervalMonths);
      files.push(...(await writePolicy(policy, profile, version, slug, options, writes)));
    }
    // Everything lands together: every file is written to a temporary name first and only then renamed,
    // so a full disk or a stop part-way leaves the documents, register and manifest as they were.
    if (!options.frozen && recorded.some((r) => r.outcome !== 'unchanged')) {
      writes.push({ file: registerFile, contents: registerText(register) });
    }
    const staged = writes.find((w) => w.file === registerFile)?.contents as string | undefined;
    writes.push(...((await options.finalWrites?.(files, staged)) ?? []));
    await writeFilesAtomic(writes);
    return { slug, files, recorded, diagnostics: [] };
  };
  return options.frozen ? work() : withRegisterLock(registerFile, work);
}

async function writePolicy(
  policy: PolicyRendition,
  profile: ResolvedProfile,
  version: ReturnType<typeof documentVersion>,
  slug: string,
  options: BuildOptions,
  writes: FileWrite[],
): Promise<WrittenFile[]> {
  const name = slugify(policy.title, 'policy');
  // The model is needed for every format but Markdown; built once, drawn many times.
  const doc = options.formats.some((f) => f !== 'md')
    ? await buildDocument(policy, profile, version)
    : undefined;
  // Chromium prints in its own process while this one draws the other formats: they start once it is
  // printing, so this thread is free to answer the browser while it loads the page. A DOCX drawn on a
  // worker thread starts at once.
  let printing = () => {};
  const printed = options.formats.includes('pdf')
    ? new Promise<void>((resolve) => (printing = resolve))
    : Promise.resolve();
  const rendered = await Promise.all(
    options.formats.map(async (format) => {
      if (format !== 'pdf' && !(format === 'docx' && options.docx)) await printed;
      return { format, contents: await renderFormat(format, doc, policy, options, printing) };
    }),
  );
  const files: WrittenFile[] = [];
  for (const { format, contents } of rendered) {
    const file = path.join(options.out, slug, `${name}.${format}`);
    writes.push({ file, contents });
    if (version.status === 'approved')
      writes.push({
        file: path.join(options.out, slug, 'archive', `${name}-v${version.version}.${format}`),
        contents,
        ifExists: 'keep',
      });
    files.push({
      policy: policy.id,
      version: version.version,
      status: version.status,
      effectiveDate: version.effectiveDate ?? null,
      nextReviewDate: version.nextReviewDate,
      format,
      file,
      sha256: createHash('sha256').update(contents).digest('hex'),
      bytes: Buffer.byteLength(contents),
    });
  }
  return files;
}

async function renderFormat(
  format: Format,
  doc: PolicyDocument | undefined,
  policy: PolicyRendition,
  options: BuildOptions,
  printing: () => void,
): Promise<string | Buffer> {
  if (format === 'md') return `# ${escapeMarkdown(policy.title)}\n\n${policy.markdown.trimEnd()}\n`;
  if (!doc) throw new Error('the document model is built for every format but Markdown');
  switch (format) {
    case 'html':
      return renderHtml(doc);
    case 'pdf': {
      const { renderPdf } = await import('../document/pdf.js');
      return renderPdf(doc, options.browser(), printing);
    }
    case 'docx': {
      if (options.docx) return options.docx(doc);
      const { renderDocx } = await import('../document/docx.js');
      return renderDocx(doc);
    }
  }
}
