/**
 * Hostile profile values are data in every output. The profile schema is walked for every free-text string
 * field; each gets a distinct hostile value (a unique marker, Markdown and HTML punctuation, script and
 * event-handler markup, template code, link-like text, right-to-left and combining characters, emoji; the
 * England organisation name is 10,000 characters long). England and Wales profiles are built by the real
 * binary to Markdown, HTML, PDF and DOCX in one process, with the built-in policy and a template that shows
 * every field, and every output is read back: each value reads literally wherever its marker appears, and
 * nothing from a value becomes markup, a link or template code. A fast-check property then puts arbitrary
 * Unicode in every field of a batch of profiles, built by one more process (one browser).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import JSZip from 'jszip';
import type { Nodes } from 'mdast';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { CONTROL_CHARACTERS } from '../../src/diagnostics/report.js';
import { runBinary, tempDir, TINY_PNG } from '../helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

// ---------------------------------------------------------------------------------------------------
// The schema's string fields

interface SchemaNode {
  type?: string;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
}

/**
 * `text`: free text (only `minLength`), given the full hostile value. `email` (format email: no
 * whitespace, one `@`, a dot after it) and `website` (pattern `^https?://`, which constrains only the
 * start) get the most hostile value the schema still accepts. `markdown` is the one field documented to
 * carry Markdown (`{{markdown keyWorking.localArrangements}}`): its formatting is kept, so it is checked
 * for "no HTML, no unsafe link, nothing fetched" rather than read literally.
 */
type Kind = 'text' | 'email' | 'website' | 'markdown';
interface Field {
  /** Key path, `[]` for "each item": `keyWorking.relatedPolicies[].title`. */
  path: string;
  kind: Kind;
}

/** String fields that get no hostile value, and why. Enums are skipped too: they are not free text. */
const SKIPPED: Record<string, string> = {
  extends: 'a path to a base profile, which must exist',
  'organisation.logo':
    'a path to an image that must exist (a real PNG is used: its alt text carries the name)',
  'organisation.brandColour': '#RRGGBB only (schema pattern); used only as a colour',
  'documentControl.firstIssued': 'a real YYYY-MM-DD date (format date)',
  'policies[]': 'a template id (pattern ^[a-z0-9][a-z0-9-]*$)',
  'policies[].id': 'a template id (pattern ^[a-z0-9][a-z0-9-]*$)',
  'templates[]': 'paths to template pack folders, which must exist',
  'output.slug': 'lower-case letters, digits and hyphens (schema pattern)',
  staff: 'a path to a staff list (.yaml or .csv) that must exist; staff never appear in a policy',
  'staff[].name': 'staff never appear in a policy (the read-and-sign sheet has its own tests)',
  'staff[].role': 'staff never appear in a policy',
  'staff[].id': 'staff never appear in a policy',
  'policies[].readers[]': 'staff roles, never printed in a policy',
};
const MARKDOWN_FIELDS = new Set(['keyWorking.localArrangements']);

const schema = JSON.parse(readFileSync(path.join(root, 'schemas/profile.schema.json'), 'utf8')) as SchemaNode;

function stringFields(): { fields: Field[]; skipped: string[]; enums: string[] } {
  const fields: Field[] = [];
  const skipped: string[] = [];
  const enums: string[] = [];
  const walk = (node: SchemaNode, at: string): void => {
    for (const branch of node.anyOf ?? []) walk(branch, at);
    for (const [key, child] of Object.entries(node.properties ?? {})) walk(child, at ? `${at}.${key}` : key);
    if (node.items) walk(node.items, `${at}[]`);
    if (node.type !== 'string') return;
    if (node.enum) enums.push(at);
    else if (at in SKIPPED) skipped.push(at);
    else if (MARKDOWN_FIELDS.has(at)) fields.push({ path: at, kind: 'markdown' });
    else if (node.format === 'email') fields.push({ path: at, kind: 'email' });
    else if (node.pattern === '^https?://') fields.push({ path: at, kind: 'website' });
    else if (node.format || node.pattern)
      throw new Error(
        `${at} is constrained (${node.format ?? node.pattern}): give it a hostile value or a skip`,
      );
    else fields.push({ path: at, kind: 'text' });
  };
  walk(schema, '');
  return { fields, skipped, enums };
}

const walked = stringFields();
const FIELDS = walked.fields;
/** The fields whose values must read literally (all but the Markdown one). */
const LITERAL = FIELDS.filter((f) => f.kind !== 'markdown');

// ---------------------------------------------------------------------------------------------------
// Hostile values

const PAYLOAD = [
  '*bold* _em_ __strong__ ~~del~~ [link](https://evil.example/md) ![img](https://evil.example/i.png) # > | `code` \\ & < &amp; &#x41;',
  '<script>alert(1)</script> <img src=x onerror=alert(1)> <a href="javascript:alert(1)">js</a>',
  '{{organisation.name}} {{> x}} {{{x}}} {{#each x}}',
  'www.example.com https://evil.example/ <https://evil.example/auto> a@evil.example',
  // Each right-to-left run one word: text in drawing order gives right-to-left words in visual order.
  'עברית x مرحبا',
  'e\u0301 a\u0308\u0323 Z\u0336',
  '😀 👩🏽‍⚕️ 🇼🇦',
  'end',
].join(' ');

