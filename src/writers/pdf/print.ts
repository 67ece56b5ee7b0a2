/** PDF output: the document's HTML printed by Chromium (A4, tagged, bookmarks), then made reproducible. */
import { ExitCode, KeypolicyError } from '../../diagnostics/errors.js';
import { VERSION } from '../../core/version.js';
import type { Page, PDFOptions } from 'puppeteer-core';
import { ChromiumDied, type BrowserSession } from './session.js';
import { footerLines, logoDataUri, PAGE_MARGIN_MM, renderHtml } from '../html/html.js';
import { imageSize } from '../../document/image-size.js';
import { fitLine } from './text-width.js';
import { measuringStyle, printWithContents } from './contents.js';
import { markArtifacts } from './artifacts.js';
import type { PolicyDocument } from '../../document/model.js';
import { COLOURS, LABELS } from '../../document/labels.js';

/** A CSS string that no value can end early: quotes, backslashes, `<` (which could close the style element) and controls are hex escapes. */
export const cssString = (text: string): string =>
  `"${text.replace(
    // eslint-disable-next-line no-control-regex
    /[\\"'<>&\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\${(c.codePointAt(0) ?? 0).toString(16)} `,
  )}"`;

/** The logo's place in the running header, in millimetres: at most 9 high and 40 wide, in proportion. */
function logoBox(doc: PolicyDocument): { width: number; height: number } | undefined {
  if (!doc.logo) return undefined;
  const natural = imageSize(doc.logo);
  const aspect = natural && natural.height > 0 ? natural.width / natural.height : 1;
  const height = Math.min(9, 40 / aspect);
  return { width: Math.round(height * aspect * 100) / 100, height: Math.round(height * 100) / 100 };
}

/** Running header and footer text; 7 pt, one line per value (see `fitLine`). */
const FONT_PT = 8;
const PAGE_TEXT = `font-family: "Liberation Sans", "DejaVu Sans", Arial, sans-serif; font-size: ${FONT_PT}pt; color: ${COLOURS.ink}; white-space: pre`;
/** A4's 210 mm less two 18 mm margins, shared by the boxes on each edge. */
const LINE_MM = 174;
const DRAFT_MM = 24;
const PAGE_NUMBER_MM = 30;

/**
 * The printed page's running header (logo, organisation, DRAFT) and footer (title, version,
 * "Page X of Y", the uncontrolled-copy line, copyright) in CSS page-margin boxes. Chromium lays these out
 * with the page itself, where header and footer templates cost a separate render for every page.
 */
export function pageStyle(doc: PolicyDocument): string {
  const logo = logoBox(doc);
  const logoCss = logo
    ? `background: url("${logoDataUri(doc.logo!)}") no-repeat left center / ${logo.width}mm ${logo.height}mm; padding-left: ${logo.width + 3}mm;`
    : '';
  const nameMm = LINE_MM - (doc.draft ? DRAFT_MM : 0);
  const footerMm = LINE_MM - PAGE_NUMBER_MM;
  const name = fitLine(doc.organisation.name, nameMm - (logo ? logo.width + 3 : 0), FONT_PT);
  const footer = footerLines(doc)
    .map((line) => cssString(fitLine(line, footerMm, FONT_PT)))
    .join(' "\\a " ');
  const { before, between } = LABELS.page;
  return `
@page {
  @top-left { content: ${cssString(name)}; width: ${nameMm}mm; ${logoCss} vertical-align: middle; ${PAGE_TEXT} }
  ${doc.draft ? `@top-right { content: ${cssString(LABELS.draft)}; width: ${DRAFT_MM}mm; text-align: right; vertical-align: middle; ${PAGE_TEXT}; color: ${COLOURS.draft}; font-weight: bold; letter-spacing: 2px }` : ''}
  @bottom-left { content: ${footer}; width: ${footerMm}mm; vertical-align: top; padding-top: 4mm; ${PAGE_TEXT} }
  @bottom-right { content: ${cssString(before)} counter(page) ${cssString(between)} counter(pages); width: ${PAGE_NUMBER_MM}mm; text-align: right; vertical-align: top; padding-top: 4mm; ${PAGE_TEXT} }
}
${logo ? '/* The running header carries the logo on every page, so the title block does not repeat it. */\nheader.doc-header img { display: none; }' : ''}
`;
}

/** A PDF text string: UTF-16BE with a byte-order mark, written as hex so no character needs escaping. */
const pdfText = (text: string) =>
  `<FEFF${[...text]
    .map((c) => c.codePointAt(0) ?? 0)
    .flatMap((cp) =>
      cp > 0xffff ? [0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff)] : [cp],
    )
    .map((unit) => unit.toString(16).toUpperCase().padStart(4, '0'))
    .join('')}>`;

/**
 * A tagged PDF names structure elements by the DOM node ids of the page that printed it (`node00000231`),
 * which keep counting up on a reused page. Renumbering them by rank, zero-padded to the same width, gives
 * the bytes a fresh page would and keeps every offset and the sorted ID name tree valid.
 */
export function renumberNodeIds(text: string): string {
  const pattern = /\((node)(\d{8,})\)/g;
  const ids = [...new Set(Array.from(text.matchAll(pattern), (m) => Number(m[2])))].sort((a, b) => a - b);
  const rank = new Map(ids.map((id, i) => [id, i + 1]));
  return text.replace(
    pattern,
    (_, node: string, digits: string) =>
      `(${node}${String(rank.get(Number(digits))).padStart(digits.length, '0')})`,
  );
}

