/**
 * Word output: the document model → a .docx with real Word headings, numbered lists, tables, a header
 * with the logo and a footer with "Page X of Y", then made reproducible (same model → same bytes).
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  ExternalHyperlink,
  Footer,
  Header,
  HeadingLevel,
  HeightRule,
  ImageRun,
  LevelFormat,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TabStopType,
  TextRun,
  VerticalAlignTable,
  WidthType,
  type ILevelsOptions,
  type IRunOptions,
  type ParagraphChild,
} from 'docx';
import { strFromU8, strToU8, unzipSync } from 'fflate';
import { zip } from './zip.js';
import type {
  AlignType,
  BlockContent,
  DefinitionContent,
  List,
  PhrasingContent,
  RootContent,
  Table as MdTable,
} from 'mdast';
import type { Logo, PolicyDocument } from '../../document/model.js';
import { SAFE_LINK } from '../../core/markdown.js';
import { imageSize, type Size } from '../../document/image-size.js';
import { svgAsPng } from './svg-raster.js';

// ---------------------------------------------------------------------------------------------------
// Text safety

/**
 * Characters XML 1.0 does not allow (C0 controls other than tab, LF and CR; lone surrogates; U+FFFE and
 * U+FFFF), plus C1 controls, which Word shows as boxes at best. Everything else is kept as written.
 */
const FORBIDDEN =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text made safe for XML; tabs and line ends become spaces (a soft line break in Markdown is a space). */
export function xmlSafe(text: string): string {
  return text.replace(FORBIDDEN, '').replace(/\r\n?|[\n\t]/g, ' ');
}

/** Like `xmlSafe` but keeps line ends (code blocks), as `\n`. */
const xmlSafeLines = (text: string) =>
  text.replace(FORBIDDEN, '').replace(/\r\n?/g, '\n').replace(/\t/g, '    ');

// ---------------------------------------------------------------------------------------------------
// Page and look

const FONT = 'Arial';
const MONO = 'Courier New';
const PAGE = { width: 11906, height: 16838 }; // A4 in twentieths of a point
const MARGIN = { top: 1701, bottom: 1418, left: 1134, right: 1134, header: 567, footer: 567 };
const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const RULE = '9AA5B1';
const HEAD_FILL = 'EEF2F6';
const DRAFT_RED = 'B00020';
const GREY = '444444';
const LIST_INDENT = 360;

const brandOf = (colour: string) =>
  /^#[0-9a-f]{6}$/i.test(colour) ? colour.slice(1).toUpperCase() : '1F4E79';

// ---------------------------------------------------------------------------------------------------
// Images

/** A 1×1 transparent PNG: the fallback of an SVG logo that could not be drawn. */
const BLANK_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * The logo as an image run, scaled to fit `box` (pixels) keeping its proportions. An SVG logo carries
 * `raster`, its PNG drawing, for readers without SVG support (a blank image if it could not be drawn).
 */
function logoRun(logo: Logo, box: Size, alt: string, raster: Buffer | undefined): ImageRun {
  const natural = imageSize(logo) ?? { width: box.height, height: box.height };
  const scale = Math.min(box.width / natural.width, box.height / natural.height, 1);
  const transformation = {
    width: Math.max(1, Math.round(natural.width * scale)),
    height: Math.max(1, Math.round(natural.height * scale)),
  };
  const altText = { name: 'Logo', description: xmlSafe(alt), title: xmlSafe(alt) };
  if (logo.mime === 'image/svg+xml') {
    return new ImageRun({
      type: 'svg',
      data: logo.data,
      fallback: { type: 'png', data: raster ?? BLANK_PNG },
      transformation,
      altText,
    });
  }
  return new ImageRun({
    type: logo.mime === 'image/png' ? 'png' : 'jpg',
    data: logo.data,
    transformation,
    altText,
  });
}

// ---------------------------------------------------------------------------------------------------
// Body: mdast → docx

type Block = Paragraph | Table;

interface Marks {
  bold?: boolean;
  italics?: boolean;
  strike?: boolean;
}

interface Context {
  doc: PolicyDocument;
  /** An SVG logo drawn as a PNG (see `logoRun`). */
  logoRaster: Buffer | undefined;
  /** The shallowest heading depth in the body: it becomes Heading 1. */
  top: number;
  /** Ordered-list `start` values used, each gets a numbering definition. */
  starts: Set<number>;
  /** The next ordered-list instance (each ordered list restarts its numbering). */
  nextInstance: number;
  /** Paragraph style for the blocks being rendered (block quotes). */
  style?: string;
  /** The list level and indentation that continuation paragraphs inside a list item use. */
  indent?: number;
}

