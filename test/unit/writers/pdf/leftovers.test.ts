import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { KeypolicyError } from '../../../../src/diagnostics/errors.js';
import type { PolicyDocument } from '../../../../src/document/model.js';
import { renderPdf } from '../../../../src/writers/pdf/print.js';
import {
  ChromiumDied,
  sweepBrowserProfiles,
  type BrowserSession,
} from '../../../../src/writers/pdf/session.js';
import { tempDir } from '../../../helpers.js';

const deadPid = (): number => spawnSync(process.execPath, ['-e', '']).pid;

describe('sweepBrowserProfiles', () => {
  it('removes the profiles of keypolicy processes that have ended, and nothing else', async () => {
    const parent = tempDir();
    const dead = deadPid();
    const orphan = `keypolicy-chromium-${dead}-AbC123`;
    mkdirSync(path.join(parent, orphan, 'Default'), { recursive: true });
    writeFileSync(path.join(parent, orphan, 'Default/Preferences'), '{}');
    const kept = [
      // A running process's; an earlier version's name, which says nothing of its maker; other names.
      `keypolicy-chromium-${process.pid}-AbC123`,
      'keypolicy-chromium-AbC123',
      `keypolicy-chromium-${dead}-AbC12`,
      `keypolicy-chromium-${dead}-AbC123-x`,
      `other-chromium-${dead}-AbC123`,
    ];
    for (const name of kept) mkdirSync(path.join(parent, name));
    // A file of a profile's name is not a profile.
    writeFileSync(path.join(parent, `keypolicy-chromium-${dead}-XyZ789`), '');
    kept.push(`keypolicy-chromium-${dead}-XyZ789`);

    expect(await sweepBrowserProfiles(parent)).toEqual([path.join(parent, orphan)]);
    expect(readdirSync(parent).sort()).toEqual([...kept].sort());
  });

  it('is quiet about a folder it cannot read', async () => {
    await expect(sweepBrowserProfiles(path.join(tempDir(), 'missing'))).resolves.toEqual([]);
  });
});

describe('renderPdf when Chromium dies under a document', () => {
  const doc = { title: 'Key Worker Policy' } as PolicyDocument;
  const pdf = Buffer.from('%PDF-');

  /** A session whose pages fail with `failures` in turn, then print. */
  function session(...failures: Error[]) {
    const withPage = vi.fn(() => {
      const failure = failures.shift();
      return failure === undefined ? Promise.resolve(pdf) : Promise.reject(failure);
    });
    return { withPage, fake: { printTimeoutMs: 1000, withPage } as unknown as BrowserSession };
  }
  const timeout = Object.assign(new Error('Timed out after 1000 ms'), { name: 'TimeoutError' });

  it('prints it once more when the browser or the page died, and succeeds', async () => {
    for (const what of ['browser', 'page'] as const) {
      const { withPage, fake } = session(new ChromiumDied(what, new Error('Target closed')));
      await expect(renderPdf(doc, fake)).resolves.toBe(pdf);
      expect(withPage).toHaveBeenCalledTimes(2);
    }
  });

  it('fails it with KP_BROWSER_FAILED when the browser dies again', async () => {
    const { withPage, fake } = session(
      new ChromiumDied('browser', new Error('Target closed')),
      new ChromiumDied('browser', new Error('Target closed')),
    );
    const error = await renderPdf(doc, fake).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeypolicyError);
    expect((error as KeypolicyError).code).toBe('KP_BROWSER_FAILED');
    expect((error as KeypolicyError).message).toContain('"Key Worker Policy"');
    expect((error as KeypolicyError).exitCode).toBe(3);
    expect(withPage).toHaveBeenCalledTimes(2);
  });

  it('passes on a browser that cannot be started again as it is', async () => {
    const failed = new KeypolicyError('KP_BROWSER_FAILED', 'The browser could not be started.');
    const { fake } = session(new ChromiumDied('browser', new Error('Target closed')), failed);
    await expect(renderPdf(doc, fake)).rejects.toBe(failed);
  });

  it('fails it with KP_PDF_FAILED when its page dies again, saying why', async () => {
    const { fake } = session(
      new ChromiumDied('page', new Error('Page crashed!')),
      new ChromiumDied('page', new Error('Protocol error (Page.printToPDF): Printing failed')),
    );
    await expect(renderPdf(doc, fake)).rejects.toMatchObject({
      code: 'KP_PDF_FAILED',
      hint: 'Protocol error (Page.printToPDF): Printing failed',
    });
  });

  it('never prints again after a time-out or another failure', async () => {
    for (const [failure, code] of [
      [timeout, 'KP_PDF_TIMEOUT'],
      [new Error('Protocol error (Page.printToPDF): Printing failed'), 'KP_PDF_FAILED'],
    ] as const) {
      const { withPage, fake } = session(failure);
      await expect(renderPdf(doc, fake)).rejects.toMatchObject({ code });
      expect(withPage).toHaveBeenCalledTimes(1);
    }
  });
});
