/**
 * Finding Chrome or Chromium for PDF output, the way mature tools do, without downloading one: a path
 * given on the command line, then the environment, the system's browsers and puppeteer's cache.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { ExitCode, KeypolicyError } from '../../diagnostics/errors.js';

/** Environment variables that may name a browser, in the order they are tried. */
const BROWSER_VARIABLES = ['KEYPOLICY_BROWSER', 'CHROME_PATH', 'PUPPETEER_EXECUTABLE_PATH'];

const SYSTEM_BROWSERS: Partial<Record<NodeJS.Platform, string[]>> = {
  // Debian's headless shell first: the same rendering and printing without the desktop browser, it
  // starts in half the time and prints a policy with about half the CPU. /usr/bin/chromium is a shell
  // wrapper; the binary behind it starts faster.
  linux: [
    '/usr/lib/chromium/chromium-headless-shell',
    '/usr/bin/chromium-headless-shell',
    '/usr/lib/chromium/chromium',
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome-stable',
    '/usr/bin/google-chrome',
    '/snap/bin/chromium',
  ],
  darwin: [
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
  ],
  win32: [
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
  ],
};

/** How to get a browser: said whenever none is found or the one found cannot start. */
export const INSTALL_HINT =
  'Install one and run again: on Debian `sudo apt-get install chromium-headless-shell` (or `chromium`, also on Ubuntu); elsewhere, where downloads are allowed, `npx @puppeteer/browsers install chrome-headless-shell@stable`. Or name a browser with --browser PATH or KEYPOLICY_BROWSER.';

const isFile = (file: string) => {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
};

/** Where each product of puppeteer's installer keeps its binary inside one build's folder. */
const CACHED_BINARIES: Record<string, string[]> = {
  'chrome-headless-shell': [
    'chrome-headless-shell-linux64/chrome-headless-shell',
    'chrome-headless-shell-mac-x64/chrome-headless-shell',
    'chrome-headless-shell-mac-arm64/chrome-headless-shell',
    'chrome-headless-shell-win64/chrome-headless-shell.exe',
  ],
  chrome: [
    'chrome-linux64/chrome',
    'chrome-mac-x64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing',
    'chrome-mac-arm64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing',
    'chrome-win64/chrome.exe',
  ],
  chromium: [
    'chrome-linux/chrome',
    'chrome-mac/Chromium.app/Contents/MacOS/Chromium',
    'chrome-win/chrome.exe',
  ],
};

/** Browsers puppeteer's own installer put in its cache (~/.cache/puppeteer), headless shells first. */
function puppeteerCache(env: Record<string, string | undefined>): string[] {
  const root = env.PUPPETEER_CACHE_DIR ?? path.join(homedir(), '.cache', 'puppeteer');
  const found: string[] = [];
  for (const [product, binaries] of Object.entries(CACHED_BINARIES)) {
    const dir = path.join(root, product);
    if (!existsSync(dir)) continue;
    for (const build of readdirSync(dir).sort().reverse()) {
      found.push(...binaries.map((binary) => path.join(dir, build, binary)));
    }
  }
  return found;
}

/** Where a browser may be, in the order tried: the system's, then puppeteer's cache; headless shells first in each. */
export function browserCandidates(
  env: Record<string, string | undefined>,
  platform: NodeJS.Platform = process.platform,
): string[] {
  return [...(SYSTEM_BROWSERS[platform] ?? []), ...puppeteerCache(env)];
}

/** The error for a browser that is not there. */
const notFound = (message: string) =>
  new KeypolicyError('KP_BROWSER_NOT_FOUND', message, { exitCode: ExitCode.Environment, hint: INSTALL_HINT });

/** The browser to use: an explicit path, then the environment, the system's, then puppeteer's cache. */
export function findBrowser(explicit: string | undefined, env: Record<string, string | undefined>): string {
  if (explicit !== undefined) {
    if (isFile(explicit)) return explicit;
    throw notFound(`The browser given with --browser does not exist: ${explicit}`);
  }
  for (const variable of BROWSER_VARIABLES) {
    const value = env[variable];
    if (!value) continue;
    if (isFile(value)) return value;
    throw notFound(`${variable} names a browser that does not exist: ${value}`);
  }
  const candidate = browserCandidates(env).find(isFile);
  if (candidate) return candidate;
  throw notFound('PDF output needs Chrome or Chromium, and none was found.');
}
