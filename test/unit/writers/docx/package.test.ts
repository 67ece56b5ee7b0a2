import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { renderDocx } from '../../../../src/writers/docx/docx.js';
import { tempDir } from '../../../helpers.js';
import { draftVersion, model, root, useExamples } from './fixtures.js';

const run = promisify(execFile);

const { docs, files, xml } = useExamples();

describe('reproducibility', () => {
  it('gives the same bytes when rendered again in the same process, after other documents', async () => {
    const doc = docs.englandDraft!;
    await renderDocx(docs.walesApproved!);
    const again = await renderDocx(doc);
    expect(again.equals(files.englandDraft!)).toBe(true);
    const rebuilt = await model(
      'england-supported-living',
      draftVersion(['Registered Manager', 'Nominated Individual']),
    );
    expect((await renderDocx(rebuilt)).equals(files.englandDraft!)).toBe(true);
    // Relationship ids are sequential, the zip entries are dated by the version and in a fixed order.
    const rels = xml.englandDraft!['word/_rels/document.xml.rels']!;
    const ids = [...rels.matchAll(/Id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(ids.map((_, i) => `rId${i + 1}`));
    const zip = await JSZip.loadAsync(files.englandDraft!);
    const names = Object.keys(zip.files);
    expect(names[0]).toBe('[Content_Types].xml');
    expect(names[1]).toBe('_rels/.rels');
    for (const entry of Object.values(zip.files))
      expect(entry.date.toISOString()).toBe('2026-04-01T12:00:00.000Z');
  });

  it('gives the same bytes in another process and time zone', async () => {
    const dir = tempDir();
    await build({
      entryPoints: [path.join(root, 'src/writers/docx/docx.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: path.join(dir, 'docx.cjs'),
      // A native module, loaded only for SVG logos.
      external: ['@resvg/resvg-js'],
      logLevel: 'silent',
    });
    const script = `
const fs = require('node:fs');
const { renderDocx } = require('./docx.cjs');
const doc = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'), (key, value) =>
  value && value.type === 'Buffer' && Array.isArray(value.data) ? Buffer.from(value.data) : value);
renderDocx(doc).then((buffer) => fs.writeFileSync(process.argv[3], buffer));
`;
    writeFileSync(path.join(dir, 'render.cjs'), script);
    writeFileSync(path.join(dir, 'model.json'), JSON.stringify(docs.walesDraft));
    for (const tz of ['Pacific/Kiritimati', 'America/Los_Angeles']) {
      const out = path.join(dir, `out-${tz.replace('/', '-')}.docx`);
      await run(process.execPath, [path.join(dir, 'render.cjs'), path.join(dir, 'model.json'), out], {
        cwd: dir,
        env: { ...process.env, TZ: tz },
      });
      expect(readFileSync(out).equals(files.walesDraft!), tz).toBe(true);
    }
  });
});
