/**
 * Every profile field that describes the organisation is printed, or documented below as used for
 * something else. The schema is walked, so a new field fails here until it is printed or documented.
 * Each printed field gets a value no other field has, and every value is looked for in the text of the
 * PDF, the DOCX and the HTML that a real build writes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBinary, tempDir } from '../helpers.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const schema = JSON.parse(readFileSync(path.join(ROOT, 'schemas/profile.schema.json'), 'utf8')) as Node;

interface Node {
  type?: string;
  properties?: Record<string, Node>;
  items?: Node;
}

/** The sections of the profile that say who the organisation is. */
const SECTIONS = ['organisation', 'registration', 'people', 'service'];

/** Fields that describe the organisation but are not printed as text, and what they are used for. */
const USED_OTHERWISE: Record<string, string> = {
  'organisation.logo': 'drawn as the logo in the header of every page',
  'organisation.brandColour': 'colours the headings, rules and tables',
  'service.type': 'chooses the vocabulary and the sections for the kind of service',
  'service.nursing': 'adds the nursing team’s part (medication, clinical responsibility) to the policy',
};

/** Every leaf under the identity sections: `people.registeredManager.email`, `organisation.address.lines`. */
function leaves(node: Node, at: string): string[] {
  if (node.type === 'object' && node.properties)
    return Object.entries(node.properties).flatMap(([key, child]) => leaves(child, `${at}.${key}`));
  return [at];
}
const identityFields = SECTIONS.flatMap((section) => leaves(schema.properties?.[section] ?? {}, section));

/** Unique values, one per printed field (a fixed prefix keeps them out of the policy's own words). */
const ENGLAND: Record<string, string> = {
  'organisation.name': 'Qzv Trading Care',
  'organisation.legalName': 'Qzv Legal Holdings Limited',
  'organisation.address.lines': 'Qzv Street One',
  'organisation.address.postcode': 'QZ1 9VV',
  'organisation.contact.telephone': '0191 555 0101',
  'organisation.contact.email': 'office@qzv-care.org',
  'organisation.contact.website': 'https://qzvcare.example.org',
  'registration.cqcProviderId': '1-900000001',
  'registration.cqcLocationId': '1-900000002',
  'people.registeredManager.firstName': 'Qzvrmfirst',
  'people.registeredManager.lastName': 'Qzvrmlast',
  'people.registeredManager.jobTitle': 'Qzv Head of Care',
  'people.registeredManager.email': 'rm@qzv-care.org',
  'people.registeredManager.telephone': '0191 555 0102',
  'people.nominatedIndividual.firstName': 'Qzvnifirst',
  'people.nominatedIndividual.lastName': 'Qzvnilast',
  'people.nominatedIndividual.jobTitle': 'Qzv Operations Director',
  'people.nominatedIndividual.email': 'ni@qzv-care.org',
  'people.nominatedIndividual.telephone': '0191 555 0103',
  'service.name': 'Qzv Supported Living East',
};

const WALES: Record<string, string> = {
  'organisation.name': 'Qzw Cartref',
  'organisation.legalName': 'Qzw Gofal Cyfyngedig',
  'organisation.address.lines': 'Qzw Heol Un',
  'organisation.address.postcode': 'QW2 8WW',
  'organisation.contact.telephone': '029 5550 0201',
  'organisation.contact.email': 'post@qzw-gofal.org',
  'organisation.contact.website': 'https://qzwgofal.example.org',
  'registration.ciwServiceId': 'SIN-90000001-QZWA',
  'registration.ciwProviderId': 'PRV-90000002-QZWB',
  'people.responsibleIndividual.firstName': 'Qzwrifirst',
  'people.responsibleIndividual.lastName': 'Qzwrilast',
  'people.responsibleIndividual.jobTitle': 'Qzw Director',
  'people.responsibleIndividual.email': 'ri@qzw-gofal.org',
  'people.responsibleIndividual.telephone': '029 5550 0202',
  'people.manager.firstName': 'Qzwmfirst',
  'people.manager.lastName': 'Qzwmlast',
  'people.manager.jobTitle': 'Qzw Home Manager',
  'people.manager.email': 'manager@qzw-gofal.org',
  'people.manager.telephone': '029 5550 0203',
  'people.manager.socialCareWalesRegistration': 'Q9081726',
  'service.name': 'Qzw Care Home North',
};

