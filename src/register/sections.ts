/** A policy's Markdown as sections by heading, in plain text, for comparing two versions. */
import type { Root, RootContent } from 'mdast';
import { parseMarkdown } from '../core/markdown.js';

type MdNode = Root | RootContent;

/** Nodes whose children are running text (joined as they are); other containers' children are blocks. */
const PHRASING_PARENTS = new Set([
  'paragraph',
  'heading',
  'emphasis',
  'strong',
  'delete',
  'link',
  'linkReference',
  'tableCell',
]);

/** The words of a node as a reader sees them: no Markdown, no escapes. */
export function plainText(node: MdNode): string {
  if (node.type === 'image' || node.type === 'imageReference') return node.alt ?? '';
  if (node.type === 'break') return ' ';
  if ('value' in node && typeof node.value === 'string') return node.value;
  if (!('children' in node)) return '';
  const children = (node.children as MdNode[]).map(plainText);
  return PHRASING_PARENTS.has(node.type) ? children.join('') : children.join(' ');
}

export const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The name of the text before the first heading, if a policy has any. */
export const OPENING = '(opening)';

export interface Section {
  /** Unique within its document: the heading, numbered from the second of the same name. */
  key: string;
  /** The heading as the document shows it. */
  heading: string;
  depth: number;
  /** The key of the section it sits in, if any. */
  parent: string | undefined;
  /** The words of its body, for finding values. */
  text: string;
  /** Its body's structure and words, for telling whether it changed. */
  signature: string;
}

/**
 * A policy's sections, one per heading (plus the opening), in order. `words` re-words the text first, so
 * that one edition's sections can be matched with another's written in other terms.
 */
export function sectionsOf(markdown: string, words: (text: string) => string = (t) => t): Section[] {
  const sections: Section[] = [];
  const seen = new Map<string, number>();
  let current: { heading: string; depth: number; body: RootContent[] } = {
    heading: OPENING,
    depth: 0,
    body: [],
  };
  const open: Section[] = [];
  const flush = () => {
    const count = (seen.get(current.heading) ?? 0) + 1;
    seen.set(current.heading, count);
    while (open.length > 0 && (open.at(-1) as Section).depth >= current.depth) open.pop();
    const section: Section = {
      key: count === 1 ? current.heading : `${current.heading}\u0000${count}`,
      heading: current.heading,
      depth: current.depth,
      parent: open.at(-1)?.key,
      text: squash(current.body.map(plainText).join(' ')),
      signature: JSON.stringify(current.body, (key, value: unknown) =>
        (key === 'value' || key === 'alt') && typeof value === 'string' ? words(value) : value,
      ),
    };
    sections.push(section);
    open.push(section);
  };
  for (const node of parseMarkdown(markdown).children) {
    if (node.type === 'heading') {
      flush();
      current = { heading: squash(words(plainText(node))) || OPENING, depth: node.depth, body: [] };
    } else current.body.push(node);
  }
  flush();
  return sections;
}
