/**
 * Launching Chromium for PDF output and lending out its pages: one browser a build, started on first use
 * (or warmed up early), relaunched once if it dies, and killed with its throw-away profile at the end.
 */
import { accessSync, constants, mkdtempSync, rmSync, statSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { Browser, Page } from 'puppeteer-core';
import { isRunning, onInterrupt } from '../../core/interrupt.js';
import { ExitCode, KeypolicyError } from '../../diagnostics/errors.js';
import { chromiumArgs, startChromium } from './chromium.js';
import { INSTALL_HINT } from './finder.js';

/** Chromium is started as a process-group leader; its helper processes go with it. */
function killGroup(pid: number): void {
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** Pages whose renderer crashed or was killed (puppeteer reports it as the page's `error`). */
const crashed = new WeakSet<Page>();

/**
 * A page that can neither run script nor reach anything: only `data:` URLs load, and a `<meta refresh>`
 * (which navigates even without scripts) is answered with nothing rather than Chromium's error page.
 */
async function lockedDownPage(browser: Browser, existing?: Page): Promise<Page> {
  const page = existing ?? (await browser.newPage());
  page.once('error', () => crashed.add(page));
  await page.setJavaScriptEnabled(false);
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:')) void request.continue();
    else if (request.isNavigationRequest() && request.frame() === page.mainFrame() && url !== 'about:blank') {
      void request.respond({ status: 204, body: '' });
    } else void request.abort('blockedbyclient');
  });
  return page;
}

/**
 * Where Chromium's throw-away profile (and, through TMPDIR, its temporary files) goes: TMPDIR when it
 * is set, else Linux's memory-backed /dev/shm. Chromium creates some 200 files there when it starts and
 * shared-memory files for every print; on a disk's file system, creating and deleting them took more
 * than a tenth of a cold build's time.
 */
export function profileParent(): string {
  if (process.env.TMPDIR || process.platform !== 'linux') return tmpdir();
  try {
    accessSync('/dev/shm', constants.W_OK);
    if (statSync('/dev/shm').isDirectory()) return '/dev/shm';
  } catch {
    // No usable /dev/shm (some containers): the usual temporary folder.
  }
  return tmpdir();
}

/**
 * A profile folder is named by the keypolicy process that made it (`keypolicy-chromium-<pid>-XXXXXX`),
 * so a later build can tell one whose maker was killed outright from one still in use.
 */
const PROFILE = /^keypolicy-chromium-(\d+)-[A-Za-z0-9]{6}$/;
const profilePrefix = (parent: string) => path.join(parent, `keypolicy-chromium-${process.pid}-`);

/** Remove a profile folder, retrying over files a dying Chromium was still creating; never fails. */
function removeProfile(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  } catch {
    // A left-over profile is harmless (the next build sweeps it away); failing a build over it would not be.
  }
}

/**
 * Remove the browser profiles of keypolicy processes that are no longer running (killed outright, so
 * nothing cleaned up after them) from `parent`, where profiles are made. Folders of running processes,
 * of other names, and anything that is not a folder are never touched. Returns the folders removed.
 */
export async function sweepBrowserProfiles(parent: string = profileParent()): Promise<string[]> {
  const entries = await readdir(parent, { withFileTypes: true }).catch(() => []);
  const orphans = entries
    .filter((entry) => {
      const maker = entry.isDirectory() ? PROFILE.exec(entry.name) : null;
      return maker !== null && !isRunning(Number(maker[1]));
    })
    .map((entry) => path.join(parent, entry.name));
  const removed = await Promise.all(
    orphans.map((dir) =>
      rm(dir, { recursive: true, force: true, maxRetries: 2 }).then(
        () => dir,
        () => undefined,
      ),
    ),
  );
  return removed.filter((dir) => dir !== undefined);
}

/** A page is retired after this many documents, so a long batch never grows one renderer without bound. */
const PAGE_USES = 50;

/** The longest `KEYPOLICY_PDF_TIMEOUT`: ten minutes for one document is already a hang. */
export const MAX_PRINT_TIMEOUT_SECONDS = 600;

