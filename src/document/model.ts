/**
 * The one document model: a rendered policy's Markdown parsed once, headings numbered, links made safe,
 * plus the controlled-document parts (control table, history, sign-off, footer). HTML, PDF and DOCX are
 * all drawn from it, so they carry the same words, numbering and tables.
 */
import { readFile } from 'node:fs/promises';
import type { Heading, Nodes, Root } from 'mdast';
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
  /** When the policy first came into force under keypolicy: the earliest effective date up to this version. */
  firstIssued?: string;
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
  /**
   * The value's parts when it is printed one per line (an address, a person's name, e-mail and
   * telephone): each is kept whole on its line, so no value is split when it is printed or copied.
   */
  lines?: string[];
}

export interface SignOffRow {
  role: string;
  /** Empty for a draft: the paper-style blank lines are drawn instead. */
  name: string;
  date: string;
}

/** One line of the contents page: a numbered heading of the top two levels and the id it links to. */
export interface ContentsEntry {
  /** The heading's anchor: its `id` in HTML and PDF, its bookmark in DOCX. */
  id: string;
  /** "2" or "2.1". */
  number: string;
  /** The heading's text without its number. */
  text: string;
  /** 1 for a section, 2 for a subsection. */
  level: 1 | 2;
}

export interface PolicyDocument {
  title: string;
  lang: 'en-GB';
  draft: boolean;
  organisation: { name: string; registrations: ControlRow[] };
  logo?: Logo;
  brandColour: string;
  /** The policy body, headings numbered ("2.1 …") and given ids, links limited to http, https and mailto. */
  body: Root;
  /** The organisation table: names, address, contact, regulator identifiers and the accountable people. */
  identity: ControlRow[];
  /** The contents page, right after the document control; absent when the edition has none. */
  contents?: ContentsEntry[];
  control: ControlRow[];
  history: HistoryEntry[];
  signOff: SignOffRow[];
  footer: { title: string; version: string; uncontrolled: boolean; copyright: string };
  metadata: { title: string; author: string; subject: string; date: string };
}

/** The plain text of a node and everything in it. */
export const textOf = (node: Nodes): string =>
  'value' in node ? node.value : 'children' in node ? node.children.map((c) => textOf(c)).join('') : '';

/**
 * Number every heading (1, 1.1, 1.1.1 …) by its depth below the shallowest one and give it an id
 * (`section-2-1`) that the contents page links to; returns the contents entries of the top two levels.
 */
function numberHeadings(root: Root): ContentsEntry[] {
  const headings = root.children.filter((n): n is Heading => n.type === 'heading');
  if (headings.length === 0) return [];
  const top = Math.min(...headings.map((h) => h.depth));
  if (headings.every((h) => WRITTEN_NUMBER.test(textOf(h)))) return writtenNumbers(headings, top);
  const counters: number[] = [];
  const entries: ContentsEntry[] = [];
  for (const heading of headings) {
    const level = heading.depth - top;
    counters.length = level + 1;
    counters[level] = (counters[level] ?? 0) + 1;
    for (let i = 0; i < level; i++) counters[i] ??= 1;
    const number = counters.join('.');
    const id = `section-${counters.join('-')}`;
    const text = textOf(heading).replace(/\s+/g, ' ').trim();
    heading.children.unshift({ type: 'text', value: `${number} ` });
    heading.data = { ...heading.data, hProperties: { id } };
    if (level <= 1) entries.push({ id, number, text, level: level === 0 ? 1 : 2 });
  }
  return entries;
}

/** A heading numbered as its template wrote it: `4.1. Building trust`, `4.1 Building trust`, `2. Scope`. */
const WRITTEN_NUMBER = /^\s*(\d{1,3}(?:\.\d{1,3})+\.?|\d{1,3}\.)\s+(\S[\s\S]*)$/;

/**
 * Headings that all carry their own numbers (a plain-text or Word template's, kept as written) are not
 * numbered again: their ids and contents entries come from the numbers written.
 */
function writtenNumbers(headings: Heading[], top: number): ContentsEntry[] {
  const entries: ContentsEntry[] = [];
  const ids = new Set<string>();
  for (const heading of headings) {
    const [, written = '', rest = ''] = WRITTEN_NUMBER.exec(textOf(heading)) ?? [];
    const number = written.replace(/\.$/, '');
    let id = `section-${number.split('.').join('-')}`;
    for (let n = 2; ids.has(id); n++) id = `section-${number.split('.').join('-')}-${n}`;
    ids.add(id);
    heading.data = { ...heading.data, hProperties: { id } };
    const level = heading.depth - top;
    const text = rest.replace(/\s+/g, ' ').trim();
    if (level <= 1) entries.push({ id, number, text, level: level === 0 ? 1 : 2 });
  }
  return entries;
}

/** Characters of running text that fill an A4 page of the body, and what a block's spacing costs in them. */
const CHARACTERS_PER_PAGE = 2400;
const CHARACTERS_PER_BLOCK = 80;
/** The pages the title, document control, history and sign-off take, besides the body. */
const FRAME_PAGES = 1.2;

/**
 * Roughly how many A4 pages an edition fills, from its text alone. Every format asks the same question
 * (is this edition long enough to need a contents page?) and must get the same answer without laying
 * anything out, so this is an estimate: within a page for the built-in policy.
 */
