import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../../../src/document/model.js';
import { xmlSafe } from '../../../../src/writers/docx/xml-safe.js';
import { paragraphs, renderBody, unescapeXml, useExamples } from './fixtures.js';

const { docs } = useExamples();

describe('body mapping', () => {
  const render = (markdown: string, changes: Partial<PolicyDocument> = {}) =>
    renderBody(docs.englandDraft!, markdown, changes);

  it('restarts ordered lists, nests lists and keeps a list start', async () => {
    const { parts, paras } = await render(
      '## A\n\n1. one\n2. two\n\nBetween.\n\n1. again\n   - nested bullet\n     1. deep\n\nAnd.\n\n3. three\n4. four\n',
    );
    const numOf = (text: string) => {
      const p = paras.find((x) => x.text === text)!;
      return {
        id: /<w:numId w:val="(\d+)"/.exec(p.xml)?.[1],
        level: /<w:ilvl w:val="(\d+)"/.exec(p.xml)?.[1],
      };
    };
    expect(numOf('one').id).toBe(numOf('two').id);
    expect(numOf('again').id).not.toBe(numOf('one').id);
    expect(numOf('nested bullet').level).toBe('1');
    expect(numOf('deep').level).toBe('2');
    const numbering = parts['word/numbering.xml']!;
    const abstractOf = (id: string | undefined) =>
      new RegExp(`<w:num w:numId="${id}"[^>]*><w:abstractNumId w:val="(\\d+)"/>`).exec(numbering)?.[1];
    const levelZero = (id: string | undefined) =>
      new RegExp(
        `<w:abstractNum [^>]*w:abstractNumId="${abstractOf(id)}"[\\s\\S]*?<w:lvl w:ilvl="0"[^>]*>([\\s\\S]*?)</w:lvl>`,
      ).exec(numbering)?.[1];
    expect(levelZero(numOf('one').id)).toContain('<w:numFmt w:val="decimal"/>');
    expect(levelZero(numOf('three').id)).toContain('<w:start w:val="3"/>');
    expect(levelZero(numOf('one').id)).toContain('<w:start w:val="1"/>');
    // Each ordered list's own instance starts again at its start value.
    expect(numbering).toMatch(
      new RegExp(`<w:num w:numId="${numOf('again').id}"[^>]*>[\\s\\S]*?<w:startOverride w:val="1"/>`),
    );
  });

  it('gives every bulleted list one shared numbering instance, as bullets never count', async () => {
    const { paras } = await render('## A\n\n- a\n- b\n\nBetween.\n\n- c\n\n1. one\n');
    const numId = (text: string) =>
      /<w:numId w:val="(\d+)"/.exec(paras.find((x) => x.text === text)!.xml)?.[1];
    expect(numId('a')).toBeDefined();
    expect(numId('c')).toBe(numId('a'));
    expect(numId('one')).not.toBe(numId('a'));
  });

  it('maps emphasis, links, code, quotes, rules and tables, and leaves the logo to the header', async () => {
    const { parts, paras } = await render(
      [
        '## Inline',
        '',
        'Some **bold**, *italic*, ~~struck~~ and `code`, a [site](https://example.org/a?b=1&c=2) and [mail](mailto:a@example.org).',
        '',
        '> Quoted words.',
        '',
        '---',
        '',
        '| Left | Right |',
        '| :--- | ----: |',
        '| a | b |',
        '',
        '![Our logo](keypolicy:logo)',
        '',
        '```',
        'line one',
        'line two',
        '```',
      ].join('\n'),
    );
    const document = parts['word/document.xml']!;
    const rels = parts['word/_rels/document.xml.rels']!;
    const run = (text: string) =>
      new RegExp(`<w:r>(?:(?!</w:r>).)*<w:t xml:space="preserve">${text}</w:t></w:r>`).exec(document)?.[0];
    expect(run('bold')).toContain('<w:b/>');
    expect(run('italic')).toContain('<w:i/>');
    expect(run('struck')).toContain('<w:strike/>');
    expect(run('code')).toContain('Courier New');
    const link = /<w:hyperlink [^>]*r:id="(rId\d+)"[^>]*>[\s\S]*?site[\s\S]*?<\/w:hyperlink>/.exec(document);
    expect(link).not.toBeNull();
    expect(rels).toContain(
      `Id="${link![1]}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.org/a?b=1&amp;c=2" TargetMode="External"`,
    );
    expect(rels).toContain('Target="mailto:a@example.org" TargetMode="External"');
    expect(paras.find((p) => p.text === 'Quoted words.')?.style).toBe('KpQuote');
    expect(document).toMatch(/<w:pBdr><w:bottom w:val="single"/);
    expect(document).toMatch(/<w:tbl>[\s\S]*Left[\s\S]*<w:jc w:val="right"\/>[\s\S]*Right[\s\S]*<\/w:tbl>/);
    // The header shows the logo on every page: drawn in the body too, a page would show it twice.
    expect(document).not.toContain('<w:drawing>');
    expect(parts['word/header1.xml']).toMatch(/<wp:docPr id="\d+" name="Logo"/);
    expect(paras.find((p) => p.text.startsWith('line one'))?.xml).toContain('<w:br/>');
  });

  it('strips characters XML forbids and keeps everything else literally', async () => {
    const nasty = 'A\u0000B\u0007C\u001FD\uFFFE\uD800E & < > " \' 🙂 שלום مرحبا';
    const clean = 'ABCDE & < > " \' 🙂 שלום مرحبا';
    expect(xmlSafe(nasty)).toBe(clean);
    const { parts, paras } = await render('', {
      // Built directly: the Markdown parser itself would turn NUL into U+FFFD.
      body: {
        type: 'root',
        children: [
          { type: 'heading', depth: 2, children: [{ type: 'text', value: nasty }] },
          { type: 'paragraph', children: [{ type: 'text', value: nasty }] },
        ],
      },
      title: nasty,
      organisation: { name: nasty, registrations: [{ label: nasty, value: nasty }] },
      metadata: { title: nasty, author: nasty, subject: nasty, date: '2026-04-01' },
      footer: { title: nasty, version: 'Version 1.0', uncontrolled: false, copyright: nasty },
      history: [{ version: '1.0', date: '1 April 2026', summary: nasty }],
    });
    const forbidden =
      // eslint-disable-next-line no-control-regex
      /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])/;
    for (const [part, text] of Object.entries(parts)) expect(text, part).not.toMatch(forbidden);
    expect(paras.find((p) => p.style === 'Title')?.text).toBe(clean);
    expect(paras.find((p) => p.style === 'Heading1')?.text).toBe(clean);
    expect(paras.filter((p) => p.text === clean).length).toBeGreaterThanOrEqual(3);
    expect(paragraphs(parts['word/footer1.xml']!).map((p) => p.text)).toContain(clean);
    const core = parts['docProps/core.xml']!;
    expect(unescapeXml(/<dc:title>([^<]*)<\/dc:title>/.exec(core)?.[1] ?? '')).toBe(clean);
    expect(unescapeXml(/<dc:creator>([^<]*)<\/dc:creator>/.exec(core)?.[1] ?? '')).toBe(clean);
  });
});
