/** HTML output: one self-contained file (inline CSS, logo as a data URI), also what Chromium prints to PDF. */
import type { Image, Root } from 'mdast';
import { toHast } from 'mdast-util-to-hast';
import { toHtml } from 'hast-util-to-html';
import type { ContentsEntry, ControlRow, Logo, PolicyDocument } from '../../document/model.js';
import { brandColour, COLOURS, LABELS } from '../../document/labels.js';

export const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

export const logoDataUri = (logo: Logo) => `data:${logo.mime};base64,${logo.data.toString('base64')}`;

/** The body as HTML, with the logo placeholder pointing at the embedded logo. */
function bodyHtml(doc: PolicyDocument): string {
  const body = structuredClone<Root>(doc.body);
  const visit = (node: { type: string; children?: unknown[] }) => {
    if (node.type === 'image') (node as Image).url = doc.logo ? logoDataUri(doc.logo) : '';
    for (const child of (node.children ?? []) as { type: string }[]) visit(child);
  };
  visit(body);
  return toHtml(toHast(body));
}

const table = (caption: string, head: readonly string[], rows: string[][]) =>
  `<table><caption>${escapeHtml(caption)}</caption><thead><tr>${head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;

/** The longest line kept whole: longer ones (only an unusual value) wrap rather than run off the page. */
const WHOLE_LINE = 60;

/** A cell's value: its lines one under another, each kept whole (an e-mail address never breaks at a hyphen). */
const cellValue = (row: ControlRow) =>
  row.lines
    ? row.lines
        .map((line) =>
          line.length <= WHOLE_LINE
            ? `<span class="line-whole">${escapeHtml(line)}</span>`
            : escapeHtml(line),
        )
        .join('<br>')
    : escapeHtml(row.value);

/** A table of labelled rows, each label a row header: no header row to say "Item | Detail". */
const rowTable = (className: string, caption: string, rows: ControlRow[]) =>
  `<table class="${className}"><caption>${escapeHtml(caption)}</caption><tbody>${rows
    .map((r) => `<tr><th scope="row">${escapeHtml(r.label)}</th><td>${cellValue(r)}</td></tr>`)
    .join('')}</tbody></table>`;

/** The printed page's margins in millimetres; what is left of A4 is the box the PDF's text flows in. */
export const PAGE_MARGIN_MM = { top: 28, right: 18, bottom: 26, left: 18 } as const;

/** The page number a contents entry shows in print; filled in once the pages are known (see writers/pdf/contents). */
export const PAGE_NUMBER_CLASS = 'page-number';

/**
 * The contents page: a list of the numbered headings of the top two levels, each a link to its heading.
 * The printed edition gives each a dotted leader (a border, so no dots are copied with the text) and
 * an empty page number for the printer to fill.
 */
function contentsHtml(entries: readonly ContentsEntry[], printed: boolean): string {
  const e = escapeHtml;
  const items = entries
    .map((entry) => {
      const page = printed
        ? `<span class="leader" aria-hidden="true"></span><span class="${PAGE_NUMBER_CLASS}" data-for="${e(entry.id)}"></span>`
        : '';
      return `<li class="level-${entry.level}"><a href="#${e(entry.id)}"><span class="number">${e(entry.number)}</span> <span class="text">${e(entry.text)}</span>${page}</a></li>`;
    })
    .join('');
  return `<nav class="contents" aria-labelledby="contents-heading"><h2 id="contents-heading">${e(LABELS.contents)}</h2><ol>${items}</ol></nav>`;
}

/**
 * The DRAFT watermark as strokes, not text: copying or extracting the page's text never picks up its
 * letters. Block capitals drawn on a 60 × 100 grid, 20 apart.
 */
const WATERMARK_LETTERS = [
  'M0 0V100H26Q60 100 60 50Q60 0 26 0Z', // D
  'M80 100V0H112Q140 0 140 27Q140 54 112 54H80M108 54L140 100', // R
  'M160 100L190 0L220 100M171 64H209', // A
  'M300 0H240V100M240 48H286', // F
  'M320 0H380M350 0V100', // T
];
const watermarkSvg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="-10 -10 400 120" aria-hidden="true" focusable="false"><path d="${WATERMARK_LETTERS.join('')}" fill="none" stroke="currentColor" stroke-width="16" stroke-linejoin="miter"/></svg>`;