/** A nested profile from dotted paths (lists take the value as their one item). */
function profileOf(values: Record<string, string>, extra: Record<string, unknown>): unknown {
  const out: Record<string, unknown> = structuredClone(extra);
  for (const [key, value] of Object.entries(values)) {
    const parts = key.split('.');
    let at = out;
    for (const part of parts.slice(0, -1)) at = (at[part] ??= {}) as Record<string, unknown>;
    at[parts.at(-1) as string] = key === 'organisation.address.lines' ? [value] : value;
  }
  return out;
}

const flat = (text: string) => text.replace(/\s+/g, ' ');

/** The text of every part of a DOCX that Word shows: body, headers and footers. */
async function docxText(file: string): Promise<string> {
  const zip = await JSZip.loadAsync(readFileSync(file));
  const parts = Object.keys(zip.files).filter((name) =>
    /^word\/(document|header\d*|footer\d*)\.xml$/.test(name),
  );
  const xml = (
    await Promise.all(parts.map((name) => zip.file(name)?.async('string') ?? Promise.resolve('')))
  ).join(' ');
  return flat(
    [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>|<w:p[ >]/g)]
      .map((m) => (m[1] === undefined ? ' ' : m[1]))
      .join('')
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'"),
  );
}

const htmlText = (file: string) =>
  flat(
    readFileSync(file, 'utf8')
      .replace(/<style[\s\S]*?<\/style>/g, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&amp;/g, '&')
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"'),
  );

const hasPdftotext = spawnSync('pdftotext', ['-v']).error === undefined;

describe('the organisation’s identity on every edition', () => {
  it('prints every identity field of the schema or documents what it is used for', () => {
    const covered = new Set([...Object.keys(ENGLAND), ...Object.keys(WALES), ...Object.keys(USED_OTHERWISE)]);
    expect(identityFields.filter((field) => !covered.has(field))).toEqual([]);
    expect([...covered].filter((field) => !identityFields.includes(field))).toEqual([]);
  });

  const editions: Record<string, Record<string, string>> = {};
  beforeAll(() => {
    const extra = {
      documentControl: { firstIssued: '2019-02-03' },
      keyWorking: { relatedPolicies: [{ title: 'Medication' }] },
    };
    const england = profileOf(ENGLAND, {
      ...extra,
      nation: 'england',
      service: { type: 'supported-living' },
    });
    const wales = profileOf(WALES, { ...extra, nation: 'wales', service: { type: 'care-home' } });
    // JSON is YAML: the profiles are written as JSON so every value is read exactly as given.
    const dir = tempDir({ 'england.yaml': JSON.stringify(england), 'wales.yaml': JSON.stringify(wales) });
    const built = runBinary(dir, [
      'build',
      'england.yaml',
      'wales.yaml',
      '--out',
      'out',
      '--date',
      '2026-04-01',
      '--format',
      'pdf,docx,html',
      '--quiet',
    ]);
    expect(built.stderr).toBe('');
    expect(built.status).toBe(0);
    for (const [nation, slug] of [
      ['england', 'qzv-trading-care'],
      ['wales', 'qzw-cartref'],
    ] as const) {
      editions[nation] = {
        html: path.join(dir, 'out', slug, 'key-worker-policy.html'),
        docx: path.join(dir, 'out', slug, 'key-worker-policy.docx'),
        pdf: path.join(dir, 'out', slug, 'key-worker-policy.pdf'),
      };
    }
  }, 120_000);

  for (const [nation, values] of [
    ['england', ENGLAND],
    ['wales', WALES],
  ] as const) {
    it(`${nation}: every value is in the HTML, DOCX and PDF text, with the first-issued date and the legal name's copyright`, async () => {
      const files = editions[nation] as Record<string, string>;
      const texts: Record<string, string> = {
        html: htmlText(files.html as string),
        docx: await docxText(files.docx as string),
      };
      if (hasPdftotext)
        texts.pdf = flat(execFileSync('pdftotext', [files.pdf as string, '-'], { encoding: 'utf8' }));
      const legal = values['organisation.legalName'] as string;
      for (const [format, text] of Object.entries(texts)) {
        const missing = Object.entries(values).filter(([, value]) => !text.includes(value));
        expect(missing, `${nation} ${format}`).toEqual([]);
        expect(text, format).toContain('3 February 2019');
        expect(text, format).toContain(`© ${legal}`);
        // A PDF's text comes out in reading order, which may take a table's labels before its values.
        if (format !== 'pdf') {
          expect(text, format).toContain('First issued 3 February 2019');
          expect(text, format).toContain(`Legal name ${legal}`);
        }
      }
    });
  }
});
