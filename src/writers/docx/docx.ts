/**
 * Word output: the document model → a .docx with real Word headings, numbered lists, tables, a contents
 * page (a Word table of contents), a header with the logo (and a DRAFT watermark on drafts) and a footer
 * with "Page X of Y", then made reproducible (same model → same bytes).
 */
import { Document, Paragraph } from 'docx';
import type { PolicyDocument } from '../../document/model.js';
import { blocks, type BodyContext } from './blocks.js';
import { frontMatter } from './front-matter.js';
import { footer, header } from './header-footer.js';
import { numbering } from './numbering.js';
import { documentParts, normalizeDocx } from './package.js';
import { brandOf, documentStyles, MARGIN, PAGE } from './styles.js';
import { svgAsPng } from './svg-raster.js';
import { historyTable, signOff } from './tables.js';
import { xmlSafe } from './xml-safe.js';

/** The docx `Document` for a policy (before packing). */
function buildWordDocument(doc: PolicyDocument, logoRaster: Buffer | undefined): Document {
  const brand = brandOf(doc.brandColour);
  const depths = doc.body.children.filter((n) => n.type === 'heading').map((n) => n.depth);
  // After a contents page the body starts a page of its own: its first heading breaks the page, or
  // an empty paragraph does when the body starts with something else.
  const contents = (doc.contents?.length ?? 0) > 0;
  const startsWithHeading = doc.body.children[0]?.type === 'heading';
  const breakBefore = { pending: contents && startsWithHeading };
  const ctx: BodyContext = {
    doc,
    anchors: new Set((doc.contents ?? []).map((entry) => entry.id)),
    breakBefore,
    top: depths.length ? Math.min(...depths) : 1,
    starts: new Set([1]),
    nextInstance: 1,
  };
  const body = blocks(doc.body.children, ctx);
  if (contents && !startsWithHeading)
    body.unshift(new Paragraph({ pageBreakBefore: true, spacing: { before: 0, after: 0 } }));
  const title = xmlSafe(doc.metadata.title);
  return new Document({
    title,
    creator: xmlSafe(doc.metadata.author),
    lastModifiedBy: xmlSafe(doc.metadata.author),
    subject: xmlSafe(doc.metadata.subject),
    description: xmlSafe(`${doc.metadata.subject}. ${doc.footer.version}.`),
    keywords: xmlSafe(['policy', doc.draft ? 'draft' : 'approved', doc.organisation.name].join('; ')),
    revision: 1,
    styles: documentStyles(brand, doc.lang),
    numbering: numbering(ctx.starts),
    sections: [
      {
        properties: {
          page: {
            size: { width: PAGE.width, height: PAGE.height },
            margin: { ...MARGIN, gutter: 0 },
          },
        },
        headers: { default: header(doc, brand, logoRaster) },
        footers: { default: footer(doc) },
        children: [...frontMatter(doc, brand), ...body, ...historyTable(doc), ...signOff(doc)],
      },
    ],
  });
}

/** Render a policy as a Word document; the same model always gives the same bytes. */
export async function renderDocx(doc: PolicyDocument): Promise<Buffer> {
  const logoRaster = doc.logo?.mime === 'image/svg+xml' ? await svgAsPng(doc.logo.data) : undefined;
  return normalizeDocx(await documentParts(buildWordDocument(doc, logoRaster)), doc.metadata.date);
}
