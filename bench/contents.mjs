#!/usr/bin/env node
// What a contents page costs a PDF: one warm browser prints the Welsh example policy (~11 pages) and a
// long synthetic one with and without their contents page, interleaved, and times the measuring pass
// (the page laid out in columns to find each heading's page) on its own. Medians of RUNS.
// Usage: npm run build && node bench/contents.mjs [RUNS=15]   (`--quick`: RUNS=5)
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = (file) => import(path.join(root, 'dist', file));
const quick = process.argv.includes('--quick');
const runs = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? (quick ? 5 : 15));

const { checkProfile } = await dist('pipeline/check-profile.js');
const { renderProfilePolicies } = await dist('templates/policies.js');
const { buildDocument, documentSource } = await dist('document/model.js');
const { pageStyle, renderPdf } = await dist('writers/pdf/print.js');
const { contentsStats, measurePages, measuringStyle } = await dist('writers/pdf/contents.js');
const { renderHtml } = await dist('writers/html/html.js');
const { BrowserSession } = await dist('writers/pdf/session.js');
const { findBrowser } = await dist('writers/pdf/finder.js');

const version = {
  version: '1.0',
  status: 'draft',
  date: '2026-04-01',
  nextReviewDate: '2027-04-01',
  approvals: [],
  approverRoles: ['Manager'],
  history: [{ version: '1.0', date: '1 April 2026', summary: 'First draft' }],
};

const report = await checkProfile(path.join(root, 'examples/wales-care-home/keypolicy.yaml'));
const { policies } = await renderProfilePolicies(report.resolved, { date: '2026-04-01' });
const source = await documentSource(policies[0], report.resolved);
const withContents = (contents, markdown = source.markdown) =>
  buildDocument({ ...source, markdown, organisation: { ...source.organisation, contents } }, version);
// The example's body four times over: some 40 pages.
const long = Array.from({ length: 4 }, () => source.markdown).join('\n\n');
const documents = {
  'example policy': [withContents(true), withContents(false)],
  'long policy (4×)': [withContents(true, long), withContents(false, long)],
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const session = new BrowserSession(findBrowser(undefined, process.env));
try {
  for (const [name, [withPage, without]] of Object.entries(documents)) {
    const times = { with: [], without: [], measure: [] };
    for (let i = 0; i < runs + 1; i++) {
      for (const [key, doc] of [
        ['with', withPage],
        ['without', without],
      ]) {
        const start = performance.now();
        await renderPdf(doc, session);
        if (i > 0) times[key].push(performance.now() - start);
      }
      const ms = await session.withPage(async (page) => {
        await page.setContent(renderHtml(withPage, { pageStyle: pageStyle(withPage) + measuringStyle }));
        const start = performance.now();
        await measurePages(page);
        return performance.now() - start;
      });
      if (i > 0) times.measure.push(ms);
    }
    const [w, wo, m] = [median(times.with), median(times.without), median(times.measure)];
    console.log(
      `${name}: ${withPage.contents.length} entries; PDF with contents ${w.toFixed(0)} ms, without ${wo.toFixed(0)} ms` +
        ` (+${(w - wo).toFixed(0)} ms); measuring pass alone ${m.toFixed(1)} ms`,
    );
  }
  console.log(
    `printed again because measuring disagreed: ${contentsStats.reprinted} of ${contentsStats.documents}`,
  );
} finally {
  await session.close();
}
