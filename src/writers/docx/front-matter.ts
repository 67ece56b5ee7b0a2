/**
 * The top of a Word policy's first page: organisation, registrations, title, the draft mark, the
 * organisation and document-control tables, then the contents page when the edition has one.
 */
import { BorderStyle, HeadingLevel, Paragraph, TextRun } from 'docx';
import type { PolicyDocument } from '../../document/model.js';
import { LABELS } from '../../document/labels.js';
import type { Block } from './blocks.js';
import { contentsPage } from './contents.js';
import { DRAFT_RED, GREY } from './styles.js';
import { controlTable } from './tables.js';
import { xmlSafe } from './xml-safe.js';

/** The blocks before the policy's body, in the brand colour `brand`. */
export function frontMatter(doc: PolicyDocument, brand: string): Block[] {
  const out: Block[] = [
    new Paragraph({
      spacing: { after: 40 },
      children: [new TextRun({ text: xmlSafe(doc.organisation.name), bold: true, size: 26, color: brand })],
    }),
  ];
  if (doc.organisation.registrations.length > 0) {
    out.push(
      new Paragraph({
        spacing: { after: 120 },
        children: [
          new TextRun({
            text: doc.organisation.registrations
              .map((r) => `${xmlSafe(r.label)}: ${xmlSafe(r.value)}`)
              .join(' · '),
            size: 18,
            color: GREY,
          }),
        ],
      }),
    );
  }
  out.push(new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(xmlSafe(doc.title))] }));
  if (doc.draft) {
    out.push(
      new Paragraph({
        spacing: { after: 200 },
        children: [
          new TextRun({
            text: ` ${LABELS.draft} `,
            bold: true,
            color: DRAFT_RED,
            characterSpacing: 40,
            border: { style: BorderStyle.SINGLE, size: 12, color: DRAFT_RED, space: 1 },
          }),
          new TextRun(`  ${LABELS.notApproved}`),
        ],
      }),
    );
  }
  out.push(...controlTable(doc));
  out.push(new Paragraph({ text: '', spacing: { after: 0 } }));
  if (doc.contents && doc.contents.length > 0) out.push(...contentsPage(doc.contents));
  return out;
}
