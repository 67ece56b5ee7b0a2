/**
 * Fitting a line of text to a width before Chromium lays it out. The PDF's running header and footer are
 * CSS page-margin boxes, where Chromium ignores `overflow` and `text-overflow`: a long organisation name
 * would run over the DRAFT mark and off the page, so it is cut here, with an ellipsis, instead.
 */

/**
 * Advance widths of printable ASCII (space to `~`) in thousandths of an em, for Liberation Sans (metrics
 * identical to Arial and Helvetica, the fonts the page style names). Any other character counts a whole
 * em, wider than any letter it could be, so an estimate is never short.
 */
const ASCII_WIDTHS = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556,
  556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278,
  500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469,
  556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500,
  278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

const MM_PER_PT = 25.4 / 72;
const ELLIPSIS = '…';

const advance = (char: string) => {
  const code = char.codePointAt(0) ?? 0;
  return code >= 32 && code <= 126 ? (ASCII_WIDTHS[code - 32] ?? 1000) : 1000;
};

/** `text` as it is when it fits `widthMm` at `fontPt`; otherwise cut at a character, ending in "…". */
export function fitLine(text: string, widthMm: number, fontPt: number): string {
  const limit = (widthMm / (fontPt * MM_PER_PT)) * 1000;
  const chars = [...text];
  let used = 0;
  // The longest start that leaves room for the ellipsis (counted as a whole em).
  let cut = 0;
  for (let i = 0; i < chars.length; i++) {
    used += advance(chars[i]!);
    if (used + 1000 <= limit) cut = i + 1;
    if (used > limit) return chars.slice(0, cut).join('').trimEnd() + ELLIPSIS;
  }
  return text;
}
