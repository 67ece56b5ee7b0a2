/**
 * Hostile logos in a batch, through the real CLI (needs `npm run build`): a logo that would hang the
 * DOCX step, abort the process or pull a local file into the document fails its own organisation with a
 * diagnostic, quickly, and the others are built; no register lock is left behind.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ENGLAND_MINIMAL, tempDir } from '../helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(root, 'bin/keypolicy.js');

interface Result {
  summary: { built: number; unchanged: number; failed: number };
  profiles: {
    profile: string;
    state: string;
    files: { file: string }[];
    errors: { code: string; path: string; message: string; hint: string }[];
  }[];
}

const profile = (name: string, logo: string) =>
  ENGLAND_MINIMAL.replace('Riverside Support Ltd', name).replace(
    /^organisation:\n(.*)\n/,
    `$&  logo: ${logo}\n`,
  );

const svg = (inner: string, attrs = 'viewBox="0 0 200 60"') =>
  `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ${attrs}>${inner}</svg>\n`;

const GOOD = svg('<rect width="200" height="60" fill="#036"/><circle cx="30" cy="30" r="20" fill="#fc0"/>');
const SECRET = 'TOP-SECRET-BYTES-FROM-A-LOCAL-FILE';

function build(cwd: string, profiles: string[]) {
  const started = Date.now();
  const run = spawnSync(
    process.execPath,
    [bin, 'build', '--format', 'md,html,docx', '--date', '2026-04-01', '--json', ...profiles],
    {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', KEYPOLICY_LOGO_TIMEOUT: '2' },
      timeout: 60_000,
    },
  );
  return {
    status: run.status,
    stderr: run.stderr,
    json: JSON.parse(run.stdout) as Result,
    seconds: (Date.now() - started) / 1000,
  };
}

/** Every file under `dir`, recursively. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });

describe('hostile logos in a batch', () => {
  it('fails each organisation whose SVG logo is hostile, at organisation.logo, and builds the rest', () => {
    const dir = tempDir({
      'secret.txt': SECRET,
      'a-good.yaml': profile('Alder Care', 'good.svg'),
      'good.svg': GOOD,
      'b-filter.yaml': profile('Birch Care', 'filter.svg'),
      'filter.svg': svg(
        '<filter id="f"><feMorphology operator="dilate" radius="100000"/></filter><rect width="200" height="60" filter="url(#f)"/>',
      ),
      'c-tall.yaml': profile('Cedar Care', 'tall.svg'),
      'tall.svg': svg('<rect width="1" height="1"/>', 'width="1" height="100000000"'),
      'd-link.yaml': profile('Damson Care', 'link.svg'),
      'link.svg': svg('<image width="200" height="60" xlink:href="secret.txt"/>'),
    });
    const result = build(dir, ['a-good.yaml', 'b-filter.yaml', 'c-tall.yaml', 'd-link.yaml']);
    expect(result.status).toBe(1);
    expect(result.json.summary).toEqual({ built: 1, unchanged: 0, failed: 3 });
    const [good, ...hostile] = result.json.profiles;
    expect(good!.state).toBe('built');
    expect(good!.files.map((f) => path.extname(f.file)).sort()).toEqual(['.docx', '.html', '.md']);
    expect(hostile.map((p) => p.errors.map((e) => [e.code, e.path, e.message]))).toEqual([
      [
        [
          'KP_LOGO_UNDRAWABLE',
          'organisation.logo',
          'The logo `filter.svg` cannot be drawn: its feMorphology filter (radius="100000") would take too long to draw.',
        ],
      ],
      [
        [
          'KP_LOGO_UNDRAWABLE',
          'organisation.logo',
          'The logo `tall.svg` cannot be drawn: it is 100,000,000 times as tall as it is wide; a logo may be at most 20 times as tall.',
        ],
      ],
      [
        [
          'KP_LOGO_UNDRAWABLE',
          'organisation.logo',
          'The logo `link.svg` cannot be drawn: it links to `secret.txt`, and keypolicy never reads what a logo links to.',
        ],
      ],
    ]);
    expect(result.seconds).toBeLessThan(20);
    const files = filesUnder(dir);
    expect(files.filter((f) => f.endsWith('.lock'))).toEqual([]);
    for (const file of files.filter((f) => !f.endsWith('secret.txt')))
      expect(readFileSync(file).includes(SECRET)).toBe(false);
  });

  it('stops drawing a logo that passes every check but takes too long, within KEYPOLICY_LOGO_TIMEOUT', () => {
    // Within every limit validation applies, but 200 shapes through a morphology filter take many seconds.
    const slow = svg(
      `<filter id="f"><feMorphology operator="dilate" radius="6"/></filter>${'<rect width="200" height="60" filter="url(#f)"/>'.repeat(200)}`,
    );
    const dir = tempDir({
      'a-good.yaml': profile('Alder Care', 'good.svg'),
      'good.svg': GOOD,
      'b-slow.yaml': profile('Birch Care', 'slow.svg'),
      'slow.svg': slow,
    });
    const result = build(dir, ['a-good.yaml', 'b-slow.yaml']);
    expect(result.json.summary).toEqual({ built: 1, unchanged: 0, failed: 1 });
    const failure = result.json.profiles[1]!.errors[0]!;
    // Drawn on a DOCX worker thread: the logo's own problem crosses the thread, code and exit code.
    expect(failure.code).toBe('KP_LOGO_UNDRAWABLE');
    expect(`${failure.message} ${failure.hint}`).toContain(
      'organisation.logo: the SVG logo cannot be drawn: it took longer than 2 seconds to draw.',
    );
    expect(result.status).toBe(1);
    expect(result.seconds).toBeLessThan(15);
    expect(filesUnder(dir).filter((f) => f.endsWith('.lock'))).toEqual([]);
  });
});
