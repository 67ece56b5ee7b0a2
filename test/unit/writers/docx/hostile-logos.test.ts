/**
 * Logos are untrusted input: an SVG's PNG fallback is drawn with nothing read from outside it, within a
 * pixel limit and a time limit, in a child process a panic cannot take this one down with; PNG and JPEG
 * bombs are refused by their declared size.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import fc from 'fast-check';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { KeypolicyError } from '../../../../src/diagnostics/errors.js';
import { imageSize } from '../../../../src/document/image-size.js';
import type { PolicyDocument } from '../../../../src/document/model.js';
import { logoProblem, svgOutsideLinks } from '../../../../src/profile/logo-check.js';
import { renderDocx } from '../../../../src/writers/docx/docx.js';
import {
  drawInChild,
  logoTimeoutSeconds,
  svgAsPng,
  withoutOutsideLinks,
} from '../../../../src/writers/docx/svg-raster.js';
import { tempDir } from '../../../helpers.js';
import { draftVersion, model } from './fixtures.js';

const { Resvg } = createRequire(import.meta.url)('@resvg/resvg-js') as typeof import('@resvg/resvg-js');

/** What keypolicy drew in-process before: the reference for byte-identical fallbacks. */
const OPTIONS = {
  fitTo: { mode: 'width' as const, value: 480 },
  font: {
    loadSystemFonts: true,
    defaultFontFamily: 'Liberation Sans',
    sansSerifFamily: 'Liberation Sans',
    serifFamily: 'Liberation Serif',
    monospaceFamily: 'Liberation Mono',
  },
};
const inProcess = (svg: string) => Buffer.from(new Resvg(svg, OPTIONS).render().asPng());

const SVG = (inner: string, attrs = 'viewBox="0 0 100 50"') =>
  `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ${attrs}>${inner}</svg>`;

/** The "secret" a hostile logo would pull in: a red PNG, with a marker after its end that decoders skip. */
const MARKER = 'TOP-SECRET-MARKER';
const SECRET = Buffer.concat([
  inProcess(SVG('<rect width="100" height="50" fill="#ff0000"/>')),
  Buffer.from(MARKER),
]);

async function undrawable(svg: string, timeoutSeconds = 5): Promise<KeypolicyError> {
  const error = await svgAsPng(Buffer.from(svg), { timeoutSeconds }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KeypolicyError);
  expect((error as KeypolicyError).code).toBe('KP_LOGO_UNDRAWABLE');
  expect((error as KeypolicyError).exitCode).toBe(1);
  return error as KeypolicyError;
}

/** Child processes running the raster program now. */
const rasterChildren = () =>
  readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes("resvg's work blocks this thread");
      } catch {
        return false;
      }
    });

