/**
 * Page furniture marked as artifacts. Chromium's tagged PDF puts the body in structure-tree marked content
 * (`/P <</MCID 3>> BDC … EMC`) and leaves the rest unmarked: running header and footer, DRAFT watermark,
 * table borders and backgrounds. PDF/UA asks for that to be marked `/Artifact`, which readers leave out
 * when text is copied or read aloud. Each page's content stream is tokenised into operations and every
 * maximal run outside marked content that paints something is wrapped in `/Artifact BMC … EMC`, cut so
 * that each pair opens and closes at one q/Q level, outside any path and never across a BT or ET. A
 * stream that does not parse, or is malformed, stays as it was. The new streams take the old ones' places
 * and the cross-reference table is written again with the moved offsets (Chromium writes one classic
 * table; any other file is left alone), so the file grows by the markers, not a second copy of each page.
 */
import { deflateSync, inflateSync } from 'node:zlib';

/** A content stream this step does not understand; it is left as it is. */
export class ContentSyntaxError extends Error {}
const fail = (why: string, at: number): never => {
  throw new ContentSyntaxError(`${why} at byte ${at}`);
};

/** Character classes of PDF syntax: 0 regular, 1 white space, 2 delimiter. */
const CLASS = new Uint8Array(256);
for (const c of [0, 9, 10, 12, 13, 32]) CLASS[c] = 1;
for (const c of '()<>[]{}/%') CLASS[c.charCodeAt(0)] = 2;

/** What an operator is to this step, as bit flags. */
const [PAINTS, MARK, UNMARK, OPEN, CLOSE, TEXT, PATH, ENDS_PATH, IMAGE, UNKNOWN] = [
  1, 2, 4, 8, 16, 32, 64, 128, 256, 512,
];
/** Operators (at most three characters each) by a number made of their bytes, and their flags. */
const code = (b: Uint8Array, i: number, end: number) =>
  end - i > 3
    ? -1
    : ((end - i) << 24) | b[i]! | (end - i > 1 ? b[i + 1]! << 8 : 0) | (end - i > 2 ? b[i + 2]! << 16 : 0);
const OPERATORS = new Map<number, number>();
for (const [names, flags] of [
  ['BDC BMC', MARK],
  ['EMC', UNMARK],
  ['q', OPEN],
  ['Q', CLOSE],
  ['BT', OPEN | TEXT],
  ['ET', CLOSE | TEXT],
  ['m l c v y h re W W*', PATH],
  ['n', ENDS_PATH],
  ['S s f F f* B B* b b*', ENDS_PATH | PAINTS],
  [`Tj TJ ' " Do sh`, PAINTS],
  ['BI', PAINTS | IMAGE],
  [
    'cm CS cs d d0 d1 DP G g gs i j J K k M MP RG rg ri SC sc SCN scn T* Tc Td TD Tf TL Tm Tr Ts Tw Tz w BX EX',
    0,
  ],
] as const) {
  for (const name of names.split(' ')) OPERATORS.set(code(Buffer.from(name), 0, name.length), flags);
}

const latin1 = (b: Uint8Array, i: number, end: number) => String.fromCharCode(...b.subarray(i, end));

/** The index after white space and comments from `i`. */
function skipSpace(b: Uint8Array, i: number): number {
  while (i < b.length) {
    const c = b[i]!;
    if (CLASS[c] === 1) i++;
    else if (c !== 0x25) return i;
    else while (i < b.length && b[i] !== 0x0a && b[i] !== 0x0d) i++;
  }
  return i;
}

/** The index after the token at `i` (not white space or a comment); `<<`, `>>`, `[` and `]` are tokens. */
function tokenEnd(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c === 0x28) {
    // A literal string: a backslash escapes the next byte, unescaped parentheses nest.
    for (let j = i, depth = 0; j < b.length; j++) {
      const d = b[j];
      if (d === 0x5c) j++;
      else if (d === 0x28) depth++;
      else if (d === 0x29 && --depth === 0) return j + 1;
    }
    return fail('unterminated string', i);
  }
  if (c === 0x3c) {
    if (b[i + 1] === 0x3c) return i + 2;
    const j = b.indexOf(0x3e, i + 1); // a hex string: its digits are not checked, only passed on
    return j < 0 ? fail('unterminated hex string', i) : j + 1;
  }
  if (c === 0x3e) return b[i + 1] === 0x3e ? i + 2 : fail('stray >', i);
  if (c === 0x5b || c === 0x5d) return i + 1;
  if (c === 0x29 || c === 0x7b || c === 0x7d) return fail('unexpected delimiter', i);
  let j = i + 1; // a name (after its slash), number or keyword: up to white space or a delimiter
  while (j < b.length && CLASS[b[j]!] === 0) j++;
  return j;
}

