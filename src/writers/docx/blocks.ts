/** The policy body, Markdown's syntax tree (mdast), as Word paragraphs, lists and tables. */
import {
  AlignmentType,
  BorderStyle,
  Bookmark,
  ExternalHyperlink,
  HeadingLevel,
  Paragraph,
  Table,
  TextRun,
  type IRunOptions,
  type ParagraphChild,
} from 'docx';
import type {
  AlignType,
  BlockContent,
  DefinitionContent,
  List,
  PhrasingContent,
  RootContent,
  Table as MdTable,
} from 'mdast';
import type { PolicyDocument } from '../../document/model.js';
import { SAFE_LINK } from '../../core/markdown.js';
import { bookmarkName } from './contents.js';
import { BULLET_REFERENCE, listIndent, orderedReference } from './numbering.js';
import { CODE_SHADING, CODE_STYLE, CONTENT_WIDTH, MONO, QUOTE_STYLE, RULE } from './styles.js';
import { gridTable } from './tables.js';
import { xmlSafe, xmlSafeLines } from './xml-safe.js';

/** What the body of a Word document is made of. */
export type Block = Paragraph | Table;

interface Marks {
  bold?: boolean;
  italics?: boolean;
  strike?: boolean;
}

/** Where the body is being drawn: the document and what its lists have used so far. */
export interface BodyContext {
  doc: PolicyDocument;
  /** The ids of the headings the contents page links to: each gets a bookmark. */
  anchors: ReadonlySet<string>;
  /** Set while the body's first heading must start a page (after the contents page). */
  breakBefore?: { pending: boolean };
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
  ctx: BodyContext,
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
        out.push(run(xmlSafe(node.value), { font: MONO, shading: CODE_SHADING }));
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
        // The only image the model keeps is the logo (`keypolicy:logo`), and every page's header
        // shows it already: drawn here too, page 1 would show it twice.
        break;
      default:
        // Nothing else comes from the model's parser; anything unforeseen keeps its text.
        out.push(run(xmlSafe(plainText(node))));
    }
  }
  return out;
}

/** The style and indentation of the blocks being drawn (inside a quotation, a list item). */
const placement = (ctx: BodyContext) => ({
  ...(ctx.style ? { style: ctx.style } : {}),
  ...(ctx.indent !== undefined ? { indent: { left: ctx.indent } } : {}),
});

function list(node: List, ctx: BodyContext, level: number): Block[] {
  const ordered = node.ordered === true;
  const start = ordered ? Math.max(0, Math.floor(node.start ?? 1)) : 1;
  if (ordered) ctx.starts.add(start);
  const reference = ordered ? orderedReference(start) : BULLET_REFERENCE;
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
      out.push(...blocks([child], { ...ctx, indent: listIndent(lvl) }));
    }
  }
  return out;
}

function table(node: MdTable, ctx: BodyContext): Table {
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

/** Body nodes as Word blocks; `ctx` gathers the list numbering they use. */
export function blocks(
  nodes: readonly (RootContent | BlockContent | DefinitionContent)[],
  ctx: BodyContext,
): Block[] {
  const out: Block[] = [];
  for (const node of nodes) {
    switch (node.type) {
      case 'heading': {
        const level = HEADINGS[Math.min(Math.max(node.depth - ctx.top, 0), HEADINGS.length - 1)];
        const id = node.data?.hProperties?.id;
        const children = inline(node.children, ctx);
        const pageBreakBefore = ctx.breakBefore?.pending === true;
        if (ctx.breakBefore) ctx.breakBefore.pending = false;
        out.push(
          new Paragraph({
            heading: level,
            ...(pageBreakBefore ? { pageBreakBefore } : {}),
            children:
              typeof id === 'string' && ctx.anchors.has(id)
                ? [new Bookmark({ id: bookmarkName(id), children })]
                : children,
          }),
        );
        break;
      }
      case 'paragraph': {
        // A paragraph of nothing but the logo (which the header shows) and spaces is left out.
        const logoOnly = node.children.every(
          (c) => (c.type === 'image' && c.url === 'keypolicy:logo') || (c.type === 'text' && !c.value.trim()),
        );
        if (logoOnly) break;
        out.push(new Paragraph({ children: inline(node.children, ctx), ...placement(ctx) }));
        break;
      }
      case 'list':
        out.push(...list(node, ctx, 0));
        break;
      case 'blockquote':
        out.push(...blocks(node.children, { ...ctx, style: QUOTE_STYLE }));
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
            style: CODE_STYLE,
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
