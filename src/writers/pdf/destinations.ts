/**
 * Reading a printed PDF's named destinations back: the page each `href="#id"` target landed on. Chromium
 * writes them as a `/Dests` dictionary in the catalog (`/section-2-1 [12 0 R /XYZ 0 424.9 0]`), with plain
 * (never compressed) dictionaries, a classic cross-reference table and no object streams, so a few
 * regular expressions over the bytes read them in well under a millisecond.
 */

/** The text of object `number`, from its `N 0 obj` to its `endobj` (dictionaries only: no streams). */
function objectAt(pdf: string, offsets: Map<number, number>, number: number): string | undefined {
  const start = offsets.get(number);
  if (start === undefined) return undefined;
  const end = pdf.indexOf('endobj', start);
  const text = pdf.slice(start, end < 0 ? undefined : end);
  return text.startsWith(`${number} 0 obj`) ? text : undefined;
}

/** Every object's byte offset, from the cross-reference tables of the file and its updates (newest first). */
function crossReference(pdf: string): Map<number, number> {
  const offsets = new Map<number, number>();
  const seen = new Set<number>();
  const startxref = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(pdf);
  let at = startxref ? Number(startxref[1]) : NaN;
  while (Number.isInteger(at) && at >= 0 && !seen.has(at) && pdf.startsWith('xref', at)) {
    seen.add(at);
    const trailerAt = pdf.indexOf('trailer', at);
    if (trailerAt < 0) break;
    const table = pdf.slice(at + 4, trailerAt);
    const section = /(\d+) (\d+)\s+((?:\d{10} \d{5} [nf]\s*)+)/g;
    for (const match of table.matchAll(section)) {
      const first = Number(match[1]);
      const entries = match[3]!.trim().split(/\s*\n\s*|\s*\r\n?\s*/);
      entries.forEach((entry, i) => {
        const [offset, , kind] = entry.trim().split(/\s+/);
        if (kind === 'n' && !offsets.has(first + i)) offsets.set(first + i, Number(offset));
      });
    }
    const prev = /\/Prev (\d+)/.exec(pdf.slice(trailerAt, pdf.indexOf('startxref', trailerAt)));
    at = prev ? Number(prev[1]) : NaN;
  }
  return offsets;
}

const ref = (text: string | undefined, key: string): number | undefined => {
  const match = text && new RegExp(`/${key}\\s+(\\d+)\\s+0\\s+R`).exec(text);
  return match ? Number(match[1]) : undefined;
};

/** A PDF name's text: `#xx` stands for the byte xx. */
const nameText = (name: string) =>
  name.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/**
 * The 1-based page of each named destination in `pdf`, by name. Empty when the file has none or is not
 * one this reader understands: the caller then has nothing to check against, never a wrong answer.
 */
export function destinationPages(pdf: Uint8Array | string): Map<string, number> {
  const text =
    typeof pdf === 'string'
      ? pdf
      : Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  const pages = new Map<string, number>();
  const offsets = crossReference(text);
  const trailer = text.slice(text.lastIndexOf('trailer'));
  const catalog = objectAt(text, offsets, ref(trailer, 'Root') ?? -1);
  const dests = objectAt(text, offsets, ref(catalog, 'Dests') ?? -1);
  const tree = ref(catalog, 'Pages');
  if (!dests || tree === undefined) return pages;

  // The page objects in order: the page tree's leaves, depth first.
  const order = new Map<number, number>();
  const visit = (number: number, depth: number) => {
    const node = objectAt(text, offsets, number);
    if (!node || depth > 32) return;
    const kids = /\/Kids\s*\[([^\]]*)\]/.exec(node);
    if (/\/Type\s*\/Pages\b/.test(node) && kids) {
      for (const kid of kids[1]!.matchAll(/(\d+)\s+0\s+R/g)) visit(Number(kid[1]), depth + 1);
    } else if (!order.has(number)) order.set(number, order.size + 1);
  };
  visit(tree, 0);

  for (const match of dests.matchAll(/\/([^\s/[\]<>()]+)\s*\[\s*(\d+)\s+0\s+R/g)) {
    const page = order.get(Number(match[2]));
    if (page !== undefined) pages.set(nameText(match[1]!), page);
  }
  return pages;
}
