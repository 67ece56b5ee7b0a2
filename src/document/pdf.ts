/** PDF output: the document's HTML printed by Chromium (A4, tagged, bookmarks), then made reproducible. */
import { PDFDocument, PDFName } from 'pdf-lib';
import { ExitCode, KeypolicyError } from '../errors.js';
import { VERSION } from '../version.js';
import type { BrowserSession } from './browser.js';
import { escapeHtml, logoDataUri, renderHtml } from './html.js';
import type { PolicyDocument } from './model.js';

/** Header and footer templates accept only inline styles, need an explicit font size, and repeat on every page. */
function headerTemplate(doc: PolicyDocument): string {
  const logo =
    doc.logo && doc.logo.mime !== 'image/svg+xml'
      ? `<img src="${logoDataUri(doc.logo)}" style="max-height:9mm;max-width:40mm;margin-right:3mm">`
      : '';
  const draft = doc.draft
    ? '<span style="color:#b00020;font-weight:bold;letter-spacing:2px;margin-left:auto">DRAFT</span>'
    : '';
  return `<div style="font-family:'Liberation Sans','DejaVu Sans',Arial,sans-serif;font-size:8px;width:100%;margin:0 18mm;display:flex;align-items:center;color:#333">${logo}<span>${escapeHtml(doc.organisation.name)}</span>${draft}</div>`;
}

function footerTemplate(doc: PolicyDocument): string {
  const uncontrolled = doc.footer.uncontrolled
    ? '<div>Printed copies are uncontrolled: check the current version before use.</div>'
    : '';
  return `<div style="font-family:'Liberation Sans','DejaVu Sans',Arial,sans-serif;font-size:8px;width:100%;margin:0 18mm;color:#333"><div style="display:flex;justify-content:space-between"><span>${escapeHtml(doc.footer.title)} · ${escapeHtml(doc.footer.version)}</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>${uncontrolled}<div>${escapeHtml(doc.footer.copyright)}</div></div>`;
}

/** Fixed metadata (no clock time, no random id), so the same document gives the same bytes. */
async function finalise(pdf: Uint8Array, doc: PolicyDocument): Promise<Buffer> {
  const document = await PDFDocument.load(pdf, { updateMetadata: false });
  const date = new Date(`${doc.metadata.date}T00:00:00Z`);
  document.setTitle(doc.metadata.title, { showInWindowTitleBar: true });
  document.setAuthor(doc.metadata.author);
  document.setSubject(doc.metadata.subject);
  document.setCreator('keypolicy');
  document.setProducer(`keypolicy ${VERSION}`);
  document.setCreationDate(date);
  document.setModificationDate(date);
  document.setLanguage(doc.lang);
  document.context.trailerInfo.ID = undefined;
  document.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
  return Buffer.from(await document.save({ useObjectStreams: false, updateFieldAppearances: false }));
}

/** Print one document. A fresh page each time: tagged PDFs embed page-local ids, so this keeps bytes stable. */
export async function renderPdf(
  doc: PolicyDocument,
  session: BrowserSession,
  timeoutMs = 60_000,
): Promise<Buffer> {
  const browser = await session.get();
  const page = await browser.newPage();
  try {
    await page.setJavaScriptEnabled(false);
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      const url = request.url();
      if (url.startsWith('data:')) void request.continue();
      // A <meta refresh> navigates even without scripts: answer it with nothing rather than an error page.
      else if (
        request.isNavigationRequest() &&
        request.frame() === page.mainFrame() &&
        url !== 'about:blank'
      ) {
        void request.respond({ status: 204, body: '' });
      } else void request.abort('blockedbyclient');
    });
    await page.setContent(renderHtml(doc, { forPdf: true }), { waitUntil: 'load', timeout: timeoutMs });
    const pdf = await page.pdf({
      format: 'A4',
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: headerTemplate(doc),
      footerTemplate: footerTemplate(doc),
      margin: { top: '24mm', bottom: '24mm', left: '18mm', right: '18mm' },
      outline: true,
      tagged: true,
      timeout: timeoutMs,
    });
    return await finalise(pdf, doc);
  } catch (error) {
    if (error instanceof KeypolicyError) throw error;
    throw new KeypolicyError('KP_PDF_FAILED', `Chromium could not print "${doc.title}" to PDF.`, {
      exitCode: ExitCode.Environment,
      hint: error instanceof Error ? error.message.split('\n')[0] : String(error),
      cause: error,
    });
  } finally {
    await page.close().catch(() => undefined);
  }
}