/** Whether the token at `i` opens (+1) or closes (-1) an array or dictionary. */
const nesting = (b: Uint8Array, i: number, end: number) =>
  b[i] === 0x5b || (b[i] === 0x3c && end === i + 2) ? 1 : b[i] === 0x5d || b[i] === 0x3e ? -1 : 0;

/** The flags of the operator token at `i`, or undefined if it is an operand (number, keyword). */
function operator(b: Uint8Array, i: number, end: number): number | undefined {
  const c = b[i]!;
  if (CLASS[c] !== 0 || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) return undefined;
  const flags = OPERATORS.get(code(b, i, end));
  if (flags !== undefined) return flags;
  return /^(true|false|null)$/.test(latin1(b, i, end)) ? undefined : UNKNOWN;
}

/**
 * The index after an inline image's EI, `from` being just after its BI: after the data's length where
 * the image gives it (PDF 2.0's /L) or it is unfiltered in a device colour space, otherwise after the
 * first EI between white space that a known operator, or the stream's end, follows.
 */
function inlineImageEnd(b: Uint8Array, from: number): number {
  const items: string[] = [];
  let i = skipSpace(b, from);
  for (let depth = 0, item = i; ; i = skipSpace(b, i)) {
    const end = i < b.length ? tokenEnd(b, i) : fail('inline image without ID', from);
    if (depth === 0 && end === i + 2 && b[i] === 0x49 && b[i + 1] === 0x44) break; // ID
    if (depth === 0) item = i;
    if ((depth += nesting(b, i, end)) === 0) items.push(latin1(b, item, end));
    i = end;
  }
  const data = CLASS[b[i + 2]!] === 1 ? i + 3 : fail('no white space after ID', i);
  const dict = new Map(items.flatMap((key, k) => (k % 2 === 0 ? [[key, items[k + 1] ?? '']] : [])));
  const get = (...keys: string[]) => keys.map((key) => dict.get(key)).find((v) => v !== undefined);
  const components = { '/G': 1, '/DeviceGray': 1, '/RGB': 3, '/DeviceRGB': 3, '/CMYK': 4, '/DeviceCMYK': 4 };
  const mask = get('/IM', '/ImageMask') === 'true';
  const bits = mask
    ? 1
    : Number(get('/BPC', '/BitsPerComponent')) *
      (components[get('/CS', '/ColorSpace') as keyof typeof components] ?? NaN);
  const length = /^\d+$/.test(get('/L', '/Length') ?? '')
    ? Number(get('/L', '/Length'))
    : get('/F', '/Filter') === undefined
      ? Number(get('/H', '/Height')) * Math.ceil((Number(get('/W', '/Width')) * bits) / 8)
      : NaN;
  const isEI = (j: number) => b[j] === 0x45 && b[j + 1] === 0x49 && CLASS[b[j + 2] ?? 32] !== 0;
  if (Number.isInteger(length)) {
    const j = skipSpace(b, data + length);
    return isEI(j) ? j + 2 : fail('inline image data of the wrong length', data);
  }
  for (let j = data; j < b.length; j++) {
    if (CLASS[b[j]!] !== 1 || !isEI(j + 1)) continue;
    try {
      for (let k = skipSpace(b, j + 3), depth = 0, end = k; k < b.length; k = skipSpace(b, end)) {
        end = tokenEnd(b, k);
        const flags = (depth += nesting(b, k, end)) === 0 ? operator(b, k, end) : undefined;
        if (flags !== undefined) {
          if (flags & UNKNOWN) fail('not an operator', k);
          break;
        }
      }
      return j + 3;
    } catch {
      // Not the end of the image: its data went on.
    }
  }
  return fail('inline image without EI', data);
}

