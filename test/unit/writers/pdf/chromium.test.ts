import puppeteer from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { chromiumArgs, isHeadlessShell, puppeteerArgs } from '../../../../src/writers/pdf/chromium.js';

const CACHED_SHELL =
  '/home/a/.cache/puppeteer/chrome-headless-shell/linux-1/chrome-headless-shell-linux64/chrome-headless-shell';

describe('chromiumArgs', () => {
  it.each([
    ['/usr/lib/chromium/chromium', true as const],
    ['/usr/lib/chromium/chromium-headless-shell', 'shell' as const],
    [CACHED_SHELL, 'shell' as const],
  ])(
    'gives %s the flags puppeteer.launch would, so PDFs stay tagged and outlined',
    (executable, headless) => {
      const theirs = puppeteer.defaultArgs({ headless }).filter((arg) => arg !== 'about:blank');
      expect(puppeteerArgs(executable).sort()).toEqual(theirs.sort());
      expect(chromiumArgs(executable, '/tmp/profile', false)).toEqual(expect.arrayContaining(theirs));
    },
  );

  it('lets a headless shell draw frames only when asked (nothing is painted for a screen)', () => {
    expect(chromiumArgs('/usr/lib/chromium/chromium-headless-shell', '/tmp/p', true)).toContain(
      '--enable-begin-frame-control',
    );
    expect(chromiumArgs('/usr/lib/chromium/chromium', '/tmp/p', true)).not.toContain(
      '--enable-begin-frame-control',
    );
  });

  it('tells a headless shell from a browser by its file name', () => {
    expect(isHeadlessShell('/usr/bin/chromium-headless-shell')).toBe(true);
    expect(isHeadlessShell(CACHED_SHELL)).toBe(true);
    expect(isHeadlessShell('/usr/bin/chromium')).toBe(false);
    expect(isHeadlessShell('/opt/headless-shell-tools/chrome')).toBe(false);
  });

  it('adds the pipe, the profile folder, no network names, and no sandbox only as root', () => {
    const args = chromiumArgs('/usr/bin/chromium', '/tmp/profile', false);
    expect(args).toContain('--remote-debugging-pipe');
    expect(args).toContain('--user-data-dir=/tmp/profile');
    expect(args).toContain('--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost');
    expect(args).not.toContain('--no-sandbox');
    expect(chromiumArgs('/usr/bin/chromium', '/tmp/profile', true)).toContain('--no-sandbox');
    expect(args.at(-1)).toBe('about:blank');
  });
});
