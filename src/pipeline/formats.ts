/** The formats `build` writes. */
export const FORMATS = ['pdf', 'docx', 'html', 'md'] as const;
export type Format = (typeof FORMATS)[number];