/** A content stream's operations: where each starts (its first operand) and ends, and its flags. */
function scan(b: Uint8Array): { start: number[]; end: number[]; flags: number[] } {
  const ops = { start: [] as number[], end: [] as number[], flags: [] as number[] };
  let [first, depth] = [-1, 0];
  for (let i = skipSpace(b, 0); i < b.length; i = skipSpace(b, i)) {
    let end = tokenEnd(b, i);
    if (first < 0) first = i;
    const step = nesting(b, i, end);
    const flags = step === 0 ? operator(b, i, end) : undefined;
    if ((depth += step) < 0) fail('unbalanced ] or >>', i);
    if (flags !== undefined) {
      if (depth > 0) fail('operator inside an array or dictionary', i);
      if (flags & IMAGE) end = first === i ? inlineImageEnd(b, end) : fail('operands before BI', first);
      ops.start.push(first);
      ops.end.push(end);
      ops.flags.push(flags);
      first = -1;
    }
    i = end;
  }
  return first < 0 ? ops : fail('operands without an operator', first);
}

/**
 * The runs to mark as artifacts, as [first, last + 1) operation indices (see above). Throws
 * `ContentSyntaxError` if the structure is malformed: marked content or text objects unbalanced, q or Q
 * in a text object, other operators in a path, or an operator it does not know.
 */
function artifactRuns(flags: readonly number[]): [number, number][] {
  const runs: [number, number][] = [];
  // A run outside marked content is cut at each q or BT it does not close and each Q or ET it did not
  // open: between two cuts every q and BT is closed again, so both ends are at the same level.
  const split = (from: number, to: number) => {
    const [open, cuts]: [number[], number[]] = [[], []];
    for (let k = from; k < to; k++) {
      if (flags[k]! & OPEN) open.push(k);
      else if (flags[k]! & CLOSE && open.pop() === undefined) cuts.push(k);
    }
    let first = from;
    for (const cut of [...cuts, ...open].sort((x, y) => x - y).concat(to)) {
      if (flags.slice(first, cut).some((f) => f & PAINTS)) runs.push([first, cut]);
      first = cut + 1;
    }
  };
  let [marked, inText, inPath, runStart] = [0, false, false, -1];
  for (let k = 0; k < flags.length; k++) {
    const f = flags[k]!;
    if (f & UNKNOWN) fail('unknown operator', k);
    if (inPath && !(f & (PATH | ENDS_PATH))) fail('operator inside a path', k);
    if (f & (MARK | UNMARK)) {
      if (f & MARK && marked++ === 0 && runStart >= 0) split(runStart, k);
      if (f & UNMARK && marked-- === 0) fail('EMC without BMC or BDC', k);
      runStart = -1;
      continue;
    }
    if (f & TEXT) {
      if (inText === Boolean(f & OPEN)) fail('BT or ET out of place', k);
      inText = Boolean(f & OPEN);
    } else if (f & (OPEN | CLOSE) && inText) fail('q or Q inside a text object', k);
    inPath = f & PATH ? true : f & ENDS_PATH ? false : inPath;
    if (marked === 0 && runStart < 0) runStart = k;
  }
  if (marked !== 0 || inText || inPath) fail('stream ends inside marked content, text or a path', -1);
  if (runStart >= 0) split(runStart, flags.length);
  return runs;
}

const [BEGIN, END, NEWLINE] = ['/Artifact BMC\n', '\nEMC', '\n'].map((text) => Buffer.from(text));

/**
 * The content stream with its unmarked runs wrapped in `/Artifact BMC … EMC`; the same array if there
 * are none. Throws `ContentSyntaxError` if it cannot be read with certainty.
 */
export function wrapArtifacts(content: Uint8Array): Uint8Array {
  const ops = scan(content);
  const runs = artifactRuns(ops.flags);
  if (runs.length === 0) return content;
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const [first, last] of runs) {
    const [start, end] = [ops.start[first]!, ops.end[last - 1]!];
    parts.push(content.subarray(at, start));
    if (start > 0 && CLASS[content[start - 1]!] !== 1) parts.push(NEWLINE!);
    parts.push(BEGIN!, content.subarray(start, end), END!);
    if (end < content.length && CLASS[content[end]!] !== 1) parts.push(NEWLINE!);
    at = end;
  }
  parts.push(content.subarray(at));
  return Buffer.concat(parts);
}

