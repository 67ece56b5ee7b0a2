/** HTML output: one self-contained file (inline CSS, logo as a data URI), also what Chromium prints to PDF. */
import type { Image, Root } from 'mdast';
import { toHast } from 'mdast-util-to-hast';
import { toHtml } from 'hast-util-to-html';
import type { Logo, PolicyDocument } from '../../document/model.js';
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

function styles(doc: PolicyDocument): string {
  const { rule, headFill, draft, muted, ink } = COLOURS;
  return `
@page { size: A4; margin: 28mm 18mm 26mm 18mm; }
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
.history th:nth-child(2), .history td:nth-child(2) { white-space: nowrap; }
.draft-mark { font-weight: bold; color: ${draft}; letter-spacing: 0.2em; border: 2px solid ${draft}; display: inline-block; padding: 0.1rem 0.6rem; }
.watermark { position: fixed; top: 45%; left: 0; right: 0; text-align: center; font-size: 110pt; font-weight: bold; color: rgba(176, 0, 32, 0.08); transform: rotate(-35deg); pointer-events: none; z-index: -1; }
.sign-off .line { display: inline-block; min-width: 14rem; border-bottom: 1px solid ${ink}; height: 1.2em; }
.sign-off dl { display: grid; grid-template-columns: 9rem 1fr; gap: 0.5rem 1rem; margin: 0 0 1rem; break-inside: avoid; }
.sign-off dt { font-weight: bold; }
footer.doc-footer { margin-top: 2rem; border-top: 1px solid ${rule}; font-size: 8.5pt; color: ${muted}; }
a { color: var(--brand); }
@media print { body { max-width: none; padding: 0; } footer.doc-footer.screen-only { display: none; } }
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
${doc.draft ? `<div class="watermark" aria-hidden="true">${e(LABELS.draft)}</div>` : ''}
<header class="doc-header">${logo}<div><div class="org">${e(doc.organisation.name)}</div>${registrations ? `<div class="reg">${registrations}</div>` : ''}</div></header>
<h1 class="title">${e(doc.title)}</h1>
${doc.draft ? `<p><span class="draft-mark">${e(LABELS.draft)}</span> ${e(LABELS.notApproved)}</p>` : ''}
<section class="control">${table(
    LABELS.control.caption,
    LABELS.control.columns,
    doc.control.map((r) => [r.label, r.value]),
  )}</section>
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
