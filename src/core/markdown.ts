/**
 * The one Markdown parser every output is drawn from: CommonMark plus GFM tables and strikethrough,
 * parsed by markdown-it and given to the document layer as an mdast tree. markdown-it parses a policy
 * several times faster than micromark, which was a quarter of a batch build's time in this process.
 */
import type { Parent, PhrasingContent, Root, RootContent, Table, TableCell, TableRow } from 'mdast';
import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';

/**
 * Raw HTML is not recognised (it reads as text), and GFM's autolink literals stay off: they would turn a
 * value such as `www.example.com` into a link even when escaped; templates write links explicitly.
 */
const parser = new MarkdownIt('default', { html: false, linkify: false, typographer: false });

type Align = 'left' | 'right' | 'center' | null;

const alignOf = (token: Token): Align => {
  const align = /text-align:\s*(left|right|center)/.exec(token.attrGet('style') ?? '')?.[1];
  return (align as Align | undefined) ?? null;
};

/** Append phrasing content, merging neighbouring text as mdast does (`a\*b` is one text node). */
function pushInline(into: PhrasingContent[], node: PhrasingContent): void {
  if (node.type === 'text' && node.value === '') return;
  const last = into.at(-1);
  if (node.type === 'text' && last?.type === 'text') last.value += node.value;
  else into.push(node);
}

const plainText = (tokens: readonly Token[]): string =>
  tokens
    .map((t) =>
      t.type === 'image' ? plainText(t.children ?? []) : t.type === 'softbreak' ? '\n' : t.content,
    )
    .join('');

/** Inline tokens (the children of one `inline` token) → mdast phrasing content. */
function inline(tokens: readonly Token[]): PhrasingContent[] {
  const root: PhrasingContent[] = [];
  const stack: { node: PhrasingContent & Parent; children: PhrasingContent[] }[] = [];
  const current = () => stack.at(-1)?.children ?? root;
  const open = (node: PhrasingContent & Parent) => {
    pushInline(current(), node);
    stack.push({ node, children: node.children as PhrasingContent[] });
  };
  for (const token of tokens) {
    switch (token.type) {
      case 'text':
      case 'text_special':
        pushInline(current(), { type: 'text', value: token.content });
        break;
      case 'softbreak':
        pushInline(current(), { type: 'text', value: '\n' });
        break;
      case 'hardbreak':
        current().push({ type: 'break' });
        break;
      case 'code_inline':
        current().push({ type: 'inlineCode', value: token.content });
        break;
      case 'em_open':
        open({ type: 'emphasis', children: [] });
        break;
      case 'strong_open':
        open({ type: 'strong', children: [] });
        break;
      case 's_open':
        open({ type: 'delete', children: [] });
        break;
      case 'link_open':
        open({
          type: 'link',
          url: token.attrGet('href') ?? '',
          title: token.attrGet('title') ?? null,
          children: [],
        });
        break;
      case 'em_close':
      case 'strong_close':
      case 's_close':
      case 'link_close':
        stack.pop();
        break;
      case 'image':
        current().push({
          type: 'image',
          url: token.attrGet('src') ?? '',
          title: token.attrGet('title') ?? null,
          alt: plainText(token.children ?? []),
        });
        break;
      default:
        // Nothing else is enabled; anything unforeseen still reads as its text, never as markup.
        if (token.content) pushInline(current(), { type: 'text', value: token.content });
    }
  }
  return root;
}

/**
 * An open list or list item remembers where its last child ended: a blank line between two children
 * spreads it (mdast's `spread`, which decides whether list items are wrapped in paragraphs).
 */
interface Open {
  node: Parent;
  lastLine?: number;
}