/** The dictionary at `at`: its top-level entries (raw value text, `N G R` whole) and where it ends. */
function dictionary(b: Uint8Array, text: string, at: number): { entries: Map<string, string>; end: number } {
  if (b[at] !== 0x3c || b[at + 1] !== 0x3c) fail('no dictionary', at);
  const entries = new Map<string, string>();
  const reference = /\s+\d+\s+R(?=[\s()<>[\]{}/%]|$)/y;
  let key: string | undefined;
  let i = skipSpace(b, at + 2);
  for (; b[i] !== 0x3e || b[i + 1] !== 0x3e; i = skipSpace(b, i)) {
    const start = i;
    let end = i < b.length ? tokenEnd(b, i) : fail('unterminated dictionary', at);
    for (let depth = nesting(b, i, end); depth > 0; depth += nesting(b, i, end)) {
      i = skipSpace(b, end); // an array or dictionary value: on to its end
      end = i < b.length ? tokenEnd(b, i) : fail('unterminated value', i);
    }
    if (key === undefined) {
      key = b[start] === 0x2f ? text.slice(start, end) : fail('dictionary key is not a name', start);
      i = end;
      continue;
    }
    reference.lastIndex = end;
    if (/^\d+$/.test(text.slice(start, end)) && reference.test(text)) end = reference.lastIndex;
    entries.set(key, text.slice(start, end));
    [key, i] = [undefined, end];
  }
  return key === undefined ? { entries, end: i + 2 } : fail('dictionary key without a value', i);
}

/** The file's one classic cross-reference table: where it, the trailer and startxref begin, and its objects. */
function crossReference(text: string) {
  const startxrefAt = text.lastIndexOf('startxref');
  const at = Number(/^startxref\s+(\d+)\s+%%EOF\s*$/.exec(text.slice(startxrefAt))?.[1] ?? NaN);
  const trailerAt = text.indexOf('trailer', at);
  if (startxrefAt < 0 || !text.startsWith('xref', at) || trailerAt < 0 || trailerAt > startxrefAt) return;
  // Earlier updates, cross-reference streams and encryption are not Chromium's: such a file is left alone.
  if (/\/(Prev|XRefStm|Encrypt)\b/.test(text.slice(trailerAt, startxrefAt))) return;
  const objects = new Map<number, { offset: number; generation: number }>();
  const table = text.slice(at + 4, trailerAt);
  const section = /\s*(\d+) (\d+)\s*?[\r\n]((?:\s*\d{10} \d{5} [nf]\b)*)/y;
  for (let match = section.exec(table); match; match = section.exec(table)) {
    const entries = match[3]!.trim().split(/\s+/);
    if (entries.length !== 3 * Number(match[2])) return;
    for (let k = 0; k < entries.length; k += 3) {
      if (entries[k + 2] === 'n')
        objects.set(Number(match[1]) + k / 3, {
          offset: Number(entries[k]),
          generation: Number(entries[k + 1]),
        });
    }
    if (section.lastIndex === table.trimEnd().length) return { at, trailerAt, startxrefAt, objects };
  }
  return undefined;
}
type Table = NonNullable<ReturnType<typeof crossReference>>;

const referenced = (value: string | undefined) => Number(/^(\d+)\s+\d+\s+R$/.exec(value ?? '')?.[1] ?? NaN);

/** Object `number`'s dictionary and where it ends, checked against its `N G obj` header. */
function objectDictionary(b: Uint8Array, text: string, table: Table, number: number) {
  const entry = table.objects.get(number) ?? fail(`object ${number} missing`, -1);
  const header = /(\d+)\s+(\d+)\s+obj\s*/y;
  header.lastIndex = entry.offset;
  const match = header.exec(text);
  if (Number(match?.[1]) !== number || Number(match?.[2]) !== entry.generation)
    fail(`object ${number} not at its offset`, entry.offset);
  return { ...entry, ...dictionary(b, text, header.lastIndex) };
}

