/**
 * Launching Chromium for PDF output and lending out its pages: one browser a build, started on first use
 * (or warmed up early), relaunched once if it dies, and killed with its throw-away profile at the end.
 */
import { accessSync, constants, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { Browser, Page } from 'puppeteer-core';
import { onInterrupt } from '../../core/interrupt.js';
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

/**
 * A page that can neither run script nor reach anything: only `data:` URLs load, and a `<meta refresh>`
 * (which navigates even without scripts) is answered with nothing rather than Chromium's error page.
 */
async function lockedDownPage(browser: Browser, existing?: Page): Promise<Page> {
  const page = existing ?? (await browser.newPage());
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
function profileParent(): string {
  if (process.env.TMPDIR || process.platform !== 'linux') return tmpdir();
  try {
    accessSync('/dev/shm', constants.W_OK);
    if (statSync('/dev/shm').isDirectory()) return '/dev/shm';
  } catch {
    // No usable /dev/shm (some containers): the usual temporary folder.
  }
  return tmpdir();
}

/** A page is retired after this many documents, so a long batch never grows one renderer without bound. */
const PAGE_USES = 50;

/** Seconds one document may take to print: `KEYPOLICY_PDF_TIMEOUT`, else 60. */
export function printTimeoutSeconds(env: Record<string, string | undefined>): number {
  const value = env.KEYPOLICY_PDF_TIMEOUT;
  if (value === undefined || value === '') return 60;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new KeypolicyError(
      'KP_USAGE',
      `KEYPOLICY_PDF_TIMEOUT takes a number of seconds above 0; it is \`${value}\`.`,
      { exitCode: ExitCode.Usage },
    );
  return seconds;
}

/** A browser for one build: launched on first use, closed once at the end. */
export class BrowserSession {
  private browser: Promise<Browser> | undefined;
  /** Idle pages, reused: opening a fresh page costs more than printing a short policy. */
  private idle: { page: Page; uses: number }[] = [];
  /** Set while warm-up is opening the first page. */
  private warming: Promise<void> | undefined;
  private profileDir: string | undefined;
  private child: ChildProcess | undefined;
  private forgetInterrupt: (() => void) | undefined;

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

  private relaunched = false;
  private current: Browser | undefined;

  /** Whether the browser last handed out has since died (so the next `get` launches another). */
  lostBrowser(): boolean {
    return this.current !== undefined && !this.current.connected;
  }

  /**
   * The browser, launched on first use. If it has died (crashed, or killed), it is launched again once
   * per build: a batch survives one lost browser, not a browser that keeps dying.
   */
  async get(): Promise<Browser> {
    this.browser ??= this.launch();
    const browser = await this.browser;
    this.current = browser;
    if (browser.connected || this.relaunched) return browser;
    this.relaunched = true;
    this.forgetInterrupt?.();
    // Whatever is left of the lost browser goes, with its profile, before another starts.
    if (this.child?.pid !== undefined) killGroup(this.child.pid);
    if (this.profileDir) rmSync(this.profileDir, { recursive: true, force: true });
    this.browser = this.launch();
    return this.browser;
  }

  /**
   * Run `work` on a locked-down page of the current browser. A page is returned to the pool only when
   * the work succeeded: after a time-out or an error its state is unknown, so it is closed.
   */
  async withPage<T>(work: (page: Page) => Promise<T>): Promise<T> {
    const browser = await this.get();
    // The page warm-up is opening is nearly ready; opening another would take longer.
    if (this.idle.length === 0) await this.warming;
    let entry = this.idle.pop();
    while (entry && (entry.page.browser() !== browser || entry.page.isClosed())) entry = this.idle.pop();
    entry ??= { page: await lockedDownPage(browser), uses: 0 };
    let ok = false;
    try {
      const result = await work(entry.page);
      ok = true;
      return result;
    } finally {
      if (ok && ++entry.uses < PAGE_USES && browser.connected) this.idle.push(entry);
      else await entry.page.close().catch(() => undefined);
    }
  }

  private async launch(): Promise<Browser> {
    const profileDir = mkdtempSync(path.join(profileParent(), 'keypolicy-chromium-'));
    this.profileDir = profileDir;
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
    this.child = started.process;
    const pid = started.process.pid;
    this.forgetInterrupt = onInterrupt(() => {
      if (pid !== undefined) killGroup(pid);
      rmSync(profileDir, { recursive: true, force: true });
    });
    try {
      return await started.browser;
    } catch (error) {
      if (pid !== undefined) killGroup(pid);
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
    const child = this.child;
    // Not waited for: a killed process writes nothing more, and removing its profile retries over any
    // file it was creating as it died.
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null)
      killGroup(child.pid);
    await browser?.disconnect().catch(() => undefined);
    this.forgetInterrupt?.();
    if (this.profileDir) {
      try {
        rmSync(this.profileDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
      } catch {
        // A left-over temporary folder is harmless; failing the build over it would not be.
      }
    }
  }
}
