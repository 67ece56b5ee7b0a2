/** A Word template made with the docx package, as a consultant's would be: split runs, styles, lists, a table. */
import {
  AlignmentType,
  Document,
  HeadingLevel,
  LevelFormat,
  Packer,
  Paragraph,
  SimpleMailMergeField,
  Table,
  TableCell,
  TableRow,
  TextRun,
} from 'docx';

/** The bytes of a .docx template; `{{org_field_name}}` in its first paragraph is split over three runs. */
export async function wordTemplateBytes(options: { badField?: boolean } = {}): Promise<Buffer> {
  const doc = new Document({
    title: 'Core Title Of The Template',
    styles: {
      paragraphStyles: [
        {
          id: 'PolicyHeading',
          name: 'Policy Heading',
          basedOn: 'Heading2',
          run: { font: 'Georgia', size: 28, color: '5B4B8A' },
        },
        {
          id: 'ConsultantBody',
          name: 'Consultant Body',
          basedOn: 'Normal',
          run: { font: 'Georgia', size: 22, color: '333333' },
        },
      ],
    },
    numbering: {
      config: [
        {
          reference: 'bullets',
          levels: [{ level: 0, format: LevelFormat.BULLET, text: '•', alignment: AlignmentType.LEFT }],
        },
        {
          reference: 'steps',
          levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.LEFT }],
        },
      ],
    },
    sections: [
      {
        children: [
          new Paragraph({
            text: 'Key Worker Policy for {{org_field_name}}',
            heading: HeadingLevel.HEADING_1,
          }),
          new Paragraph({
            style: 'ConsultantBody',
            children: [
              new TextRun('This policy of '),
              new TextRun({ text: '{{org_field', bold: true }),
              new TextRun('_na'),
              new TextRun('me}} explains the role of the {{worker}}.'),
            ],
          }),
          new Paragraph({ text: '1. Purpose', heading: HeadingLevel.HEADING_2 }),
          new Paragraph({
            style: 'ConsultantBody',
            children: [
              new TextRun('Every '),
              new TextRun('{{person}}'),
              new TextRun(' has a named worker at '),
              new SimpleMailMergeField('org_field_name'),
              new TextRun('.'),
            ],
          }),
          new Paragraph({
            text: 'First duty of care *literal*',
            numbering: { reference: 'bullets', level: 0 },
          }),
          new Paragraph({
            text: 'Second duty for {{organisation.name}}',
            numbering: { reference: 'bullets', level: 0 },
          }),
          new Paragraph({ text: '2. Contacts', heading: HeadingLevel.HEADING_2 }),
          new Table({
            rows: [
              new TableRow({
                children: [
                  new TableCell({ children: [new Paragraph('Role')] }),
                  new TableCell({ children: [new Paragraph('Name')] }),
                ],
              }),
              new TableRow({
                children: [
                  new TableCell({ children: [new Paragraph('Manager')] }),
                  new TableCell({
                    children: [
                      new Paragraph({
                        children: [
                          new TextRun('{{org_field_registered_manager_first_name}} '),
                          new TextRun(
                            options.badField
                              ? '{{org_field_registered_mgr}}'
                              : '{{org_field_registered_manager_last_name}}',
                          ),
                        ],
                      }),
                    ],
                  }),
                ],
              }),
            ],
          }),
          new Paragraph({ text: '2.1. Out of hours', heading: HeadingLevel.HEADING_3 }),
          new Paragraph('Call the on-call manager.'),
          new Paragraph({ text: '3. Steps in our own style', style: 'PolicyHeading' }),
          new Paragraph({ text: 'Step one', numbering: { reference: 'steps', level: 0 } }),
          new Paragraph({ text: 'Step two', numbering: { reference: 'steps', level: 0 } }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
