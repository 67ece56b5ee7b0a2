/**
 * Starting Chromium: the process is spawned at once, before puppeteer is even loaded, and puppeteer
 * connects to it over the DevTools pipe when it is. A cold build spends the time puppeteer takes to load
 * (about 0.2 s) booting the browser instead of waiting for it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { Browser, ConnectionTransport } from 'puppeteer-core';

/**
 * The flags `puppeteer.launch` gives Chromium (headless), which among other things make printed PDFs
 * tagged and outlined; test/unit/writers/pdf/chromium.test.ts fails when puppeteer's own list changes.
 * The headless mode flag is added by `puppeteerArgs`, as it depends on the browser.
 */
const PUPPETEER_ARGS: readonly string[] = [
  '--allow-pre-commit-input',
  '--disable-background-networking',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-breakpad',
  '--disable-client-side-phishing-detection',
  '--disable-component-extensions-with-background-pages',
  '--disable-crash-reporter',
  '--disable-default-apps',
  '--disable-dev-shm-usage',
  '--disable-extensions',
  '--disable-hang-monitor',
  '--disable-infobars',
  '--disable-ipc-flooding-protection',
  '--disable-popup-blocking',
  '--disable-prompt-on-repost',
  '--disable-renderer-backgrounding',
  '--disable-search-engine-choice-screen',
  '--disable-sync',
  '--enable-automation',
  '--export-tagged-pdf',
  '--force-color-profile=srgb',
  '--generate-pdf-document-outline',
  '--metrics-recording-only',
  '--no-first-run',
  '--password-store=basic',
  '--use-mock-keychain',
  '--disable-features=Translate,AcceptCHFrame,MediaRouter,OptimizationHints,WebUIReloadButton,ProcessPerSiteUpToMainFrameThreshold,IsolateSandboxedIframes',
  '--enable-features=PdfOopif',
  '--hide-scrollbars',
  '--mute-audio',
];

/**
 * keypolicy's own flags: nothing that reaches the network (the host-resolver rule leaves Chromium no name
 * it can look up), no GPU, fixed font rendering; and no sandbox as root, which Chromium refuses otherwise.
 */
const KEYPOLICY_ARGS: readonly string[] = [
  '--disable-gpu',
  '--disable-component-update',
  '--disable-domain-reliability',
  '--disable-quic',
  '--no-default-browser-check',
  '--font-render-hinting=none',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost',
];

/**
 * Whether `executable` is a headless shell (Debian's `chromium-headless-shell`, puppeteer's
 * `chrome-headless-shell`): Chromium's rendering and printing without the desktop browser around them.
 */
export const isHeadlessShell = (executable: string): boolean =>
  /headless[-_]shell/i.test(path.basename(executable));

/** puppeteer's flags for `executable`: `--headless` for a headless shell (its only mode), else the new headless mode. */
export const puppeteerArgs = (executable: string): string[] => [
  ...PUPPETEER_ARGS,
  isHeadlessShell(executable) ? '--headless' : '--headless=new',
];

/**
 * A headless shell draws frames only when asked: the page is never painted for a screen nobody sees, and
 * a policy prints with about a sixth less CPU. The PDF is the same, byte for byte.
 */
const HEADLESS_SHELL_ARGS: readonly string[] = ['--enable-begin-frame-control'];

export function chromiumArgs(executable: string, profileDir: string, asRoot: boolean): string[] {
  return [
    ...puppeteerArgs(executable),
    ...KEYPOLICY_ARGS,
    ...(isHeadlessShell(executable) ? HEADLESS_SHELL_ARGS : []),
    ...(asRoot ? ['--no-sandbox'] : []),
    '--remote-debugging-pipe',
    `--user-data-dir=${profileDir}`,
    'about:blank',
  ];
}

/** The DevTools protocol over Chromium's pipe: JSON messages, each ended by a NUL byte. */
class PipeTransport implements ConnectionTransport {
  onmessage?: (message: string) => void;
  onclose?: () => void;
  private pending: Buffer[] = [];
  closed = false;

  constructor(
    private readonly write: Writable,
    read: Readable,
  ) {
    read.on('data', (chunk: Buffer) => this.receive(chunk));
    read.on('close', () => this.close());
    // A broken pipe means the browser has gone: `close` reports it; the error itself says nothing more.
    read.on('error', () => undefined);
    write.on('error', () => undefined);
  }

  send(message: string): void {
    if (this.closed) return;
    this.write.write(message);
    this.write.write('\0');
  }

  private receive(chunk: Buffer): void {
    this.pending.push(chunk);
    if (chunk.indexOf(0) === -1) return;
    const all = Buffer.concat(this.pending);
    let start = 0;
    for (let end = all.indexOf(0); end !== -1; end = all.indexOf(0, start)) {
      const message = all.toString('utf8', start, end);
      // Delivered one at a time, after the current one is handled, as puppeteer's own transport does.
      setImmediate(() => this.onmessage?.(message));
      start = end + 1;
    }
    this.pending = start < all.length ? [all.subarray(start)] : [];
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
  }
}

export interface StartedChromium {
  process: ChildProcess;
  /** puppeteer, connected; rejects when Chromium fails to start or does not answer in time. */
  browser: Promise<Browser>;
}

/** Spawn Chromium now (as a process-group leader, so its helpers can be stopped with it) and connect. */
export function startChromium(
  executable: string,
  args: readonly string[],
  timeouts: { launchMs: number; protocolMs: number },
  tmpDir: string,
): StartedChromium {
  const child = spawn(executable, args, {
    // Chromium's own temporary files go in its throw-away profile, removed with it; it is killed, not
    // shut down, so it never cleans up after itself.
    env: { ...process.env, TMPDIR: tmpDir },
    detached: process.platform !== 'win32',
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
  });
  // Chromium's own complaints explain a failed start (no sandbox as root, a missing library).
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-2000);
  });
  const lastComplaint = () => {
    const line = stderr
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .at(-1);
    return line ? `: ${line}` : '';
  };

  let timer: NodeJS.Timeout | undefined;
  const failed = new Promise<never>((_, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(
        new Error(`Chromium stopped (${signal ?? `exit ${code}`}) before it was ready${lastComplaint()}`),
      ),
    );
    timer = setTimeout(
      () => reject(new Error(`Chromium did not answer within ${timeouts.launchMs / 1000} s`)),
      timeouts.launchMs,
    );
  });
  // Settled by the race below; a late exit after a good start must not be an unhandled rejection.
  failed.catch(() => undefined);

  // Listening from the start: a browser that fails at once closes its pipe before puppeteer is loaded.
  const transport = new PipeTransport(child.stdio[3] as Writable, child.stdio[4] as Readable);
  const connect = async () => {
    // puppeteer's CDP connector alone: its main module also loads the browser installer, proxy agents
    // and WebDriver BiDi, which connecting over a pipe never uses (half the load time on a cold build).
    const { _connectToCdpBrowser } = await import('puppeteer-core/internal/cdp/BrowserConnector.js');
    if (transport.closed) throw new Error(`Chromium closed its pipe before it was ready${lastComplaint()}`);
    const browser = await _connectToCdpBrowser(transport, '', { protocolTimeout: timeouts.protocolMs });
    // The same class `puppeteer.connect` returns, declared by puppeteer's public types apart.
    return browser as unknown as Browser;
  };
  const browser = Promise.race([connect(), failed])
    .catch((error: unknown) => {
      // Ends any call puppeteer still waits on, so nothing keeps the process alive after a failed start.
      transport.close();
      throw error;
    })
    .finally(() => clearTimeout(timer));
  return { process: child, browser };
}
