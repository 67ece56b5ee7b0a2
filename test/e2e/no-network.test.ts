/**
 * A document never reaches out: a template and profile values try every way of fetching from a local
 * listener (images, CSS, fonts, frames, refresh, links, file: URLs) and the listener must see nothing,
 * while the PDF still shows the policy.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGLAND_MINIMAL, tempDir } from '../helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const requests: string[] = [];
const server = createServer((request, response) => {
  requests.push(request.url ?? '');
  response.end('x');
});
let base = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('rendering without network access', () => {
  it('lets no request out of any output, and still prints the policy', () => {
    const attempts = [
      `![image](${base}/image.png)`,
      `<img src="${base}/raw-image.png">`,
      `<link rel="stylesheet" href="${base}/style.css">`,
      `<style>@import url("${base}/import.css"); @font-face { font-family: x; src: url("${base}/font.woff2"); } body { background: url("${base}/bg.png"); }</style>`,
      `<iframe src="${base}/frame"></iframe>`,
      `<meta http-equiv="refresh" content="0; url=${base}/refresh">`,
      `<object data="${base}/object"></object><video src="${base}/video"></video>`,
      `[a link](${base}/link) and [a file](file:///etc/passwd) and [script](javascript:alert(1))`,
      `[ref][r]\n\n[r]: ${base}/reference`,
    ].join('\n\n');
    const dir = tempDir({
      'keypolicy.yaml': `${ENGLAND_MINIMAL.replace('Riverside Support Ltd', `Riverside <img src='${base}/name.png'> Ltd`)}templates: [pack]\npolicies: [hostile]\n`,
      'pack/hostile.md': `---\nid: hostile\ntitle: Hostile Policy\nversion: 1.0.0\n---\n## Purpose\n\nThe policy of {{organisation.name}} is still here.\n\n${attempts}\n`,
    });
    const result = spawnSync(
      process.execPath,
      [path.join(root, 'bin/keypolicy.js'), 'build', '--date', '2026-04-01', '--format', 'pdf,docx,html'],
      {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(requests).toEqual([]);
    const [folder] = readdirSync(path.join(dir, 'policies')).map((slug) => path.join(dir, 'policies', slug));
    const text = execFileSync('pdftotext', [path.join(folder!, 'hostile-policy.pdf'), '-'], {
      encoding: 'utf8',
    });
    expect(text).toContain('is still here');
    expect(text).toContain(`Riverside <img src='${base}/name.png'> Ltd`);
  });
});