export function estimatePages(body: Root): number {
  let characters = 0;
  const visit = (node: Nodes) => {
    if (node.type === 'paragraph' || node.type === 'heading' || node.type === 'tableRow') {
      characters += textOf(node).length + CHARACTERS_PER_BLOCK;
      return;
    }
    if ('children' in node) node.children.forEach(visit);
  };
  visit(body);
  return FRAME_PAGES + characters / CHARACTERS_PER_PAGE;
}

/** Editions longer than this many pages get a contents page unless the profile turns it off. */
export const CONTENTS_AFTER_PAGES = 3;

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
    /** Who the organisation is (absent in snapshots taken before editions printed it). */
    identity?: Identity;
    /** The profile's contents-page switch: absent means "when the edition is over three pages". */
    contents?: boolean;
  };
  logo?: Logo;
}

/** The organisation's identity as the profile gave it, for the organisation table. */
export interface Identity {
  /** The registered legal name, when it differs from the trading name. */
  legalName?: string;
  /** The address lines, then the postcode. */
  address?: string[];
  telephone?: string;
  email?: string;
  website?: string;
  /** The accountable people by role: the accountable manager, then the nominated or responsible individual. */
  people: { label: string; lines: string[] }[];
  /** `documentControl.firstIssued`: when the policy was first issued, before keypolicy managed it. */
  firstIssued?: string;
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

type Person = { firstName: string; lastName: string; jobTitle?: string; email?: string; telephone?: string };

/** "Jane Smith, registered manager (Home Manager)" (the role as the profile words it), then the person's e-mail and telephone. */
function personLines(person: Person, role: string): string[] {
  const title = role;
  const job =
    person.jobTitle && person.jobTitle.toLowerCase() !== role.toLowerCase() ? ` (${person.jobTitle})` : '';
  return [`${person.firstName} ${person.lastName}, ${title}${job}`, person.email, person.telephone].filter(
    (line): line is string => Boolean(line),
  );
}

/** The organisation's identity: names, address, contact and the people accountable for the service. */
function identity(profile: ResolvedProfile): Identity {
  const { organisation, people = {}, documentControl } = profile.data;
  const words = LABELS.identity;
  const accountable = profile.nation === 'wales' ? people.manager : people.registeredManager;
  const [individualLabel, individual] =
    profile.nation === 'wales'
      ? [words.responsibleIndividual, people.responsibleIndividual]
      : [words.nominatedIndividual, people.nominatedIndividual];
  const legalName = organisation.legalName !== organisation.name ? organisation.legalName : undefined;
  const contact = organisation.contact ?? {};
  return {
    ...(legalName ? { legalName } : {}),
    ...(organisation.address
      ? { address: [...organisation.address.lines, organisation.address.postcode ?? ''].filter(Boolean) }
      : {}),
    ...(contact.telephone ? { telephone: contact.telephone } : {}),
    ...(contact.email ? { email: contact.email } : {}),
    ...(contact.website ? { website: contact.website } : {}),
    people: [
      ...(accountable
        ? [{ label: words.accountablePerson, lines: personLines(accountable, profile.vocabulary.manager) }]
        : []),
      ...(individual ? [{ label: individualLabel, lines: personLines(individual, individualLabel) }] : []),
    ],
    ...(documentControl?.firstIssued ? { firstIssued: documentControl.firstIssued } : {}),
  };
}

/** The organisation table's rows: the legal name first when it differs, then everything the profile gives. */
function identityRows(source: DocumentSource): ControlRow[] {
  const { name, registrations: ids, identity: facts } = source.organisation;
  const words = LABELS.identity;
  const row = (label: string, value: string | undefined) => (value ? [{ label, value }] : []);
  return [
    ...(facts?.legalName
      ? [...row(words.legalName, facts.legalName), ...row(words.tradingName, name)]
      : row(words.organisation, name)),
    ...(facts?.address
      ? [{ label: words.address, value: facts.address.join(', '), lines: facts.address }]
      : []),
    ...row(words.telephone, facts?.telephone),
    ...row(words.email, facts?.email),
    ...row(words.website, facts?.website),
    ...ids,
    ...(facts?.people ?? []).map(({ label, lines }) => ({ label, value: lines.join(' · '), lines })),
  ];
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
      copyright: facts.documentControl?.copyright ?? LABELS.copyright(facts.organisation.legalName ?? name),
      identity: identity(profile),
      ...(facts.documentControl?.contents !== undefined ? { contents: facts.documentControl.contents } : {}),
    },
    ...(logo ? { logo } : {}),
  };
}

/** Assemble the document model for one policy and version. */
export function buildDocument(source: DocumentSource, version: VersionInfo): PolicyDocument {
  const body = parseMarkdown(source.markdown);
  makeSafe(body);
  const entries = numberHeadings(body);
  const showContents =
    entries.length > 0 && (source.organisation.contents ?? estimatePages(body) > CONTENTS_AFTER_PAGES);
  const firstIssued = source.organisation.identity?.firstIssued ?? version.firstIssued;
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
    identity: identityRows(source),
    ...(showContents ? { contents: entries } : {}),
    control: [
      { label: words.version, value: version.version },
      { label: words.status, value: draft ? words.draft : words.approved },
      { label: words.firstIssued, value: firstIssued ? formatUkDate(firstIssued) : words.onApproval },
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
