/** The read-and-sign sheet as a Word document: the table's header row repeats on every page. */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  HeightRule,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { documentParts, normalizeDocx } from '../docx/package.js';
import { CONTENT_WIDTH, FONT, HEAD_FILL, MARGIN, PAGE, RULE } from '../docx/styles.js';
import { xmlSafe } from '../docx/xml-safe.js';
import { SHEET_HEADINGS, sheetFacts, sheetHeading, statement, type ReadAndSignSheet } from './model.js';

const border = { style: BorderStyle.SINGLE, size: 4, color: RULE };
const borders = { top: border, bottom: border, left: border, right: border };
const text = (value: string, bold = false) =>
  new Paragraph({ children: [new TextRun({ text: xmlSafe(value), bold, font: FONT, size: 20 })] });
const cell = (value: string, width: number, options: { bold?: boolean; fill?: boolean } = {}) =>
  new TableCell({
    children: [text(value, options.bold)],
    width: { size: width, type: WidthType.DXA },
    borders,
    ...(options.fill ? { shading: { fill: HEAD_FILL } } : {}),
  });

const WIDTHS = [Math.round(CONTENT_WIDTH * 0.45), Math.round(CONTENT_WIDTH * 0.33)];
const COLUMNS = [WIDTHS[0] ?? 0, WIDTHS[1] ?? 0, CONTENT_WIDTH - (WIDTHS[0] ?? 0) - (WIDTHS[1] ?? 0)];

export async function renderSheetDocx(sheet: ReadAndSignSheet): Promise<Buffer> {
  const factWidths = [2400, CONTENT_WIDTH - 2400];
  const facts = new Table({
    width: { size: CONTENT_WIDTH, type: WidthType.DXA },
    columnWidths: factWidths,
    rows: [['Organisation', sheet.organisation] as [string, string], ...sheetFacts(sheet)].map(
      ([label, value]) =>
        new TableRow({
          children: [
            cell(label, factWidths[0] ?? 0, { bold: true, fill: true }),
            cell(value, factWidths[1] ?? 0),
          ],
        }),
    ),
  });
  const readers = new Table({
    width: { size: CONTENT_WIDTH, type: WidthType.DXA },
    columnWidths: COLUMNS,
    rows: [
      new TableRow({
        tableHeader: true,
        children: SHEET_HEADINGS.map((h, i) => cell(h, COLUMNS[i] ?? 0, { bold: true, fill: true })),
      }),
      ...sheet.readers.map(
        (name) =>
          new TableRow({
            cantSplit: true,
            height: { value: 500, rule: HeightRule.ATLEAST },
            children: [cell(name, COLUMNS[0] ?? 0), cell('', COLUMNS[1] ?? 0), cell('', COLUMNS[2] ?? 0)],
          }),
      ),
    ],
  });
  const running = `${sheet.organisation} · ${sheet.title} · version ${sheet.version} · read and sign`;
  const document = new Document({
    creator: 'keypolicy',
    title: sheetHeading(sheet),
    description: `Version ${sheet.version}, ${sheet.contentHash}`,
    styles: { default: { document: { run: { font: FONT, size: 20 } } } },
    sections: [
      {
        properties: { page: { size: PAGE, margin: MARGIN } },
        headers: {
          default: new Header({
            children: [new Paragraph({ children: [new TextRun({ text: xmlSafe(running), size: 16 })] })],
          }),
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.RIGHT,
                children: [
                  new TextRun({
                    children: ['Page ', PageNumber.CURRENT, ' of ', PageNumber.TOTAL_PAGES],
                    size: 16,
                  }),
                ],
              }),
            ],
          }),
        },
        children: [
          new Paragraph({
            children: [new TextRun({ text: xmlSafe(sheetHeading(sheet)), bold: true, size: 30 })],
            spacing: { after: 200 },
          }),
          facts,
          new Paragraph({
            children: [new TextRun({ text: xmlSafe(statement(sheet)) })],
            spacing: { before: 240, after: 240 },
          }),
          readers,
        ],
      },
    ],
  });
  return normalizeDocx(await documentParts(document), sheet.effectiveDate);
}
