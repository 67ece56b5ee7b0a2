/**
 * Page furniture marked as artifacts: the content-stream wrapper on hand-written streams, then real
 * prints (one browser for the file) read back by qpdf, pdftotext and pdftoppm, and by a small tokeniser
 * of this test's own that checks every mark on every page is tagged content or an artifact.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../../../src/document/model.js';
import { ContentSyntaxError, markArtifacts, wrapArtifacts } from '../../../../src/writers/pdf/artifacts.js';
import { findBrowser } from '../../../../src/writers/pdf/finder.js';
import { finalisePdf, pageStyle, printOptions, renderPdf } from '../../../../src/writers/pdf/print.js';
import { BrowserSession } from '../../../../src/writers/pdf/session.js';
import { renderHtml } from '../../../../src/writers/html/html.js';
import { tempDir } from '../../../helpers.js';
import { approvedVersion, draftVersion, ENGLAND_APPROVALS, model } from '../docx/fixtures.js';

const wrap = (content: string) =>
  Buffer.from(wrapArtifacts(Buffer.from(content, 'latin1'))).toString('latin1');
const A = '/Artifact BMC\n';
const E = '\nEMC';

describe('wrapArtifacts', () => {
  it('wraps each run of unmarked content that paints, and leaves tagged content alone', () => {
    const header = 'q 1 0 0 1 0 0 cm BT /F1 9 Tf (Header) Tj ET Q';
    const body = '/P <</MCID 0>> BDC BT (Body) Tj ET EMC';
    expect(wrap(`${header}\n${body}\n0 0 9 9 re f\n`)).toBe(
      `${A}${header}${E}\n${body}\n${A}0 0 9 9 re f${E}\n`,
    );
  });

  it('returns the very same stream when nothing needs marking', () => {
    for (const content of ['/P <</MCID 0>> BDC BT (a) Tj ET EMC', 'q 1 0 0 1 5 5 cm /G3 gs Q', '']) {
      const bytes = Buffer.from(content);
      expect(wrapArtifacts(bytes)).toBe(bytes);
    }
  });

  it('reads strings with escapes, nested parentheses and operator names inside them as one operand', () => {
    const text = 'BT (a \\) BDC \\( (EMC) \\\\) Tj [(q) -20 <0041 42> (\\(Q)] TJ ET';
    expect(wrap(text)).toBe(`${A}${text}${E}`);
    const tagged = '/Span <</MCID 0 /ActualText (EMC \\) BDC) /E <</X [(EMC)]>> >> BDC BT (EMC) Tj ET EMC';
    expect(wrap(tagged)).toBe(tagged);
  });

  it('ignores comments, which may name operators too', () => {
    const content = '% BDC here\n/P <</MCID 0>> BDC BT (a) Tj ET EMC % EMC\n0 0 1 1 re f % BMC\n';
    expect(wrap(content)).toBe(
      `% BDC here\n/P <</MCID 0>> BDC BT (a) Tj ET EMC % EMC\n${A}0 0 1 1 re f${E} % BMC\n`,
    );
  });

  it('opens and closes each artifact at one q/Q level, cutting a run at the q and Q it straddles', () => {
    // Chromium closes tagged content after the Q that ends its drawing, so a run can start inside a q.
    const content = 'q /P <</MCID 0>> BDC BT (a) Tj ET EMC 0 0 1 1 re f Q 0 0 2 2 re f q 1 0 0 1 5 5 cm';
    expect(wrap(content)).toBe(
      `q /P <</MCID 0>> BDC BT (a) Tj ET EMC ${A}0 0 1 1 re f${E} Q ${A}0 0 2 2 re f${E} q 1 0 0 1 5 5 cm`,
    );
    // Nested q … Q closed within the run stay inside one artifact.
    const nested = 'q q 0 0 1 1 re S Q q BT (w) Tj ET Q Q /P <</MCID 0>> BDC EMC';
    expect(wrap(nested)).toBe(`${A}q q 0 0 1 1 re S Q q BT (w) Tj ET Q Q${E} /P <</MCID 0>> BDC EMC`);
  });

  it('never splits a text object: unmarked text after tagged text in one BT is marked inside it', () => {
    expect(wrap('BT /P <</MCID 0>> BDC (a) Tj EMC (b) Tj ET')).toBe(
      `BT /P <</MCID 0>> BDC (a) Tj EMC ${A}(b) Tj${E} ET`,
    );
  });

  it('keeps an inline image whole, even when its data holds "EI" or operator names', () => {
    // Unfiltered: the data's length (2 × 1 × 8 bits) is known, and the data is the bytes "EI".
    const plain = 'q BI /W 2 /H 1 /CS /G /BPC 8 ID EI EI Q';
    expect(wrap(plain)).toBe(`${A}${plain}${E}`);
    // Filtered: the first " EI" is followed by what cannot be content, the second by Q.
    const filtered = 'q BI /W 9 /H 9 /CS /RGB /BPC 8 /F /Fl ID x\u00ff EI )( BDC EMC\u0000 EI Q';
    expect(wrap(`/P <</MCID 0>> BDC EMC ${filtered}`)).toBe(`/P <</MCID 0>> BDC EMC ${A}${filtered}${E}`);
  });

  it('separates the markers from operators and strings they touch', () => {
    expect(wrap('/P <</MCID 0>> BDC EMC(a)Tj')).toBe(`/P <</MCID 0>> BDC EMC\n${A}(a)Tj${E}`);
    expect(wrap('BT (a)Tj ET/P <</MCID 0>> BDC EMC')).toBe(`${A}BT (a)Tj ET${E}\n/P <</MCID 0>> BDC EMC`);
  });

  it('is idempotent: what it marked has nothing unmarked left', () => {
    const once = wrap('q BT (h) Tj ET Q /P <</MCID 0>> BDC q EMC 0 0 1 1 re f Q (x) Tj');
    expect(wrap(once)).toBe(once);
  });

  it.each([
    ['an EMC without a BDC', 'EMC'],
    ['marked content left open', '/P <</MCID 0>> BDC (a) Tj'],
    ['a text object left open', 'BT (a) Tj'],
    ['q inside a text object', 'BT q (a) Tj Q ET'],
    ['another operator inside a path', '0 0 1 1 re (a) Tj f'],
    ['an unknown operator', '1 2 zz'],
    ['an unterminated string', 'BT (a Tj ET'],
    ['an operator inside an array', 'BT [(a) Tj] TJ ET'],
    ['operands with no operator', '1 0 0'],
    ['an inline image without EI', 'BI /W 1 /H 1 /F /Fl ID xyz'],
  ])('refuses %s, so the stream is left as it is', (_, content) => {
    expect(() => wrap(content)).toThrow(ContentSyntaxError);
  });
});

describe('markArtifacts on files it should not touch', () => {
  it('leaves a file it cannot read, or with an earlier update, exactly as it is', () => {
    const junk = Buffer.from('%PDF-1.4\nnot really a pdf\n%%EOF\n');
    expect(markArtifacts(junk)).toBe(junk);
  });
});

// ---------------------------------------------------------------------------------------------------
// Real prints.

let session: BrowserSession;
beforeAll(() => {
  session = new BrowserSession(findBrowser(undefined, process.env));
  session.warmUp();
});
afterAll(() => session.close());

const tool = (name: string, args: string[]) =>
  execFileSync(name, args, { encoding: 'latin1', maxBuffer: 64 * 1024 * 1024 });
function saved(pdf: Uint8Array, name = 'policy.pdf'): string {
  const file = path.join(tempDir(), name);
  writeFileSync(file, pdf);
  return file;
}

const documents = {
  draft: () =>
    model('england-supported-living', draftVersion(['Registered Manager', 'Nominated Individual'])),
  approved: () => model('england-supported-living', approvedVersion(ENGLAND_APPROVALS)),
};

/** Chromium's own PDF of a document, before finalisePdf and before artifacts are marked. */
const chromiumPdf = (doc: PolicyDocument) =>
  session.withPage(async (page) => {
    await page.setContent(renderHtml(doc, { pageStyle: pageStyle(doc) }));
    return Buffer.from(await page.pdf(printOptions(30_000)));
  });