/** Compact, no whitespace, one `@` and a dot after it: what a format-email field still accepts. */
const EMAIL_PAYLOAD =
  '*_[x](javascript:alert(1))<script>alert(1)</script>{{organisation.name}}{{>x}}<img/src=x/onerror=alert(1)>xעבריתx😀@evil.example/<b>x';

/** The Markdown field: formatting, raw HTML, an unsafe link, a safe link, an autolink and a remote image. */
const LOCAL_LINKS = {
  safe: 'https://la.example/ok',
  auto: 'https://la.example/auto',
  unsafe: 'javascript:alert(1)',
  image: 'https://la.example/i.png',
};
const localArrangements = (m: string) =>
  `${m} **kept bold** <script>alert(1)</script> <img src=x onerror=alert(1)> [js](${LOCAL_LINKS.unsafe}) [ok](${LOCAL_LINKS.safe}) <${LOCAL_LINKS.auto}> ![i](${LOCAL_LINKS.image}) end`;

const marker = (profile: number, field: number) => `KPV${profile}${String(field).padStart(3, '0')}Z`;
const markerIn = (value: string) => /KP[VF]\d+Z/.exec(value)?.[0] ?? '';

/** A value of exactly `length` UTF-16 units: the marker, the payload again and again, whole characters. */
function long(start: string, length: number): string {
  let text = `${start} `;
  while (text.length < length) text += `${PAYLOAD} `;
  let cut = '';
  for (const char of text) {
    if (cut.length + char.length > length - 40) break;
    cut += char;
  }
  return `${cut.trimEnd()} end`.padEnd(length, 'Z');
}

function hostileValue(field: Field, m: string): string {
  switch (field.kind) {
    case 'email':
      return `${m}${EMAIL_PAYLOAD}`;
    case 'website':
      return `https://evil.example/${m} ${PAYLOAD}`;
    case 'markdown':
      return localArrangements(m);
    case 'text':
      return `${m} ${PAYLOAD}`;
  }
}

/** Set `value` at a key path, creating objects and one-item lists on the way. */
function setPath(target: Record<string, unknown>, keyPath: string, value: string): void {
  const segments = keyPath.replace(/\[\]/g, '.[]').split('.');
  let node: Record<string, unknown> | unknown[] = target;
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    const next = segments[i + 1] === '[]' ? [] : {};
    if (segment === '[]') {
      const list = node as unknown[];
      if (last) list.push(value);
      else node = (list[0] ??= next) as Record<string, unknown>;
    } else {
      const object = node as Record<string, unknown>;
      if (last) object[segment] = value;
      else node = (object[segment] ??= next) as Record<string, unknown>;
    }
  });
}

type Nation = 'england' | 'wales';

/** The choices (enums, booleans, numbers) that give the templates the most to show. */
const BASE: Record<Nation, Record<string, unknown>> = {
  england: {
    nation: 'england',
    service: { type: 'supported-living', nursing: false },
    terminology: { worker: 'key' },
    keyWorking: { sharedRole: true, selection: 'chosen-by-person', planReviewIntervalMonths: 6 },
  },
  wales: {
    nation: 'wales',
    service: { type: 'care-home', nursing: true },
    terminology: { worker: 'link' },
    keyWorking: { sharedRole: true, activeOffer: true, planReviewIntervalMonths: 2 },
  },
};

const ALL_FIELDS_ID = 'hostile-all-fields';
const KEY_WORKER_ID = 'key-worker-policy';
const TEMPLATE_LINK = 'https://keypolicy.example/template-link';

/**
 * A profile with `values` (key path → value) in its fields. The policy `overridden` takes the
 * `policies[]` values (its own title and approvers); any other uses `documentControl.approvers`.
 */
function profileYaml(
  nation: Nation,
  values: Map<string, string>,
  policies: string[],
  overridden: string,
): string {
  const profile = structuredClone(BASE[nation]);
  for (const [keyPath, value] of values) setPath(profile, keyPath, value);
  (profile.organisation as Record<string, unknown>).logo = 'logo.png';
  const entry = (profile.policies as Record<string, unknown>[] | undefined)?.[0] ?? {};
  profile.policies = policies.map((id) => (id === overridden ? { ...entry, id } : { id }));
  profile.templates = ['pack'];
  return stringify(profile, { lineWidth: 0 });
}