/**
 * Make Chromium's PDF reproducible and describe it: its clock dates are overwritten in place (same
 * length, so every offset stays valid), and an incremental update adds a new document-information
 * dictionary (title, author, subject, fixed dates). Much cheaper than re-writing the file with a PDF library.
 */
export function finalisePdf(pdf: Uint8Array, doc: PolicyDocument): Buffer {
  const [year, month, day] = doc.metadata.date.split('-');
  const stamp = `${year}${month}${day}000000`;
  let text = renumberNodeIds(Buffer.from(pdf).toString('latin1'));
  text = text.replace(
    /(\/(?:CreationDate|ModDate) \(D:)(\d{14})/g,
    (_, prefix: string) => `${prefix}${stamp}`,
  );
  const trailer = /trailer\s*<<([\s\S]*?)>>\s*startxref\s*(\d+)\s*%%EOF\s*$/.exec(text);
  const size = Number(/\/Size (\d+)/.exec(trailer?.[1] ?? '')?.[1]);
  const root = /\/Root (\d+ \d+ R)/.exec(trailer?.[1] ?? '')?.[1];
  if (!trailer || !size || !root) {
    throw new KeypolicyError('KP_PDF_FAILED', 'Chromium wrote a PDF keypolicy cannot read back.', {
      exitCode: ExitCode.Environment,
    });
  }
  const info =
    `<< /Title ${pdfText(doc.metadata.title)} /Author ${pdfText(doc.metadata.author)} /Subject ${pdfText(doc.metadata.subject)}` +
    ` /Creator (keypolicy) /Producer (keypolicy ${VERSION}) /CreationDate (D:${stamp}Z) /ModDate (D:${stamp}Z) >>`;
  const body = text.endsWith('\n') ? text : `${text}\n`;
  const object = `${size} 0 obj\n${info}\nendobj\n`;
  const xrefAt = body.length + object.length;
  const update =
    `${object}xref\n0 1\n0000000000 65535 f \n${size} 1\n${String(body.length).padStart(10, '0')} 00000 n \n` +
    `trailer\n<< /Size ${size + 1} /Root ${root} /Info ${size} 0 R /Prev ${trailer[2]} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.from(body + update, 'latin1');
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`Timed out after ${ms} ms`);
      error.name = 'TimeoutError';
      reject(error);
    }, ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/**
 * Print one document on a pooled page; `finalisePdf` removes what a reused page would change.
 * `printing` is called once Chromium has the document and is printing it (or has failed to). If Chromium
 * dies under the document (crashed, or killed), it is printed once more: on a fresh page, in a browser
 * launched again if the browser died; a browser that dies again fails it with KP_BROWSER_FAILED.
 */
export async function renderPdf(
  doc: PolicyDocument,
  session: BrowserSession,
  printing: () => void = () => undefined,
): Promise<Buffer> {
  const timeoutMs = session.printTimeoutMs;
  const attempt = () =>
    session.withPage((page) => withDeadline(printOn(page, doc, timeoutMs, printing), timeoutMs));
  try {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ChromiumDied)) throw error;
      return await attempt();
    }
  } catch (error) {
    throw describe(error, doc);
  } finally {
    printing();
  }
}

function describe(error: unknown, doc: PolicyDocument): KeypolicyError {
  if (error instanceof KeypolicyError) return error;
  if (error instanceof ChromiumDied && error.what === 'browser')
    return new KeypolicyError('KP_BROWSER_FAILED', `Chromium stopped twice while printing "${doc.title}".`, {
      exitCode: ExitCode.Environment,
      hint: 'Something keeps stopping Chromium (the machine running out of memory, or another program): check the system log, then run again.',
      cause: error,
    });
  const cause = error instanceof ChromiumDied ? error.cause : error;
  const timedOut = cause instanceof Error && cause.name === 'TimeoutError';
  return new KeypolicyError(
    timedOut ? 'KP_PDF_TIMEOUT' : 'KP_PDF_FAILED',
    timedOut
      ? `Chromium did not finish printing "${doc.title}" in time, so it was stopped.`
      : `Chromium could not print "${doc.title}" to PDF.`,
    {
      exitCode: ExitCode.Environment,
      hint: cause instanceof Error ? cause.message.split('\n')[0] : String(cause),
      cause: error,
    },
  );
}

/** What Chromium is asked to print: A4 in the page style's margins, backgrounds, bookmarks and tags. */
export const printOptions = (timeoutMs: number): PDFOptions => ({
  format: 'A4',
  // The page's own @page margins, which hold the running header and footer (its margin boxes).
  margin: {
    top: `${PAGE_MARGIN_MM.top}mm`,
    bottom: `${PAGE_MARGIN_MM.bottom}mm`,
    left: `${PAGE_MARGIN_MM.left}mm`,
    right: `${PAGE_MARGIN_MM.right}mm`,
  },
  printBackground: true,
  outline: true,
  tagged: true,
  // The page uses installed fonts only (no web fonts), so there is nothing to wait for.
  waitForFonts: false,
  timeout: timeoutMs,
});

async function printOn(
  page: Page,
  doc: PolicyDocument,
  timeoutMs: number,
  printing: () => void,
): Promise<Buffer> {
  const style = pageStyle(doc) + (doc.contents ? measuringStyle : '');
  await page.setContent(renderHtml(doc, { pageStyle: style }), { waitUntil: 'load', timeout: timeoutMs });
  const print = () => {
    const printed = page.pdf(printOptions(timeoutMs));
    printing();
    return printed;
  };
  const printed = doc.contents ? await printWithContents(page, print) : await print();
  return finalisePdf(markArtifacts(printed), doc);
}