const HEADINGS = [
  HeadingLevel.HEADING_1,
  HeadingLevel.HEADING_2,
  HeadingLevel.HEADING_3,
  HeadingLevel.HEADING_4,
  HeadingLevel.HEADING_5,
  HeadingLevel.HEADING_6,
] as const;

/** Plain text of a node (for alt text and images without a renderer). */
function plainText(node: {
  type: string;
  value?: string;
  alt?: string | null;
  children?: unknown[];
}): string {
  if (typeof node.value === 'string') return node.value;
  if (node.type === 'image') return node.alt ?? '';
  return ((node.children ?? []) as (typeof node)[]).map(plainText).join('');
}

function inline(
  nodes: readonly PhrasingContent[],
  ctx: Context,
  marks: Marks = {},
  inLink = false,
): ParagraphChild[] {
  const out: ParagraphChild[] = [];
  const run = (text: string, extra: IRunOptions = {}) =>
    new TextRun({ text, ...marks, ...(inLink ? { style: 'Hyperlink' } : {}), ...extra });
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
        out.push(run(xmlSafe(node.value)));
        break;
      case 'strong':
        out.push(...inline(node.children, ctx, { ...marks, bold: true }, inLink));
        break;
      case 'emphasis':
        out.push(...inline(node.children, ctx, { ...marks, italics: true }, inLink));
        break;
      case 'delete':
        out.push(...inline(node.children, ctx, { ...marks, strike: true }, inLink));
        break;
      case 'inlineCode':
        out.push(
          run(xmlSafe(node.value), {
            font: MONO,
            shading: { type: ShadingType.CLEAR, fill: 'F1F3F5', color: 'auto' },
          }),
        );
        break;
      case 'break':
        out.push(new TextRun({ break: 1 }));
        break;
      case 'link': {
        const children = inline(node.children, ctx, marks, true);
        // Only http, https and mailto reach the model; anything else is shown as its text.
        if (!inLink && SAFE_LINK.test(node.url)) {
          out.push(new ExternalHyperlink({ link: xmlSafe(node.url).trim(), children }));
        } else out.push(...children);
        break;
      }
      case 'image':
        if (node.url === 'keypolicy:logo' && ctx.doc.logo) {
          out.push(
            logoRun(
              ctx.doc.logo,
              { width: 240, height: 96 },
              node.alt || `${ctx.doc.organisation.name} logo`,
              ctx.logoRaster,
            ),
          );
        }
        break;
      default:
        // Nothing else comes from the model's parser; anything unforeseen keeps its text.
        out.push(run(xmlSafe(plainText(node))));
    }
  }
  return out;
}

const paragraphOf = (children: ParagraphChild[], ctx: Context) =>
  new Paragraph({
    children,
    ...(ctx.style ? { style: ctx.style } : {}),
    ...(ctx.indent !== undefined ? { indent: { left: ctx.indent } } : {}),
  });

function list(node: List, ctx: Context, level: number): Block[] {
  const ordered = node.ordered === true;
  const start = ordered ? Math.max(0, Math.floor(node.start ?? 1)) : 1;
  if (ordered) ctx.starts.add(start);
  const reference = ordered ? `kp-ordered-${start}` : 'kp-bullet';
  // Bullets never count, so every bulleted list shares one instance; each ordered list restarts in its own.
  const instance = ordered ? ctx.nextInstance++ : 0;
  const lvl = Math.min(level, 8);
  const out: Block[] = [];
  for (const item of node.children) {
    let first = true;
    for (const child of item.children) {
      if (child.type === 'list') {
        out.push(...list(child, ctx, level + 1));
        continue;
      }
      if (first && child.type === 'paragraph') {
        first = false;
        out.push(
          new Paragraph({
            children: inline(child.children, ctx),
            numbering: { reference, level: lvl, instance },
            ...(ctx.style ? { style: ctx.style } : {}),
            spacing: { after: node.spread ? 120 : 60 },
          }),
        );
        continue;
      }
      first = false;
      out.push(...blocks([child], { ...ctx, indent: LIST_INDENT * (lvl + 2) }));
    }
  }
  return out;
}