/** Each page's decoded content stream, read by qpdf (not by keypolicy's reader). */
function pageContents(file: string): string[] {
  const json = JSON.parse(tool('qpdf', ['--json', '--json-key=pages', file])) as {
    pages: { contents: string[] }[];
  };
  return json.pages.map((page) => {
    expect(page.contents).toHaveLength(1);
    const number = page.contents[0]!.split(' ')[0]!;
    return tool('qpdf', [`--show-object=${number}`, '--filtered-stream-data', file]);
  });
}

/** This test's own tokeniser: enough for Chromium's content (hex glyph strings, no inline images). */
const TOKEN = /\((?:\\.|[^\\)])*\)|<<|>>|<[0-9A-Fa-f\s]*>|\[|\]|\/[^\s/[\]()<>{}%]*|[^\s/[\]()<>{}%]+/g;
const MARKS = new Set(`Tj TJ ' " S s f F f* B B* b b* Do sh`.split(' '));

/**
 * What is painted outside tagged content or an artifact (should be nothing), and how many marks each
 * artifact holds; also checks every artifact opens and closes at one q depth without dipping below it.
 */
function audit(content: string) {
  const stack: { tag: string; depth: number; low: number }[] = [];
  const stray: string[] = [];
  let [depth, operands, marked, texts] = [0, [] as string[], 0, 0];
  for (const [token] of content.matchAll(TOKEN)) {
    if (/^[/(<[\]\d.+-]|^>>$|^(true|false|null)$/.test(token)) {
      operands.push(token);
      continue;
    }
    if (token === 'q') depth++;
    if (token === 'Q') {
      depth--;
      for (const open of stack) open.low = Math.min(open.low, depth);
    }
    if (token === 'BDC' || token === 'BMC') {
      const tag = token === 'BMC' ? operands[0]! : operands.join(' ').includes('/MCID') ? 'MCID' : 'other';
      stack.push({ tag, depth, low: depth });
    }
    if (token === 'EMC') {
      const open = stack.pop()!;
      if (open.tag === '/Artifact')
        expect({ depth, low: open.low }).toEqual({ depth: open.depth, low: open.depth });
    }
    if (MARKS.has(token)) {
      const inArtifact = stack.some((open) => open.tag === '/Artifact');
      if (inArtifact) marked++;
      if (inArtifact && /^(Tj|TJ|'|")$/.test(token)) texts++;
      if (!inArtifact && !stack.some((open) => open.tag === 'MCID')) stray.push(token);
    }
    operands = [];
  }
  expect(stack).toEqual([]);
  return { stray, marked, texts };
}

describe('a printed policy', () => {
  it.each(['draft', 'approved'] as const)(
    'marks its running header, footer and watermark as artifacts, and nothing else changes (%s)',
    async (name) => {
      const doc = await documents[name]();
      const raw = await chromiumPdf(doc);
      const before = saved(finalisePdf(raw, doc), 'before.pdf');
      const after = saved(finalisePdf(markArtifacts(raw), doc), 'after.pdf');
      expect(() => tool('qpdf', ['--check', after])).not.toThrow();
      // Chromium left page furniture unmarked; now every mark on every page is tagged or an artifact,
      // and every page's header and footer text is in an artifact.
      const original = pageContents(before).map(audit);
      expect(original.every((page) => page.stray.includes('Tj'))).toBe(true);
      for (const page of pageContents(after).map(audit)) {
        expect(page.stray).toEqual([]);
        expect(page.texts).toBeGreaterThan(0);
      }
      const qdf = tool('qpdf', ['--qdf', '--object-streams=disable', after, '-']);
      expect(qdf.match(/\/Artifact BMC/g)?.length).toBeGreaterThanOrEqual(original.length);
      // The same text in every mode pdftotext has, and the same pixels.
      for (const mode of [[], ['-layout'], ['-raw']]) {
        const text = (file: string) => tool('pdftotext', [...mode, '-enc', 'UTF-8', file, '-']);
        expect(text(after)).toBe(text(before));
      }
      const pixels = (file: string) => {
        const dir = tempDir();
        tool('pdftoppm', ['-r', '30', '-gray', file, path.join(dir, 'p')]);
        return readdirSync(dir)
          .sort()
          .map((page) => readFileSync(path.join(dir, page)).toString('base64'));
      };
      expect(pixels(after)).toEqual(pixels(before));
      // The file grows by the markers only: well under one per cent.
      expect(readFileSync(after).length - readFileSync(before).length).toBeLessThan(raw.length / 100);
    },
  );

  it('draws the DRAFT watermark inside an artifact', async () => {
    const doc = await documents.draft();
    const pages = pageContents(saved(await renderPdf(doc, session)));
    // The watermark is stroked letters (S) drawn before any tagged content, inside the first artifact.
    for (const content of pages) {
      const first = /\/Artifact BMC([\s\S]*?)\nEMC/.exec(content)?.[1] ?? '';
      expect(first).toMatch(/\bS\b/);
      expect(content.indexOf('/Artifact BMC')).toBeLessThan(content.indexOf('BDC'));
    }
  });

  it('prints the same bytes twice, and marks each page once', async () => {
    const doc = await documents.draft();
    const [first, second] = [await renderPdf(doc, session), await renderPdf(doc, session)];
    expect(first.equals(second)).toBe(true);
    const raw = await chromiumPdf(doc);
    const marked = markArtifacts(raw);
    expect(markArtifacts(marked)).toBe(marked);
  });
});
