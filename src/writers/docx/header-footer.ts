/**
 * What every page of a Word policy repeats: a header with the logo, the organisation and the draft mark
 * (and, on a draft, a pale diagonal DRAFT watermark behind the page), and a footer with title, version,
 * "Page X of Y", the uncontrolled-copy line and the copyright.
 */
import {
  BorderStyle,
  Footer,
  Header,
  PageNumber,
  Paragraph,
  TabStopType,
  TextRun,
  type ParagraphChild,
} from 'docx';
import { TextWatermark } from 'docx/watermarks';
import type { PolicyDocument } from '../../document/model.js';
import { LABELS } from '../../document/labels.js';
import { logoRun } from './images.js';
import {
  CONTENT_WIDTH,
  DRAFT_RED,
  FONT,
  FOOTER_SIZE,
  FOOTER_STYLE,
  GREY,
  HEADER_SIZE,
  HEADER_STYLE,
  RULE,
} from './styles.js';
import { xmlSafe } from './xml-safe.js';

/** The header's logo: at most this size, in pixels. */
const HEADER_LOGO = { width: 180, height: 48 };

/** Text at the left margin, and text after a tab at the right margin. */
const rightTab = [{ type: TabStopType.RIGHT, position: CONTENT_WIDTH }];

/**
 * A draft's watermark: Word's own text watermark (a VML WordArt shape in the header, named
 * PowerPlusWaterMarkObject, which Word's Design › Watermark recognises and LibreOffice imports), the
 * draft red made pale by its transparency, diagonal across the page on every page.
 */
export const draftWatermark = (): TextWatermark =>
  new TextWatermark({ text: LABELS.draft, font: FONT, bold: true, color: DRAFT_RED, opacity: 0.15 });

export function header(doc: PolicyDocument, brand: string, logoRaster: Buffer | undefined): Header {
  const children: ParagraphChild[] = [];
  if (doc.draft) children.push(draftWatermark());
  if (doc.logo)
    children.push(logoRun(doc.logo, HEADER_LOGO, LABELS.logoAlt(doc.organisation.name), logoRaster));
  children.push(
    new TextRun({ text: `\t${xmlSafe(doc.organisation.name)}`, bold: true, color: brand, size: HEADER_SIZE }),
  );
  if (doc.draft)
    children.push(
      new TextRun({ text: `  ${LABELS.draft}`, bold: true, color: DRAFT_RED, size: HEADER_SIZE }),
    );
  return new Header({
    children: [
      new Paragraph({
        style: HEADER_STYLE,
        tabStops: rightTab,
        border: { bottom: { style: BorderStyle.SINGLE, size: 8, color: brand, space: 4 } },
        spacing: { after: 0 },
        children,
      }),
    ],
  });
}

export function footer(doc: PolicyDocument): Footer {
  const small = { size: FOOTER_SIZE, color: GREY };
  const line = (text: string) =>
    new Paragraph({
      style: FOOTER_STYLE,
      spacing: { after: 0 },
      children: [new TextRun({ text, ...small })],
    });
  const { before, between } = LABELS.page;
  const lines: Paragraph[] = [
    new Paragraph({
      style: FOOTER_STYLE,
      tabStops: rightTab,
      border: { top: { style: BorderStyle.SINGLE, size: 4, color: RULE, space: 4 } },
      spacing: { after: 0 },
      children: [
        new TextRun({ text: `${xmlSafe(doc.footer.title)} · ${xmlSafe(doc.footer.version)}`, ...small }),
        new TextRun({
          children: [`\t${before}`, PageNumber.CURRENT, between, PageNumber.TOTAL_PAGES],
          ...small,
        }),
      ],
    }),
  ];
  if (doc.footer.uncontrolled) lines.push(line(LABELS.uncontrolled));
  lines.push(line(xmlSafe(doc.footer.copyright)));
  return new Footer({ children: lines });
}