/** A template that shows every field, each in its own paragraph (lists item by item), and one link. */
function allFieldsTemplate(fields: Field[]): string {
  const show = (segments: string[], label: string): string => {
    const i = segments.indexOf('[]');
    if (i === -1) {
      const p = segments.join('.');
      return `{{#if ${p}}}\n${label}: {{${p}}}\n\n{{/if}}\n`;
    }
    const list = segments.slice(0, i).join('.');
    const rest = segments.slice(i + 1);
    const inner = rest.length === 0 ? `\n${label}: {{this}}\n\n` : show(rest, label);
    return `{{#if ${list}}}{{#each ${list}}}${inner}{{/each}}{{/if}}\n`;
  };
  const lines = fields.map((f, i) => show(f.path.replace(/\[\]/g, '.[]').split('.'), `Field ${i}`));
  return `---\nid: ${ALL_FIELDS_ID}\ntitle: Every Field Policy\nversion: 1.0.0\n---\n## Every field\n\nThe template's own link: [keypolicy](${TEMPLATE_LINK}).\n\n${lines.join('\n')}`;
}

// ---------------------------------------------------------------------------------------------------
// Reading the outputs back

interface Listing {
  ok: boolean;
  profiles: { profile: string; slug: string; files: { policy: string; format: string; file: string }[] }[];
}

/** Build `profiles` (files in `dir`) in one process: every format, one browser. */
function build(dir: string, profiles: string[]): Listing {
  const result = runBinary(dir, [
    'build',
    ...profiles,
    '--out',
    'out',
    '--date',
    '2026-04-01',
    '--format',
    'md,html,pdf,docx',
    '--json',
  ]);
  expect(result.stderr).toBe('');
  expect(result.status, result.stdout.slice(0, 4000)).toBe(0);
  return JSON.parse(result.stdout) as Listing;
}

const spaces = (text: string) => text.replace(/\s+/g, ' ');
const count = (text: string, part: string) => text.split(part).length - 1;

type Format = 'md' | 'html' | 'pdf' | 'docx';

/** One output of one policy, read back as the text a reader sees. */
interface Output {
  policy: string;
  format: Format;
  /** What a reader sees: whitespace runs as one space; for a PDF, its body as pdftotext gives it. */
  text: string;
  /** A PDF's running header and footer (the page margins), as pdftotext gives them. */
  margins?: string;
  /** Links: Markdown link URLs, HTML hrefs, PDF /URI actions, DOCX hyperlink targets. */
  links: string[];
  /** A Markdown file's image URLs (a viewer fetches them); the other formats draw only the logo. */
  images?: string[];
  /** Problems found reading it: markup, unsafe attributes or fields, unexpected Markdown nodes. */
  problems: string[];
  raw?: string;
}

const decodeEntities = (text: string) =>
  text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|nbsp);/gi, (_, ref: string) => {
    if (ref.startsWith('#'))
      return String.fromCodePoint(/^#x/i.test(ref) ? parseInt(ref.slice(2), 16) : Number(ref.slice(1)));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' }[ref.toLowerCase()] ?? '';
  });

/** The Markdown's text nodes in order (blocks apart), its link and image URLs, and any raw HTML or code. */
function readMarkdown(markdown: string): Pick<Output, 'text' | 'links' | 'problems'> & { images: string[] } {
  const texts: string[] = [];
  const links: string[] = [];
  const images: string[] = [];
  const problems: string[] = [];
  const walk = (node: Nodes) => {
    if (node.type === 'text') texts.push(node.value);
    if (node.type === 'link') links.push(node.url);
    if (node.type === 'image') images.push(node.url);
    if (['html', 'linkReference', 'imageReference', 'definition', 'code', 'inlineCode'].includes(node.type))
      problems.push(`${node.type} node: ${JSON.stringify(('value' in node ? node.value : '').slice(0, 60))}`);
    if ('children' in node) {
      for (const child of node.children) walk(child);
      texts.push('\n');
    }
  };
  // Plain CommonMark, as any renderer of the .md reads it (keypolicy's own parser is not the judge here).
  walk(fromMarkdown(markdown));
  // GFM autolink literals (not parsed by keypolicy, but by GitHub and others) need these unescaped.
  for (const literal of [/www\.example\.com/, /(?<!\\):\/\/evil/, /@evil\.example/])
    if (literal.test(markdown)) problems.push(`unescaped ${literal.source}`);
  return { text: spaces(texts.join('')), links, images, problems };
}

const HTML_TAGS = new Set(
  'html head meta title style body div header img h1 h2 h3 h4 h5 h6 p span section table caption thead tbody tr th td main ul ol li strong em del code pre blockquote dl dt dd footer a br hr nav svg path'.split(
    ' ',
  ),
);

/**
 * A small tokenizer for the HTML keypolicy writes: every `<` must open a known tag (or the doctype), so a
 * value that escaped its escaping shows up as a stray `<`, an unknown tag, an event handler or a script URL.
 */