function table(node: MdTable, ctx: Context): Table {
  const columns = Math.max(1, ...node.children.map((row) => row.children.length));
  const width = Math.floor(CONTENT_WIDTH / columns);
  const align = (a: AlignType | undefined) =>
    a === 'center' ? AlignmentType.CENTER : a === 'right' ? AlignmentType.RIGHT : AlignmentType.LEFT;
  return gridTable(
    node.children.map((row, r) =>
      Array.from({ length: columns }, (_, c) => {
        const cell = row.children[c];
        return new Paragraph({
          alignment: align(node.align?.[c] ?? undefined),
          spacing: { after: 0 },
          children: cell ? inline(cell.children, ctx, r === 0 ? { bold: true } : {}) : [],
        });
      }),
    ),
    Array.from({ length: columns }, () => width),
    true,
  );
}

function blocks(nodes: readonly (RootContent | BlockContent | DefinitionContent)[], ctx: Context): Block[] {
  const out: Block[] = [];
  for (const node of nodes) {
    switch (node.type) {
      case 'heading': {
        const level = HEADINGS[Math.min(Math.max(node.depth - ctx.top, 0), HEADINGS.length - 1)];
        out.push(new Paragraph({ heading: level, children: inline(node.children, ctx) }));
        break;
      }
      case 'paragraph': {
        const logoOnly = node.children.every(
          (c) => (c.type === 'image' && c.url === 'keypolicy:logo') || (c.type === 'text' && !c.value.trim()),
        );
        if (logoOnly && !ctx.doc.logo) break;
        out.push(paragraphOf(inline(node.children, ctx), ctx));
        break;
      }
      case 'list':
        out.push(...list(node, ctx, 0));
        break;
      case 'blockquote':
        out.push(...blocks(node.children, { ...ctx, style: 'KpQuote' }));
        break;
      case 'thematicBreak':
        out.push(
          new Paragraph({
            children: [],
            spacing: { before: 120, after: 240 },
            border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: RULE, space: 1 } },
          }),
        );
        break;
      case 'code': {
        const lines = xmlSafeLines(node.value).split('\n');
        out.push(
          new Paragraph({
            style: 'KpCode',
            ...(ctx.indent !== undefined ? { indent: { left: ctx.indent } } : {}),
            children: lines.map((line, i) => new TextRun({ text: line, ...(i > 0 ? { break: 1 } : {}) })),
          }),
        );
        break;
      }
      case 'table':
        out.push(table(node, ctx));
        break;
      default:
        // Nothing else comes from the model's parser.
        break;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Controlled-document parts

const cellBorder = { style: BorderStyle.SINGLE, size: 4, color: RULE };
const noBorder = { style: BorderStyle.NONE, size: 0, color: 'auto' };

/** A bordered table with a shaded, repeated header row when `header`. */
function gridTable(rows: Paragraph[][], widths: number[], header: boolean): Table {
  return new Table({
    width: { size: widths.reduce((a, b) => a + b, 0), type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    borders: {
      top: cellBorder,
      bottom: cellBorder,
      left: cellBorder,
      right: cellBorder,
      insideHorizontal: cellBorder,
      insideVertical: cellBorder,
    },
    rows: rows.map(
      (cells, r) =>
        new TableRow({
          tableHeader: header && r === 0,
          cantSplit: true,
          children: cells.map(
            (paragraph, c) =>
              new TableCell({
                width: { size: widths[c] ?? 0, type: WidthType.DXA },
                margins: { top: 60, bottom: 60, left: 100, right: 100 },
                ...(header && r === 0
                  ? { shading: { type: ShadingType.CLEAR, fill: HEAD_FILL, color: 'auto' } }
                  : {}),
                children: [paragraph],
              }),
          ),
        }),
    ),
  });
}

const cellText = (text: string, bold = false, keepNext = false) =>
  new Paragraph({ spacing: { after: 0 }, keepNext, children: [new TextRun({ text: xmlSafe(text), bold })] });

const caption = (text: string) =>
  new Paragraph({ style: 'KpCaption', keepNext: true, children: [new TextRun(text)] });

function controlTable(doc: PolicyDocument): Block[] {
  const widths = [Math.round(CONTENT_WIDTH * 0.32), CONTENT_WIDTH - Math.round(CONTENT_WIDTH * 0.32)];
  return [
    caption('Document control'),
    gridTable(
      [
        [cellText('Item', true), cellText('Detail', true)],
        ...doc.control.map((row) => [cellText(row.label, true), cellText(row.value)]),
      ],
      widths,
      true,
    ),
  ];
}

/**
 * The history table's Date column: the widest date, "30 September 2026", is 8.78 em of Arial, 1,844
 * twentieths of a point at the body's 10.5 pt; with the cell's margins (200) that is 2,044. Four
 * centimetres leaves a tenth to spare, so a date never wraps.
 */
const DATE_COLUMN = 2268;

function historyTable(doc: PolicyDocument): Block[] {
  const widths = [Math.round(CONTENT_WIDTH * 0.12), DATE_COLUMN, Math.round(CONTENT_WIDTH * 0.42)];
  widths.push(CONTENT_WIDTH - widths.reduce((a, b) => a + b, 0));
  return [
    new Paragraph({ text: '', spacing: { after: 0 } }),
    caption('Version history'),
    gridTable(
      [
        ['Version', 'Date', 'Summary of changes', 'Approved by'].map((h) => cellText(h, true)),
        ...doc.history.map((h) => [
          cellText(h.version),
          cellText(h.date),
          cellText(h.summary),
          cellText(h.approvedBy ?? ''),
        ]),
      ],
      widths,
      true,
    ),
  ];
}

/** One paper-style block per signer: filled values, or lines to write on. */
function signOff(doc: PolicyDocument): Block[] {
  const out: Block[] = [
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun('Sign-off')] }),
  ];
  const widths = [Math.round(CONTENT_WIDTH * 0.22), Math.round(CONTENT_WIDTH * 0.5)];
  for (const row of doc.signOff) {
    const fields: [string, string][] = [
      ['Role', row.role],
      ['Name', row.name],
      ['Signature', ''],
      ['Date', row.date],
    ];
    out.push(
      new Table({
        width: { size: widths[0]! + widths[1]!, type: WidthType.DXA },
        columnWidths: widths,
        layout: TableLayoutType.FIXED,
        borders: {
          top: noBorder,
          bottom: noBorder,
          left: noBorder,
          right: noBorder,
          insideHorizontal: noBorder,
          insideVertical: noBorder,
        },
        rows: fields.map(
          ([label, value], i) =>
            new TableRow({
              cantSplit: true,
              height: { value: 500, rule: HeightRule.ATLEAST },
              children: [
                new TableCell({
                  width: { size: widths[0]!, type: WidthType.DXA },
                  verticalAlign: VerticalAlignTable.BOTTOM,
                  borders: { top: noBorder, bottom: noBorder, left: noBorder, right: noBorder },
                  children: [cellText(label, true, i < fields.length - 1)],
                }),
                new TableCell({
                  width: { size: widths[1]!, type: WidthType.DXA },
                  verticalAlign: VerticalAlignTable.BOTTOM,
                  borders: {
                    top: noBorder,
                    left: noBorder,
                    right: noBorder,
                    bottom:
                      label === 'Role' ? noBorder : { style: BorderStyle.SINGLE, size: 4, color: '333333' },
                  },
                  children: [cellText(value, false, i < fields.length - 1)],
                }),
              ],
            }),
        ),
      }),
      new Paragraph({ text: '', spacing: { after: 120 } }),
    );
  }
  return out;
}

