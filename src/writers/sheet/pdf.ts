/** The read-and-sign sheet as PDF, printed by the project's Chromium session and made reproducible. */
import type { PolicyDocument } from '../../document/model.js';
import type { BrowserSession } from '../pdf/session.js';
import { markArtifacts } from '../pdf/artifacts.js';
import { finalisePdf } from '../pdf/print.js';
import { sheetHeading, type ReadAndSignSheet } from './model.js';
import { renderSheetHtml } from './html.js';

export async function renderSheetPdf(sheet: ReadAndSignSheet, session: BrowserSession): Promise<Buffer> {
  const pdf = await session.withPage(async (page) => {
    await page.setContent(renderSheetHtml(sheet), { waitUntil: 'load', timeout: session.printTimeoutMs });
    return page.pdf({
      format: 'A4',
      printBackground: true,
      preferCSSPageSize: true,
      tagged: true,
      waitForFonts: false,
      timeout: session.printTimeoutMs,
    });
  });
  // finalisePdf reads only the metadata: fixed dates (the effective date) and ids, so the same sheet
  // always gives the same bytes.
  const metadata = {
    title: sheetHeading(sheet),
    author: sheet.organisation,
    subject: `Version ${sheet.version}, ${sheet.contentHash}`,
    date: sheet.effectiveDate,
  };
  return finalisePdf(markArtifacts(pdf), { metadata } as unknown as PolicyDocument);
}
