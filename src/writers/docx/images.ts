/**
 * The logo as a Word image run, for the header (the body never draws it: the header shows it on every
 * page). An SVG logo carries a PNG drawing of itself for readers without SVG support.
 */
import { ImageRun } from 'docx';
import type { Logo } from '../../document/model.js';
import { imageSize, type Size } from '../../document/image-size.js';
import { xmlSafe } from './xml-safe.js';

/** A 1×1 transparent PNG: the fallback of an SVG logo that could not be drawn. */
const BLANK_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * The logo as an image run, scaled to fit `box` (pixels) keeping its proportions. An SVG logo carries
 * `raster`, its PNG drawing, for readers without SVG support (a blank image if it could not be drawn).
 */
export function logoRun(logo: Logo, box: Size, alt: string, raster: Buffer | undefined): ImageRun {
  const natural = imageSize(logo) ?? { width: box.height, height: box.height };
  const scale = Math.min(box.width / natural.width, box.height / natural.height, 1);
  const transformation = {
    width: Math.max(1, Math.round(natural.width * scale)),
    height: Math.max(1, Math.round(natural.height * scale)),
  };
  const altText = { name: 'Logo', description: xmlSafe(alt), title: xmlSafe(alt) };
  if (logo.mime === 'image/svg+xml') {
    return new ImageRun({
      type: 'svg',
      data: logo.data,
      fallback: { type: 'png', data: raster ?? BLANK_PNG },
      transformation,
      altText,
    });
  }
  return new ImageRun({
    type: logo.mime === 'image/png' ? 'png' : 'jpg',
    data: logo.data,
    transformation,
    altText,
  });
}