function front(doc: PolicyDocument, brand: string): Block[] {
  const out: Block[] = [
    new Paragraph({
      spacing: { after: 40 },
      children: [new TextRun({ text: xmlSafe(doc.organisation.name), bold: true, size: 26, color: brand })],
    }),
  ];
  if (doc.organisation.registrations.length > 0) {
    out.push(
      new Paragraph({
        spacing: { after: 120 },
        children: [
          new TextRun({
            text: doc.organisation.registrations
              .map((r) => `${xmlSafe(r.label)}: ${xmlSafe(r.value)}`)
              .join(' · '),
            size: 18,
            color: GREY,
          }),
        ],
      }),
    );
  }
  out.push(new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(xmlSafe(doc.title))] }));
  if (doc.draft) {
    out.push(
      new Paragraph({
        spacing: { after: 200 },
        children: [
          new TextRun({
            text: ' DRAFT ',
            bold: true,
            color: DRAFT_RED,
            characterSpacing: 40,
            border: { style: BorderStyle.SINGLE, size: 12, color: DRAFT_RED, space: 1 },
          }),
          new TextRun('  This version has not been approved.'),
        ],
      }),
    );
  }
  out.push(...controlTable(doc));
  out.push(new Paragraph({ text: '', spacing: { after: 0 } }));
  return out;
}

