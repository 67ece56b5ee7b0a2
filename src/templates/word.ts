/**
 * Word templates (`.docx`): the document's paragraphs read into the same Markdown a plain-text template
 * becomes, so the edition is drawn by the one document model in every format. Each paragraph's text is
 * the text of all its runs, so a `{{field}}` Word has split across runs (spell-check marks, formatting
 * changes, revisions) is whole again; Word's own MERGEFIELD fields become `{{field}}` too. Headings come
 * from the Heading styles, list items from list numbering or list styles, tables from tables. Errors are
 * placed by paragraph: the template's "lines" are its paragraphs (a table row is one, its cells joined by
 * ` | `), so `file.docx:12:5` is paragraph 12, and the paragraph's text is shown.
 */
import { strFromU8, unzipSync } from 'fflate';
import { escapeLiteral } from './escape.js';
import { mapped, repeatsTitleBlock } from './plain-text.js';
import type { MappedLine } from './source-map.js';

/** Parts of a .docx larger than this (unpacked) are refused: a template is not that big. */
const MAX_PART_BYTES = 16 * 1024 * 1024;
const PARTS = ['word/document.xml', 'word/styles.xml', 'word/numbering.xml', 'docProps/core.xml'];

type Block =
  | { kind: 'heading'; level: number; text: string; title: boolean }
  | { kind: 'item'; level: number; ordered: boolean; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'row'; cells: string[]; first: boolean };

