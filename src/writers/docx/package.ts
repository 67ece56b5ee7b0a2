/**
 * Packing a Word document reproducibly: docx's parts taken before it zips them, then fixed dates,
 * relationship and drawing ids renumbered in order, and a zip with fixed entry dates, order and
 * compression, so the same model always gives the same bytes.
 */
import { Packer, type Document } from 'docx';
import { strFromU8, strToU8, unzipSync } from 'fflate';
import { zip } from './zip.js';

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
  //    order of appearance across the parts, in part order; and the random ids of VML shapes (the draft
  //    watermark's `PowerPlusWaterMarkObject…`), numbered from 1 keeping the prefix Word looks for.
  const drawing = new Map<string, string>();
  const bookmark = new Map<string, string>();
  const shape = new Map<string, string>();
  for (const name of names) {
    const xml = text.get(name);
    if (xml === undefined || !name.startsWith('word/')) continue;
    let next = xml.replace(/<(wp:docPr|pic:cNvPr)\b[^>]*>/g, (tag) =>
      tag.replace(/\sid="([^"]*)"/, (_, value: string) => {
        if (!drawing.has(`${name}|${value}`)) drawing.set(`${name}|${value}`, String(drawing.size + 1));
        return ` id="${drawing.get(`${name}|${value}`)}"`;
      }),
    );
    next = next.replace(/<v:shape\b[^>]*>/g, (tag) =>
      tag.replace(/\sid="(PowerPlusWaterMarkObject)[^"]*"/, (whole: string, prefix: string) => {
        const key = `${name}|${whole}`;
        if (!shape.has(key)) shape.set(key, `${prefix}${shape.size + 1}`);
        return ` id="${shape.get(key)}"`;
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

/** The parts of a Word package (path → XML text or bytes), before they are zipped. */
export async function documentParts(document: Document): Promise<ReadonlyMap<string, string | Uint8Array>> {
  const compiler = (Packer as unknown as { compiler?: PartsCompiler }).compiler;
  if (typeof compiler?.compile === 'function') return compiler.compile(document);
  return new Map(Object.entries(unzipSync(new Uint8Array(await Packer.toBuffer(document)))));
}
