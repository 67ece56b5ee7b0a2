/**
 * The real CLI builds every example to PDF, DOCX, HTML and Markdown, and the outputs are read back:
 * PDF text and metadata (pdftotext, pdfinfo), the DOCX's XML, the HTML. A second build in another process
 * (another time zone) must give the same bytes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBinary, tempDir } from '../helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Builds record versions in a register beside each profile, so they run on a copy of the examples.
const copy = tempDir();
cpSync(path.join(root, 'examples'), path.join(copy, 'examples'), {
  recursive: true,
  // The README's quick start leaves a register beside an example; each test starts without one.
  filter: (source) => !source.endsWith('.register.yaml'),
});
const examples = [
  'examples/england-supported-living/keypolicy.yaml',
  'examples/wales-care-home/keypolicy.yaml',
  'examples/england-domiciliary-link/keypolicy.yaml',
  'examples/consultant/clients/ashcombe-house.yaml',
  'examples/consultant/clients/gofal-glannau.yaml',
].map((p) => path.join(copy, p));

const keypolicy = (args: string[], env: Record<string, string> = {}) => runBinary(root, args, env);

interface Listing {
  ok: boolean;
  profiles: {
    profile: string;
    slug: string;
    files: { policy: string; format: string; file: string; sha256: string }[];
  }[];
}

const tool = (name: string) => {
  const found = spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
  // Browser and reader tests never skip silently in CI: a missing tool is a failure there.
  if (!found && process.env.CI)
    throw new Error(`${name} is required for the end-to-end tests (run npm run setup)`);
  return found;
};

describe('keypolicy build', () => {
  let out: string;
  let listing: Listing;
  const file = (slug: string, name: string) => path.join(out, slug, name);

  beforeAll(() => {
    out = tempDir();
    const result = keypolicy([
      'build',
      ...examples,
      '--out',
      out,
      '--date',
      '2026-04-01',
      '--format',
      'pdf,docx,html,md',
      '--json',
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    listing = JSON.parse(result.stdout) as Listing;
  }, 180_000);

  it('writes OUT/<slug>/<title>.<ext> for every example, named in the chosen terminology', () => {
    expect(listing.ok).toBe(true);
    expect(listing.profiles.map((p) => p.slug).sort()).toEqual([
      'ashcombe-house-taunton',
      'gofal-glannau',
      'larkspur-community-support',
      'ty-celyn-care-home',
      'wendle-valley-home-care',
    ]);
    expect(readdirSync(path.join(out, 'wendle-valley-home-care')).sort()).toEqual([
      'link-worker-policy.docx',
      'link-worker-policy.html',
      'link-worker-policy.md',
      'link-worker-policy.pdf',
      'manifest.json',
    ]);
    for (const profile of listing.profiles) {
      for (const f of profile.files) expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('prints a PDF with the title, numbered headings, the organisation and "Page X of Y" on A4', () => {
    if (!tool('pdftotext')) return;
    const pdf = file('ty-celyn-care-home', 'key-worker-policy.pdf');
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('Key Worker Policy');
    expect(text).toContain('Tŷ Celyn Care Home');
    expect(text).toContain('CIW service registration: SIN-00004817-KQWP');
    expect(text).toMatch(/1 Purpose and aims/);
    expect(text).toMatch(/\n\s*2\.1 /);
    expect(text).toContain('Document control');
    expect(text).toContain('Version history');
    expect(text).toContain('Printed copies are uncontrolled');
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))?.[1]);
    expect(pages).toBeGreaterThan(2);
    expect(text).toContain(`Page 1 of ${pages}`);
    expect(text).toContain(`Page ${pages} of ${pages}`);
    expect(text.match(/DRAFT/g)?.length).toBeGreaterThanOrEqual(pages);
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    expect(info).toMatch(/Title:\s+Key Worker Policy/);
    expect(info).toMatch(/Author:\s+Tŷ Celyn Care Home/);
    expect(info).toMatch(/Subject:\s+Key Worker Policy — Tŷ Celyn Care Home/);
    expect(info).toMatch(/Tagged:\s+yes/);
    expect(info).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);
    expect(info).toMatch(/CreationDate:\s+Wed Apr\s+1 00:00:00 2026/);
    if (tool('qpdf')) expect(spawnSync('qpdf', ['--check', pdf]).status).toBe(0);
  });

  it('gives the link-worker edition no trace of the other term in any format', async () => {
    const dir = path.join(out, 'wendle-valley-home-care');
    const html = readFileSync(path.join(dir, 'link-worker-policy.html'), 'utf8');
    const md = readFileSync(path.join(dir, 'link-worker-policy.md'), 'utf8');
    const docx = await JSZip.loadAsync(readFileSync(path.join(dir, 'link-worker-policy.docx')));
    const xml = (await docx.file('word/document.xml')?.async('string')) ?? '';
    const pdf = tool('pdftotext')
      ? execFileSync('pdftotext', [path.join(dir, 'link-worker-policy.pdf'), '-'], { encoding: 'utf8' })
      : '';
    for (const text of [html, md, xml, pdf]) {
      expect(text).toMatch(/link worker/i);
      expect(text).not.toMatch(/key[\s-]?workers?/i);
    }
  });

  it('writes one self-contained HTML file in British English', () => {
    const html = readFileSync(file('larkspur-community-support', 'key-worker-policy.html'), 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en-GB">/);
    expect(html).toContain('<img src="data:image/png;base64,');
    expect(html).not.toMatch(/<(script|link|iframe)\b/i);
    expect(html).not.toMatch(/(src|href)="(?!data:|https?:|mailto:|#)/);
    expect(html).toMatch(/<h2 id="section-1">1 Purpose and aims<\/h2>/);
    expect(html).toContain('<caption>Document control</caption>');
  });

  it('writes a DOCX with Word headings, a numbered footer and the document properties', async () => {
    const docx = await JSZip.loadAsync(readFileSync(file('ty-celyn-care-home', 'key-worker-policy.docx')));
    const xml = (await docx.file('word/document.xml')?.async('string')) ?? '';
    expect(xml).toMatch(/<w:pStyle w:val="Heading1"\/>/);
    expect(xml).toMatch(/<w:pStyle w:val="Heading2"\/>/);
    const footers = await Promise.all(docx.file(/word\/footer\d*\.xml/).map((f) => f.async('string')));
    expect(footers.join('')).toMatch(/PAGE/);
    expect(footers.join('')).toMatch(/NUMPAGES/);
    const core = (await docx.file('docProps/core.xml')?.async('string')) ?? '';
    expect(core).toContain('<dc:title>Key Worker Policy</dc:title>');
    expect(core).toContain('Tŷ Celyn Care Home');
    expect(core).toContain('2026-04-01T00:00:00Z');
  });

  it('prints the same pages with the desktop Chromium as with the headless shell it prefers', () => {
    if (!tool('chromium') || !tool('pdftotext')) return;
    const desktop = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find(existsSync)!;
    const again = tempDir();
    const result = keypolicy([
      'build',
      examples[1]!,
      '--out',
      again,
      '--date',
      '2026-04-01',
      '--format',
      'pdf',
      '--browser',
      desktop,
    ]);
    expect(result.status).toBe(0);
    const text = (pdf: string) => execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    const printed = path.join(again, 'ty-celyn-care-home', 'key-worker-policy.pdf');
    expect(text(printed)).toBe(text(file('ty-celyn-care-home', 'key-worker-policy.pdf')));
    expect(execFileSync('pdfinfo', [printed], { encoding: 'utf8' })).toMatch(/Tagged:\s+yes/);
    expect(readFileSync(printed, 'latin1')).toContain('/Outlines');
  }, 60_000);

  it('gives byte-identical files when built again in another process and time zone', () => {
    const again = tempDir();
    const result = keypolicy(
      ['build', ...examples.slice(0, 2), '--out', again, '--date', '2026-04-01', '--json'],
      {
        TZ: 'Pacific/Kiritimati',
      },
    );
    expect(result.status).toBe(0);
    const second = JSON.parse(result.stdout) as Listing;
    const hashes = (l: Listing) =>
      l.profiles.flatMap((p) =>
        p.files.filter((f) => f.format !== 'md').map((f) => `${p.slug}/${f.format}:${f.sha256}`),
      );
    expect(hashes(second)).toEqual(hashes(listing).filter((h) => /^(larkspur|ty-celyn)/.test(h)));
  }, 180_000);
});

describe('keypolicy build without a browser', () => {
  it('exits 3 with KP_BROWSER_NOT_FOUND and how to install one', () => {
    const dir = tempDir();
    const result = keypolicy([
      'build',
      examples[0]!,
      '--out',
      dir,
      '--format',
      'pdf',
      '--browser',
      '/nonexistent/chrome',
    ]);
    expect(result.status).toBe(3);
    expect(result.stderr).toContain('KP_BROWSER_NOT_FOUND');
    expect(result.stderr).toContain('apt-get install chromium');
    expect(existsSync(path.join(dir, 'larkspur-community-support'))).toBe(false);
  });

  it('exits 3 with KP_BROWSER_FAILED and the browser’s own complaint when it cannot start', () => {
    const dir = tempDir({
      'broken-chrome': '#!/bin/sh\necho "error while loading shared libraries: libnss3.so" >&2\nexit 127\n',
    });
    chmodSync(path.join(dir, 'broken-chrome'), 0o755);
    const result = keypolicy([
      'build',
      examples[0]!,
      '--out',
      path.join(dir, 'out'),
      '--format',
      'pdf',
      '--browser',
      path.join(dir, 'broken-chrome'),
    ]);
    expect(result.status).toBe(3);
    expect(result.stderr).toContain('KP_BROWSER_FAILED');
    expect(result.stderr).toContain('libnss3.so');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('builds Markdown and HTML without looking for one', () => {
    const dir = tempDir();
    const result = keypolicy([
      'build',
      examples[2]!,
      '--out',
      dir,
      '--format',
      'md,html',
      '--browser',
      '/nonexistent/chrome',
    ]);
    expect(result.status).toBe(0);
  });
});