export interface WordTemplate {
  /** One line a paragraph (a table row's cells joined by ` | `): what errors point into. */
  body: string;
  lines: MappedLine[];
  title?: string;
  problem?: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const decode = (text: string) =>
  text.replace(/&(#x[\da-f]+|#\d+|\w+);/gi, (all, name: string) =>
    name.startsWith('#x') || name.startsWith('#X')
      ? String.fromCodePoint(parseInt(name.slice(2), 16))
      : name.startsWith('#')
        ? String.fromCodePoint(Number(name.slice(1)))
        : (ENTITIES[name] ?? all),
  );
const attr = (attrs: string, name: string) =>
  new RegExp(`\\b${name}="([^"]*)"`).exec(attrs)?.[1] ?? undefined;

/** What styles.xml says of each paragraph style: heading level (0 for Title), and whether it is a list. */
interface Styles {
  levels: Map<string, number>;
  lists: Set<string>;
}

const LIST_STYLE = /^(list ?paragraph|list ?bullet|list ?number|list)( ?\d+)?$/i;

/**
 * Style ids → heading level, by name ("heading 2", "Title") or outline level, through `basedOn`: a
 * consultant's own "Policy Heading" based on Heading 1 is a heading too; the same for list styles.
 */
function readStyles(xml: string): Styles {
  const own = new Map<string, { level?: number; list: boolean; basedOn?: string }>();
  for (const match of xml.matchAll(/<w:style\b([^>]*)>([\s\S]*?)<\/w:style>/g)) {
    const id = attr(match[1] ?? '', 'w:styleId');
    const body = match[2] ?? '';
    if (!id) continue;
    const name = (attr(/<w:name\b([^>]*)\/>/.exec(body)?.[1] ?? '', 'w:val') ?? '').toLowerCase();
    const outline = attr(/<w:outlineLvl\b([^>]*)\/>/.exec(body)?.[1] ?? '', 'w:val');
    const heading = /^heading (\d)$/.exec(name)?.[1];
    const basedOn = attr(/<w:basedOn\b([^>]*)\/>/.exec(body)?.[1] ?? '', 'w:val');
    const level =
      name === 'title'
        ? 0
        : heading
          ? Number(heading)
          : outline !== undefined && Number(outline) < 6
            ? Number(outline) + 1
            : undefined;
    own.set(id, {
      ...(level !== undefined ? { level } : {}),
      list: LIST_STYLE.test(name) || /<w:numPr>/.test(body),
      ...(basedOn ? { basedOn } : {}),
    });
  }
  const styles: Styles = { levels: new Map(), lists: new Set() };
  for (const id of own.keys()) {
    const seen = new Set<string>();
    for (let at: string | undefined = id; at !== undefined && !seen.has(at); at = own.get(at)?.basedOn) {
      seen.add(at);
      const style = own.get(at);
      if (style?.level !== undefined && !styles.levels.has(id)) styles.levels.set(id, style.level);
      if (style?.list) styles.lists.add(id);
      if (styles.levels.has(id)) break;
    }
  }
  return styles;
}

/** numId → the list levels that are numbered (1, 2, 3 or a, b, c) rather than bulleted, from numbering.xml. */
function orderedLists(xml: string): Map<string, Set<number>> {
  const abstract = new Map<string, Set<number>>();
  for (const match of xml.matchAll(/<w:abstractNum\b([^>]*)>([\s\S]*?)<\/w:abstractNum>/g)) {
    const numbered = new Set<number>();
    for (const lvl of (match[2] ?? '').matchAll(/<w:lvl\b([^>]*)>([\s\S]*?)<\/w:lvl>/g)) {
      const format = attr(/<w:numFmt\b([^>]*)\/>/.exec(lvl[2] ?? '')?.[1] ?? '', 'w:val');
      if (format && format !== 'bullet' && format !== 'none')
        numbered.add(Number(attr(lvl[1] ?? '', 'w:ilvl') ?? 0));
    }
    abstract.set(attr(match[1] ?? '', 'w:abstractNumId') ?? '', numbered);
  }
  const lists = new Map<string, Set<number>>();
  for (const match of xml.matchAll(/<w:num\b([^>]*)>([\s\S]*?)<\/w:num>/g)) {
    const abstractId = attr(/<w:abstractNumId\b([^>]*)\/>/.exec(match[2] ?? '')?.[1] ?? '', 'w:val');
    lists.set(attr(match[1] ?? '', 'w:numId') ?? '', abstract.get(abstractId ?? '') ?? new Set());
  }
  return lists;
}

/**
 * What is never read: the fallback copy of a drawing and text boxes (Word keeps words there twice, or
 * apart from the text), a tracked change's old formatting, and text moved away or deleted.
 */
const SKIPPED = new Set([
  'mc:Fallback',
  'w:txbxContent',
  'w:pPrChange',
  'w:rPrChange',
  'w:moveFrom',
  'w:del',
]);

/** The blocks of document.xml, in order: paragraphs, and tables as rows of cell texts. */
function blocksOf(xml: string, styles: Styles, ordered: Map<string, Set<number>>): Block[] {
  const blocks: Block[] = [];
  let tableDepth = 0;
  let row: string[] | undefined;
  let cell: string[] | undefined;
  let firstRow = true;
  let para: { text: string; style?: string; list?: number; numId?: string; outline?: number } | undefined;
  let field: { instr: string; result: boolean } | undefined;
  let simple = 0;
  let inText = false;
  let inInstr = false;
  /** How deep inside something never read (SKIPPED). */
  let skipped = 0;
  for (const m of xml.matchAll(/<(\/?)([\w:]+)([^>]*?)(\/?)>|([^<]+)/g)) {
    const [, close, tag = '', attrs = '', selfClose, text] = m;
    if (SKIPPED.has(tag)) {
      if (!selfClose) skipped += close ? -1 : 1;
      continue;
    }
    if (skipped > 0) continue;
    if (text !== undefined) {
      if (!para) continue;
      if (inText && !field?.result && simple === 0) para.text += decode(text);
      if (inInstr && field) field.instr += decode(text);
      continue;
    }
    const opening = !close;
    switch (tag) {
      case 'w:tbl':
        tableDepth += opening ? 1 : -1;
        if (opening) firstRow = true;
        break;
      case 'w:tr':
        if (tableDepth !== 1) break;
        if (opening) row = [];
        else if (row) {
          blocks.push({ kind: 'row', cells: row, first: firstRow });
          firstRow = false;
          row = undefined;
        }
        break;
      case 'w:tc':
        if (tableDepth !== 1) break;
        if (opening) cell = [];
        else if (cell) {
          row?.push(cell.join(' ').trim());
          cell = undefined;
        }
        break;
      case 'w:p':
        if (opening && !selfClose) para = { text: '' };
        else if (!opening && para) {
          const text = para.text.replace(/\s+/g, ' ').trim();
          if (cell) cell.push(text);
          else if (text) {
            const style = para.style ?? '';
            const level = para.outline ?? styles.levels.get(style);
            const list = para.numId !== '0' && (para.list !== undefined || styles.lists.has(style));
            if (level !== undefined) blocks.push({ kind: 'heading', level, text, title: level === 0 });
            else if (list) {
              const depth = para.list ?? 0;
              const numbered = ordered.get(para.numId ?? '')?.has(depth) ?? /number/i.test(style);
              blocks.push({ kind: 'item', level: depth, ordered: numbered, text });
            } else blocks.push({ kind: 'paragraph', text });
          }
          para = undefined;
        }
        break;
      case 'w:pStyle':
        if (para) para.style = attr(attrs, 'w:val');
        break;
      case 'w:ilvl':
        if (para) para.list = Number(attr(attrs, 'w:val') ?? 0);
        break;
      case 'w:numPr':
        if (para && opening) para.list ??= 0;
        break;
      case 'w:numId':
        if (para) para.numId = attr(attrs, 'w:val');
        break;
      case 'w:outlineLvl': {
        const outline = Number(attr(attrs, 'w:val'));
        // Level 9 is Word's "body text".
        if (para && outline < 6) para.outline = outline + 1;
        break;
      }
      case 'w:t':
        inText = opening && !selfClose;
        break;
      case 'w:instrText':
        inInstr = opening && !selfClose;
        break;
      case 'w:tab':
      case 'w:br':
        if (para && !field?.result && simple === 0) para.text += ' ';
        break;
      case 'w:fldChar': {
        const type = attr(attrs, 'w:fldCharType');
        if (type === 'begin') field = { instr: '', result: false };
        else if (type === 'separate' && field) {
          const name = /MERGEFIELD\s+"?([\w.]+)"?/i.exec(field.instr)?.[1];
          if (name && para) para.text += `{{${name}}}`;
          field.result = Boolean(name);
        } else if (type === 'end') field = undefined;
        break;
      }
      case 'w:fldSimple': {
        if (!opening) {
          simple = Math.max(0, simple - 1);
          break;
        }
        const name = /MERGEFIELD\s+"?([\w.]+)"?/i.exec(decode(attr(attrs, 'w:instr') ?? ''))?.[1];
        if (name && para) para.text += `{{${name}}}`;
        if (!selfClose && name) simple++;
        break;
      }
      default:
        break;
    }
  }
  return blocks;
}

/** The core title property (docProps/core.xml), if set. */
const coreTitle = (xml: string | undefined) => {
  const title = xml ? /<dc:title>([^<]*)<\/dc:title>/.exec(xml)?.[1] : undefined;
  return title ? decode(title).trim() || undefined : undefined;
};

/** Read a Word template's bytes. A file that is not a Word document comes back with a `problem`. */
export function wordTemplate(bytes: Uint8Array): WordTemplate {
  let parts: Record<string, Uint8Array>;
  try {
    parts = unzipSync(bytes, {
      filter: (file) => PARTS.includes(file.name) && file.originalSize <= MAX_PART_BYTES,
    });
  } catch {
    return {
      body: '',
      lines: [],
      problem: 'This .docx file is not a Word document (it cannot be opened as one).',
    };
  }
  const documentXml = parts['word/document.xml'];
  if (!documentXml)
    return {
      body: '',
      lines: [],
      problem: 'This .docx file has no document in it (word/document.xml is missing or too large).',
    };
  const part = (name: string) => (parts[name] ? strFromU8(parts[name]) : '');
  const blocks = blocksOf(
    strFromU8(documentXml),
    readStyles(part('word/styles.xml')),
    orderedLists(part('word/numbering.xml')),
  );
  const core = parts['docProps/core.xml'] ? strFromU8(parts['docProps/core.xml']) : undefined;
  // The title: a Title paragraph, else the first Heading 1, else the core title property.
  let titleIndex = blocks.findIndex((b) => b.kind === 'heading' && b.title);
  if (titleIndex < 0) titleIndex = blocks.findIndex((b) => b.kind === 'heading' && b.level === 1);
  const titleBlock = blocks[titleIndex];
  const title = titleBlock?.kind === 'heading' ? titleBlock.text : coreTitle(core);
  const headingLevels = blocks.flatMap((b, i) => (b.kind === 'heading' && i !== titleIndex ? [b.level] : []));
  const top = headingLevels.length ? Math.min(...headingLevels) : 1;

  // The opening paragraphs that repeat the title block (logo, name, registration number) are left out.
  const opening = new Set<number>();
  for (const [i, block] of blocks.entries()) {
    if (i === titleIndex) continue;
    if (block.kind !== 'paragraph' || !repeatsTitleBlock(block.text)) break;
    opening.add(i);
  }
  const body: string[] = [];
  const lines: MappedLine[] = [];
  let previous: Block['kind'] | undefined;
  blocks.forEach((block, index) => {
    const text = block.kind === 'row' ? block.cells.join(' | ') : block.text;
    body.push(text);
    const line = index + 1;
    if (index === titleIndex || opening.has(index)) return;
    const joined = previous === block.kind && (block.kind === 'item' || block.kind === 'row');
    if (previous !== undefined && !joined) lines.push({ text: '' });
    previous = block.kind;
    if (block.kind === 'heading') {
      const depth = Math.min(6, block.level - top + 2);
      lines.push(mapped(`${'#'.repeat(depth)} `, block.text, 0, line, false));
    } else if (block.kind === 'item') {
      // Three spaces a level: under "- " and "1. " alike, a nested list.
      const marker = block.ordered ? '1. ' : '- ';
      lines.push(mapped(`${'   '.repeat(Math.min(block.level, 4))}${marker}`, block.text, 0, line));
    } else if (block.kind === 'paragraph') {
      lines.push(mapped('', block.text, 0, line));
    } else {
      lines.push(rowLine(block.cells, line));
      if (block.first) lines.push({ text: `|${block.cells.map(() => ' --- |').join('')}` });
    }
  });
  return { body: body.join('\n'), lines, ...(title ? { title } : {}) };
}

/** A table row as a GFM table line, each cell mapped to its place in the row's body line. */
function rowLine(cells: readonly string[], line: number): MappedLine {
  let text = '|';
  let column = 0;
  const columns: [number, number][] = [];
  for (const cell of cells) {
    text += ' ';
    const one = mapped('', cell, column, line);
    for (const [compiled, source] of one.columns ?? []) columns.push([text.length + compiled, source]);
    // A cell's text is literal: `|` is escaped by escapeLiteral, so it never splits the cell.
    text += one.text || escapeLiteral('', false);
    text += ' |';
    column += cell.length + 3;
  }
  return { text, line, columns };
}
