/**
 * What every page of a Word policy repeats: a header with the logo, the organisation and the draft mark,
 * and a footer with title, version, "Page X of Y", the uncontrolled-copy line and the copyright.
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
import type { PolicyDocument } from '../../document/model.js';
import { LABELS } from '../../document/labels.js';
import { logoRun } from './images.js';
import { CONTENT_WIDTH, DRAFT_RED, GREY, RULE } from './styles.js';
import { xmlSafe } from './xml-safe.js';

/** The header's logo: at most this size, in pixels. */
const HEADER_LOGO = { width: 180, height: 48 };

/** Text at the left margin, and text after a tab at the right margin. */
const rightTab = [{ type: TabStopType.RIGHT, position: CONTENT_WIDTH }];

export function header(doc: PolicyDocument, brand: string, logoRaster: Buffer | undefined): Header {
  const children: ParagraphChild[] = [];
  if (doc.logo)
    children.push(logoRun(doc.logo, HEADER_LOGO, LABELS.logoAlt(doc.organisation.name), logoRaster));
  children.push(
    new TextRun({ text: `\t${xmlSafe(doc.organisation.name)}`, bold: true, color: brand, size: 20 }),
  );
  if (doc.draft)
    children.push(new TextRun({ text: `  ${LABELS.draft}`, bold: true, color: DRAFT_RED, size: 20 }));
  return new Header({
    children: [
      new Paragraph({
        tabStops: rightTab,
        border: { bottom: { style: BorderStyle.SINGLE, size: 8, color: brand, space: 4 } },
        spacing: { after: 0 },
        children,
      }),
    ],
  });
}

export function footer(doc: PolicyDocument): Footer {
  const small = { size: 16, color: GREY };
  const line = (text: string) =>
    new Paragraph({ spacing: { after: 0 }, children: [new TextRun({ text, ...small })] });
  const { before, between } = LABELS.page;
  const lines: Paragraph[] = [
    new Paragraph({
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