/** Block tokens → the mdast tree, by a stack of open containers. */
export function parseMarkdown(markdown: string): Root {
  const root: Root = { type: 'root', children: [] };
  const stack: Open[] = [{ node: root }];
  const add = (node: RootContent, token: Token) => {
    const parent = stack[stack.length - 1] as Open;
    if ((parent.node.type === 'listItem' || parent.node.type === 'list') && token.map) {
      if (parent.lastLine !== undefined && token.map[0] > parent.lastLine)
        (parent.node as Parent & { spread?: boolean }).spread = true;
      parent.lastLine = token.map[1];
    }
    parent.node.children.push(node);
  };
  const open = (node: RootContent & Parent, token: Token) => {
    add(node, token);
    stack.push({ node });
  };
  const tokens = parser.parse(markdown, {});
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    switch (token.type) {
      case 'heading_open': {
        const depth = Number(token.tag.slice(1)) as 1 | 2 | 3 | 4 | 5 | 6;
        add({ type: 'heading', depth, children: inline(tokens[++i]?.children ?? []) }, token);
        i++;
        break;
      }
      case 'paragraph_open':
        add({ type: 'paragraph', children: inline(tokens[++i]?.children ?? []) }, token);
        i++;
        break;
      case 'bullet_list_open':
      case 'ordered_list_open': {
        const ordered = token.type === 'ordered_list_open';
        open(
          {
            type: 'list',
            ordered,
            start: ordered ? Number(token.attrGet('start') ?? 1) : null,
            spread: false,
            children: [],
          },
          token,
        );
        break;
      }
      case 'list_item_open':
        open({ type: 'listItem', spread: false, checked: null, children: [] }, token);
        break;
      case 'blockquote_open':
        open({ type: 'blockquote', children: [] }, token);
        break;
      case 'table_open':
        open({ type: 'table', align: [], children: [] }, token);
        break;
      case 'tr_open':
        open({ type: 'tableRow', children: [] }, token);
        break;
      case 'th_open':
      case 'td_open': {
        // Only the header row has th cells: it gives the column alignments.
        if (token.type === 'th_open')
          (stack.findLast((o) => o.node.type === 'table')?.node as Table | undefined)?.align?.push(
            alignOf(token),
          );
        const cell: TableCell = { type: 'tableCell', children: inline(tokens[++i]?.children ?? []) };
        ((stack[stack.length - 1] as Open).node as TableRow).children.push(cell);
        i++;
        break;
      }
      case 'list_item_close': {
        // An item's own line range takes in the blank lines after it; its last block's does not.
        const item = stack.pop() as Open;
        const list = stack[stack.length - 1] as Open;
        if (item.lastLine !== undefined) list.lastLine = item.lastLine;
        break;
      }
      case 'bullet_list_close':
      case 'ordered_list_close':
      case 'blockquote_close':
      case 'table_close':
      case 'tr_close':
        stack.pop();
        break;
      case 'hr':
        add({ type: 'thematicBreak' }, token);
        break;
      case 'fence': {
        const [lang, ...meta] = token.info.trim().split(/\s+/);
        add(
          {
            type: 'code',
            lang: lang || null,
            meta: meta.join(' ') || null,
            value: token.content.replace(/\n$/, ''),
          },
          token,
        );
        break;
      }
      case 'code_block':
        add({ type: 'code', lang: null, meta: null, value: token.content.replace(/\n$/, '') }, token);
        break;
      default:
        // thead/tbody open and close carry nothing mdast keeps.
        break;
    }
  }
  return root;
}

/** The only link destinations any output keeps. */
export const SAFE_LINK = /^(https?:|mailto:)/i;

/**
 * Only http, https and mailto links survive; any other link becomes its text. Images other than the
 * organisation's logo are dropped: a document never reaches out. (The parser already reads raw HTML as
 * text and resolves reference links.)
 */
export function makeSafe(node: Parent): void {
  const replaced: RootContent[] = [];
  for (const child of node.children) {
    if (child.type === 'link' && !SAFE_LINK.test(child.url)) {
      makeSafe(child);
      replaced.push(...(child.children as RootContent[]));
      continue;
    }
    if (child.type === 'image' && child.url !== 'keypolicy:logo') continue;
    if ('children' in child) makeSafe(child);
    replaced.push(child);
  }
  (node as { children: RootContent[] }).children = replaced;
}
