/**
 * The look of a Word policy: its fonts, colours and A4 page, and the paragraph styles (headings, title,
 * quotations, code, table captions) the other parts refer to by name.
 */
import { BorderStyle, LineRuleType, ShadingType, type IStylesOptions } from 'docx';
import { brandColour, COLOURS } from '../../document/labels.js';

export const FONT = 'Arial';
export const MONO = 'Courier New';
export const PAGE = { width: 11906, height: 16838 }; // A4 in twentieths of a point
export const MARGIN = { top: 1701, bottom: 1418, left: 1134, right: 1134, header: 567, footer: 567 };
export const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;

/** A CSS hex colour (`#rgb` or `#rrggbb`) as Word writes it: `RRGGBB`. */
export const wordColour = (css: string): string => {
  const hex = css.slice(1);
  return (hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex).toUpperCase();
};

export const RULE = wordColour(COLOURS.rule);
export const HEAD_FILL = wordColour(COLOURS.headFill);
export const DRAFT_RED = wordColour(COLOURS.draft);
export const GREY = wordColour(COLOURS.muted);
export const INK = wordColour(COLOURS.ink);
/** The background of code, inline and in blocks. */
export const CODE_SHADING = { type: ShadingType.CLEAR, fill: 'F1F3F5', color: 'auto' };

/** The document's brand colour, as Word writes it. */
export const brandOf = (colour: string): string => wordColour(brandColour(colour));

/** Paragraph styles of the body: block quotations, code blocks and table captions. */
export const QUOTE_STYLE = 'KpQuote';
export const CODE_STYLE = 'KpCode';
export const CAPTION_STYLE = 'KpCaption';
/** Word's built-in styles of the running header and footer, and of the contents page. */
export const HEADER_STYLE = 'Header';
export const FOOTER_STYLE = 'Footer';
export const CONTENTS_HEADING_STYLE = 'TOCHeading';
export const contentsStyle = (level: 1 | 2): string => `TOC${level}`;

/** Text size of the running header and footer, in half-points: never below 8 pt (16). */
export const HEADER_SIZE = 20;
export const FOOTER_SIZE = 18;

/** How far a subsection's contents entry is indented, in twentieths of a point (about 0.6 cm). */
export const CONTENTS_INDENT = 340;

/** The styles of a policy in its brand colour and language. */
export function documentStyles(brand: string, lang: string): IStylesOptions {
  const heading = (size: number, before: number) => ({
    run: { font: FONT, size, bold: true, color: brand },
    paragraph: { spacing: { before, after: 120 }, keepNext: true, keepLines: true },
  });
  return {
    default: {
      document: {
        run: { font: FONT, size: 21, language: { value: lang, eastAsia: lang, bidirectional: lang } },
        paragraph: { spacing: { after: 120, line: 276, lineRule: LineRuleType.AUTO } },
      },
      title: {
        run: { font: FONT, size: 44, bold: true, color: brand },
        paragraph: { spacing: { before: 120, after: 200 } },
      },
      heading1: heading(28, 360),
      heading2: heading(24, 240),
      heading3: heading(22, 200),
      heading4: heading(21, 160),
      hyperlink: { run: { color: brand, underline: {} } },
      listParagraph: { paragraph: { spacing: { after: 60 } } },
    },
    paragraphStyles: [
      {
        id: QUOTE_STYLE,
        name: 'Block Quote',
        basedOn: 'Normal',
        quickFormat: true,
        run: { italics: true, color: INK },
        paragraph: {
          indent: { left: 567, right: 567 },
          border: { left: { style: BorderStyle.SINGLE, size: 18, color: brand, space: 8 } },
        },
      },
      {
        id: CODE_STYLE,
        name: 'Code Block',
        basedOn: 'Normal',
        run: { font: MONO, size: 18 },
        paragraph: {
          spacing: { line: 240, lineRule: LineRuleType.AUTO, after: 120 },
          shading: CODE_SHADING,
        },
      },
      {
        // Word's "header" and "footer", sized here so nothing in them (field results included) falls
        // back to a smaller size in a reader that does not take the run's own.
        id: HEADER_STYLE,
        name: 'header',
        basedOn: 'Normal',
        run: { size: HEADER_SIZE },
        paragraph: { spacing: { after: 0, line: 240, lineRule: LineRuleType.AUTO } },
      },
      {
        id: FOOTER_STYLE,
        name: 'footer',
        basedOn: 'Normal',
        run: { size: FOOTER_SIZE, color: GREY },
        paragraph: { spacing: { after: 0, line: 240, lineRule: LineRuleType.AUTO } },
      },
      {
        // Not a heading style, so the contents never lists its own heading.
        id: CONTENTS_HEADING_STYLE,
        name: 'TOC Heading',
        basedOn: 'Normal',
        next: 'Normal',
        run: { font: FONT, size: 28, bold: true, color: brand },
        paragraph: { spacing: { before: 0, after: 240 }, keepNext: true },
      },
      {
        id: contentsStyle(1),
        name: 'toc 1',
        basedOn: 'Normal',
        next: 'Normal',
        run: { bold: true },
        paragraph: { spacing: { before: 120, after: 40 } },
      },
      {
        id: contentsStyle(2),
        name: 'toc 2',
        basedOn: 'Normal',
        next: 'Normal',
        paragraph: { indent: { left: CONTENTS_INDENT }, spacing: { before: 0, after: 40 } },
      },
      {
        id: CAPTION_STYLE,
        name: 'Table Caption',
        basedOn: 'Normal',
        next: 'Normal',
        run: { bold: true, color: brand, size: 22 },
        paragraph: { spacing: { before: 120, after: 80 }, keepNext: true },
      },
    ],
  };
}