describe('an SVG logo drawn as a PNG', () => {
  let base: PolicyDocument;
  beforeAll(async () => {
    base = await model('england-supported-living', draftVersion(['Registered Manager']));
  });

  it('gives the same bytes as drawing it in this process did, for an ordinary logo', async () => {
    const logos = [
      SVG(
        '<rect width="100" height="50" fill="#7a2e3a"/><text x="5" y="35" font-size="24" fill="#fff">Celyn</text>',
      ),
      SVG(
        '<defs><linearGradient id="g"><stop offset="0" stop-color="#036"/><stop offset="1" stop-color="#9cf"/></linearGradient><filter id="s"><feGaussianBlur stdDeviation="1"/></filter></defs><circle id="c" cx="25" cy="25" r="20" fill="url(#g)" filter="url(#s)"/><use xlink:href="#c" x="50"/>',
      ),
      SVG(
        `<image width="10" height="10" href="data:image/png;base64,${SECRET.toString('base64')}"/>`,
        'width="200" height="100" viewBox="0 0 100 50"',
      ),
    ];
    for (const svg of logos) expect((await svgAsPng(Buffer.from(svg)))!.equals(inProcess(svg))).toBe(true);
  });

  it('keeps a blank fallback for what resvg cannot read, as before', async () => {
    for (const svg of ['<svg xmlns="http://www.w3.org/2000/svg"><rect', 'not xml', '\u00ff\u0000'])
      expect(await svgAsPng(Buffer.from(svg))).toBeUndefined();
    expect(await svgAsPng(Buffer.from([0x1f, 0x8b, 8, 0]))).toBeUndefined();
  });

  it('never reads a file the logo links to: paths, prefixes, character references, filters', async () => {
    const dir = tempDir({ 'secret.png': SECRET });
    const secret = path.join(dir, 'secret.png');
    const clean = SVG('<rect width="100" height="50" fill="#036"/>');
    const plain = inProcess(clean);
    const hostile = [
      `<image width="100" height="50" href="${secret}"/>`,
      `<image width="100" height="50" xlink:href="${path.relative(process.cwd(), secret)}"/>`,
      `<image width="100" height="50" q:href="${secret}" xmlns:q="http://www.w3.org/1999/xlink"/>`,
      `<image width="100" height="50" HREF="${secret}" href="&#47;${secret.slice(1)}"/>`,
      `<filter id="f"><feImage href="${secret}" width="100" height="50"/></filter><rect width="100" height="50" filter="url(#f)"/>`,
      `<text> href="#</text><image width="100" height="50" href="${secret}"/><text>"</text>`,
    ];
    for (const [i, inner] of hostile.entries()) {
      const svg = clean.replace('</svg>', `${inner}</svg>`);
      expect(svgOutsideLinks(svg).length).toBeGreaterThan(0);
      const png = await svgAsPng(Buffer.from(svg));
      expect(png!.equals(inProcess(withoutOutsideLinks(svg)))).toBe(true);
      // The attack is real (resvg, left to itself, draws the secret in) and comes to nothing here.
      if (i < 5) expect(inProcess(svg).equals(png!)).toBe(false);
      if (i < 4) expect(png!.equals(plain)).toBe(true);
    }
  });

  it('refuses entities that hold markup or come from another file', async () => {
    const markup = `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY e "<image width='9' height='9' href='/etc/hostname'/>">]>`;
    const error = await undrawable(`${markup}${SVG('&e;')}`);
    expect(error.message).toBe(
      'organisation.logo: the SVG logo cannot be drawn: it declares XML entities that hold markup or come from another file.',
    );
    await undrawable(`<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/hostname">]>${SVG('<text>&x;</text>')}`);
    await undrawable(`<!DOCTYPE svg [<!ENTITY e "&#60;image href='/x'/>">]>${SVG('&e;')}`);
    // Illustrator's namespace entities are plain text, and fine.
    const illustrator = `<!DOCTYPE svg [<!ENTITY ns_svg "http://www.w3.org/2000/svg">]><svg xmlns="&ns_svg;" width="10" height="10"><rect width="10" height="10"/></svg>`;
    expect(await svgAsPng(Buffer.from(illustrator))).toBeDefined();
  });

  it('refuses a logo drawn taller than the pixel limit, whether its size is plain or in other units', async () => {
    const huge = await undrawable(SVG('<rect width="1" height="1"/>', 'width="1" height="1000000"'));
    expect(huge.message).toContain(
      'it is 1,000,000 times as tall as it is wide; a logo may be at most 20 times as tall',
    );
    const inches = await undrawable(SVG('<rect width="1" height="1"/>', 'width="1in" height="1000in"'));
    expect(inches.message).toContain('it would be drawn 480 × 480,000 pixels; at most 4,608,000 pixels');
  });

  it('refuses costly filters before drawing, and stops a drawing that takes too long', async () => {
    const morph = await undrawable(
      SVG(
        '<filter id="f"><feMorphology radius="100000"/></filter><rect width="9" height="9" filter="url(#f)"/>',
      ),
    );
    expect(morph.message).toContain('its feMorphology filter (radius="100000") would take too long to draw');
    await undrawable(SVG('<filter id="f"><feTurbulence numOctaves="100000"/></filter>'));
    await undrawable(SVG('<filter id="f"><feConvolveMatrix order="50"/></filter>'));
    await undrawable(SVG(`<filter id="f">${'<feFlood/>'.repeat(101)}</filter>`));

    // Within every limit, but slow: 40 shapes each through a morphology filter at the limit.
    const slow = SVG(
      `<filter id="f"><feMorphology operator="dilate" radius="3"/></filter>${'<rect width="100" height="50" filter="url(#f)"/>'.repeat(40)}`,
    );
    expect(logoProblem(Buffer.from(slow), 'svg')).toBeUndefined();
    const started = Date.now();
    const stopped = await undrawable(slow, 0.5);
    expect(stopped.message).toContain('it took longer than 0.5 seconds to draw');
    expect(Date.now() - started).toBeLessThan(3000);
    // The child was killed, not left drawing.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(rasterChildren()).toEqual([]);
  });

  it('survives the renderer aborting (a panic in resvg), as an error for that logo only', async () => {
    // A stand-in for resvg that aborts as a Rust panic does, taking its whole process with it.
    const dir = tempDir({ 'abort.cjs': 'process.abort();\n' });
    await expect(drawInChild(Buffer.from(SVG('')), path.join(dir, 'abort.cjs'), 5000)).rejects.toMatchObject({
      code: 'KP_LOGO_UNDRAWABLE',
      message: 'organisation.logo: the SVG logo cannot be drawn: the SVG renderer stopped (SIGABRT).',
    });
  });

  it('makes the DOCX render fail with the logo error, not a crash', async () => {
    const doc: PolicyDocument = {
      ...base,
      logo: { data: Buffer.from(SVG('', 'width="1" height="100000"')), mime: 'image/svg+xml' },
    };
    await expect(renderDocx(doc)).rejects.toMatchObject({ code: 'KP_LOGO_UNDRAWABLE' });
  });

  it("keeps a linked file's bytes out of the DOCX", async () => {
    const dir = tempDir({ 'secret.png': SECRET });
    const svg = SVG(`<image width="100" height="50" href="${path.join(dir, 'secret.png')}"/>`);
    const doc: PolicyDocument = { ...base, logo: { data: Buffer.from(svg), mime: 'image/svg+xml' } };
    const zip = await JSZip.loadAsync(await renderDocx(doc));
    for (const name of Object.keys(zip.files)) {
      const bytes = await zip.file(name)!.async('nodebuffer');
      expect(bytes.includes(MARKER)).toBe(false);
      expect(bytes.includes(SECRET.subarray(16, 64))).toBe(false);
      if (name.endsWith('.png')) expect(bytes.equals(inProcess(withoutOutsideLinks(svg)))).toBe(true);
    }
  });
});

