/**
 * Consultants' own templates through the real CLI: the seed plain-text template built in every format
 * and read back (PDF text, the DOCX's XML, the HTML), and `templates new` making a pack that passes
 * `templates --check` and builds.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { runTemplatesNew } from '../../src/commands/templates-sections.js';
import { runBinary, runCli, tempDir, WALES_MINIMAL, ENGLAND_MINIMAL } from '../helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const PACK = path.join(root, 'examples/consultant/templates');

const tool = (name: string) => {
  const found = spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
  if (!found && process.env.CI) throw new Error(`${name} is required for the end-to-end tests`);
  return found;
};

/** An Io that keeps what a command writes. */
function io(cwd: string) {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      cwd,
      env: { NO_COLOR: '1' },
      stdout: { write: (s: string) => (out.stdout += s) },
      stderr: { write: (s: string) => (out.stderr += s) },
      interactive: false,
    },
  };
}

const count = (text: string, word: string) => text.split(word).length - 1;

describe('the seed plain-text template, built as a consultant would', () => {
  let dir: string;
  let folder: string;
  beforeAll(() => {
    dir = tempDir({ 'keypolicy.yaml': WALES_MINIMAL });
    const result = runBinary(dir, [
      'build',
      '--templates',
      PACK,
      '--policy',
      'key-workers-policy',
      '--date',
      '2026-04-01',
      '--format',
      'pdf,docx,html,md',
      '--out',
      'out',
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    folder = path.join(dir, 'out', 'cartref-gofal-cyf');
  }, 180_000);

  it('prints the HTML with its own numbered headings, real lists and the title block once', () => {
    const html = readFileSync(path.join(folder, 'key-workers-policy.html'), 'utf8');
    expect(html).toMatch(/<h1[^>]*>Key Workers Policy<\/h1>/);
    expect(html).toMatch(/<h2 id="section-1"[^>]*>1\. Purpose<\/h2>/);
    expect(html).toMatch(/<h3 id="section-4-1"[^>]*>4\.1\. Building a Relationship of Trust<\/h3>/);
    expect(html).toContain('<li>Define the role and responsibilities of Key Workers.</li>');
    expect(html).not.toMatch(/Key Workers Policy 1\. Purpose/);
    expect(html).not.toContain('Registration Number:');
    expect(count(html, '<h1')).toBe(1);
    expect(html).toContain('Responsible Person: Ffion Jones');
  });

  it('writes the DOCX with Word headings numbered as written and list paragraphs', async () => {
    const zip = await JSZip.loadAsync(readFileSync(path.join(folder, 'key-workers-policy.docx')));
    const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
    const paragraphs = [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((m) => m[0]);
    const text = (p: string) => [...p.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
    const headings = paragraphs.filter((p) => /<w:pStyle w:val="Heading\d"\/>/.test(p)).map(text);
    expect(headings).toContain('1. Purpose');
    expect(headings).toContain('4.1. Building a Relationship of Trust');
    expect(headings.some((h) => /^\d+ \d+\./.test(h))).toBe(false);
    const items = paragraphs.filter((p) => p.includes('<w:numPr>')).map(text);
    expect(items).toContain('Define the role and responsibilities of Key Workers.');
    expect(count(xml, 'Registration Number')).toBe(0);
  });

  it('prints the PDF with the same words', () => {
    if (!tool('pdftotext')) return;
    const text = execFileSync('pdftotext', [path.join(folder, 'key-workers-policy.pdf'), '-'], {
      encoding: 'utf8',
    });
    expect(text).toContain('Key Workers Policy');
    expect(text).toContain('1. Purpose');
    expect(text).toContain('4.1. Building a Relationship of Trust');
    expect(text).toContain('Define the role and responsibilities of Key Workers.');
    expect(text).not.toContain('Registration Number:');
  });

  it('keeps the Markdown edition as rendered, numbers as written', () => {
    const md = readFileSync(path.join(folder, 'key-workers-policy.md'), 'utf8');
    expect(md).toContain('## 1. Purpose');
    expect(md).toContain('### 8.2. Internal Audits and Quality Assurance');
  });
});

describe('keypolicy templates new', () => {
  it('makes a pack that passes templates --check and builds', async () => {
    const dir = tempDir({ 'keypolicy.yaml': ENGLAND_MINIMAL });
    const made = await runCli(['templates', 'new', 'our-templates'], dir);
    expect(made.code).toBe(0);
    expect(made.stdout).toContain('example-text-policy.txt');
    const checked = await runCli(['templates', '--templates', 'our-templates', '--check'], dir);
    expect(checked.stderr).toBe('');
    expect(checked.code).toBe(0);
    expect(checked.stdout).toMatch(/3 templates checked: 0 errors/);
    expect(checked.stdout).toMatch(/example-text-policy v1\.0\.0 \(plain text\)/);
    const again = io(dir);
    expect(await runTemplatesNew({ dir: 'our-templates' }, again.io)).toBe(1);
    expect(again.out.stderr).toContain('is not empty');
    const built = await runCli(
      [
        'build',
        '--templates',
        'our-templates',
        '--policy',
        'example-policy',
        '--policy',
        'example-text-policy',
        '--format',
        'html',
        '--date',
        '2026-04-01',
      ],
      dir,
    );
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
    const html = readFileSync(
      path.join(dir, 'policies/riverside-support-ltd/example-text-policy.html'),
      'utf8',
    );
    expect(html).toContain('2.1. The manager');
    expect(html).toContain('Priya Shah makes sure every person we support has a named key worker.');
  });
});

describe('the example Word template, built through --templates', () => {
  let folder: string;
  beforeAll(() => {
    const dir = tempDir({ 'keypolicy.yaml': ENGLAND_MINIMAL });
    const result = runBinary(dir, [
      'build',
      '--templates',
      PACK,
      '--policy',
      'staff-supervision-policy',
      '--date',
      '2026-04-01',
      '--format',
      'pdf,docx,html',
      '--out',
      'out',
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    folder = path.join(dir, 'out', 'riverside-support-ltd');
  }, 180_000);

  it('fills the fields (one split across runs) and keeps headings, list and table in the DOCX', async () => {
    const zip = await JSZip.loadAsync(readFileSync(path.join(folder, 'staff-supervision-policy.docx')));
    const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
    const paragraphs = [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((m) => m[0]);
    const text = (p: string) => [...p.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
    const all = paragraphs.map(text);
    expect(all).toContain(
      'This policy sets out how Riverside Support Ltd supervises the staff who support each person we support, and each key worker in particular.',
    );
    const headings = paragraphs.filter((p) => /<w:pStyle w:val="Heading\d"\/>/.test(p)).map(text);
    expect(headings).toEqual(expect.arrayContaining(['1. Purpose', '3. Who supervises whom']));
    expect(paragraphs.filter((p) => p.includes('<w:numPr>')).map(text)).toContain('when they ask for it');
    expect(xml).toMatch(/<w:tbl>[\s\S]*Senior care staff[\s\S]*Priya Shah[\s\S]*<\/w:tbl>/);
  });

  it('prints the HTML and PDF from the same content, titled by the first Heading 1', () => {
    const html = readFileSync(path.join(folder, 'staff-supervision-policy.html'), 'utf8');
    expect(html).toMatch(/<h1[^>]*>Staff Supervision Policy<\/h1>/);
    expect(html).toMatch(/<td>Senior care staff<\/td>\s*<td>Priya Shah<\/td>/);
    if (!tool('pdftotext')) return;
    const pdf = execFileSync('pdftotext', [path.join(folder, 'staff-supervision-policy.pdf'), '-'], {
      encoding: 'utf8',
    });
    expect(pdf).toContain('Staff Supervision Policy');
    expect(pdf).toContain('2. How often');
    expect(pdf).toContain('Priya Shah');
  });
});

describe('a plain-text edition signed off', () => {
  it('is drawn from its snapshot with the numbers as written, never numbered twice', async () => {
    const dir = tempDir({
      'keypolicy.yaml': `${ENGLAND_MINIMAL}templates: [${JSON.stringify(PACK)}]\npolicies: [key-workers-policy]\n`,
    });
    const built = await runCli(['build', '--format', 'html', '--date', '2026-04-01'], dir);
    expect(built.stderr).toBe('');
    const approved = await runCli(
      ['approve', '--by', 'Priya Shah', '--role', 'Registered Manager', '--date', '2026-04-02'],
      dir,
    );
    expect(approved.stderr).toBe('');
    expect(approved.code).toBe(0);
    const html = readFileSync(
      path.join(dir, 'policies/riverside-support-ltd/in-force/key-workers-policy.html'),
      'utf8',
    );
    expect(html).toMatch(/<h2 id="section-4"[^>]*>4\. Role and Responsibilities of a Key Worker<\/h2>/);
    expect(html).toContain('Priya Shah');
    expect(html).not.toContain('DRAFT');
  });
});
