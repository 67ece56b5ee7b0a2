/**
 * What `check` looks for in a policy's words, as CQC's guidance on supporting documents asks: no blank
 * sections, no placeholder text, and links that are well formed. Plain text in, findings by offset out:
 * where to point the user (the template or the profile) is decided by the caller.
 */

/** A placeholder found in some text. */
export interface PlaceholderFinding {
  /** Offset of the match in the text. */
  index: number;
  /** The text matched, as written. */
  text: string;
  /** What it is, in words. */
  what: string;
}

/** Placeholders, in order of preference where two overlap (`{{org_field_x}}` is one template placeholder). */
const PLACEHOLDER_KINDS: { pattern: string; flags: string; what: string }[] = [
  {
    pattern: String.raw`\{\{[^{}\n]{0,80}\}\}`,
    flags: '',
    what: 'a template placeholder that was never filled in',
  },
  { pattern: String.raw`\{\{|\}\}`, flags: '', what: 'template braces left in the text' },
  { pattern: String.raw`\borg_field_\w+`, flags: '', what: 'a placeholder from another policy system' },
  { pattern: String.raw`\[\s*insert\b[^\]\n]{0,80}\]?`, flags: 'i', what: 'an “[insert …]” placeholder' },
  { pattern: String.raw`\b(?:TBC|TBD|TBA)\b`, flags: '', what: 'a “to be confirmed” placeholder' },
  { pattern: String.raw`\bX{3,}\b`, flags: '', what: 'a run of Xs standing in for a value' },
  { pattern: String.raw`\blorem\s+ipsum\b`, flags: 'i', what: 'dummy “lorem ipsum” text' },
];

/** Every placeholder in `text`, in order, none overlapping another. */
export function placeholdersIn(text: string): PlaceholderFinding[] {
  const found: PlaceholderFinding[] = [];
  for (const kind of PLACEHOLDER_KINDS) {
    for (const match of text.matchAll(new RegExp(kind.pattern, `g${kind.flags}`))) {
      const start = match.index;
      const end = start + match[0].length;
      if (found.some((f) => start < f.index + f.text.length && f.index < end)) continue;
      found.push({ index: start, text: match[0], what: kind.what });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}

/** A heading with nothing under it. */
export interface EmptySection {
  /** 1-based line of the heading in the text. */
  line: number;
  /** The heading line as written (`## Training`). */
  heading: string;
  /** The heading's words, without the #s. */
  text: string;
}

const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*#*[ \t]*$/;
const FENCE = /^ {0,3}(```|~~~)/;

/** HTML comments print nothing: blank them out, keeping the line breaks so line numbers stay. */
const withoutComments = (markdown: string) =>
  markdown.replace(/<!--[\s\S]*?-->/g, (comment) => comment.replace(/[^\n]/g, ' '));

/**
 * Every heading followed by no content before the next heading of the same or a higher level (or the
 * end). A heading whose subsections hold the content is not empty; one whose subsections are all empty
 * is left to them, so each blank is reported once, where it is.
 */
export function emptySections(markdown: string): EmptySection[] {
  const lines = withoutComments(markdown).split('\n');
  const original = markdown.split('\n');
  const blocks: ({ depth: number; line: number; text: string } | 'content')[] = [];
  let fenced = false;
  lines.forEach((line, i) => {
    if (FENCE.test(line)) fenced = !fenced;
    const heading = fenced ? null : HEADING.exec(line);
    if (heading) blocks.push({ depth: (heading[1] ?? '#').length, line: i + 1, text: heading[2] ?? '' });
    else if (line.trim() !== '') blocks.push('content');
  });
  const empty: EmptySection[] = [];
  blocks.forEach((block, i) => {
    if (block === 'content') return;
    const next = blocks[i + 1];
    // Content or a subsection straight after the heading: not empty here (a subsection answers for itself).
    if (next === 'content' || (next !== undefined && next.depth > block.depth)) return;
    empty.push({ line: block.line, heading: (original[block.line - 1] ?? '').trim(), text: block.text });
  });
  return empty;
}

/** A web address in the text. */
export interface LinkFinding {
  index: number;
  url: string;
}

const TARGET = /\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g;
const BARE = /\bhttps?:[^\s<>()[\]"'`]*/gi;

/** Every http(s) address in Markdown: link targets and addresses written out. */
export function linksIn(markdown: string): LinkFinding[] {
  const found: LinkFinding[] = [];
  for (const match of markdown.matchAll(TARGET)) {
    const url = match[1] ?? '';
    if (/^https?:/i.test(url) || /^(?:htt?ps?|www)\b/i.test(url))
      found.push({ index: match.index + match[0].indexOf(url), url });
  }
  for (const match of markdown.matchAll(BARE)) {
    const url = match[0].replace(/[.,;:!?]+$/, '');
    if (found.some((f) => match.index >= f.index && match.index < f.index + f.url.length)) continue;
    found.push({ index: match.index, url });
  }
  return found.sort((a, b) => a.index - b.index);
}

const EXAMPLE_HOST = /(^|\.)(example\.(com|org|net)|[^.]+\.(test|example|invalid|localhost))$/i;

/** What is wrong with a web address, in words that follow the address, or undefined when it is well formed. */
export function linkProblem(url: string): string | undefined {
  if (!/^https?:\/\/[^/\s]/i.test(url)) return 'is not a well-formed web address (it should start https://)';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a well-formed web address';
  }
  const labels = parsed.hostname.split('.');
  const domain =
    labels.length >= 2 &&
    labels.every((l) => /^[a-z0-9-]{1,63}$/i.test(l) && !l.startsWith('-') && !l.endsWith('-')) &&
    /^[a-z][a-z0-9-]*$/i.test(labels.at(-1) ?? '');
  if (!domain) return 'does not name a web site (its host is not a domain name such as www.cqc.org.uk)';
  if (EXAMPLE_HOST.test(parsed.hostname))
    return 'points at an address reserved for examples, not a real page';
  return undefined;
}
