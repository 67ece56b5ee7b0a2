/**
 * `keypolicy preview [PROFILE] [--policy ID] [--port N] [--open]`: a page on this computer showing the
 * policy's HTML edition, drawn again within a moment of saving the profile, a base it extends, a template
 * pack or the logo. Problems show on the page at their file:line:col with the lines around them, above
 * the last good render. Loopback only, its own routes only, nothing fetched from anywhere; nothing is
 * written, the register included.
 */
import { createHash } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Chalk } from 'chalk';
import type { Io } from '../cli/io.js';
import { today } from '../core/dates.js';
import { onInterrupt } from '../core/interrupt.js';
import { ExitCode, KeypolicyError, type Diagnostic } from '../diagnostics/errors.js';
import { formatDiagnostic, shownPath } from '../diagnostics/report.js';
import { renderPreview, type PreviewInputs, type PreviewPolicy } from '../pipeline/preview.js';
import { PreviewWatcher } from '../pipeline/preview-watch.js';
import { DEFAULT_PROFILE } from './defaults.js';
import type { PageState } from './preview-page.js';
import { openBrowser, previewHandler } from './preview-http.js';
import { withContext } from './preview-problems.js';

export interface PreviewFlags {
  /** The profile (default: ./keypolicy.yaml). */
  profile?: string;
  /** The policy shown first: its id, template file name or title. */
  policy?: string;
  /** The port on 127.0.0.1 (default: a free one). */
  port?: string | number;
  /** Open the page in the system's browser. */
  open?: boolean;
  /** Extra template packs, after the profile's own. */
  templates?: string[];
}

export interface PreviewServer {
  url: string;
  /** What the page shows now. */
  state(): PageState;
  /** Stop serving and watching (synchronous: also used by the Ctrl-C clean-up). */
  close: () => void;
  /** Settles once closed. */
  closed: Promise<void>;
}

const usage = (message: string, hint?: string) =>
  new KeypolicyError('KP_USAGE', message, { exitCode: ExitCode.Usage, ...(hint ? { hint } : {}) });

/** `--port N`: 0 to 65535, where 0 (the default) takes a free port. */
function parsePort(value: string | number | undefined): number {
  if (value === undefined) return 0;
  const text = String(value).trim();
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535))
    throw usage(
      `--port must be a port number from 1 to 65535 (or 0 for any free one); you wrote \`${text}\`.`,
      'Leave it out to take a free port.',
    );
  return port;
}

const clock = () => new Date().toTimeString().slice(0, 8);
const plain = new Chalk({ level: 0 });

/** The policy `wanted` names among `policies`: its id, its template's file name, or its title (any case). */
function findPolicy(policies: readonly PreviewPolicy[], wanted: string): PreviewPolicy | undefined {
  const w = wanted.trim().toLowerCase();
  return policies.find(
    (p) =>
      p.id.toLowerCase() === w ||
      p.title.toLowerCase() === w ||
      path.basename(p.file, path.extname(p.file)).toLowerCase() === w,
  );
}

