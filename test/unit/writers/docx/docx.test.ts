import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import JSZip from 'jszip';
import type { Heading, Root } from 'mdast';
import { beforeAll, describe, expect, it } from 'vitest';
import { imageSize } from '../../../../src/document/image-size.js';
import { renderDocx, xmlSafe } from '../../../../src/writers/docx/docx.js';
import { DocxWorkers } from '../../../../src/writers/docx/workers.js';
import { parseMarkdown } from '../../../../src/core/markdown.js';
import { fitLine } from '../../../../src/writers/pdf/text-width.js';
import {
  buildDocument,
  documentSource,
  type PolicyDocument,
  type VersionInfo,
} from '../../../../src/document/model.js';
import { checkProfile as validateProfile } from '../../../../src/pipeline/check-profile.js';
import { renderProfilePolicies } from '../../../../src/templates/policies.js';
import { tempDir } from '../../../helpers.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../../..');

const draftVersion = (approverRoles: string[]): VersionInfo => ({
  version: '1.0',
  status: 'draft',
  date: '2026-04-01',
  nextReviewDate: '2027-04-01',
  approvals: [],
  approverRoles,
  history: [{ version: '1.0', date: '1 April 2026', summary: 'First draft' }],
});

const approvedVersion = (approvals: { name: string; role: string; date: string }[]): VersionInfo => ({
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

async function model(example: string, version: VersionInfo): Promise<PolicyDocument> {
  const report = await validateProfile(path.join(root, 'examples', example, 'keypolicy.yaml'));
  expect(report.errors).toEqual([]);
  const profile = report.resolved!;
  const { policies, diagnostics } = await renderProfilePolicies(profile, { date: '2026-04-01' });
  expect(diagnostics).toEqual([]);
  expect(policies.length).toBeGreaterThan(0);
  return buildDocument(await documentSource(policies[0]!, profile), version);
}

const ENGLAND_APPROVALS = [
  { name: 'Priya Chauhan', role: 'Registered Manager', date: '2026-04-15' },
  { name: 'Martin Hale', role: 'Nominated Individual', date: '2026-04-14' },
];
const WALES_APPROVALS = [
  { name: 'Eleri Morgan', role: 'Manager', date: '2026-04-10' },
  { name: 'Gareth Pugh', role: 'Responsible Individual', date: '2026-04-15' },
];

type Parts = Record<string, string>;

async function unzip(buffer: Buffer): Promise<Parts> {
  const zip = await JSZip.loadAsync(buffer);
  const parts: Parts = {};
  for (const name of Object.keys(zip.files)) {
    if (/\.(xml|rels)$/.test(name)) parts[name] = await zip.file(name)!.async('string');
  }
  return parts;
}

const unescapeXml = (s: string) =>
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
function paragraphs(xml: string): Para[] {
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

function headingsOf(body: Root): { text: string; level: number }[] {
  const headings = body.children.filter((n): n is Heading => n.type === 'heading');
  const top = Math.min(...headings.map((h) => h.depth));
  return headings.map((h) => ({ text: textOf(h), level: h.depth - top + 1 }));
}

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

describe.each(['englandDraft', 'englandApproved', 'walesDraft', 'walesApproved'])('%s', (name) => {
  it('uses a real Word heading style for every heading in the model, and Title for the title', () => {
    const doc = docs[name]!;
    const paras = paragraphs(xml[name]!['word/document.xml']!);
    const expected = headingsOf(doc.body);
    expect(expected.length).toBeGreaterThan(0);
    for (const heading of expected) {
      expect(heading.text).toMatch(/^\d+(\.\d+)* /);
      const found = paras.find((p) => p.text === heading.text && p.style?.startsWith('Heading'));
      expect(found, heading.text).toBeDefined();
      expect(found!.style).toBe(`Heading${heading.level}`);
    }
    expect(paras.find((p) => p.style === 'Title')?.text).toBe(doc.title);
    // Heading 1/2/3 are defined in styles.xml, coloured with the brand colour.
    const styles = xml[name]!['word/styles.xml']!;
    const brand = doc.brandColour.slice(1).toUpperCase();
    for (const id of ['Heading1', 'Heading2', 'Heading3', 'Title']) {
      const style = new RegExp(`<w:style [^>]*w:styleId="${id}"[^>]*>([\\s\\S]*?)</w:style>`).exec(
        styles,
      )?.[1];
      expect(style, id).toBeDefined();
      expect(style).toContain(`w:color w:val="${brand}"`);
    }
    expect(styles).toContain('w:lang w:val="en-GB"');
  });

  it('writes valid list numbering that every list paragraph refers to', () => {
    const numbering = xml[name]!['word/numbering.xml']!;
    const document = xml[name]!['word/document.xml']!;
    const abstract = new Set(
      [...numbering.matchAll(/<w:abstractNum [^>]*w:abstractNumId="(\d+)"/g)].map((m) => m[1]),
    );
    const nums = new Map(
      [...numbering.matchAll(/<w:num w:numId="(\d+)"[^>]*><w:abstractNumId w:val="(\d+)"\/>/g)].map((m) => [
        m[1],
        m[2],
      ]),
    );
    expect(abstract.size).toBeGreaterThan(0);
    for (const target of nums.values()) expect(abstract.has(target)).toBe(true);
    const used = [...document.matchAll(/<w:numId w:val="(\d+)"\/>/g)].map((m) => m[1]);
    const lists = docs[name]!.body.children.filter((n) => n.type === 'list');
    expect(lists.length).toBeGreaterThan(0);
    // Each ordered list has an instance of its own (it restarts); bulleted lists share one.
    const ordered = lists.filter((l) => l.ordered).length;
    expect(new Set(used).size).toBeGreaterThanOrEqual(ordered + (lists.length > ordered ? 1 : 0));
    for (const id of used) expect(nums.has(id), `numId ${id}`).toBe(true);
    expect(numbering).toContain('<w:numFmt w:val="bullet"/>');
    expect(numbering).toContain('<w:numFmt w:val="decimal"/>');
  });

  it('has a header with logo and organisation and a footer with title, version and Page X of Y', () => {
    const doc = docs[name]!;
    const parts = xml[name]!;
    const header = parts['word/header1.xml']!;
    const footer = parts['word/footer1.xml']!;
    const headerText = paragraphs(header)
      .map((p) => p.text)
      .join('\n');
    expect(headerText).toContain(doc.organisation.name);
    expect(header).toContain('<a:blip r:embed="rId1"');
    expect(parts['word/_rels/header1.xml.rels']).toMatch(
      /Id="rId1" Type="[^"]+\/image" Target="media\/image1\.png"/,
    );
    const footerText = paragraphs(footer)
      .map((p) => p.text)
      .join('\n');
    expect(footer).toMatch(/<w:instrText[^>]*>\s*PAGE\s*<\/w:instrText>/);
    expect(footer).toMatch(/<w:instrText[^>]*>\s*NUMPAGES\s*<\/w:instrText>/);
    expect(footerText).toContain(`${doc.footer.title} · ${doc.footer.version}`);
    expect(footerText).toContain('Page ');
    expect(footerText).toContain('Printed copies are uncontrolled: check the current version before use.');
    expect(footerText).toContain(doc.footer.copyright);
    // The page is A4.
    expect(parts['word/document.xml']).toContain('<w:pgSz w:w="11906" w:h="16838"');
  });

  it('has core properties from the model, dated by the version, never the clock', () => {
    const doc = docs[name]!;
    const core = xml[name]!['docProps/core.xml']!;
    expect(core).toContain(`<dc:title>${doc.metadata.title}</dc:title>`);
    expect(core).toContain(`<dc:creator>${doc.metadata.author}</dc:creator>`);
    expect(core).toContain(`<dc:subject>${doc.metadata.subject}</dc:subject>`);
    expect(core).toMatch(/<dcterms:created [^>]*>2026-04-01T00:00:00Z<\/dcterms:created>/);
    expect(core).toMatch(/<dcterms:modified [^>]*>2026-04-01T00:00:00Z<\/dcterms:modified>/);
    expect(core).toContain('<dc:language>en-GB</dc:language>');
  });

  it('marks drafts (body and every page) and only drafts; fills the sign-off only when approved', () => {
    const doc = docs[name]!;
    const parts = xml[name]!;
    const document = paragraphs(parts['word/document.xml']!).map((p) => p.text);
    const header = paragraphs(parts['word/header1.xml']!).map((p) => p.text);
    const everything = [
      ...document,
      ...header,
      ...paragraphs(parts['word/footer1.xml']!).map((p) => p.text),
    ].join('\n');
    const signOffAt = document.indexOf('Sign-off');
    expect(signOffAt).toBeGreaterThan(0);
    const signOff = document.slice(signOffAt);
    const history = document.indexOf('Version history');
    expect(history).toBeGreaterThan(0);
    expect(document.slice(history)).toContain(doc.history[0]!.summary);
    if (doc.draft) {
      expect(document.some((t) => t.includes('DRAFT'))).toBe(true);
      expect(header.join(' ')).toContain('DRAFT');
      for (const row of doc.signOff) expect(signOff).toContain(row.role);
      // Name, signature and date are blank lines to write on.
      expect(signOff.filter((t) => t === '').length).toBeGreaterThanOrEqual(3 * doc.signOff.length);
    } else {
      expect(everything).not.toContain('DRAFT');
      const approvals = name.startsWith('england') ? ENGLAND_APPROVALS : WALES_APPROVALS;
      for (const a of approvals) {
        expect(signOff).toContain(a.name);
        expect(signOff).toContain(a.role);
      }
      expect(signOff).toContain('15 April 2026');
    }
    for (const row of doc.control) {
      expect(document).toContain(row.label);
      expect(document).toContain(row.value);
    }
  });

  it('gives the history table a Date column the widest date fits on one line', () => {
    const document = xml[name]!['word/document.xml']!;
    const history = [...document.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>/g)]
      .map((m) => m[0])
      .find((t) => t.includes('Summary of changes'));
    expect(history).toBeDefined();
    const columns = [...history!.matchAll(/<w:gridCol w:w="(\d+)"\/>/g)].map((m) => Number(m[1]));
    expect(columns).toHaveLength(4);
    expect(columns.reduce((a, b) => a + b, 0)).toBe(11906 - 2 * 1134);
    // Twentieths of a point, less the cell's margins (100 each side), in millimetres; body text is 10.5 pt.
    const textMm = ((columns[1]! - 200) / 20) * (25.4 / 72);
    expect(fitLine('30 September 2026', textMm, 10.5)).toBe('30 September 2026');
    expect(fitLine('30 September 2026', textMm / 1.05, 10.5)).toBe('30 September 2026');
  });
});

describe('body mapping', () => {
  async function render(markdown: string, changes: Partial<PolicyDocument> = {}) {
    const doc: PolicyDocument = { ...docs.englandDraft!, body: parseMarkdown(markdown), ...changes };
    const parts = await unzip(await renderDocx(doc));
    return { parts, paras: paragraphs(parts['word/document.xml']!) };
  }

  it('restarts ordered lists, nests lists and keeps a list start', async () => {
    const { parts, paras } = await render(
      '## A\n\n1. one\n2. two\n\nBetween.\n\n1. again\n   - nested bullet\n     1. deep\n\nAnd.\n\n3. three\n4. four\n',
    );
    const numOf = (text: string) => {
      const p = paras.find((x) => x.text === text)!;
      return {
        id: /<w:numId w:val="(\d+)"/.exec(p.xml)?.[1],
        level: /<w:ilvl w:val="(\d+)"/.exec(p.xml)?.[1],
      };
    };
    expect(numOf('one').id).toBe(numOf('two').id);
    expect(numOf('again').id).not.toBe(numOf('one').id);
    expect(numOf('nested bullet').level).toBe('1');
    expect(numOf('deep').level).toBe('2');
    const numbering = parts['word/numbering.xml']!;
    const abstractOf = (id: string | undefined) =>
      new RegExp(`<w:num w:numId="${id}"[^>]*><w:abstractNumId w:val="(\\d+)"/>`).exec(numbering)?.[1];
    const levelZero = (id: string | undefined) =>
      new RegExp(
        `<w:abstractNum [^>]*w:abstractNumId="${abstractOf(id)}"[\\s\\S]*?<w:lvl w:ilvl="0"[^>]*>([\\s\\S]*?)</w:lvl>`,
      ).exec(numbering)?.[1];
    expect(levelZero(numOf('one').id)).toContain('<w:numFmt w:val="decimal"/>');
    expect(levelZero(numOf('three').id)).toContain('<w:start w:val="3"/>');
    expect(levelZero(numOf('one').id)).toContain('<w:start w:val="1"/>');
    // Each ordered list's own instance starts again at its start value.
    expect(numbering).toMatch(
      new RegExp(`<w:num w:numId="${numOf('again').id}"[^>]*>[\\s\\S]*?<w:startOverride w:val="1"/>`),
    );
  });

  it('gives every bulleted list one shared numbering instance, as bullets never count', async () => {
    const { paras } = await render('## A\n\n- a\n- b\n\nBetween.\n\n- c\n\n1. one\n');
    const numId = (text: string) =>
      /<w:numId w:val="(\d+)"/.exec(paras.find((x) => x.text === text)!.xml)?.[1];
    expect(numId('a')).toBeDefined();
    expect(numId('c')).toBe(numId('a'));
    expect(numId('one')).not.toBe(numId('a'));
  });

  it('maps emphasis, links, code, quotes, rules, tables and the logo', async () => {
    const { parts, paras } = await render(
      [
        '## Inline',
        '',
        'Some **bold**, *italic*, ~~struck~~ and `code`, a [site](https://example.org/a?b=1&c=2) and [mail](mailto:a@example.org).',
        '',
        '> Quoted words.',
        '',
        '---',
        '',
        '| Left | Right |',
        '| :--- | ----: |',
        '| a | b |',
        '',
        '![Our logo](keypolicy:logo)',
        '',
        '```',
        'line one',
        'line two',
        '```',
      ].join('\n'),
    );
    const document = parts['word/document.xml']!;
    const rels = parts['word/_rels/document.xml.rels']!;
    const run = (text: string) =>
      new RegExp(`<w:r>(?:(?!</w:r>).)*<w:t xml:space="preserve">${text}</w:t></w:r>`).exec(document)?.[0];
    expect(run('bold')).toContain('<w:b/>');
    expect(run('italic')).toContain('<w:i/>');
    expect(run('struck')).toContain('<w:strike/>');
    expect(run('code')).toContain('Courier New');
    const link = /<w:hyperlink [^>]*r:id="(rId\d+)"[^>]*>[\s\S]*?site[\s\S]*?<\/w:hyperlink>/.exec(document);
    expect(link).not.toBeNull();
    expect(rels).toContain(
      `Id="${link![1]}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.org/a?b=1&amp;c=2" TargetMode="External"`,
    );
    expect(rels).toContain('Target="mailto:a@example.org" TargetMode="External"');
    expect(paras.find((p) => p.text === 'Quoted words.')?.style).toBe('KpQuote');
    expect(document).toMatch(/<w:pBdr><w:bottom w:val="single"/);
    expect(document).toMatch(/<w:tbl>[\s\S]*Left[\s\S]*<w:jc w:val="right"\/>[\s\S]*Right[\s\S]*<\/w:tbl>/);
    expect(document).toMatch(/<wp:docPr id="\d+" name="Logo" descr="Our logo"/);
    expect(paras.find((p) => p.text.startsWith('line one'))?.xml).toContain('<w:br/>');
  });

  it('strips characters XML forbids and keeps everything else literally', async () => {
    const nasty = 'A\u0000B\u0007C\u001FD\uFFFE\uD800E & < > " \' 🙂 שלום مرحبا';
    const clean = 'ABCDE & < > " \' 🙂 שלום مرحبا';
    expect(xmlSafe(nasty)).toBe(clean);
    const { parts, paras } = await render('', {
      // Built directly: the Markdown parser itself would turn NUL into U+FFFD.
      body: {
        type: 'root',
        children: [
          { type: 'heading', depth: 2, children: [{ type: 'text', value: nasty }] },
          { type: 'paragraph', children: [{ type: 'text', value: nasty }] },
        ],
      },
      title: nasty,
      organisation: { name: nasty, registrations: [{ label: nasty, value: nasty }] },
      metadata: { title: nasty, author: nasty, subject: nasty, date: '2026-04-01' },
      footer: { title: nasty, version: 'Version 1.0', uncontrolled: false, copyright: nasty },
      history: [{ version: '1.0', date: '1 April 2026', summary: nasty }],
    });
    const forbidden =
      // eslint-disable-next-line no-control-regex
      /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])/;
    for (const [part, text] of Object.entries(parts)) expect(text, part).not.toMatch(forbidden);
    expect(paras.find((p) => p.style === 'Title')?.text).toBe(clean);
    expect(paras.find((p) => p.style === 'Heading1')?.text).toBe(clean);
    expect(paras.filter((p) => p.text === clean).length).toBeGreaterThanOrEqual(3);
    expect(paragraphs(parts['word/footer1.xml']!).map((p) => p.text)).toContain(clean);
    const core = parts['docProps/core.xml']!;
    expect(unescapeXml(/<dc:title>([^<]*)<\/dc:title>/.exec(core)?.[1] ?? '')).toBe(clean);
    expect(unescapeXml(/<dc:creator>([^<]*)<\/dc:creator>/.exec(core)?.[1] ?? '')).toBe(clean);
  });

  it('embeds an SVG logo with a PNG fallback', async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 50"><rect width="200" height="50"/></svg>',
    );
    const { parts } = await render('## A\n\nText.\n', { logo: { data: svg, mime: 'image/svg+xml' } });
    const header = parts['word/header1.xml']!;
    expect(header).toContain('svgBlip');
    expect(parts['word/_rels/header1.xml.rels']).toMatch(/Target="media\/[^"]+\.svg"/);
    expect(parts['word/_rels/header1.xml.rels']).toMatch(/Target="media\/[^"]+\.png"/);
    // 200×50 scaled into 180×48 px keeps its proportions (EMU = px × 9525).
    expect(header).toContain(`<wp:extent cx="${180 * 9525}" cy="${45 * 9525}"/>`);
  });

  /** The PNG media of a DOCX, with their sizes. */
  async function pngMedia(docx: Buffer) {
    const zip = await JSZip.loadAsync(docx);
    const names = Object.keys(zip.files).filter((n) => /^word\/media\/.*\.png$/.test(n));
    return Promise.all(
      names.map(async (n) => imageSize({ data: await zip.file(n)!.async('nodebuffer'), mime: 'image/png' })),
    );
  }

  it("draws an SVG logo's PNG fallback, for LibreOffice and older Word, in proportion", async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 50"><rect width="200" height="50" fill="#7a2e3a"/><text x="10" y="35" font-size="24" fill="#fff">Celyn</text></svg>',
    );
    const doc: PolicyDocument = { ...docs.englandDraft!, logo: { data: svg, mime: 'image/svg+xml' } };
    expect(await pngMedia(await renderDocx(doc))).toEqual([{ width: 480, height: 120 }]);
  });

  it('keeps a blank fallback for an SVG logo that cannot be drawn, and still writes the document', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><rect');
    const doc: PolicyDocument = { ...docs.englandDraft!, logo: { data: svg, mime: 'image/svg+xml' } };
    expect(await pngMedia(await renderDocx(doc))).toEqual([{ width: 1, height: 1 }]);
  });
});

