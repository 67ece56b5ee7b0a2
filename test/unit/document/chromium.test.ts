import puppeteer from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { chromiumArgs, PUPPETEER_ARGS } from '../../../src/document/chromium.js';

describe('chromiumArgs', () => {
  it('gives Chromium every flag puppeteer.launch would, so PDFs stay tagged and outlined', () => {
    const theirs = puppeteer.defaultArgs({ headless: true }).filter((arg) => arg !== 'about:blank');
    expect([...PUPPETEER_ARGS].sort()).toEqual([...theirs].sort());
  });

  it('adds the pipe, the profile folder, no network names, and no sandbox only as root', () => {
    const args = chromiumArgs('/tmp/profile', false);
    expect(args).toContain('--remote-debugging-pipe');
    expect(args).toContain('--user-data-dir=/tmp/profile');
    expect(args).toContain('--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost');
    expect(args).not.toContain('--no-sandbox');
    expect(chromiumArgs('/tmp/profile', true)).toContain('--no-sandbox');
    expect(args.at(-1)).toBe('about:blank');
  });
});