function readHtml(
  html: string,
): Pick<Output, 'text' | 'links' | 'problems'> & { attributes: Map<string, string[]> } {
  const problems: string[] = [];
  const links: string[] = [];
  const attributes = new Map<string, string[]>();
  const texts: string[] = [];
  const tag = /<(!DOCTYPE html|\/?)([a-zA-Z][a-zA-Z0-9]*)?((?:\s+[a-zA-Z:-]+(?:="[^"]*")?)*)\s*\/?>/y;
  let at = 0;
  let inBody = false;
  while (at < html.length) {
    const lt = html.indexOf('<', at);
    if (inBody) texts.push(decodeEntities(html.slice(at, lt === -1 ? html.length : lt)));
    if (lt === -1) break;
    tag.lastIndex = lt;
    const match = tag.exec(html);
    if (!match) {
      problems.push(`a "<" that opens no tag: ${JSON.stringify(html.slice(lt, lt + 60))}`);
      at = lt + 1;
      continue;
    }
    at = tag.lastIndex;
    const [, slash = '', nameRaw = '', attrs = ''] = match;
    if (slash.startsWith('!')) continue;
    const name = nameRaw.toLowerCase();
    if (!HTML_TAGS.has(name)) problems.push(`<${name}> tag`);
    if (name === 'body') inBody = slash !== '/';
    // Tags separate words, so a value split by markup never matches whole.
    texts.push(' ');
    for (const [, attr = '', value = ''] of attrs.matchAll(/([a-zA-Z:-]+)(?:="([^"]*)")?/g)) {
      const decoded = decodeEntities(value);
      const key = `${name}.${attr.toLowerCase()}`;
      attributes.set(key, [...(attributes.get(key) ?? []), decoded]);
      if (/^on/i.test(attr)) problems.push(`${attr}= attribute on <${name}>`);
      // eslint-disable-next-line no-control-regex
      if (/^(javascript|vbscript|data:text)/i.test(decoded.replace(/[\s\u0000-\u001f]/g, '')))
        problems.push(`${attr}="${decoded.slice(0, 40)}" on <${name}>`);
      // The contents page's links to the document's own numbered headings are not links a value made.
      if (name === 'a' && attr === 'href' && !/^#section(-\d+)+$/.test(decoded)) links.push(decoded);
    }
  }
  return { text: spaces(texts.join('')), links, problems, attributes };
}

/**
 * PDF text as a reader would compare it. Text is extracted in drawing order (`pdftotext -raw`: a table
 * cell's lines stay together, where reading-order extraction interleaves neighbouring cells). Lines are
 * reflowed (and Chromium's shaping may compose characters), so all whitespace goes and both sides are
 * NFKC; pdftotext wraps right-to-left runs in embedding marks, which go; it may drop a hyphen that ends
 * a line (taking it for a word broken across lines), so hyphens go on both sides; the DRAFT watermark,
 * drawn first on every page, goes too.
 */
const pdfComparable = (text: string) =>
  text
    .normalize('NFKC')
    .replace(/[\s\u200e\u200f\u202a-\u202e\u2066-\u2069-]+/g, '')
    .replace(/TFARD|DRAFT/g, '');

/**
 * For arbitrary Unicode: a character no installed font has (say cuneiform) is printed as a blank box and
 * has no text in the PDF, so only printable ASCII, which every font has, is compared (hyphens aside).
 */
const pdfAscii = (text: string) => text.replace(/[^\x21-\x2c\x2e-\x7e]+/g, '').replace(/TFARD|DRAFT/g, '');

/**
 * Right-to-left letters and bidi controls reorder what is printed (an override reverses the marker too),
 * and text extraction does not always give the logical order back, so such values are not compared.
 */
const BIDI =
  /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u200f\u202a-\u202e\u2066-\u2069]|[\u{10800}-\u{10fff}\u{1e800}-\u{1efff}]/u;

/** A4 is 595 × 842 pt; the page margins that hold the running header and footer are 24 mm (68 pt). */
const MARGIN = 68;
const pdftotext = (file: string, crop: [number, number]) =>
  execFileSync(
    'pdftotext',
    [
      '-enc',
      'UTF-8',
      '-raw',
      '-x',
      '0',
      '-y',
      String(crop[0]),
      '-W',
      '596',
      '-H',
      String(crop[1] - crop[0]),
      file,
      '-',
    ],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );

/** The link targets of a PDF's annotations, from its uncompressed objects; no script or launch actions. */
function pdfLinks(file: string): Pick<Output, 'links' | 'problems'> {
  const qdf = execFileSync('qpdf', ['--qdf', '--object-streams=disable', file, '-'], {
    maxBuffer: 512 * 1024 * 1024,
  }).toString('latin1');
  const problems = Array.from(qdf.matchAll(/\/(JavaScript|JS|Launch|SubmitForm|ImportData)\b/g), (m) => m[0]);
  const links = Array.from(qdf.matchAll(/\/URI\s*\(((?:\\.|[^\\)])*)\)/g), (m) =>
    (m[1] ?? '').replace(/\\(.)/g, '$1'),
  );
  return { links, problems };
}

/** Words of a running header or footer (6 pt text) printed over the page body, page by page. */
function overprinted(file: string): string[] {
  const xml = execFileSync('pdftotext', ['-enc', 'UTF-8', '-bbox', file, '-'], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const found: string[] = [];
  xml.split('<page ').forEach((page, n) => {
    const words = page.matchAll(
      /<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<\/word>/g,
    );
    const small = Array.from(words).filter(([, y0 = '0', y1 = '0']) => {
      const [top, bottom] = [Number(y0), Number(y1)];
      return bottom - top < 8 && top > MARGIN && bottom < 842 - MARGIN;
    });
    if (small.length > 0)
      found.push(`page ${n}: ${small.length} words, from "${decodeEntities(small[0]?.[3] ?? '')}"`);
  });
  return found;
}

/** Each `<w:p>`'s runs joined (tabs and breaks as spaces), paragraphs on their own lines. */
function docxText(xml: string): string {
  return Array.from(xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g), ([p]) =>
    Array.from(p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>|<w:tab\/>|<w:br\/>/g), (m) =>
      m[1] === undefined ? ' ' : decodeEntities(m[1]),
    ).join(''),
  ).join('\n');
}

