/**
 * The one document model: a rendered policy's Markdown parsed once, headings numbered, links made safe,
 * plus the controlled-document parts (control table, history, sign-off, footer). HTML, PDF and DOCX are
 * all drawn from it, so they carry the same words, numbering and tables.
 */
import { readFile } from 'node:fs/promises';
import type { Heading, Root } from 'mdast';
import { formatUkDate } from '../core/dates.js';
import type { ResolvedProfile } from '../profile/resolve.js';
import { sniffImage } from '../profile/semantic-check.js';
import type { RenderedPolicy } from '../templates/render.js';
import { makeSafe, parseMarkdown } from '../core/markdown.js';
import { COLOURS, LABELS } from './labels.js';

export interface Approval {
  name: string;
  role: string;
  date: string;
}

/** What the register knows about the version being built. */
export interface VersionInfo {
  version: string;
  status: 'draft' | 'approved';
  /** The date of this version (YYYY-MM-DD). */
  date: string;
  /** The approval date, when approved. */
  effectiveDate?: string;
  /** Effective date + interval when approved; version date + interval (provisional) for a draft. */
  nextReviewDate: string;
  approvals: Approval[];
  /** Roles that must sign. */
  approverRoles: string[];
  history: HistoryEntry[];
}

export interface HistoryEntry {
  version: string;
  date: string;
  summary: string;
  approvedBy?: string;
}

export interface Logo {
  data: Buffer;
  mime: 'image/png' | 'image/jpeg' | 'image/svg+xml';
}

export interface ControlRow {
  label: string;
  value: string;
}

export interface SignOffRow {
  role: string;
  /** Empty for a draft: the paper-style blank lines are drawn instead. */
  name: string;
  date: string;
}

export interface PolicyDocument {
  title: string;
  lang: 'en-GB';
  draft: boolean;
  organisation: { name: string; registrations: ControlRow[] };
  logo?: Logo;
  brandColour: string;
  /** The policy body, headings numbered ("2.1 …"), links limited to http, https and mailto. */
  body: Root;
  control: ControlRow[];
  history: HistoryEntry[];
  signOff: SignOffRow[];
  footer: { title: string; version: string; uncontrolled: boolean; copyright: string };
  metadata: { title: string; author: string; subject: string; date: string };
}

/** Number every heading (1, 1.1, 1.1.1 …) by its depth below the shallowest one. */
function numberHeadings(root: Root): void {
  const headings = root.children.filter((n): n is Heading => n.type === 'heading');
  if (headings.length === 0) return;
  const top = Math.min(...headings.map((h) => h.depth));
  const counters: number[] = [];
  for (const heading of headings) {
    const level = heading.depth - top;
    counters.length = level + 1;
    counters[level] = (counters[level] ?? 0) + 1;
    for (let i = 0; i < level; i++) counters[i] ??= 1;
    heading.children.unshift({ type: 'text', value: `${counters.join('.')} ` });
  }
}

const MIME = { png: 'image/png', jpeg: 'image/jpeg', svg: 'image/svg+xml' } as const;

async function readLogo(file: string | undefined): Promise<Logo | undefined> {
  if (!file) return undefined;
  const kind = await sniffImage(file);
  return kind ? { data: await readFile(file), mime: MIME[kind] } : undefined;
}

/**
 * Everything a document is drawn from besides its version: the policy's words and the organisation's
 * facts as they were when it was rendered. The register keeps it as the version's snapshot, so an
 * approved edition is drawn from what was built, whatever the profile says now.
 */
export interface DocumentSource {
  title: string;
  markdown: string;
  organisation: {
    name: string;
    registrations: ControlRow[];
    owner: string;
    brandColour: string;
    uncontrolledWhenPrinted: boolean;
    copyright: string;
  };
  logo?: Logo;
}

/** The regulator's identifiers, labelled as the regulator names them. */
function registrations(profile: ResolvedProfile): ControlRow[] {
  const r = profile.data.registration ?? {};
  const rows: [string, string | undefined][] =
    profile.nation === 'wales'
      ? [
          [LABELS.registrations.ciwService, r.ciwServiceId],
          [LABELS.registrations.ciwProvider, r.ciwProviderId],
        ]
      : [
          [LABELS.registrations.cqcLocation, r.cqcLocationId],
          [LABELS.registrations.cqcProvider, r.cqcProviderId],
        ];
  return rows
    .filter((row): row is [string, string] => Boolean(row[1]))
    .map(([label, value]) => ({ label, value }));
}

/** What a document of this policy is drawn from, taken from the profile now (the logo read from disk). */
export async function documentSource(
  policy: RenderedPolicy,
  profile: ResolvedProfile,
): Promise<DocumentSource> {
  const facts = profile.data;
  const name = facts.organisation.name;
  const logo = await readLogo(profile.logo);
  return {
    title: policy.title,
    markdown: policy.markdown,
    organisation: {
      name,
      registrations: registrations(profile),
      owner: profile.owner,
      brandColour: facts.organisation.brandColour ?? COLOURS.brand,
      uncontrolledWhenPrinted: facts.documentControl?.uncontrolledWhenPrinted !== false,
      copyright: facts.documentControl?.copyright ?? LABELS.copyright(name),
    },
    ...(logo ? { logo } : {}),
  };
}

/** Assemble the document model for one policy and version. */
export function buildDocument(source: DocumentSource, version: VersionInfo): PolicyDocument {
  const body = parseMarkdown(source.markdown);
  makeSafe(body);
  numberHeadings(body);
  const draft = version.status === 'draft';
  const approvedBy = version.approvals.map((a) => `${a.name} (${a.role})`).join('; ');
  const { name, owner } = source.organisation;
  const words = LABELS.control;
  return {
    title: source.title,
    lang: 'en-GB',
    draft,
    organisation: { name, registrations: source.organisation.registrations },
    ...(source.logo ? { logo: source.logo } : {}),
    brandColour: source.organisation.brandColour,
    body,
    control: [
      { label: words.version, value: version.version },
      { label: words.status, value: draft ? words.draft : words.approved },
      {
        label: words.effectiveDate,
        value: version.effectiveDate ? formatUkDate(version.effectiveDate) : words.onApproval,
      },
      { label: words.owner, value: owner },
      {
        label: draft ? words.approver : words.approvedBy,
        value: draft ? version.approverRoles.join('; ') : approvedBy,
      },
      {
        label: words.nextReviewDate,
        value: `${formatUkDate(version.nextReviewDate)}${draft ? words.provisional : ''}`,
      },
    ],
    history: version.history,
    signOff: version.approverRoles.map((role) => {
      const approval = version.approvals.find((a) => a.role.toLowerCase() === role.toLowerCase());
      return { role, name: approval?.name ?? '', date: approval ? formatUkDate(approval.date) : '' };
    }),
    footer: {
      title: source.title,
      version: `${LABELS.version(version.version)}${draft ? ` ${LABELS.draft}` : ''}`,
      uncontrolled: source.organisation.uncontrolledWhenPrinted,
      copyright: source.organisation.copyright,
    },
    metadata: { title: source.title, author: name, subject: `${source.title} — ${name}`, date: version.date },
  };
}
