import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserCandidates, findBrowser } from '../../../../src/writers/pdf/finder.js';
import { KeypolicyError } from '../../../../src/diagnostics/errors.js';
import { tempDir } from '../../../helpers.js';

/** A fake puppeteer cache holding the given binaries (paths inside it), each an empty file. */
const cache = (binaries: string[]): string => tempDir(Object.fromEntries(binaries.map((b) => [b, ''])));

describe('browserCandidates', () => {
  it("tries Debian's headless shell before the desktop browser", () => {
    const linux = browserCandidates({ PUPPETEER_CACHE_DIR: '/nowhere' }, 'linux');
    expect(linux.indexOf('/usr/lib/chromium/chromium-headless-shell')).toBe(0);
    expect(linux.indexOf('/usr/lib/chromium/chromium')).toBeGreaterThan(0);
  });

  it("lists puppeteer's cache after the system's, headless shells first, newest build first", () => {
    const root = cache([
      'chrome/linux-140.0.1/chrome-linux64/chrome',
      'chrome-headless-shell/linux-139.0.1/chrome-headless-shell-linux64/chrome-headless-shell',
      'chrome-headless-shell/linux-141.0.1/chrome-headless-shell-linux64/chrome-headless-shell',
    ]);
    const cached = browserCandidates({ PUPPETEER_CACHE_DIR: root }, 'aix').map((p) => path.relative(root, p));
    const order = (p: string) => cached.indexOf(p);
    expect(
      order('chrome-headless-shell/linux-141.0.1/chrome-headless-shell-linux64/chrome-headless-shell'),
    ).toBe(0);
    expect(
      order('chrome-headless-shell/linux-139.0.1/chrome-headless-shell-linux64/chrome-headless-shell'),
    ).toBeLessThan(order('chrome/linux-140.0.1/chrome-linux64/chrome'));
  });
});

describe('findBrowser', () => {
  const file = path.join(cache(['bin/my-chrome']), 'bin/my-chrome');

  it('takes --browser over the environment', () => {
    expect(findBrowser(file, { KEYPOLICY_BROWSER: '/nowhere/chrome' })).toBe(file);
  });

  it('takes KEYPOLICY_BROWSER, and refuses one that names nothing', () => {
    expect(findBrowser(undefined, { KEYPOLICY_BROWSER: file, CHROME_PATH: '/nowhere' })).toBe(file);
    const refused = (() => {
      try {
        findBrowser(undefined, { CHROME_PATH: '/nowhere/chrome' });
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(KeypolicyError);
    expect((refused as KeypolicyError).code).toBe('KP_BROWSER_NOT_FOUND');
    expect((refused as KeypolicyError).message).toContain('CHROME_PATH');
    expect(() => findBrowser('/nowhere/chrome', {})).toThrow(KeypolicyError);
  });
});