/** The document, header and footer parts' text, hyperlink targets, fields other than page numbers. */
async function readDocx(
  file: string,
): Promise<Pick<Output, 'text' | 'links' | 'problems'> & { core: string }> {
  const zip = await JSZip.loadAsync(readFileSync(file));
  const parts = zip.file(/^word\/(document|header\d*|footer\d*)\.xml$/);
  const names = parts.map((p) => p.name);
  const problems = ['word/document.xml', 'word/header1.xml', 'word/footer1.xml']
    .filter((n) => !names.includes(n))
    .map((n) => `no ${n}`);
  let text = '';
  for (const part of parts) {
    const xml = await part.async('string');
    text += `\n${docxText(xml)}`;
    for (const [, a, b] of xml.matchAll(/<w:instrText[^>]*>([^<]*)<\/w:instrText>|w:instr="([^"]*)"/g))
      // Page numbers, and the contents page's own table of contents and references to its headings.
      if (
        !/^\s*(PAGE|NUMPAGES)\b|^ TOC \\o &quot;1-2&quot; \\h \\z \\u $|^ PAGEREF _Toc_section(_\d+)+ \\h $/.test(
          a ?? b ?? '',
        )
      )
        problems.push(`field ${a ?? b}`);
  }
  const links: string[] = [];
  for (const rels of zip.file(/^word\/_rels\/.*\.rels$/)) {
    const xml = await rels.async('string');
    for (const [rel] of xml.matchAll(/<Relationship [^>]*>/g))
      if (/\/hyperlink"/.test(rel)) links.push(decodeEntities(/Target="([^"]*)"/.exec(rel)?.[1] ?? ''));
  }
  const core = decodeEntities((await zip.file('docProps/core.xml')?.async('string')) ?? '');
  return { text: spaces(text), links, problems, core };
}

/** Every output of every profile, by profile file name. */
async function readOutputs(dir: string, listing: Listing): Promise<Map<string, Output[]>> {
  const byProfile = new Map<string, Output[]>();
  for (const profile of listing.profiles) {
    const outputs: Output[] = [];
    for (const { policy, format, file: relative } of profile.files) {
      const file = path.resolve(dir, relative);
      if (format === 'md') {
        const raw = readFileSync(file, 'utf8');
        outputs.push({ policy, format, ...readMarkdown(raw), raw });
      } else if (format === 'html') {
        const raw = readFileSync(file, 'utf8');
        outputs.push({ policy, format, ...readHtml(raw), raw });
      } else if (format === 'pdf') {
        const text = pdftotext(file, [MARGIN, 842 - MARGIN]);
        const margins = pdftotext(file, [0, MARGIN]) + pdftotext(file, [842 - MARGIN, 842]);
        outputs.push({ policy, format, text, margins, ...pdfLinks(file), raw: file });
      } else if (format === 'docx') {
        const { core, ...read } = await readDocx(file);
        outputs.push({ policy, format, ...read, raw: core });
      }
    }
    byProfile.set(path.basename(profile.profile), outputs);
  }
  return byProfile;
}

const comparables = new WeakMap<Output, Map<(text: string) => string, [string, string]>>();
/** A document's text and margins made comparable, once per document and way of comparing. */
function comparableText(doc: Output, comparable: (text: string) => string): [string, string] {
  const byWay = comparables.get(doc) ?? new Map<(text: string) => string, [string, string]>();
  comparables.set(doc, byWay);
  const found = byWay.get(comparable) ?? [comparable(doc.text), comparable(doc.margins ?? '')];
  byWay.set(comparable, found);
  return found;
}

/** The longest common prefix of two strings. */
const commonPrefix = (a: string, b: string) => {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
};

/**
 * Where `values` do not read literally in `docs` (all of one format): every place a value's marker
 * appears, the whole value must, and each value must be shown somewhere. In a PDF's running header or
 * footer a long value may be cut short, but what is shown must be its literal start. `pdf: 'ascii'`
 * compares a PDF's printable ASCII only, and leaves out of the PDF a value with right-to-left text.
 */
function literalFailures(
  label: string,
  docs: Output[],
  values: Map<string, string>,
  fields: Field[],
  pdf: 'unicode' | 'ascii' = 'unicode',
): string[] {
  const failures: string[] = [];
  for (const field of fields) {
    const value = values.get(field.path)!;
    const m = markerIn(value);
    let seen = 0;
    for (const doc of docs) {
      const comparable = doc.format !== 'pdf' ? spaces : pdf === 'ascii' ? pdfAscii : pdfComparable;
      const [text, margins] = comparableText(doc, comparable);
      const want = comparable(value);
      const markers = count(text, m);
      if (doc.format === 'pdf' && pdf === 'ascii' && BIDI.test(value)) {
        seen++;
        continue;
      }
      const whole = count(text, want);
      seen += whole;
      if (markers !== whole) {
        const at = Math.max(0, text.indexOf(m) - want.indexOf(m));
        failures.push(
          `${label} ${field.path} in ${doc.policy}.${doc.format}: marker ${markers}×, whole value ${whole}×; reads ${JSON.stringify(text.slice(at, at + 200))}… for ${JSON.stringify(want.slice(0, 200))}…`,
        );
      }
      // The running header and footer: each value shown from its start, cut short only when long.
      const offset = want.indexOf(m);
      for (let at = margins.indexOf(m); at !== -1; at = margins.indexOf(m, at + 1)) {
        const shown = margins.slice(Math.max(0, at - offset));
        if (commonPrefix(shown, want) < Math.min(want.length, 40))
          failures.push(
            `${label} ${field.path} in ${doc.policy}.pdf running header/footer: ${JSON.stringify(shown.slice(0, 120))}`,
          );
      }
    }
    if (seen === 0) failures.push(`${label} ${field.path}: never shown whole in any ${docs[0]?.format}`);
  }
  return failures;
}

const FORMATS: Format[] = ['md', 'html', 'pdf', 'docx'];

// ---------------------------------------------------------------------------------------------------
// The tests

describe('the schema walk', () => {
  it('finds every free-text string field, and every skip still names a field', () => {
    expect(walked.skipped.sort()).toEqual(Object.keys(SKIPPED).sort());
    expect(walked.enums).toEqual(
      expect.arrayContaining(['nation', 'service.type', 'terminology.worker', 'keyWorking.selection']),
    );
    expect(FIELDS.map((f) => f.path)).toEqual(
      expect.arrayContaining([
        'organisation.name',
        'organisation.address.lines[]',
        'people.manager.socialCareWalesRegistration',
        'keyWorking.relatedPolicies[].code',
        'keyWorking.tasks.daily[]',
        'documentControl.copyright',
        'policies[].title',
        'policies[].approvers[]',
      ]),
    );
    expect(FIELDS.filter((f) => f.kind === 'email')).toHaveLength(5);
    expect(FIELDS.filter((f) => f.kind === 'website').map((f) => f.path)).toEqual([
      'organisation.contact.website',
    ]);
    expect(FIELDS.filter((f) => f.kind === 'markdown').map((f) => f.path)).toEqual([
      'keyWorking.localArrangements',
    ]);
  });
});

const PROFILES: { file: string; nation: Nation; index: number }[] = [
  { file: 'england.yaml', nation: 'england', index: 1 },
  { file: 'wales.yaml', nation: 'wales', index: 2 },
];

/** The value every field of profile `index` gets; the England organisation name is 10,000 characters. */
function hostileValues(index: number): Map<string, string> {
  const values = new Map<string, string>();
  FIELDS.forEach((field, i) => {
    const m = marker(index, i);
    values.set(
      field.path,
      field.path === 'organisation.name' && index === 1 ? long(m, 10_000) : hostileValue(field, m),
    );
  });
  return values;
}

describe('hostile values in every field', () => {
  let outputs: Map<string, Output[]>;
  const values = new Map(PROFILES.map((p) => [p.file, hostileValues(p.index)]));
  const docsOf = (format: Format) =>
    PROFILES.map((p) => ({ p, docs: outputs.get(p.file)!.filter((o) => o.format === format) }));

  beforeAll(() => {
    const dir = tempDir({ 'logo.png': TINY_PNG, [`pack/${ALL_FIELDS_ID}.md`]: allFieldsTemplate(FIELDS) });
    for (const p of PROFILES)
      writeFileSync(
        path.join(dir, p.file),
        profileYaml(p.nation, values.get(p.file)!, [KEY_WORKER_ID, ALL_FIELDS_ID], KEY_WORKER_ID),
      );
    const listing = build(
      dir,
      PROFILES.map((p) => p.file),
    );
    return readOutputs(dir, listing).then((read) => {
      outputs = read;
    });
  }, 120_000);

  it('builds both policies in every format for both nations, with a 10,000-character name', () => {
    expect(values.get('england.yaml')!.get('organisation.name')).toHaveLength(10_000);
    for (const p of PROFILES) {
      const built = outputs.get(p.file)!.map((o) => `${o.policy}.${o.format}`);
      expect(built.sort()).toEqual(
        FORMATS.flatMap((f) => [`${ALL_FIELDS_ID}.${f}`, `${KEY_WORKER_ID}.${f}`]).sort(),
      );
    }
  });

  for (const format of FORMATS) {
    it(`shows every value literally in the ${format}, and nowhere mangled`, () => {
      const failures = docsOf(format).flatMap(({ p, docs }) =>
        literalFailures(p.file, docs, values.get(p.file)!, LITERAL),
      );
      expect(failures).toEqual([]);
    });

    it(`lets no value become markup, a field or a link in the ${format}`, () => {
      // The Markdown field's own safe links (checked below) are the only others, in every format.
      const allowed = [TEMPLATE_LINK, LOCAL_LINKS.safe, LOCAL_LINKS.auto];
      for (const { p, docs } of docsOf(format)) {
        for (const doc of docs) {
          expect(doc.problems, `${p.file} ${doc.policy}.${format}`).toEqual([]);
          expect(allowed, `${p.file} ${doc.policy}.${format} links`).toEqual(
            expect.arrayContaining([...doc.links, ...(doc.images ?? [])]),
          );
          if (doc.policy === ALL_FIELDS_ID) expect(doc.links).toContain(TEMPLATE_LINK);
        }
      }
    });
  }

  it('keeps the names in HTML attributes and DOCX properties as written', () => {
    for (const { p, docs } of docsOf('html')) {
      const name = values.get(p.file)!.get('organisation.name')!;
      for (const doc of docs) {
        const { attributes } = readHtml(doc.raw!);
        expect(attributes.get('meta.content')).toContain(name);
        expect(attributes.get('img.alt')).toEqual([`${name} logo`]);
        expect(attributes.get('img.src')).toEqual([expect.stringMatching(/^data:image\/png;base64,/)]);
      }
    }
    for (const { p, docs } of docsOf('docx')) {
      const name = values.get(p.file)!.get('organisation.name')!;
      const title = values.get(p.file)!.get('policies[].title')!;
      const core = docs.find((d) => d.policy === KEY_WORKER_ID)!.raw!;
      expect(core).toContain(`<dc:creator>${name}</dc:creator>`);
      expect(core).toContain(`<dc:title>${title}</dc:title>`);
    }
  });

  it('prints the running header and footer in the page margins, however long the values', () => {
    const over = docsOf('pdf').flatMap(({ p, docs }) =>
      docs.flatMap((doc) => overprinted(doc.raw!).map((o) => `${p.file} ${doc.policy}.pdf ${o}`)),
    );
    expect(over).toEqual([]);
  });

  it('keeps the Markdown field’s formatting but no HTML, unsafe link or remote image, in every format', () => {
    for (const { p, docs } of FORMATS.flatMap(docsOf)) {
      const doc = docs.find((d) => d.policy === KEY_WORKER_ID)!;
      const where = `${p.file} ${doc.policy}.${doc.format}`;
      expect(doc.links, where).toContain(LOCAL_LINKS.safe);
      expect(
        doc.links.filter((l) => !/^(https?|mailto):/i.test(l)),
        `${where}: unsafe links`,
      ).toEqual([]);
      expect(doc.images ?? [], `${where}: images`).toEqual([]);
      if (doc.format === 'html') {
        expect(doc.raw).toContain('<strong>kept bold</strong>');
        expect(doc.text).toContain('<script>alert(1)</script> <img src=x onerror=alert(1)>');
      }
    }
  });
});

describe('control characters', () => {
  it('are a validation error at the value, never a crash, and nothing is built', () => {
    const plain = new Map(hostileValues(3)).set('organisation.name', 'RAW-NAME');
    const base = profileYaml('england', plain, [KEY_WORKER_ID], KEY_WORKER_ID);
    const rawLine = base.split('\n').indexOf('  name: RAW-NAME') + 1;
    const controls = {
      'organisation.name': 'Bell\u0007Name',
      'documentControl.owner': 'Nul\u0000Owner',
      'keyWorking.sharedRoleSupervisor': 'Esc\u001b[31mRed',
      'terminology.plan': 'Del\u007fPlan',
      'people.registeredManager.lastName': 'Csi\u009bName',
    };
    const escaped = new Map(hostileValues(3));
    for (const [key, value] of Object.entries(controls)) escaped.set(key, value);
    const escapedYaml = profileYaml('england', escaped, [KEY_WORKER_ID], KEY_WORKER_ID);
    const dir = tempDir({
      'logo.png': TINY_PNG,
      [`pack/${ALL_FIELDS_ID}.md`]: allFieldsTemplate(FIELDS),
      // Written as YAML escapes ("\a", "\0", "\e" …) or raw inside quotes …
      'escaped.yaml': escapedYaml,
      // … and raw, in a plain scalar.
      'raw.yaml': base.replace('RAW-NAME', 'Raw\u0007Bell\u001bEsc Ltd'),
    });
    const lineOf = (yaml: string, key: string, value: string) =>
      yaml
        .split('\n')
        .findIndex((l) => l.trimStart().startsWith(`${key.split('.').at(-1)}: "${value.slice(0, 3)}`)) + 1;
    const result = runBinary(dir, ['validate', '--json', 'escaped.yaml', 'raw.yaml']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as {
      files: { file: string; errors: { code: string; path: string; line: number; column: number }[] }[];
    };
    const [escapedReport, rawReport] = report.files;
    const errorAt = (
      errors: { path: string; line: number; column: number; code: string }[] | undefined,
      key: string,
    ) => errors?.find((e) => e.path === key);
    for (const [key, value] of Object.entries(controls)) {
      const error = errorAt(escapedReport?.errors, key);
      expect(error, key).toBeDefined();
      expect(error?.code).toMatch(/^KP_[A-Z_]+$/);
      expect(error?.line, key).toBe(lineOf(escapedYaml, key, value));
      expect(error?.column).toBeGreaterThan(0);
    }
    expect(rawLine).toBeGreaterThan(0);
    expect(errorAt(rawReport?.errors, 'organisation.name')?.line).toBe(rawLine);
    const built = runBinary(dir, ['build', 'escaped.yaml', '--format', 'md', '--out', 'out']);
    expect(built.status).toBe(1);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });
});

describe('fuzzing every field in built documents', () => {
  const BATCH = 3;
  const RUNS = 2;
  const unit = fc.oneof(
    fc.constantFrom(...'*_[]()<>&#!`~|{}\\:@.-+=\'"/ '),
    fc.constantFrom(
      '{{x}}',
      '{{> x}}',
      '{{{x}}}',
      '](https://x.example/)',
      'www.x.com',
      '<b>',
      '&amp;',
      '\u202e',
      'e\u0301',
    ),
    fc.string({ unit: 'grapheme', maxLength: 1 }),
  );
  const clean = (s: string) =>
    s !== '' &&
    s === s.trim() &&
    !new RegExp(CONTROL_CHARACTERS.source).test(s) &&
    !/[\u2028\u2029\ufeff]/.test(s);
  const text = fc.string({ unit, minLength: 1, maxLength: 24 }).filter(clean);
  /** A field's value around its marker (before it for odd fields, after it for even ones). */
  const valueFor = (field: Field, m: string, i: number) =>
    text.map((s) => {
      switch (field.kind) {
        case 'email':
          return `${m}${s.replace(/[\s@]/g, '')}@x.example`;
        case 'website':
          return `https://x.example/${m} ${s}`;
        default:
          return i % 2 === 0 ? `${m} ${s}` : `${s} ${m}`;
      }
    });
  const profileArb = (p: number) =>
    fc
      .tuple(...LITERAL.map((field, i) => valueFor(field, `KPF${p}${String(i).padStart(3, '0')}Z`, i)))
      .map((vs) => new Map(LITERAL.map((f, i) => [f.path, vs[i]!])));
  let tried = 0;

  it(`reads ${RUNS} batches of ${BATCH} profiles of arbitrary values literally in HTML, DOCX, PDF and Markdown`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.tuple(...Array.from({ length: BATCH }, (_, p) => profileArb(p))), async (batch) => {
        const dir = tempDir({
          'logo.png': TINY_PNG,
          [`pack/${ALL_FIELDS_ID}.md`]: allFieldsTemplate(FIELDS),
        });
        const files = batch.map((values, p) => {
          const file = `p${p}.yaml`;
          writeFileSync(
            path.join(dir, file),
            profileYaml(p % 2 ? 'wales' : 'england', values, [ALL_FIELDS_ID], ALL_FIELDS_ID),
          );
          return file;
        });
        const outputs = await readOutputs(dir, build(dir, files));
        const failures = files.flatMap((file, p) =>
          FORMATS.flatMap((format) => {
            const docs = outputs.get(file)!.filter((o) => o.format === format);
            return [
              ...literalFailures(file, docs, batch[p]!, LITERAL, 'ascii'),
              ...docs.flatMap((d) => d.problems.map((problem) => `${file} ${format}: ${problem}`)),
              ...docs.flatMap((d) =>
                [...d.links, ...(d.images ?? [])]
                  .filter((l) => l !== TEMPLATE_LINK)
                  .map((l) => `${file} ${format}: link ${l}`),
              ),
            ];
          }),
        );
        tried += batch.length * LITERAL.length;
        expect(failures).toEqual([]);
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    expect(tried).toBe(RUNS * BATCH * LITERAL.length);
  }, 120_000);
});