describe('KEYPOLICY_LOGO_TIMEOUT', () => {
  it('defaults to 20 seconds and takes seconds above 0, at most 600', () => {
    expect(logoTimeoutSeconds({})).toBe(20);
    expect(logoTimeoutSeconds({ KEYPOLICY_LOGO_TIMEOUT: '2' })).toBe(2);
    expect(logoTimeoutSeconds({ KEYPOLICY_LOGO_TIMEOUT: '0.5' })).toBe(0.5);
    for (const bad of ['0', '-1', 'soon', '601', 'Infinity', '1e1', ' ']) {
      expect(() => logoTimeoutSeconds({ KEYPOLICY_LOGO_TIMEOUT: bad })).toThrow(
        `KEYPOLICY_LOGO_TIMEOUT takes a number of seconds above 0 and at most 600; it is \`${bad}\`.`,
      );
      try {
        logoTimeoutSeconds({ KEYPOLICY_LOGO_TIMEOUT: bad });
      } catch (error) {
        expect((error as KeypolicyError).exitCode).toBe(2);
      }
    }
  });
});

describe('PNG and JPEG bombs', () => {
  const png = (width: number, height: number) => {
    const data = Buffer.alloc(33);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]).copy(data);
    data.write('IHDR', 12, 'latin1');
    data.writeUInt32BE(width, 16);
    data.writeUInt32BE(height, 20);
    return data;
  };
  const jpeg = (width: number, height: number) =>
    Buffer.from([
      0xff,
      0xd8,
      0xff,
      0xc0,
      0,
      17,
      8,
      height >> 8,
      height & 255,
      width >> 8,
      width & 255,
      3,
      0,
      0,
      0,
      0,
    ]);

  it('refuses a PNG or JPEG declaring more than 50 megapixels, and takes one at the limit', () => {
    expect(logoProblem(png(100000, 100000), 'png')?.reason).toBe(
      'it is 100,000 × 100,000 pixels; at most 50 megapixels are drawn',
    );
    expect(logoProblem(jpeg(65535, 65535), 'jpeg')?.reason).toBe(
      'it is 65,535 × 65,535 pixels; at most 50 megapixels are drawn',
    );
    expect(logoProblem(png(10000, 5000), 'png')).toBeUndefined();
    expect(logoProblem(jpeg(240, 80), 'jpeg')).toBeUndefined();
  });

  it('refuses an SVG embedding such an image, however its data: URL is written', () => {
    const bomb = png(100000, 100000);
    for (const href of [
      `data:image/png;base64,${bomb.toString('base64')}`,
      `data:image/png;base64,${bomb.toString('base64').replace(/(.{4})/g, '$1&#xA;')}`,
      `data:image/png,${[...bomb].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')}`,
      `data:image/png;base64,${[...bomb.toString('base64')].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('')}`,
    ])
      expect(
        logoProblem(Buffer.from(SVG(`<image width="9" height="9" href="${href}"/>`)), 'svg')?.reason,
      ).toBe('it embeds an image of 100,000 × 100,000 pixels; at most 50 megapixels are drawn');
  });
});

