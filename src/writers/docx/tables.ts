/**
 * The controlled-document tables: the bordered grid every table is drawn as (the body's too), and the
 * document-control table, the version history and the sign-off blocks built on it.
 */
import {
  BorderStyle,
  HeadingLevel,
  HeightRule,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
  type ITableBordersOptions,
} from 'docx';
import type { PolicyDocument } from '../../document/model.js';
import { LABELS } from '../../document/labels.js';
import type { Block } from './blocks.js';
import { CAPTION_STYLE, CONTENT_WIDTH, HEAD_FILL, INK, RULE } from './styles.js';
import { xmlSafe } from './xml-safe.js';

type Border = ITableBordersOptions['top'];

const cellBorder = { style: BorderStyle.SINGLE, size: 4, color: RULE };
const noBorder = { style: BorderStyle.NONE, size: 0, color: 'auto' };

/** The same border on every edge of a table and between all its cells. */
const allBorders = (border: Border): ITableBordersOptions => ({
  top: border,
  bottom: border,
  left: border,
  right: border,
  insideHorizontal: border,
  insideVertical: border,
});

/** A bordered table with a shaded, repeated header row when `header`. */
export function gridTable(rows: Paragraph[][], widths: number[], header: boolean): Table {
  return new Table({
    width: { size: widths.reduce((a, b) => a + b, 0), type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    borders: allBorders(cellBorder),
    rows: rows.map(
      (cells, r) =>
        new TableRow({
          tableHeader: header && r === 0,
          cantSplit: true,
          children: cells.map(
            (paragraph, c) =>
              new TableCell({
                width: { size: widths[c] ?? 0, type: WidthType.DXA },
                margins: { top: 60, bottom: 60, left: 100, right: 100 },
                ...(header && r === 0
                  ? { shading: { type: ShadingType.CLEAR, fill: HEAD_FILL, color: 'auto' } }
                  : {}),
                children: [paragraph],
              }),
          ),
        }),
    ),
  });
}

const cellText = (text: string, bold = false, keepNext = false) =>
  new Paragraph({ spacing: { after: 0 }, keepNext, children: [new TextRun({ text: xmlSafe(text), bold })] });

const caption = (text: string) =>
  new Paragraph({ style: CAPTION_STYLE, keepNext: true, children: [new TextRun(text)] });

/** A captioned table of labelled rows, no header row: the organisation table and the document control. */
function rowTable(title: string, rows: PolicyDocument['control']): Block[] {
  const widths = [Math.round(CONTENT_WIDTH * 0.32), CONTENT_WIDTH - Math.round(CONTENT_WIDTH * 0.32)];
  return [
    caption(title),
    gridTable(
      rows.map((row) => [cellText(row.label, true), cellText(row.value)]),
      widths,
      false,
    ),
  ];
}

/** The organisation table, then the document-control table, under the title. */
export function controlTable(doc: PolicyDocument): Block[] {
  return [
    ...rowTable(LABELS.identity.caption, doc.identity),
    new Paragraph({ text: '', spacing: { after: 0 } }),
    ...rowTable(LABELS.control.caption, doc.control),
  ];
}

/**
 * The history table's Date column: the widest date, "30 September 2026", is 8.78 em of Arial, 1,844
 * twentieths of a point at the body's 10.5 pt; with the cell's margins (200) that is 2,044. Four
 * centimetres leaves a tenth to spare, so a date never wraps.
 */
const DATE_COLUMN = 2268;

/** Every version of the policy: number, date, summary of changes and who approved it. */
export function historyTable(doc: PolicyDocument): Block[] {
  const widths = [Math.round(CONTENT_WIDTH * 0.12), DATE_COLUMN, Math.round(CONTENT_WIDTH * 0.42)];
  widths.push(CONTENT_WIDTH - widths.reduce((a, b) => a + b, 0));
  return [
    new Paragraph({ text: '', spacing: { after: 0 } }),
    caption(LABELS.history.caption),
    gridTable(
      [
        LABELS.history.columns.map((h) => cellText(h, true)),
        ...doc.history.map((h) => [
          cellText(h.version),
          cellText(h.date),
          cellText(h.summary),
          cellText(h.approvedBy ?? ''),
        ]),
      ],
      widths,
      true,
    ),
  ];
}

/** One signer's block: a label column and a value column, values on lines to write on (but the role). */
function signerTable(fields: [label: string, value: string][], widths: [number, number]): Table {
  const keepNext = (i: number) => i < fields.length - 1;
  const signingLine = { style: BorderStyle.SINGLE, size: 4, color: INK };
  return new Table({
    width: { size: widths[0] + widths[1], type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    borders: allBorders(noBorder),
    rows: fields.map(
      ([label, value], i) =>
        new TableRow({
          cantSplit: true,
          height: { value: 500, rule: HeightRule.ATLEAST },
          children: [
            new TableCell({
              width: { size: widths[0], type: WidthType.DXA },
              verticalAlign: VerticalAlignTable.BOTTOM,
              borders: { top: noBorder, bottom: noBorder, left: noBorder, right: noBorder },
              children: [cellText(label, true, keepNext(i))],
            }),
            new TableCell({
              width: { size: widths[1], type: WidthType.DXA },
              verticalAlign: VerticalAlignTable.BOTTOM,
              borders: {
                top: noBorder,
                left: noBorder,
                right: noBorder,
                // The role is printed, never written in.
                bottom: label === LABELS.signOff.role ? noBorder : signingLine,
              },
              children: [cellText(value, false, keepNext(i))],
            }),
          ],
        }),
    ),
  });
}

/** One paper-style block per signer: filled values, or lines to write on. */
export function signOff(doc: PolicyDocument): Block[] {
  const words = LABELS.signOff;
  const out: Block[] = [
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(words.heading)] }),
  ];
  const widths: [number, number] = [Math.round(CONTENT_WIDTH * 0.22), Math.round(CONTENT_WIDTH * 0.5)];
  for (const row of doc.signOff) {
    out.push(
      signerTable(
        [
          [words.role, row.role],
          [words.name, row.name],
          [words.signature, ''],
          [words.date, row.date],
        ],
        widths,
      ),
      new Paragraph({ text: '', spacing: { after: 120 } }),
    );
  }
  return out;
}