/** Start the preview: the first render, then the server and the watches. Throws a KeypolicyError for bad flags. */
export async function startPreview(flags: PreviewFlags, io: Io): Promise<PreviewServer> {
  const port = parsePort(flags.port);
  const file = path.resolve(io.cwd, flags.profile ?? DEFAULT_PROFILE);
  const packs = (flags.templates ?? []).map((p) => path.resolve(io.cwd, p));
  const shown = shownPath(file, io.cwd);
  let policies = new Map<string, PreviewPolicy>();
  let lastKey = '';
  let goodInputs: PreviewInputs = { files: [file], packs: [] };
  let state: PageState = {
    profile: shown,
    organisation: null,
    selected: null,
    generation: 0,
    policies: [],
    problems: [],
    renderedAt: null,
    checkedAt: clock(),
  };
  const clients = new Set<ServerResponse>();
  let closing = false;

  const broadcast = () => {
    const event = `event: state\ndata: ${JSON.stringify(state)}\n\n`;
    for (const client of clients) client.write(event);
  };

  /** Render once, update what the page shows, and watch what the render was drawn from. */
  const renderOnce = async (): Promise<Diagnostic[]> => {
    const started = Date.now();
    let result;
    try {
      result = await renderPreview(file, { date: today(io.env), packs });
    } catch (error) {
      // A bug, not the user's input: said on the page and the terminal, and the preview keeps running.
      const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      state = {
        ...state,
        problems: [
          { severity: 'error', text: `KP_INTERNAL: keypolicy hit an internal error (a bug): ${what}` },
        ],
        checkedAt: clock(),
      };
      io.stderr.write(`${clock()} internal error (a bug): ${what}\n`);
      return [];
    }
    const problems = await Promise.all(
      [...result.errors, ...result.warnings].map(async (d) => ({
        severity: d.severity,
        text: await withContext(formatDiagnostic(d, io.cwd, plain), d),
      })),
    );
    const ok = result.errors.length === 0;
    if (ok) {
      const key = createHash('sha256')
        .update(JSON.stringify(result.policies.map((p) => [p.id, p.version, p.status, p.html])))
        .digest('hex');
      policies = new Map(result.policies.map((p) => [p.id, p]));
      goodInputs = result.inputs;
      if (key !== lastKey) {
        lastKey = key;
        state = { ...state, generation: state.generation + 1, renderedAt: clock() };
      }
    }
    state = {
      ...state,
      organisation: result.organisation ?? state.organisation,
      policies: [...policies.values()].map(({ id, title, version, status }) => ({
        id,
        title,
        version,
        status,
      })),
      problems,
      checkedAt: clock(),
    };
    // `extends`, packs and the logo can change with any edit: watch what this render was drawn from,
    // and while the profile is broken, also what the last good one was.
    const inputs = ok
      ? result.inputs
      : {
          files: [...new Set([...goodInputs.files, ...result.inputs.files])],
          packs: [...new Set([...goodInputs.packs, ...result.inputs.packs])],
        };
    await watcher.update(inputs);
    const took = Date.now() - started;
    io.stderr.write(
      ok
        ? `${state.checkedAt} rendered ${result.policies.map((p) => p.title).join(', ') || 'no policy'} (${took} ms)\n`
        : `${state.checkedAt} ${result.errors.length} error${result.errors.length === 1 ? '' : 's'}, the page keeps the last good render: ${formatDiagnostic(result.errors[0] as Diagnostic, io.cwd, plain).split('\n')[0] ?? ''}\n`,
    );
    return result.errors;
  };

  // One render at a time; changes during a render make one more render after it.
  let running: Promise<void> | undefined;
  let again = false;
  const refresh = () => {
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        await renderOnce();
        if (!closing) broadcast();
      } while (again && !closing);
    })().finally(() => (running = undefined));
  };
  const watcher = new PreviewWatcher(refresh);

  const firstErrors = await renderOnce();
  const missing = firstErrors.find((d) => d.code === 'KP_FILE_NOT_FOUND' && d.file === file);
  if (missing) {
    watcher.close();
    throw new KeypolicyError('KP_FILE_NOT_FOUND', `There is no profile at ${shown}.`, {
      hint: 'Name the profile to preview (keypolicy preview clients/riverside.yaml), or run keypolicy init to write one.',
    });
  }
  if (flags.policy !== undefined && policies.size > 0) {
    const found = findPolicy([...policies.values()], flags.policy);
    if (!found) {
      watcher.close();
      throw usage(
        `This profile has no policy \`${flags.policy}\`.`,
        `Choose one of: ${[...policies.keys()].join(', ')}.`,
      );
    }
    state = { ...state, selected: found.id };
  } else if (flags.policy !== undefined) state = { ...state, selected: flags.policy };

  const hosts = new Set<string>();
  const server = createServer(
    previewHandler({
      hosts,
      state: () => state,
      policyHtml: (id) => policies.get(id)?.html,
      clients,
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      watcher.close();
      reject(
        new KeypolicyError(
          'KP_PORT_UNAVAILABLE',
          `The preview cannot listen on 127.0.0.1:${port}: ${error.code === 'EADDRINUSE' ? 'something else is using that port' : error.code === 'EACCES' ? 'ports below 1024 need special permission' : error.message}.`,
          {
            exitCode: ExitCode.Environment,
            hint: 'Choose another port with --port N, or leave --port out to take a free one.',
            cause: error,
          },
        ),
      );
    });
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  for (const host of ['127.0.0.1', 'localhost', '[::1]']) hosts.add(`${host}:${bound}`);
  // Proxies and idle browsers: a comment now and then keeps the event stream open.
  const heartbeat = setInterval(() => {
    for (const client of clients) client.write(': still here\n\n');
  }, 15_000);
  heartbeat.unref();

  let settle = () => {};
  const closed = new Promise<void>((resolve) => (settle = resolve));
  const close = () => {
    if (closing) return;
    closing = true;
    clearInterval(heartbeat);
    watcher.close();
    for (const client of clients) client.end();
    clients.clear();
    server.close(() => settle());
    server.closeAllConnections();
  };
  return { url: `http://127.0.0.1:${bound}/`, state: () => state, close, closed };
}

/**
 * Run the preview until Ctrl-C (or `signal`): the URL goes to stdout, each render's outcome to stderr.
 * Under the CLI the interrupt registry (core/interrupt) stops it and exits 130; run on its own, SIGINT
 * and SIGTERM end it here and it returns 130.
 */
export async function runPreview(
  flags: PreviewFlags,
  io: Io,
  options: { signal?: AbortSignal } = {},
): Promise<ExitCode> {
  const preview = await startPreview(flags, io);
  const forget = onInterrupt(preview.close);
  let code: ExitCode = ExitCode.Success;
  const stopBy = (signal: 'SIGINT' | 'SIGTERM') => () => {
    code = ExitCode.Interrupted;
    io.stderr.write(`\nkeypolicy: preview stopped by ${signal}; nothing was written.\n`);
    preview.close();
  };
  const onInt = stopBy('SIGINT');
  const onTerm = stopBy('SIGTERM');
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  const abort = () => preview.close();
  options.signal?.addEventListener('abort', abort, { once: true });
  if (options.signal?.aborted) preview.close();

  io.stdout.write(
    `Previewing ${shownPath(path.resolve(io.cwd, flags.profile ?? DEFAULT_PROFILE), io.cwd)} at ${preview.url}\n`,
  );
  io.stderr.write(
    'The page follows every save of the profile, its bases, template packs and logo. Press Ctrl-C to stop.\n',
  );
  if (flags.open) openBrowser(preview.url, io);
  try {
    await preview.closed;
  } finally {
    forget();
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    options.signal?.removeEventListener('abort', abort);
  }
  return code;
}

export { type PageState } from './preview-page.js';