function header(doc: PolicyDocument, brand: string, logoRaster: Buffer | undefined): Header {
  const children: ParagraphChild[] = [];
  if (doc.logo)
    children.push(logoRun(doc.logo, { width: 180, height: 48 }, `${doc.organisation.name} logo`, logoRaster));
  children.push(
    new TextRun({ text: `\t${xmlSafe(doc.organisation.name)}`, bold: true, color: brand, size: 20 }),
  );
  if (doc.draft) children.push(new TextRun({ text: '  DRAFT', bold: true, color: DRAFT_RED, size: 20 }));
  return new Header({
    children: [
      new Paragraph({
        tabStops: [{ type: TabStopType.RIGHT, position: CONTENT_WIDTH }],
        border: { bottom: { style: BorderStyle.SINGLE, size: 8, color: brand, space: 4 } },
        spacing: { after: 0 },
        children,
      }),
    ],
  });
}

function footer(doc: PolicyDocument): Footer {
  const small = { size: 16, color: GREY };
  const lines: Paragraph[] = [
    new Paragraph({
      tabStops: [{ type: TabStopType.RIGHT, position: CONTENT_WIDTH }],
      border: { top: { style: BorderStyle.SINGLE, size: 4, color: RULE, space: 4 } },
      spacing: { after: 0 },
      children: [
        new TextRun({ text: `${xmlSafe(doc.footer.title)} · ${xmlSafe(doc.footer.version)}`, ...small }),
        new TextRun({ children: ['\tPage ', PageNumber.CURRENT, ' of ', PageNumber.TOTAL_PAGES], ...small }),
      ],
    }),
  ];
  if (doc.footer.uncontrolled) {
    lines.push(
      new Paragraph({
        spacing: { after: 0 },
        children: [
          new TextRun({
            text: 'Printed copies are uncontrolled: check the current version before use.',
            ...small,
          }),
        ],
      }),
    );
  }
  lines.push(
    new Paragraph({
      spacing: { after: 0 },
      children: [new TextRun({ text: xmlSafe(doc.footer.copyright), ...small })],
    }),
  );
  return new Footer({ children: lines });
}

function numberingLevels(ordered: boolean, start: number): ILevelsOptions[] {
  const bullets = ['\u2022', '\u25E6', '\u25AA'];
  return Array.from({ length: 9 }, (_, level) => ({
    level,
    format: ordered ? LevelFormat.DECIMAL : LevelFormat.BULLET,
    text: ordered ? `%${level + 1}.` : (bullets[level % bullets.length] ?? '\u2022'),
    start: level === 0 ? start : 1,
    alignment: AlignmentType.LEFT,
    style: {
      paragraph: { indent: { left: LIST_INDENT * (level + 2), hanging: LIST_INDENT } },
      ...(ordered ? {} : { run: { font: FONT } }),
    },
  }));
}

