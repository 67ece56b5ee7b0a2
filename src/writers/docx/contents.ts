/**
 * The contents page of a Word policy: a "Contents" heading and a real Word table of contents (a TOC
 * field over Heading 1–2) whose result is written already, one entry per contents entry of the model,
 * each a link to a bookmark on its heading with a PAGEREF field for its page. The fields are written
 * clean (Word shows them as they are and never asks to update them on opening); the page numbers are
 * left for the reader's layout to fill in: LibreOffice fills them as it lays the pages out, Word on
 * Update Field (F9) or printing. Laying the pages out here (docx's estimator) would cost far more than
 * the rest of the document.
 */
import {
  BuilderElement,
  InternalHyperlink,
  LeaderType,
  NextAttributeComponent,
  Paragraph,
  Run,
  Tab,
  TabStopType,
  TextRun,
  XmlComponent,
} from 'docx';
import type { ContentsEntry } from '../../document/model.js';
import { LABELS } from '../../document/labels.js';
import { CONTENT_WIDTH, CONTENTS_HEADING_STYLE, contentsStyle } from './styles.js';
import { xmlSafe } from './xml-safe.js';

/** The Word field of the contents: Heading 1–2, entries as links, no page numbers on the web, outline levels. */
export const CONTENTS_FIELD = 'TOC \\o "1-2" \\h \\z \\u';

/**
 * The bookmark of a contents entry's heading (`section-2-1` → `_Toc_section_2_1`). Word's bookmark
 * names are letters, digits and underscores, at most 40 characters; a leading underscore hides it from
 * Word's bookmark list, as Word's own `_Toc` bookmarks are.
 */
export const bookmarkName = (id: string): string => `_Toc_${id.replace(/[^A-Za-z0-9]/g, '_')}`.slice(0, 40);

/** `<w:fldChar w:fldCharType="…"/>`, never dirty: Word does not ask to update the field on opening. */
const fieldChar = (type: 'begin' | 'separate' | 'end') =>
  new BuilderElement<{ type: string }>({
    name: 'w:fldChar',
    attributes: { type: { key: 'w:fldCharType', value: type } },
  });

/** `<w:instrText xml:space="preserve">…</w:instrText>`. */
class Instruction extends XmlComponent {
  constructor(text: string) {
    super('w:instrText');
    this.root.push(new NextAttributeComponent({ space: { key: 'xml:space', value: 'preserve' } }));
    this.root.push(text);
  }
}

/** A run of one field character, or of an instruction between begin and separate. */
const fieldRun = (...children: XmlComponent[]) => new Run({ children });

/** One entry: its number and text, a dot-leader tab to the right margin and its page (a PAGEREF field). */
function entryParagraph(entry: ContentsEntry, first: boolean, last: boolean): Paragraph {
  const bookmark = bookmarkName(entry.id);
  return new Paragraph({
    style: contentsStyle(entry.level),
    tabStops: [{ type: TabStopType.RIGHT, position: CONTENT_WIDTH, leader: LeaderType.DOT }],
    children: [
      ...(first
        ? [
            fieldRun(fieldChar('begin')),
            fieldRun(new Instruction(` ${CONTENTS_FIELD} `)),
            fieldRun(fieldChar('separate')),
          ]
        : []),
      new InternalHyperlink({
        anchor: bookmark,
        children: [
          new TextRun(xmlSafe(`${entry.number} ${entry.text}`)),
          new Run({ children: [new Tab()] }),
          fieldRun(fieldChar('begin')),
          fieldRun(new Instruction(` PAGEREF ${bookmark} \\h `)),
          fieldRun(fieldChar('separate')),
          fieldRun(fieldChar('end')),
        ],
      }),
      ...(last ? [fieldRun(fieldChar('end'))] : []),
    ],
  });
}

/** The contents page, on a page of its own: its heading and the table of contents. */
export function contentsPage(entries: readonly ContentsEntry[]): Paragraph[] {
  return [
    new Paragraph({
      style: CONTENTS_HEADING_STYLE,
      pageBreakBefore: true,
      children: [new TextRun(LABELS.contents)],
    }),
    ...entries.map((entry, i) => entryParagraph(entry, i === 0, i === entries.length - 1)),
  ];
}
