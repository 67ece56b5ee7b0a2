/**
 * The contents page's page numbers, found without printing twice. Before printing, the page is laid out
 * once in a measuring mode: print media, and the document flowed into a CSS multi-column container whose
 * column box is exactly the printed page's content box, so Chromium's own fragmentation (break-after:
 * avoid, break-inside: avoid, orphans and widows, repeated table heads) puts each column break where a
 * page break will fall. A heading's column is its page. The numbers are written into the contents, the
 * mode is turned off and the document is printed once; the printed PDF's named destinations (one for each
 * contents link) are then checked against them, and only if they disagree is it printed again with the
 * PDF's own numbers. The contents page has a page of its own and the body starts on a fresh page after
 * it, and each number sits in a fixed-width box, so the numbers written in cannot move any heading.
 *
 * The scripts run through the DevTools protocol (puppeteer's `evaluate`), not as page script: the page's
 * own JavaScript stays disabled. They are strings so that no bundler or transpiler can rewrite them.
 */
import type { Page } from 'puppeteer-core';
import { PAGE_MARGIN_MM, PAGE_NUMBER_CLASS } from '../html/html.js';
import { destinationPages } from './destinations.js';

const A4_MM = { width: 210, height: 297 } as const;
const MEASURING = 'kp-measuring';

/** The printed page's content box, in millimetres. */
export const contentBoxMm = {
  width: A4_MM.width - PAGE_MARGIN_MM.left - PAGE_MARGIN_MM.right,
  height: A4_MM.height - PAGE_MARGIN_MM.top - PAGE_MARGIN_MM.bottom,
};

/**
 * The measuring mode's rules, inert until the root element carries the measuring class: the body becomes
 * a column per printed page, page breaks become column breaks, and what is drawn outside the flow (the
 * fixed-position watermark) is left out.
 */
export const measuringStyle = `
html.${MEASURING} body { width: ${contentBoxMm.width}mm; height: ${contentBoxMm.height}mm; max-width: none; margin: 0; padding: 0; column-width: ${contentBoxMm.width}mm; column-gap: 0; column-fill: auto; }
html.${MEASURING} .watermark { display: none; }
html.${MEASURING} nav.contents, html.${MEASURING} nav.contents + main { break-before: column; }
`;

/**
 * In the measuring mode, the 1-based page of each contents entry's heading, by id: the column its first
 * line box falls in (every column box is one content box wide, with no gap). The mode is left on; a
 * missing heading is left out.
 */
const MEASURE = `(() => {
  const root = document.documentElement;
  root.classList.add(${JSON.stringify(MEASURING)});
  const box = document.body.getBoundingClientRect();
  const pages = {};
  for (const slot of document.querySelectorAll(${JSON.stringify(`.${PAGE_NUMBER_CLASS}`)})) {
    const id = slot.getAttribute('data-for');
    const heading = id === null ? null : document.getElementById(id);
    const rect = heading && heading.getClientRects()[0];
    if (rect) pages[id] = Math.floor((rect.left - box.left + 1) / box.width) + 1;
  }
  root.classList.remove(${JSON.stringify(MEASURING)});
  return pages;
})()`;

const fill = (pages: ReadonlyMap<string, number>) => `(() => {
  const pages = ${JSON.stringify(Object.fromEntries(pages))};
  for (const slot of document.querySelectorAll(${JSON.stringify(`.${PAGE_NUMBER_CLASS}`)})) {
    const page = pages[slot.getAttribute('data-for')];
    slot.textContent = page === undefined ? '' : String(page);
  }
})()`;

/** Where the page's contents entries' headings will be printed, measured as above. */
export async function measurePages(page: Page): Promise<Map<string, number>> {
  await page.emulateMediaType('print');
  const pages = await page.evaluate(MEASURE);
  return new Map(Object.entries(pages as Record<string, number>));
}

/** Whether `printed` puts every measured heading on the page measured for it. */
const agrees = (measured: ReadonlyMap<string, number>, printed: ReadonlyMap<string, number>) =>
  [...measured].every(([id, page]) => printed.get(id) === page) &&
  [...printed.keys()].every((id) => !id.startsWith('section-') || measured.has(id));

/** How often printing had to be repeated because measuring and print disagreed (for benchmarks). */
export const contentsStats = { documents: 0, reprinted: 0 };

/**
 * Print a page whose document has a contents page: measure, fill in the page numbers, print, check the
 * numbers against the PDF and print again with the PDF's numbers if they differ.
 */
export async function printWithContents(page: Page, print: () => Promise<Uint8Array>): Promise<Uint8Array> {
  const measured = await measurePages(page);
  await page.evaluate(fill(measured));
  const pdf = await print();
  const printed = destinationPages(pdf);
  contentsStats.documents++;
  if (printed.size === 0 || agrees(measured, printed)) return pdf;
  contentsStats.reprinted++;
  await page.evaluate(fill(printed));
  return print();
}
