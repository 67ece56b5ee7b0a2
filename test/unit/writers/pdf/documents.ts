/** Documents for the contents-page tests: an example policy, and a long synthetic one that stresses page breaks. */
import path from 'node:path';
import { buildDocument, documentSource, type PolicyDocument } from '../../../../src/document/model.js';
import { checkProfile } from '../../../../src/pipeline/check-profile.js';
import { renderProfilePolicies } from '../../../../src/templates/policies.js';
import { draftVersion, root } from '../docx/fixtures.js';

/** The Welsh example's first policy, as a draft, with its contents page turned on or off. */
export async function examplePolicy(contents: boolean): Promise<PolicyDocument> {
  const report = await checkProfile(path.join(root, 'examples', 'wales-care-home', 'keypolicy.yaml'));
  const profile = report.resolved!;
  const { policies } = await renderProfilePolicies(profile, { date: '2026-04-01' });
  const source = await documentSource(policies[0]!, profile);
  return buildDocument(
    { ...source, organisation: { ...source.organisation, contents } },
    draftVersion(['Manager', 'Responsible Individual']),
  );
}

/** A small deterministic random number generator (mulberry32), so the document is the same every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS =
  'care support resident key worker plan review family health safety dignity choice record team manager staff daily weekly monthly wellbeing risk consent advocate'.split(
    ' ',
  );

/**
 * Some 25 pages of sections and subsections whose headings land anywhere on a page: paragraphs of every
 * length, lists, tables of up to 14 rows and runs of short subsections, so that headings are pushed over
 * page ends by `break-after: avoid`, tables by `break-inside: avoid` and lines by orphans and widows.
 */
export function longMarkdown(seed = 7): string {
  const next = random(seed);
  const pick = (n: number) => Math.floor(next() * n);
  const sentence = () => {
    const words = Array.from({ length: 6 + pick(14) }, () => WORDS[pick(WORDS.length)]!);
    return `${words.join(' ').replace(/^./, (c) => c.toUpperCase())}.`;
  };
  const paragraph = () => Array.from({ length: 1 + pick(7) }, sentence).join(' ');
  const blocks: string[] = [];
  for (let s = 1; s <= 16; s++) {
    blocks.push(`## Section ${s} ${sentence().slice(0, 30 + pick(40))}`);
    for (let i = pick(3); i >= 0; i--) blocks.push(paragraph());
    for (let sub = 0, subs = pick(5); sub < subs; sub++) {
      blocks.push(`### Part ${sub + 1} ${sentence().slice(0, 20 + pick(30))}`);
      const kind = pick(4);
      if (kind === 0) blocks.push(Array.from({ length: 2 + pick(8) }, () => `- ${sentence()}`).join('\n'));
      else if (kind === 1) {
        const rows = Array.from({ length: 3 + pick(12) }, () => `| ${sentence()} | ${sentence()} |`);
        blocks.push(['| What | Who |', '| --- | --- |', ...rows].join('\n'));
      } else for (let i = pick(4); i >= 0; i--) blocks.push(paragraph());
    }
  }
  return blocks.join('\n\n');
}

/** The long synthetic policy as a draft document with a contents page. */
export function longPolicy(): PolicyDocument {
  return buildDocument(
    {
      title: 'Long Policy',
      markdown: longMarkdown(),
      organisation: {
        name: 'Acme Care',
        registrations: [],
        owner: 'Registered Manager',
        brandColour: '#2e6b5e',
        uncontrolledWhenPrinted: true,
        copyright: '© Acme Care',
        contents: true,
      },
    },
    draftVersion(['Registered Manager']),
  );
}