/** The docx `Document` for a policy (before packing). */
function buildWordDocument(doc: PolicyDocument, logoRaster: Buffer | undefined): Document {
  const brand = brandOf(doc.brandColour);
  const depths = doc.body.children.filter((n) => n.type === 'heading').map((n) => n.depth);
  const ctx: Context = {
    doc,
    logoRaster,
    top: depths.length ? Math.min(...depths) : 1,
    starts: new Set([1]),
    nextInstance: 1,
  };
  const body = blocks(doc.body.children, ctx);
  const heading = (size: number, before: number) => ({
    run: { font: FONT, size, bold: true, color: brand },
    paragraph: { spacing: { before, after: 120 }, keepNext: true, keepLines: true },
  });
  const title = xmlSafe(doc.metadata.title);
  return new Document({
    title,
    creator: xmlSafe(doc.metadata.author),
    lastModifiedBy: xmlSafe(doc.metadata.author),
    subject: xmlSafe(doc.metadata.subject),
    description: xmlSafe(`${doc.metadata.subject}. ${doc.footer.version}.`),
    keywords: xmlSafe(['policy', doc.draft ? 'draft' : 'approved', doc.organisation.name].join('; ')),
    revision: 1,
    styles: {
      default: {
        document: {
          run: {
            font: FONT,
            size: 21,
            language: { value: doc.lang, eastAsia: doc.lang, bidirectional: doc.lang },
          },
          paragraph: { spacing: { after: 120, line: 276, lineRule: LineRuleType.AUTO } },
        },
        title: {
          run: { font: FONT, size: 44, bold: true, color: brand },
          paragraph: { spacing: { before: 120, after: 200 } },
        },
        heading1: heading(28, 360),
        heading2: heading(24, 240),
        heading3: heading(22, 200),
        heading4: heading(21, 160),
        hyperlink: { run: { color: brand, underline: {} } },
        listParagraph: { paragraph: { spacing: { after: 60 } } },
      },
      paragraphStyles: [
        {
          id: 'KpQuote',
          name: 'Block Quote',
          basedOn: 'Normal',
          quickFormat: true,
          run: { italics: true, color: '333333' },
          paragraph: {
            indent: { left: 567, right: 567 },
            border: { left: { style: BorderStyle.SINGLE, size: 18, color: brand, space: 8 } },
          },
        },
        {
          id: 'KpCode',
          name: 'Code Block',
          basedOn: 'Normal',
          run: { font: MONO, size: 18 },
          paragraph: {
            spacing: { line: 240, lineRule: LineRuleType.AUTO, after: 120 },
            shading: { type: ShadingType.CLEAR, fill: 'F1F3F5', color: 'auto' },
          },
        },
        {
          id: 'KpCaption',
          name: 'Table Caption',
          basedOn: 'Normal',
          next: 'Normal',
          run: { bold: true, color: brand, size: 22 },
          paragraph: { spacing: { before: 120, after: 80 }, keepNext: true },
        },
      ],
    },
    numbering: {
      config: [
        { reference: 'kp-bullet', levels: numberingLevels(false, 1) },
        ...[...ctx.starts]
          .sort((a, b) => a - b)
          .map((start) => ({ reference: `kp-ordered-${start}`, levels: numberingLevels(true, start) })),
      ],
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: PAGE.width, height: PAGE.height },
            margin: { ...MARGIN, gutter: 0 },
          },
        },
        headers: { default: header(doc, brand, logoRaster) },
        footers: { default: footer(doc) },
        children: [...front(doc, brand), ...body, ...historyTable(doc), ...signOff(doc)],
      },
    ],
  });
}

// ---------------------------------------------------------------------------------------------------
// Reproducible packing

const RELS = /^(.*\/)?_rels\/([^/]*)\.rels$/;

/** The part a .rels file belongs to ("word/_rels/document.xml.rels" → "word/document.xml"). */
function sourceOf(relsPath: string): string | undefined {
  const m = RELS.exec(relsPath);
  return m ? `${m[1] ?? ''}${m[2] ?? ''}` : undefined;
}

/** Replace attribute values inside tags only (never text), through `map`. */
function mapAttributes(
  xml: string,
  attribute: RegExp,
  map: (name: string, value: string) => string | undefined,
): string {
  const pattern = new RegExp(`(\\s)(${attribute.source})="([^"]*)"`, 'g');
  return xml.replace(/<[^<>!?][^<>]*>/g, (tag) =>
    tag.replace(pattern, (whole, space: string, name: string, value: string) => {
      const next = map(name, value);
      return next === undefined ? whole : `${space}${name}="${next}"`;
    }),
  );
}

