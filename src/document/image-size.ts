/** The pixel size of a logo, read from its own header: DOCX and PDF both scale it to fit a box. */
import { logoSize } from '../profile/logo-check.js';
import type { Logo } from './model.js';

export interface Size {
  width: number;
  height: number;
}

const KIND = { 'image/png': 'png', 'image/jpeg': 'jpeg', 'image/svg+xml': 'svg' } as const;

/** Pixel size of a PNG, JPEG or SVG, when it can be read (the same reader validation limits). */
export function imageSize(logo: Logo): Size | undefined {
  return logoSize(logo.data, KIND[logo.mime]);
}
