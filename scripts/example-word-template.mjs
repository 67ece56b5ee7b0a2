#!/usr/bin/env node
// Writes examples/consultant/templates/staff-supervision-policy.docx: the example consultant pack's Word
// template, with its own styles, a bullet list, a table and fields (one split across runs, as Word
// leaves them). Run `node scripts/example-word-template.mjs` after changing it.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  AlignmentType,
  Document,
  HeadingLevel,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
} from 'docx';

const body = (text) => new Paragraph({ style: 'HarbourBody', text });
const bullet = (text) =>
  new Paragraph({ style: 'HarbourBody', text, numbering: { reference: 'bullets', level: 0 } });
const cell = (text) => new TableCell({ children: [new Paragraph(text)] });

const doc = new Document({
  title: 'Staff Supervision Policy',
  creator: 'Harbour Lane Care Compliance',
  styles: {
    paragraphStyles: [
      { id: 'HarbourBody', name: 'Harbour Body', basedOn: 'Normal', run: { font: 'Georgia', size: 22 } },
    ],
  },
  numbering: {
    config: [
      {
        reference: 'bullets',
        levels: [{ level: 0, format: LevelFormat.BULLET, text: '•', alignment: AlignmentType.LEFT }],
      },
    ],
  },
  sections: [
    {
      children: [
        new Paragraph({ text: 'Staff Supervision Policy', heading: HeadingLevel.HEADING_1 }),
        new Paragraph({ text: '1. Purpose', heading: HeadingLevel.HEADING_2 }),
        new Paragraph({
          style: 'HarbourBody',
          children: [
            new TextRun('This policy sets out how '),
            // Word often splits a field over runs (a spell-check mark, a change of formatting).
            new TextRun({ text: '{{org_field', bold: true }),
            new TextRun('_name}}'),
            new TextRun(
              ' supervises the staff who support each {{person}}, and each {{worker}} in particular.',
            ),
          ],
        }),
        new Paragraph({ text: '2. How often', heading: HeadingLevel.HEADING_2 }),
        body('Every member of the care staff has supervision:'),
        bullet('at least every two months, one to one, with a senior member of staff'),
        bullet('after any incident or safeguarding concern they were involved in'),
        bullet('when they ask for it'),
        new Paragraph({ text: '3. Who supervises whom', heading: HeadingLevel.HEADING_2 }),
        new Table({
          rows: [
            new TableRow({ children: [cell('Role'), cell('Supervised by')] }),
            new TableRow({ children: [cell('Care staff'), cell('Senior care staff')] }),
            new TableRow({
              children: [
                cell('Senior care staff'),
                cell(
                  '{{org_field_registered_manager_first_name}} {{org_field_registered_manager_last_name}}',
                ),
              ],
            }),
          ],
        }),
        new Paragraph({ text: '4. Records', heading: HeadingLevel.HEADING_2 }),
        body('Supervision notes are kept securely by {{org_field_name}} and reviewed by the {{manager}}.'),
        body('Next Review Date: {{next_review_date}}'),
      ],
    },
  ],
});

const out = fileURLToPath(
  new URL('../examples/consultant/templates/staff-supervision-policy.docx', import.meta.url),
);
writeFileSync(out, await Packer.toBuffer(doc));
console.log(`wrote ${out}`);