/** A stable part order: content types first, then package relationships, then everything by name. */
function partOrder(a: string, b: string): number {
  const rank = (p: string) => (p === '[Content_Types].xml' ? 0 : p === '_rels/.rels' ? 1 : 2);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Make docx's output reproducible: fixed core.xml dates, relationship ids (random in docx) and the
 * process-global drawing and bookmark counters renumbered in order of appearance, and a zip with fixed
 * entry dates, a stable entry order and fixed compression. (List numIds are counted per document by docx.)
 */
export function normalizeDocx(parts: ReadonlyMap<string, string | Uint8Array>, date: string): Buffer {
  const names = [...parts.keys()].filter((n) => !n.endsWith('/')).sort(partOrder);
  const text = new Map<string, string>();
  const binary = new Map<string, Uint8Array>();
  for (const name of names) {
    const data = parts.get(name);
    if (data === undefined) continue;
    if (typeof data === 'string') text.set(name, data);
    else if (/\.(xml|rels)$/.test(name)) text.set(name, strFromU8(data));
    else binary.set(name, data);
  }

  // 1. Dates in core.xml come from the clock: use the version's date.
  const day = /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : '1980-01-01';
  const core = text.get('docProps/core.xml');
  if (core !== undefined) {
    let fixed = core.replace(
      /(<dcterms:(created|modified)\b[^>]*>)[^<]*(<\/dcterms:\2>)/g,
      (_, open: string, _tag: string, close: string) => `${open}${day}T00:00:00Z${close}`,
    );
    if (!fixed.includes('<dc:language>'))
      fixed = fixed.replace('</cp:coreProperties>', '<dc:language>en-GB</dc:language></cp:coreProperties>');
    text.set('docProps/core.xml', fixed);
  }

  // 2. Relationship ids: per .rels file, rId1… in the order the relationships are listed, applied to
  //    the rels file and to the part it belongs to.
  for (const [relsPath, rels] of text) {
    const source = sourceOf(relsPath);
    if (source === undefined) continue;
    const ids = new Map<string, string>();
    for (const m of rels.matchAll(/<Relationship\b[^>]*\sId="([^"]*)"/g)) {
      const id = m[1] ?? '';
      if (!ids.has(id)) ids.set(id, `rId${ids.size + 1}`);
    }
    text.set(
      relsPath,
      mapAttributes(rels, /Id/, (_, value) => ids.get(value)),
    );
    const part = text.get(source);
    if (part !== undefined)
      text.set(
        source,
        mapAttributes(part, /r:[A-Za-z]+/, (_, value) => ids.get(value)),
      );
  }

  // 3. Process-global counters: drawing ids (wp:docPr / pic:cNvPr) and bookmark ids, renumbered in
  //    order of appearance across the parts, in part order.
  const drawing = new Map<string, string>();
  const bookmark = new Map<string, string>();
  for (const name of names) {
    const xml = text.get(name);
    if (xml === undefined || !name.startsWith('word/')) continue;
    let next = xml.replace(/<(wp:docPr|pic:cNvPr)\b[^>]*>/g, (tag) =>
      tag.replace(/\sid="([^"]*)"/, (_, value: string) => {
        if (!drawing.has(`${name}|${value}`)) drawing.set(`${name}|${value}`, String(drawing.size + 1));
        return ` id="${drawing.get(`${name}|${value}`)}"`;
      }),
    );
    next = next.replace(/<w:bookmark(Start|End)\b[^>]*>/g, (tag) =>
      tag.replace(/\sw:id="([^"]*)"/, (_, value: string) => {
        const key = `${name}|${value}`;
        if (!bookmark.has(key)) bookmark.set(key, String(bookmark.size + 1));
        return ` w:id="${bookmark.get(key)}"`;
      }),
    );
    text.set(name, next);
  }

  // 4. A fresh zip: fixed entry dates, a stable entry order and fixed compression. Images are compressed
  //    already: storing them saves time and changes nothing in size.
  return zip(
    names.flatMap((name) => {
      const value = text.has(name) ? strToU8(text.get(name) ?? '') : binary.get(name);
      return value === undefined ? [] : [{ name, data: value, store: /\.(png|jpe?g)$/i.test(name) }];
    }),
    day,
  );
}

/** docx's compiler gives the package's parts before they are zipped; reaching it spares an unzip and a re-zip. */
type PartsCompiler = { compile(file: unknown): Map<string, string | Uint8Array> };

async function documentParts(
  document: ReturnType<typeof buildWordDocument>,
): Promise<ReadonlyMap<string, string | Uint8Array>> {
  const compiler = (Packer as unknown as { compiler?: PartsCompiler }).compiler;
  if (typeof compiler?.compile === 'function') return compiler.compile(document);
  return new Map(Object.entries(unzipSync(new Uint8Array(await Packer.toBuffer(document)))));
}

/** Render a policy as a Word document; the same model always gives the same bytes. */
export async function renderDocx(doc: PolicyDocument): Promise<Buffer> {
  const logoRaster = doc.logo?.mime === 'image/svg+xml' ? await svgAsPng(doc.logo.data) : undefined;
  return normalizeDocx(await documentParts(buildWordDocument(doc, logoRaster)), doc.metadata.date);
}