describe('random logos', () => {
  const fragments = fc.constantFrom(
    '<svg xmlns="http://www.w3.org/2000/svg"',
    ' width="',
    ' height="',
    ' viewBox="0 0 ',
    '"',
    "'",
    '>',
    '</svg>',
    '<rect width="10" height="10"/>',
    '<image href="',
    '/etc/hostname',
    'data:image/png;base64,iVBORw0KGgo',
    '<filter id="f"><feMorphology radius="',
    '<feTurbulence numOctaves="',
    '<feConvolveMatrix order="',
    '"/></filter>',
    ' filter="url(#f)"',
    '<!DOCTYPE svg [<!ENTITY e "',
    '">]>',
    '&e;',
    '&#47;',
    '1e9',
    '0',
    '-3',
    '12.5',
  );
  const svgBytes = fc
    .array(fc.oneof(fragments, fc.string({ maxLength: 8 })), { maxLength: 30 })
    .map((parts) => Buffer.from(parts.join('')));
  const pngBytes = fc
    .uint8Array({ maxLength: 64 })
    .map((tail) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), tail]));

  it('never make the checks or the size reader throw', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          svgBytes,
          pngBytes,
          fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
        ),
        (data) => {
          for (const kind of ['svg', 'png', 'jpeg'] as const) {
            logoProblem(data, kind);
            imageSize({ data, mime: kind === 'svg' ? 'image/svg+xml' : `image/${kind}` });
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('are drawn, left blank or refused as a KeypolicyError, never anything else, within the time limit', async () => {
    await fc.assert(
      fc.asyncProperty(svgBytes, async (data) => {
        const started = Date.now();
        const outcome = await svgAsPng(data, { timeoutSeconds: 2 }).then(
          (png) => png,
          (error: unknown) => error,
        );
        expect(outcome === undefined || Buffer.isBuffer(outcome) || outcome instanceof KeypolicyError).toBe(
          true,
        );
        expect(Date.now() - started).toBeLessThan(4000);
      }),
      { numRuns: 15 },
    );
  });
});

describe('a long hostile SVG', () => {
  it('is checked in linear time: no pattern of the checks runs away on 1 MB of repeated fragments', () => {
    for (const fragment of [
      '<feMorphology "',
      "<feMorphology radius='",
      '<feMorphology radius="1 ',
      '<!ENTITY a "',
      '<!ENTITY ',
      '<svg ',
      '<svg viewBox="0 0 1 ',
      'href="',
      "href='data:image/png,",
      'href="data:image/png;base64,',
      '&#x41;',
      '%41',
    ]) {
      const svg = Buffer.from(
        `<svg xmlns="http://www.w3.org/2000/svg">${fragment.repeat(1e6 / fragment.length)}`,
      );
      const started = performance.now();
      logoProblem(svg, 'svg');
      withoutOutsideLinks(svg.toString());
      expect(performance.now() - started, fragment).toBeLessThan(1500);
    }
  });
});
