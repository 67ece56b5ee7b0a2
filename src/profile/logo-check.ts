/**
 * A logo is untrusted input (a profile may come from anyone a consultant works for): the limits on what
 * keypolicy decodes or draws, and the checks behind them. Validation refuses a logo that breaks them,
 * at `organisation.logo`; the DOCX writer checks again before drawing an SVG (a snapshot's logo was
 * validated by an older keypolicy, a library caller's never).
 */
/** How large an image keypolicy decodes, and what an SVG logo may ask of its renderer. */
export const LOGO_LIMITS = {
  /** Declared pixels of a PNG, JPEG or GIF (the logo, or one an SVG logo embeds): a bomb declares billions. */
  pixels: 50_000_000,
  /** An SVG logo's PNG fallback is drawn this many pixels wide… */
  drawWidth: 480,
  /** …and at most this many times as tall. */
  aspect: 20,
  /** Filter steps in the whole logo, and the costliest steps' sizes (pixels, cells, octaves). */
  filterSteps: 100,
  morphologyRadius: 16,
  convolveCells: 100,
  turbulenceOctaves: 10,
} as const;

export type LogoKind = 'png' | 'jpeg' | 'svg' | 'gif';

/** The pixel size a logo declares in its own header (an SVG's root width and height, else its viewBox). */
export function logoSize(data: Buffer, kind: LogoKind): { width: number; height: number } | undefined {
  if (kind === 'png')
    return data.length < 24 ? undefined : { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
  if (kind === 'gif')
    return data.length < 10 ? undefined : { width: data.readUInt16LE(6), height: data.readUInt16LE(8) };
  if (kind === 'jpeg') {
    let i = 2;
    while (i + 9 < data.length) {
      const marker = data[i + 1] ?? 0;
      if (data[i] !== 0xff || marker === 0xff) i++;
      else if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) i += 2;
      else if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
        return { width: data.readUInt16BE(i + 7), height: data.readUInt16BE(i + 5) };
      else i += 2 + data.readUInt16BE(i + 2);
    }
    return undefined;
  }
  const head = data.subarray(0, 4096).toString('utf8');
  const tag = /<svg\b[^>]*>/i.exec(head)?.[0] ?? '';
  const attr = (name: string) =>
    new RegExp(`\\s${name}\\s*=\\s*["']\\s*([\\d.]+)\\s*(px)?\\s*["']`, 'i').exec(tag)?.[1];
  const width = Number(attr('width'));
  const height = Number(attr('height'));
  if (width > 0 && height > 0) return { width, height };
  const box = /\sviewBox\s*=\s*["']\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(tag);
  const vw = Number(box?.[1]);
  const vh = Number(box?.[2]);
  return vw > 0 && vh > 0 ? { width: vw, height: vh } : undefined;
}

/** What a link in an SVG logo may point at: a part of the logo, or a PNG, JPEG or GIF embedded in it. */
const INSIDE_LINK = /^(#|data:image\/(png|jpe?g|gif)[;,])/i;

/**
 * Every link (`href`, `xlink:href`…) in an SVG that points outside it: at a file, an address, or another
 * SVG. Deliberately blunt — every `href="` wherever it stands, each value read up to its closing quote
 * without skipping what follows — so no XML trick (quotes in text, other prefixes) hides one.
 */
export function svgOutsideLinks(svg: string): { index: number; value: string }[] {
  return [...svg.matchAll(/href\s*=\s*(["'])/gi)].flatMap((m) => {
    const start = m.index + m[0].length;
    const end = svg.indexOf(m[1] as string, start);
    const value = svg.slice(start, end === -1 ? undefined : end);
    return INSIDE_LINK.test(value) ? [] : [{ index: m.index, value }];
  });
}

const count = (n: number) => n.toLocaleString('en-GB');
const tooLarge = (size: { width: number; height: number }, what: string) =>
  size.width * size.height > LOGO_LIMITS.pixels
    ? `${what} ${count(size.width)} × ${count(size.height)} pixels; at most ${LOGO_LIMITS.pixels / 1e6} megapixels are drawn`
    : undefined;

/** Why an SVG logo is not drawn (links aside): entities, embedded images, filters or its shape. */
function svgProblem(svg: string): string | undefined {
  // Entities holding markup, or read from elsewhere, could add what these checks never see.
  if (/<!ATTLIST\b|<!ENTITY\s+(%|\S+\s+(SYSTEM|PUBLIC)\b|\S+\s+("[^"]*[<&%]|'[^']*[<&%]))/i.test(svg))
    return 'it declares XML entities that hold markup or come from another file';
  for (const m of svg.matchAll(/href\s*=\s*(["'])\s*data:image\/(png|jpe?g|gif)([^,"']*),(.*?)\1/gis)) {
    const text = (m[4] as string).replace(/&#(x?)([\da-f]+);/gi, (_, x: string, n: string) =>
      String.fromCodePoint(Math.min(parseInt(n, x ? 16 : 10), 0x10ffff)),
    );
    if (text.includes('&')) return 'it embeds an image written with XML entities';
    // As a data: URL is read: %-escapes first (each one byte), then base64.
    const parts = text.split(/(%[\da-f]{2})/i);
    const raw = Buffer.concat(
      parts.map((p, i) => (i % 2 ? Buffer.from([parseInt(p.slice(1), 16)]) : Buffer.from(p, 'utf8'))),
    );
    const bytes = /;base64$/i.test(m[3] as string) ? Buffer.from(raw.toString('latin1'), 'base64') : raw;
    const type = (m[2] as string).toLowerCase();
    const embedded = logoSize(bytes, type === 'gif' || type === 'png' ? type : 'jpeg');
    const found = embedded && tooLarge(embedded, 'it embeds an image of');
    if (found) return found;
  }
  const steps = svg.match(/<fe[A-Z]/g)?.length ?? 0;
  if (steps > LOGO_LIMITS.filterSteps)
    return `it has ${count(steps)} filter steps; at most ${LOGO_LIMITS.filterSteps} are drawn`;
  const size = logoSize(Buffer.from(svg), 'svg');
  // The root's viewBox, from the logo's head (as `logoSize` reads it): no scan runs away on a long file.
  const head = svg.slice(0, 4096);
  const box = /<svg\b[^>]*\sviewBox\s*=\s*["']\s*[-\d.e+]+[\s,]+[-\d.e+]+[\s,]+([\d.e+]+)/i.exec(head);
  const userWidth = Number(box?.[1]) || size?.width || 100;
  // A filter's sizes are in the logo's units, drawn 480 pixels wide (or in its shapes' boxes).
  const scale = /primitiveUnits\s*=\s*["']\s*objectBoundingBox/.test(svg)
    ? LOGO_LIMITS.drawWidth
    : LOGO_LIMITS.drawWidth / userWidth;
  const costly = { feMorphology: 'radius', feConvolveMatrix: 'order', feTurbulence: 'numOctaves' } as const;
  // A tag ends before the next `<` (XML allows none in an attribute's value): every scan is linear.
  for (const m of svg.matchAll(/<(feMorphology|feConvolveMatrix|feTurbulence)\b([^<]*)/g)) {
    const name = m[1] as keyof typeof costly;
    const raw = new RegExp(`\\s${costly[name]}\\s*=\\s*["']([^"']*)`).exec(m[2] as string)?.[1];
    if (raw === undefined) continue;
    const numbers = raw
      .trim()
      .split(/[\s,]+/)
      .map((v) => (Number.isNaN(Number(v)) ? 0 : Math.abs(Number(v))));
    const largest = numbers.reduce((a, b) => Math.max(a, b), 0);
    const cost =
      name === 'feMorphology'
        ? largest * scale > LOGO_LIMITS.morphologyRadius
        : name === 'feConvolveMatrix'
          ? (numbers[0] ?? 0) * (numbers[1] ?? numbers[0] ?? 0) > LOGO_LIMITS.convolveCells
          : largest > LOGO_LIMITS.turbulenceOctaves;
    if (cost || raw.includes('&'))
      return `its ${name} filter (${costly[name]}="${raw.slice(0, 40)}") would take too long to draw`;
  }
  if (size && size.height / size.width > LOGO_LIMITS.aspect)
    return `it is ${count(Math.round(size.height / size.width))} times as tall as it is wide; a logo may be at most ${LOGO_LIMITS.aspect} times as tall`;
  return undefined;
}

/** Why a logo cannot be drawn safely (too many pixels, links outside it, costly filters), with a hint. */
export function logoProblem(data: Buffer, kind: LogoKind): { reason: string; hint: string } | undefined {
  if (kind !== 'svg') {
    const size = logoSize(data, kind);
    const reason = size && tooLarge(size, 'it is');
    return reason
      ? { reason, hint: 'Export a smaller version: a logo 600 pixels wide is plenty for a document header.' }
      : undefined;
  }
  const svg = data.toString('utf8');
  const link = svgOutsideLinks(svg)[0];
  if (link)
    return {
      reason: `it links to \`${link.value.length > 60 ? `${link.value.slice(0, 60)}…` : link.value}\`, and keypolicy never reads what a logo links to`,
      hint: 'Embed the image in the SVG (an “embed images” option when exporting) and remove links, or export the logo as PNG.',
    };
  const reason = svgProblem(svg);
  return reason
    ? {
        reason,
        hint: 'Export the logo again at its real size and without heavy effects, or as a PNG about 600 pixels wide.',
      }
    : undefined;
}