function styles(doc: PolicyDocument): string {
  const { rule, headFill, draft, muted, ink } = COLOURS;
  const m = PAGE_MARGIN_MM;
  return `
@page { size: A4; margin: ${m.top}mm ${m.right}mm ${m.bottom}mm ${m.left}mm; }
:root { --brand: ${brandColour(doc.brandColour)}; }
* { box-sizing: border-box; }
body { font-family: "Liberation Sans", "DejaVu Sans", Arial, Helvetica, sans-serif; font-size: 10.5pt; line-height: 1.45; color: #1a1a1a; margin: 0 auto; max-width: 48rem; padding: 1.5rem; }
header.doc-header { display: flex; align-items: center; gap: 1rem; border-bottom: 2px solid var(--brand); padding-bottom: 0.6rem; }
header.doc-header img { max-height: 56px; max-width: 180px; }
header.doc-header .org { font-size: 13pt; font-weight: bold; color: var(--brand); }
header.doc-header .reg { font-size: 9pt; color: ${muted}; }
h1.title { font-size: 20pt; color: var(--brand); margin: 1.2rem 0 0.6rem; }
h1, h2, h3, h4 { color: var(--brand); line-height: 1.25; break-after: avoid; }
h2 { font-size: 14pt; margin-top: 1.4rem; } h3 { font-size: 12pt; } h4 { font-size: 11pt; }
table { border-collapse: collapse; width: 100%; margin: 0.6rem 0 1rem; break-inside: avoid; }
caption { text-align: left; font-weight: bold; color: var(--brand); padding-bottom: 0.3rem; }
th, td { border: 1px solid ${rule}; padding: 0.3rem 0.45rem; text-align: left; vertical-align: top; }
th { background: ${headFill}; }
.control th[scope="row"] { width: 32%; font-weight: bold; }
.line-whole { white-space: nowrap; }
.history th:nth-child(2), .history td:nth-child(2) { white-space: nowrap; }
.draft-mark { font-weight: bold; color: ${draft}; letter-spacing: 0.2em; border: 2px solid ${draft}; display: inline-block; padding: 0.1rem 0.6rem; }
.watermark { position: fixed; top: 40%; left: 0; right: 0; text-align: center; color: rgba(176, 0, 32, 0.08); transform: rotate(-35deg); pointer-events: none; z-index: -1; }
.watermark svg { width: 80%; height: auto; }
nav.contents ol { list-style: none; margin: 0 0 1rem; padding: 0; }
nav.contents li { margin: 0.2rem 0; }
nav.contents li.level-1 { font-weight: bold; margin-top: 0.45rem; }
nav.contents li.level-2 { padding-left: 2.2rem; }
nav.contents a { color: inherit; text-decoration: none; display: flex; align-items: baseline; }
nav.contents a:hover .text { text-decoration: underline; }
nav.contents .number { flex: none; min-width: 2.2rem; }
nav.contents .leader { flex: 1 1 auto; min-width: 1.5rem; margin: 0 0.3rem; border-bottom: 1px dotted ${muted}; }
nav.contents .${PAGE_NUMBER_CLASS} { flex: none; width: 2.5rem; text-align: right; font-weight: normal; font-variant-numeric: tabular-nums; }
.sign-off .line { display: inline-block; min-width: 14rem; border-bottom: 1px solid ${ink}; height: 1.2em; }
.sign-off dl { display: grid; grid-template-columns: 9rem 1fr; gap: 0.5rem 1rem; margin: 0 0 1rem; break-inside: avoid; }
.sign-off dt { font-weight: bold; }
footer.doc-footer { margin-top: 2rem; border-top: 1px solid ${rule}; font-size: 8.5pt; color: ${muted}; }
a { color: var(--brand); }
@media print { body { max-width: none; padding: 0; } footer.doc-footer.screen-only { display: none; } nav.contents, nav.contents + main { break-before: page; } }
`;
}

/** The footer's lines, unescaped: title and version, the uncontrolled-copy line when it applies, copyright. */
export const footerLines = (doc: PolicyDocument): string[] =>
  [
    `${doc.footer.title} · ${doc.footer.version}`,
    doc.footer.uncontrolled ? LABELS.uncontrolled : '',
    doc.footer.copyright,
  ].filter(Boolean);

/**
 * The whole policy as one self-contained HTML document. `pageStyle` is the PDF's printed page (its
 * running header and footer), which repeats on every page what the end-of-document footer says.
 */
export function renderHtml(doc: PolicyDocument, options: { pageStyle?: string } = {}): string {
  const e = escapeHtml;
  const registrations = doc.organisation.registrations.map((r) => `${e(r.label)}: ${e(r.value)}`).join(' · ');
  const logo = doc.logo
    ? `<img src="${logoDataUri(doc.logo)}" alt="${e(LABELS.logoAlt(doc.organisation.name))}">`
    : '';
  const words = LABELS.signOff;
  const signOff = doc.signOff
    .map((row) => {
      const field = (value: string) => (value ? e(value) : '<span class="line"></span>');
      return `<dl><dt>${e(words.role)}</dt><dd>${e(row.role)}</dd><dt>${e(words.name)}</dt><dd>${field(row.name)}</dd><dt>${e(words.signature)}</dt><dd><span class="line"></span></dd><dt>${e(words.date)}</dt><dd>${field(row.date)}</dd></dl>`;
    })
    .join('');
  const footer = footerLines(doc).map(e);
  return `<!DOCTYPE html>
<html lang="${doc.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>${e(doc.metadata.title)}</title>
<meta name="author" content="${e(doc.metadata.author)}">
<meta name="description" content="${e(doc.metadata.subject)}">
<style>${styles(doc)}${options.pageStyle ?? ''}</style>
</head>
<body>
${doc.draft ? `<div class="watermark" aria-hidden="true">${watermarkSvg}</div>` : ''}
<header class="doc-header">${logo}<div><div class="org">${e(doc.organisation.name)}</div>${registrations ? `<div class="reg">${registrations}</div>` : ''}</div></header>
<h1 class="title">${e(doc.title)}</h1>
${doc.draft ? `<p><span class="draft-mark">${e(LABELS.draft)}</span> ${e(LABELS.notApproved)}</p>` : ''}
<section class="control">${rowTable('identity', LABELS.identity.caption, doc.identity)}${rowTable('document-control', LABELS.control.caption, doc.control)}</section>
${doc.contents ? contentsHtml(doc.contents, Boolean(options.pageStyle)) : ''}
<main>
${bodyHtml(doc)}
</main>
<section class="history">${table(
    LABELS.history.caption,
    LABELS.history.columns,
    doc.history.map((h) => [h.version, h.date, h.summary, h.approvedBy ?? '']),
  )}</section>
<section class="sign-off"><h2>${e(words.heading)}</h2>${signOff}</section>
${options.pageStyle ? '' : `<footer class="doc-footer">${footer.map((line) => `<p>${line}</p>`).join('')}</footer>`}
</body>
</html>
`;
}
