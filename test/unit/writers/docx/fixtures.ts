/** What the DOCX writer's tests share: example models, and a DOCX read back as its parts and paragraphs. */
import path from 'node:path';
import JSZip from 'jszip';
import type { Heading, Root } from 'mdast';
import { beforeAll, expect } from 'vitest';
import { renderDocx } from '../../../../src/writers/docx/docx.js';
import { parseMarkdown } from '../../../../src/core/markdown.js';
import {
  buildDocument,
  documentSource,
  type PolicyDocument,
  type VersionInfo,
} from '../../../../src/document/model.js';
import { checkProfile as validateProfile } from '../../../../src/pipeline/check-profile.js';
import { renderProfilePolicies } from '../../../../src/templates/policies.js';

export const root = path.resolve(import.meta.dirname, '../../../..');

export const draftVersion = (approverRoles: string[]): VersionInfo => ({
  version: '1.0',
  status: 'draft',
  date: '2026-04-01',
  nextReviewDate: '2027-04-01',
  approvals: [],
  approverRoles,
  history: [{ version: '1.0', date: '1 April 2026', summary: 'First draft' }],
});

export const approvedVersion = (approvals: { name: string; role: string; date: string }[]): VersionInfo => ({
  version: '1.0',
  status: 'approved',
  date: '2026-04-01',
  effectiveDate: '2026-04-15',
  nextReviewDate: '2027-04-15',
  approvals,
  approverRoles: approvals.map((a) => a.role),
  history: [
    {
      version: '1.0',
      date: '1 April 2026',
      summary: 'First issue',
      approvedBy: approvals.map((a) => `${a.name} (${a.role})`).join('; '),
    },
  ],
});

export async function model(example: string, version: VersionInfo): Promise<PolicyDocument> {
  const report = await validateProfile(path.join(root, 'examples', example, 'keypolicy.yaml'));
  expect(report.errors).toEqual([]);
  const profile = report.resolved!;
  const { policies, diagnostics } = await renderProfilePolicies(profile, { date: '2026-04-01' });
  expect(diagnostics).toEqual([]);
  expect(policies.length).toBeGreaterThan(0);
  return buildDocument(await documentSource(policies[0]!, profile), version);
}

export const ENGLAND_APPROVALS = [
  { name: 'Priya Chauhan', role: 'Registered Manager', date: '2026-04-15' },
  { name: 'Martin Hale', role: 'Nominated Individual', date: '2026-04-14' },
];
export const WALES_APPROVALS = [
  { name: 'Eleri Morgan', role: 'Manager', date: '2026-04-10' },
  { name: 'Gareth Pugh', role: 'Responsible Individual', date: '2026-04-15' },
];

export type Parts = Record<string, string>;

export async function unzip(buffer: Buffer): Promise<Parts> {
  const zip = await JSZip.loadAsync(buffer);
  const parts: Parts = {};
  for (const name of Object.keys(zip.files)) {
    if (/\.(xml|rels)$/.test(name)) parts[name] = await zip.file(name)!.async('string');
  }
  return parts;
}

export const unescapeXml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&');

interface Para {
  style: string | undefined;
  text: string;
  xml: string;
}

/** The paragraphs of a part, with their style and text. */
export function paragraphs(xml: string): Para[] {
  return [...xml.matchAll(/<w:p(?:\s[^>]*[^/])?>([\s\S]*?)<\/w:p>/g)].map((m) => {
    const inner = m[1] ?? '';
    return {
      style: /<w:pStyle w:val="([^"]+)"/.exec(inner)?.[1],
      text: [...inner.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)]
        .map((t) => unescapeXml(t[1] ?? ''))
        .join(''),
      xml: inner,
    };
  });
}

const textOf = (node: { value?: string; children?: unknown[] }): string =>
  typeof node.value === 'string'
    ? node.value
    : ((node.children ?? []) as (typeof node)[]).map(textOf).join('');

export function headingsOf(body: Root): { text: string; level: number }[] {
  const headings = body.children.filter((n): n is Heading => n.type === 'heading');
  const top = Math.min(...headings.map((h) => h.depth));
  return headings.map((h) => ({ text: textOf(h), level: h.depth - top + 1 }));
}

/** The example documents as models, as DOCX files and as those files' XML parts. */
export interface Rendered {
  docs: Record<string, PolicyDocument>;
  files: Record<string, Buffer>;
  xml: Record<string, Parts>;
}

/** The example documents, filled in before the tests of the file that calls this run. */
export function useExamples(): Rendered {
  const docs: Record<string, PolicyDocument> = {};
  const files: Record<string, Buffer> = {};
  const xml: Record<string, Parts> = {};
  beforeAll(async () => {
    docs.englandDraft = await model(
      'england-supported-living',
      draftVersion(['Registered Manager', 'Nominated Individual']),
    );
    docs.englandApproved = await model('england-supported-living', approvedVersion(ENGLAND_APPROVALS));
    docs.walesDraft = await model('wales-care-home', draftVersion(['Manager', 'Responsible Individual']));
    docs.walesApproved = await model('wales-care-home', approvedVersion(WALES_APPROVALS));
    for (const [name, doc] of Object.entries(docs)) {
      files[name] = await renderDocx(doc);
      xml[name] = await unzip(files[name]);
    }
  });
  return { docs, files, xml };
}

/** `base` with `markdown` as its body (and any other `changes`), drawn and read back. */
export async function renderBody(
  base: PolicyDocument,
  markdown: string,
  changes: Partial<PolicyDocument> = {},
) {
  const doc: PolicyDocument = { ...base, body: parseMarkdown(markdown), ...changes };
  const parts = await unzip(await renderDocx(doc));
  return { parts, paras: paragraphs(parts['word/document.xml']!) };
}