describe('reproducibility', () => {
  it('gives the same bytes when rendered again in the same process, after other documents', async () => {
    const doc = docs.englandDraft!;
    await renderDocx(docs.walesApproved!);
    const again = await renderDocx(doc);
    expect(again.equals(files.englandDraft!)).toBe(true);
    const rebuilt = await model(
      'england-supported-living',
      draftVersion(['Registered Manager', 'Nominated Individual']),
    );
    expect((await renderDocx(rebuilt)).equals(files.englandDraft!)).toBe(true);
    // Relationship ids are sequential, the zip entries are dated by the version and in a fixed order.
    const rels = xml.englandDraft!['word/_rels/document.xml.rels']!;
    const ids = [...rels.matchAll(/Id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(ids.map((_, i) => `rId${i + 1}`));
    const zip = await JSZip.loadAsync(files.englandDraft!);
    const names = Object.keys(zip.files);
    expect(names[0]).toBe('[Content_Types].xml');
    expect(names[1]).toBe('_rels/.rels');
    for (const entry of Object.values(zip.files))
      expect(entry.date.toISOString()).toBe('2026-04-01T12:00:00.000Z');
  });

  it('gives the same bytes in another process and time zone', async () => {
    const dir = tempDir();
    await build({
      entryPoints: [path.join(root, 'src/writers/docx/docx.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: path.join(dir, 'docx.cjs'),
      // A native module, loaded only for SVG logos.
      external: ['@resvg/resvg-js'],
      logLevel: 'silent',
    });
    const script = `
const fs = require('node:fs');
const { renderDocx } = require('./docx.cjs');
const doc = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'), (key, value) =>
  value && value.type === 'Buffer' && Array.isArray(value.data) ? Buffer.from(value.data) : value);
renderDocx(doc).then((buffer) => fs.writeFileSync(process.argv[3], buffer));
`;
    writeFileSync(path.join(dir, 'render.cjs'), script);
    writeFileSync(path.join(dir, 'model.json'), JSON.stringify(docs.walesDraft));
    for (const tz of ['Pacific/Kiritimati', 'America/Los_Angeles']) {
      const out = path.join(dir, `out-${tz.replace('/', '-')}.docx`);
      await run(process.execPath, [path.join(dir, 'render.cjs'), path.join(dir, 'model.json'), out], {
        cwd: dir,
        env: { ...process.env, TZ: tz },
      });
      expect(readFileSync(out).equals(files.walesDraft!), tz).toBe(true);
    }
  });
});

const which = (name: string) =>
  (process.env.PATH ?? '')
    .split(path.delimiter)
    .map((dir) => path.join(dir, name))
    .find((file) => existsSync(file));

describe('LibreOffice round trip', () => {
  const soffice = which('soffice');
  const pdftotext = which('pdftotext');
  const available = Boolean(soffice && pdftotext);

  it.runIf(available || process.env.CI)(
    'opens in LibreOffice and prints title, organisation, numbered headings and page numbers',
    async () => {
      if (!soffice || !pdftotext) {
        throw new Error(
          'LibreOffice (soffice) and pdftotext are required for this test in CI: apt-get install libreoffice-writer-nogui poppler-utils',
        );
      }
      const dir = tempDir();
      const doc = docs.englandDraft!;
      // Extra content that must survive: characters XML forbids are dropped, the rest kept.
      const body = structuredClone(doc.body);
      body.children.push({
        type: 'paragraph',
        children: [{ type: 'text', value: 'Odd \u0001\u000B& < > " \' end' }],
      });
      writeFileSync(path.join(dir, 'policy.docx'), await renderDocx({ ...doc, body }));
      await run(
        soffice,
        [
          `-env:UserInstallation=file://${path.join(dir, 'lo-profile')}`,
          '--headless',
          '--convert-to',
          'pdf',
          '--outdir',
          dir,
          path.join(dir, 'policy.docx'),
        ],
        { timeout: 60_000 },
      );
      const { stdout } = await run(pdftotext, [path.join(dir, 'policy.pdf'), '-']);
      const text = stdout.replace(/\s+/g, ' ');
      expect(text).toContain(doc.title);
      expect(text).toContain(doc.organisation.name);
      expect(text).toContain(headingsOf(doc.body)[0]!.text);
      expect(text).toMatch(/Page 1 of \d+/);
      expect(text).toContain('DRAFT');
      expect(text).toContain('Odd & < > " \' end');
    },
    90_000,
  );
});

describe('DOCX worker threads', () => {
  it('give the bytes this thread gives, and fail what they hold when stopped', async () => {
    const doc = await model('wales-care-home', draftVersion(['Manager']));
    const workers = new DocxWorkers(2);
    try {
      const [a, b] = await Promise.all([workers.render(doc), workers.render(doc)]);
      const here = await renderDocx(doc);
      expect(a.equals(here) && b.equals(here)).toBe(true);
      // Watched before the close that rejects it, so the rejection is never unhandled.
      const held = expect(workers.render(doc)).rejects.toMatchObject({ code: 'KP_DOCX_FAILED' });
      await workers.close();
      await held;
      await expect(workers.render(doc)).rejects.toMatchObject({ code: 'KP_DOCX_FAILED' });
    } finally {
      await workers.close();
    }
  });
});
