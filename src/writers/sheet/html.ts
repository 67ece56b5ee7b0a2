/** The read-and-sign sheet as HTML for Chromium to print: the table's header row repeats on every page. */
import { COLOURS } from '../../document/labels.js';
import { cssString } from '../pdf/print.js';
import { SHEET_HEADINGS, sheetFacts, sheetHeading, statement, type ReadAndSignSheet } from './model.js';

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

export function renderSheetHtml(sheet: ReadAndSignSheet): string {
  const running = `${sheet.organisation} · ${sheet.title} · version ${sheet.version} · read and sign`;
  const style = `
@page { size: A4; margin: 22mm 16mm 20mm 16mm;
  @top-left { content: ${cssString(running)}; font: 7pt "Liberation Sans", "DejaVu Sans", Arial, sans-serif; color: ${COLOURS.ink} }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 7pt "Liberation Sans", "DejaVu Sans", Arial, sans-serif; color: ${COLOURS.ink} } }
body { font: 10pt "Liberation Sans", "DejaVu Sans", Arial, sans-serif; color: ${COLOURS.ink}; margin: 0 }
h1 { font-size: 15pt; margin: 0 0 4mm }
table { border-collapse: collapse; width: 100% }
.facts td { padding: 1mm 2mm; border: 0.3mm solid ${COLOURS.rule} }
.facts td:first-child { font-weight: bold; width: 32mm; background: ${COLOURS.headFill} }
.hash { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 7.5pt; word-break: break-all }
p.statement { margin: 5mm 0 }
.readers thead { display: table-header-group }
.readers th { text-align: left; background: ${COLOURS.headFill}; padding: 2mm; border: 0.3mm solid ${COLOURS.rule} }
.readers td { height: 9mm; padding: 0 2mm; border: 0.3mm solid ${COLOURS.rule} }
.readers tr { break-inside: avoid }
.readers th:nth-child(1) { width: 45% } .readers th:nth-child(3) { width: 22% }`;
  const facts = sheetFacts(sheet)
    .map(
      ([label, value]) =>
        `<tr><td>${escape(label)}</td><td${label === 'Content hash' ? ' class="hash"' : ''}>${escape(value)}</td></tr>`,
    )
    .join('');
  const rows = sheet.readers.map((name) => `<tr><td>${escape(name)}</td><td></td><td></td></tr>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>${escape(sheetHeading(sheet))}</title><style>${style}</style></head>
<body>
<h1>${escape(sheetHeading(sheet))}</h1>
<table class="facts"><tbody><tr><td>Organisation</td><td>${escape(sheet.organisation)}</td></tr>${facts}</tbody></table>
<p class="statement">${escape(statement(sheet))}</p>
<table class="readers"><thead><tr>${SHEET_HEADINGS.map((h) => `<th>${h}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody></table>
</body></html>
`;
}
