/**
 * `keypolicy preview` end to end, in real headless Chromium: the page shows the policy; an edit to the
 * profile shows without a reload; broken YAML shows located on the page above the last good render; a
 * fix recovers; only loopback Host names and the preview's own routes are answered; Ctrl-C ends it
 * with exit 130 and no stack trace. The page's screenshot is the README's.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/io.js';
import { runPreview } from '../../src/commands/preview.js';
import { findBrowser } from '../../src/writers/pdf/finder.js';
import { isHeadlessShell } from '../../src/writers/pdf/chromium.js';
import { copyExample, TINY_PNG, tempDir } from '../helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** 2026-04-01: the drafts' dates do not move with the day the test runs. */
const EPOCH = '1775001600';

let browser: Browser;
let page: Page;
let dir: string;
let profile: string;
let url: string;
let stdout = '';
let stderr = '';
const stop = new AbortController();
let finished: Promise<number>;
/** Every URL the browser asked for. */
const requested: string[] = [];

const until = async (what: () => boolean, ms = 8000) => {
  for (const end = Date.now() + ms; !what();) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

/**
 * Code run in the page is written as expressions: this project's types have no DOM, and the page's
 * own script is plain JavaScript too.
 */
const inPage = <T>(expression: string) => page.evaluate(expression) as Promise<T>;
const untilInPage = (expression: string) => page.waitForFunction(expression, { timeout: 8000, polling: 50 });
/** The policy's document, in the page's frame. */
const POLICY = "document.getElementById('policy').contentDocument";
const hidden = (id: string) => `document.getElementById('${id}').hidden`;

/** The text of the policy in the page's frame. */
const frameText = () => inPage<string>(`${POLICY}?.body?.innerText ?? ''`);

/** Wait until the frame's policy holds `text` (the page is never reloaded for it). */
const frameShows = (text: string) =>
  untilInPage(`${POLICY}?.body?.innerText.includes(${JSON.stringify(text)})`);

/** A raw GET with the given Host header and path, as sent (no normalisation). */
const get = (target: string, host: string) =>
  new Promise<number>((resolve, reject) => {
    const { port } = new URL(url);
    const req = request({ host: '127.0.0.1', port, path: target, headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });

beforeAll(async () => {
  dir = tempDir();
  copyExample(path.join(root, 'examples/england-supported-living'), dir);
  profile = path.join(dir, 'keypolicy.yaml');
  const io: Io = {
    cwd: dir,
    env: { NO_COLOR: '1', SOURCE_DATE_EPOCH: EPOCH },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    interactive: false,
  };
  const executablePath = findBrowser(undefined, process.env);
  const launching = puppeteer.launch({
    executablePath,
    headless: isHeadlessShell(executablePath) ? 'shell' : true,
    pipe: true,
    args: [
      '--disable-gpu',
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1',
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    ],
  });
  finished = runPreview({}, io, { signal: stop.signal });
  await until(() => /http:\/\/127\.0\.0\.1:\d+\//.test(stdout));
  url = /http:\/\/127\.0\.0\.1:\d+\//.exec(stdout)?.[0] ?? '';
  browser = await launching;
  page = await browser.newPage();
  page.on('request', (r) => requested.push(r.url()));
  await page.setViewport({ width: 1200, height: 860 });
}, 20_000);

afterAll(async () => {
  stop.abort();
  await browser?.close();
  expect(await finished).toBe(0);
});

describe('keypolicy preview', () => {
  it('prints its address and serves the policy with its title and organisation', async () => {
    expect(stdout).toMatch(/^Previewing keypolicy\.yaml at http:\/\/127\.0\.0\.1:\d+\/\n$/);
    await page.goto(url);
    await frameShows('Larkspur Community Support');
    const text = await frameText();
    expect(text).toContain('Key Worker Policy');
    expect(text).toContain('DRAFT');
    expect(await inPage("document.getElementById('organisation').textContent")).toBe(
      'Larkspur Community Support',
    );
    expect(await page.title()).toBe('Key Worker Policy — keypolicy preview');
    // One policy: no picker.
    expect(await inPage(hidden('picker-label'))).toBe(true);
  });

  it('shows an edit of the profile without a reload, then a located error above the last good render, then recovers', async () => {
    await inPage('window.unreloaded = true');
    const original = readFileSync(profile, 'utf8');
    const renamed = original.replace('name: Larkspur Community Support', 'name: Larkspur Preview Trust');
    writeFileSync(profile, renamed);
    await frameShows('Larkspur Preview Trust');

    const broken = renamed.replace(/^nation: england$/m, 'nation: [england');
    const line = broken.split('\n').indexOf('nation: [england') + 1;
    writeFileSync(profile, broken);
    await untilInPage(`!${hidden('problems')}`);
    const problems = await inPage<string>("document.getElementById('problem-list').textContent");
    expect(problems).toContain(`keypolicy.yaml:${line}:9 error KP_YAML`);
    expect(problems).toContain(`${line} | nation: [england`);
    expect(problems).toContain('registration:'); // a line after it, for context
    expect(await inPage("document.getElementById('status').textContent")).toMatch(/last good render/);
    expect(await frameText()).toContain('Larkspur Preview Trust');
    const screenshot = path.join(root, 'docs/preview.png');
    const update = process.env.KEYPOLICY_UPDATE_SCREENSHOT === '1' || !existsSync(screenshot);
    if (update) mkdirSync(path.dirname(screenshot), { recursive: true });
    const png = await page.screenshot({ path: update ? screenshot : path.join(dir, 'preview.png') });
    expect(Buffer.from(png).subarray(1, 4).toString()).toBe('PNG');

    writeFileSync(profile, renamed.replace('Larkspur Preview Trust', 'Larkspur Fixed Trust'));
    await frameShows('Larkspur Fixed Trust');
    await untilInPage(hidden('problems'));
    expect(await inPage('window.unreloaded')).toBe(true);
  });

  it('follows a template pack the profile adds and the logo, with a picker for several policies', async () => {
    const pack = path.join(dir, 'pack');
    mkdirSync(pack);
    const template = (words: string) =>
      `---\nid: visiting-policy\ntitle: Visiting Policy\nversion: 1.0.0\n---\n## Purpose\n\n${words} at {{organisation.name}}.\n`;
    writeFileSync(path.join(pack, 'visiting.md'), template('Visitors are welcome'));
    writeFileSync(
      profile,
      readFileSync(profile, 'utf8').replace(
        'policies:\n  - key-worker-policy\n',
        'templates: [pack]\npolicies:\n  - key-worker-policy\n  - visiting-policy\n',
      ),
    );
    await untilInPage(`!${hidden('picker-label')}`);
    expect(
      await inPage("[...document.querySelectorAll('#picker option')].map((o) => o.textContent)"),
    ).toEqual(['Key Worker Policy', 'Visiting Policy']);
    await page.select('#picker', 'visiting-policy');
    await frameShows('Visitors are welcome at Larkspur Fixed Trust.');
    writeFileSync(path.join(pack, 'visiting.md'), template('Visitors are always welcome'));
    await frameShows('Visitors are always welcome at Larkspur Fixed Trust.');

    await page.select('#picker', 'key-worker-policy');
    await frameShows('Key Worker Policy');
    const logo = `${POLICY}?.querySelector('.doc-header img')?.getAttribute('src')?.slice(-40)`;
    const before = await inPage<string>(logo);
    writeFileSync(path.join(dir, 'logo.png'), TINY_PNG);
    await untilInPage(`${logo} !== ${JSON.stringify(before)}`);
  });

  it('answers only loopback Host names, and only its own routes', async () => {
    const port = new URL(url).port;
    expect(await get('/', 'evil.example')).toBe(403);
    expect(await get('/', `evil.example:${port}`)).toBe(403);
    expect(await get('/', `localhost:${port}`)).toBe(200);
    expect(await get('/', `[::1]:${port}`)).toBe(200);
    for (const target of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/keypolicy.yaml', '/nope'])
      expect(await get(target, `127.0.0.1:${port}`)).toBe(404);
    expect(await get('/policy/key-worker-policy', `127.0.0.1:${port}`)).toBe(200);
    // The page and the policies in it asked for nothing but the preview's own routes (and data: images).
    expect(requested.length).toBeGreaterThan(5);
    expect(requested.filter((r) => !r.startsWith(url) && !r.startsWith('data:'))).toEqual([]);
  });

  it('refuses a bad --port, a port in use and an unknown --policy, as the CLI reports errors', async () => {
    const io: Io = {
      cwd: dir,
      env: { NO_COLOR: '1', SOURCE_DATE_EPOCH: EPOCH },
      stdout: { write: () => true },
      stderr: { write: () => true },
      interactive: false,
    };
    await expect(runPreview({ port: '70000' }, io)).rejects.toMatchObject({ code: 'KP_USAGE', exitCode: 2 });
    await expect(runPreview({ port: new URL(url).port }, io)).rejects.toMatchObject({
      code: 'KP_PORT_UNAVAILABLE',
      exitCode: 3,
    });
    await expect(runPreview({ policy: 'no-such-policy' }, io)).rejects.toMatchObject({
      code: 'KP_USAGE',
      exitCode: 2,
    });
  });

  it('stops on Ctrl-C with exit 130 and no stack trace, even when --open finds no browser', async () => {
    // Until `preview` is wired into the CLI: the command run as main() runs it, interrupt registry included.
    const script = path.join(dir, 'preview-cli.mjs');
    writeFileSync(
      script,
      `import { handleInterrupts } from ${JSON.stringify(path.join(root, 'dist/core/interrupt.js'))};\n` +
        `import { runPreview } from ${JSON.stringify(path.join(root, 'dist/commands/preview.js'))};\n` +
        `handleInterrupts();\n` +
        `const io = { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr, interactive: false };\n` +
        `process.exitCode = await runPreview({ open: true }, io);\n`,
    );
    const child = spawn(process.execPath, [script], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1', PATH: path.join(dir, 'no-such-folder') },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await until(() => out.includes('http://127.0.0.1:') && err.includes('rendered')).catch(() => {
      throw new Error(`the preview did not start (is dist/ built?):\n${out}${err}`);
    });
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(err).toContain('could not open a browser');
    expect(err).toContain('stopped by SIGINT');
    expect(err).not.toMatch(/\n\s+at |Error:/);
  });
});
