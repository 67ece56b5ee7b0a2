/**
 * An SVG logo drawn as a PNG, for the readers that show a DOCX's PNG fallback rather than its SVG
 * (LibreOffice, Word before 2016). resvg draws it in this process: no browser, no network, and no file
 * the SVG names is read (resvg loads external images only from a resources folder, and none is given).
 */
import { createHash } from 'node:crypto';

/** Wide enough to stay sharp at the header's size when printed. */
const WIDTH_PX = 480;

/** Each distinct logo is drawn once per process: a consultant's clients often share their base's. */
const drawn = new Map<string, Promise<Buffer | undefined>>();

/**
 * The SVG as a PNG, or undefined when resvg cannot load or cannot draw it (the DOCX keeps its SVG for
 * newer readers).
 */
export function svgAsPng(svg: Buffer): Promise<Buffer | undefined> {
  const key = createHash('sha256').update(svg).digest('hex');
  let png = drawn.get(key);
  if (!png) {
    png = (async () => {
      try {
        // Inside the try: where resvg has no binary for the platform, the DOCX is still written.
        const { Resvg } = await import('@resvg/resvg-js');
        const options = {
          fitTo: { mode: 'width' as const, value: WIDTH_PX },
          // The fonts keypolicy relies on elsewhere (fonts-liberation2), for any text in the logo.
          font: {
            loadSystemFonts: true,
            defaultFontFamily: 'Liberation Sans',
            sansSerifFamily: 'Liberation Sans',
            serifFamily: 'Liberation Serif',
            monospaceFamily: 'Liberation Mono',
          },
        };
        return Buffer.from(new Resvg(svg, options).render().asPng());
      } catch {
        return undefined;
      }
    })();
    drawn.set(key, png);
  }
  return png;
}