/**
 * Seconds one document may take to print: `KEYPOLICY_PDF_TIMEOUT` (a plain decimal number above 0 and at
 * most 600), else 60. Bounded because a timer beyond 2^31-1 ms fires at once: `1e10` meant a 1 ms limit.
 */
export function printTimeoutSeconds(env: Record<string, string | undefined>): number {
  const value = env.KEYPOLICY_PDF_TIMEOUT;
  if (value === undefined || value === '') return 60;
  const seconds = /^\s*\d{1,6}(\.\d{1,6})?\s*$/.test(value) ? Number(value) : NaN;
  if (!(seconds > 0 && seconds <= MAX_PRINT_TIMEOUT_SECONDS))
    throw new KeypolicyError(
      'KP_USAGE',
      `KEYPOLICY_PDF_TIMEOUT takes a number of seconds above 0 and at most ${MAX_PRINT_TIMEOUT_SECONDS}; it is \`${value}\`.`,
      { exitCode: ExitCode.Usage, hint: 'Unset it to allow 60 seconds a document.' },
    );
  return seconds;
}

/**
 * Work on a page failed because Chromium died under it: the whole `browser` (crashed, or killed), or the
 * `page`'s renderer alone. `cause` is the error the work failed with.
 */
export class ChromiumDied extends Error {
  constructor(
    readonly what: 'browser' | 'page',
    cause: unknown,
  ) {
    super(what === 'browser' ? 'The browser stopped' : "The page's renderer stopped", { cause });
    this.name = 'ChromiumDied';
  }
}

/** How long a browser suspected dead is given to answer: a live one answers within milliseconds. */
const PROBE_MS = 1000;

/**
 * Whether `browser` has died. A browser whose renderer died a moment before it (the whole group killed)
 * may still be connected when the work fails: it is asked for its version, which it answers if it lives
 * and which fails when its pipe closes. One that neither answers nor closes is taken to be alive: a hang
 * is for the print time-out to report.
 */
async function browserDied(browser: Browser): Promise<boolean> {
  if (!browser.connected) return true;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    browser.version().catch(() => undefined),
    new Promise((resolve) => (timer = setTimeout(resolve, PROBE_MS))),
  ]).finally(() => clearTimeout(timer));
  return !browser.connected;
}

/** One launched Chromium: its process, its throw-away profile and its Ctrl-C clean-up. */
interface Launched {
  process: ChildProcess;
  profileDir: string;
  forgetInterrupt: () => void;
}

/** A browser for one build: launched on first use, closed once at the end. */
export class BrowserSession {
  private browser: Promise<Browser> | undefined;
  /** Idle pages, reused: opening a fresh page costs more than printing a short policy. */
  private idle: { page: Page; uses: number }[] = [];
  /** Set while warm-up is opening the first page. */
  private warming: Promise<void> | undefined;
  /** The Chromium launched last, until it is killed and its profile removed. */
  private launched: Launched | undefined;
  /** Whether the browser has been launched again after dying: it is, once per build. */
  private relaunched = false;

  /** How long one document may take to print before it is stopped and reported. */
  readonly printTimeoutMs: number;
  private readonly launchTimeoutMs: number;

  constructor(
    private readonly executable: string,
    timeouts: { launchMs?: number; printMs?: number } = {},
  ) {
    this.launchTimeoutMs = timeouts.launchMs ?? 30_000;
    this.printTimeoutMs = timeouts.printMs ?? 60_000;
  }

  /**
   * The browser, launched on first use. If it has died (crashed, or killed), it is launched again once
   * per build: a batch survives one lost browser, not a browser that keeps dying.
   */
  async get(): Promise<Browser> {
    for (;;) {
      const pending = (this.browser ??= this.launch());
      const browser = await pending;
      if (browser.connected) return browser;
      // Closed meanwhile (the build is ending): the work fails on its own.
      if (this.browser === undefined) return browser;
      // Another page found it dead first and has launched the next one.
      if (this.browser !== pending) continue;
      if (this.relaunched)
        throw new KeypolicyError(
          'KP_BROWSER_FAILED',
          `The browser at ${this.executable} stopped again after it was started afresh.`,
          {
            exitCode: ExitCode.Environment,
            hint: 'Something keeps stopping Chromium (the machine running out of memory, or another program): check the system log, then run again.',
          },
        );
      this.relaunched = true;
      // Whatever is left of the lost browser goes, with its profile, before another starts.
      this.discard();
      this.browser = this.launch();
    }
  }