/** The content streams of the file's pages (each a single stream), in page order, each once. */
function contentStreams(b: Uint8Array, text: string, table: Table): number[] {
  const trailer = dictionary(b, text, skipSpace(b, table.trailerAt + 'trailer'.length)).entries;
  const catalog = objectDictionary(b, text, table, referenced(trailer.get('/Root'))).entries;
  const [streams, seen] = [new Set<number>(), new Set<number>()];
  const visit = (number: number) => {
    if (seen.size === seen.add(number).size) return fail('page tree loops', -1);
    const node = objectDictionary(b, text, table, number).entries;
    if (node.get('/Type') === '/Pages') {
      for (const kid of (node.get('/Kids') ?? '').matchAll(/(\d+)\s+\d+\s+R/g)) visit(Number(kid[1]));
    } else streams.add(referenced(node.get('/Contents'))); // NaN: no single stream
  };
  visit(referenced(catalog.get('/Pages')));
  return [...streams].filter(Number.isInteger);
}

/** Content stream `number` rewritten with its artifacts marked, or undefined if it is left as it is. */
function rewriteStream(b: Uint8Array, text: string, table: Table, number: number) {
  const object = objectDictionary(b, text, table, number);
  const [length = '', filter] = [object.entries.get('/Length'), object.entries.get('/Filter')];
  if ([...object.entries.keys()].some((key) => key !== '/Length' && key !== '/Filter')) return undefined;
  if (!/^\d+$/.test(length) || ![undefined, '/FlateDecode', '[/FlateDecode]'].includes(filter)) return;
  const keyword = /\s*stream\r?\n/y;
  const close = /\s*endstream\s+endobj/y;
  keyword.lastIndex = object.end;
  close.lastIndex = keyword.test(text) ? keyword.lastIndex + Number(length) : NaN;
  if (!keyword.lastIndex || !close.test(text)) return undefined;
  const data = b.subarray(keyword.lastIndex, keyword.lastIndex + Number(length));
  const content = filter ? inflateSync(data) : data;
  const wrapped = wrapArtifacts(content);
  if (wrapped === content) return undefined;
  // Level 5 is about as small as Chromium's own streams, in four fifths of level 6's time.
  const packed = deflateSync(wrapped, { level: LEVEL });
  const head = `${number} ${object.generation} obj\n<</Filter /FlateDecode\n/Length ${packed.length}>> stream\n`;
  const bytes = Buffer.concat([Buffer.from(head), packed, Buffer.from('\nendstream\nendobj')]);
  return {
    start: object.offset,
    end: close.lastIndex,
    bytes,
    delta: bytes.length - (close.lastIndex - object.offset),
  };
}
const LEVEL = 5;

/**
 * Chromium's PDF with every page's unmarked content marked as an artifact (see above). A file or stream
 * this step cannot read with certainty is left as it is: the result is never a broken file, only at worst
 * one whose furniture is unmarked.
 */
export function markArtifacts(pdf: Uint8Array): Uint8Array {
  const b = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  const text = b.toString('latin1');
  try {
    const table = crossReference(text);
    const rewrite = (number: number) => {
      try {
        return rewriteStream(b, text, table!, number) ?? [];
      } catch {
        return [];
      }
    };
    const changes = table ? contentStreams(b, text, table).flatMap(rewrite) : [];
    changes.sort((x, y) => x.start - y.start);
    if (!table || changes.length === 0 || changes[changes.length - 1]!.end > table.at) return pdf;
    // No object may start inside a replaced one (so neither may another replaced one).
    let clash = false;
    const moved = (offset: number) =>
      changes.reduce((to, c) => (c.start < offset ? to + c.delta : to), offset);
    const entry = (_: string, offset: string, rest: string) => {
      clash ||= changes.some((c) => Number(offset) > c.start && Number(offset) < c.end);
      return `${String(moved(Number(offset))).padStart(10, '0')}${rest}`;
    };
    const xref = text.slice(table.at, table.trailerAt).replace(/\b(\d{10})( \d{5} n)/g, entry);
    const tail = text.slice(table.startxrefAt).replace(/\d+/, String(moved(table.at)));
    const parts = changes.flatMap((c, k) => [b.subarray(changes[k - 1]?.end ?? 0, c.start), c.bytes]);
    parts.push(b.subarray(changes[changes.length - 1]!.end, table.at), Buffer.from(xref, 'latin1'));
    parts.push(b.subarray(table.trailerAt, table.startxrefAt), Buffer.from(tail, 'latin1'));
    return clash ? pdf : Buffer.concat(parts);
  } catch {
    return pdf;
  }
}