  /**
   * Run `work` on a locked-down page of the current browser. A page is returned to the pool only when
   * the work succeeded: after a time-out or an error its state is unknown, so it is closed. When the work
   * failed because Chromium died under it, `ChromiumDied` says so (the next call launches a new browser
   * if it was the browser), so the caller can do the work again, once.
   */
  async withPage<T>(work: (page: Page) => Promise<T>): Promise<T> {
    const browser = await this.get();
    // The page warm-up is opening is nearly ready; opening another would take longer.
    if (this.idle.length === 0) await this.warming;
    let entry = this.idle.pop();
    while (entry && (entry.page.browser() !== browser || entry.page.isClosed())) entry = this.idle.pop();
    let ok = false;
    try {
      entry ??= { page: await lockedDownPage(browser), uses: 0 };
      const result = await work(entry.page);
      ok = true;
      return result;
    } catch (error) {
      // A time-out is the page's own doing; a browser that died under it is never a time-out.
      if (error instanceof Error && error.name === 'TimeoutError') throw error;
      if (await browserDied(browser)) throw new ChromiumDied('browser', error);
      if (entry && crashed.has(entry.page)) throw new ChromiumDied('page', error);
      throw error;
    } finally {
      if (entry && ok && ++entry.uses < PAGE_USES && browser.connected) this.idle.push(entry);
      else await entry?.page.close().catch(() => undefined);
    }
  }

  private async launch(): Promise<Browser> {
    const parent = profileParent();
    const profileDir = mkdtempSync(profilePrefix(parent));
    const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    const started = startChromium(
      this.executable,
      chromiumArgs(this.executable, profileDir, asRoot),
      {
        launchMs: this.launchTimeoutMs,
        // Above every page time-out, so a stuck page is reported by its own time-out first.
        protocolMs: Math.max(this.launchTimeoutMs, this.printTimeoutMs) * 2,
      },
      profileDir,
    );
    const pid = started.process.pid;
    const launched: Launched = {
      process: started.process,
      profileDir,
      forgetInterrupt: onInterrupt(() => {
        if (pid !== undefined) killGroup(pid);
        removeProfile(profileDir);
      }),
    };
    this.launched = launched;
    try {
      return await started.browser;
    } catch (error) {
      this.discard(launched);
      throw new KeypolicyError(
        'KP_BROWSER_FAILED',
        `The browser at ${this.executable} could not be started.`,
        {
          exitCode: ExitCode.Environment,
          hint: `${error instanceof Error ? error.message.split('\n')[0]?.trim() : String(error)}. ${INSTALL_HINT}`,
          cause: error,
        },
      );
    }
  }

  /**
   * Kill a launched Chromium (by default the last) if it still runs, and remove its profile. Not waited
   * for: a killed process writes nothing more, and removing its profile retries over any file it was
   * creating as it died.
   */
  private discard(launched = this.launched): void {
    if (!launched) return;
    if (this.launched === launched) this.launched = undefined;
    const child = launched.process;
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) killGroup(child.pid);
    launched.forgetInterrupt();
    removeProfile(launched.profileDir);
  }

  /**
   * Start the browser now, in the background, with one page open, so both are ready when the first PDF
   * is printed: together they take longer than validating and rendering a profile.
   */
  warmUp(): void {
    if (this.browser) return;
    this.browser = this.launch();
    const browser = this.browser;
    this.warming = browser
      .then(async (b) => {
        // The tab Chromium opens at start (about:blank) has its renderer already running.
        const [initial] = await b.pages();
        const page = await lockedDownPage(b, initial);
        if (this.browser === browser) this.idle.push({ page, uses: 0 });
        else await page.close();
      })
      .catch(() => undefined);
  }

  /** Stop the browser. Its profile is a throw-away folder, so it is killed rather than shut down politely. */
  async close(): Promise<void> {
    const pending = this.browser;
    this.browser = undefined;
    this.idle = [];
    const browser = await pending?.catch(() => undefined);
    this.discard();
    await browser?.disconnect().catch(() => undefined);
  }
}
