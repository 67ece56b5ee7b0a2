/**
 * The preview's HTTP side: its few routes and nothing else (no file is ever served from disk, so no path
 * can reach one), loopback Host names only, strict headers on every answer; and opening the system's
 * browser for `--open`.
 */
import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Io } from '../cli/io.js';
import { PAGE_CSP, PAGE_CSS, PAGE_JS, POLICY_CSP, pageHtml, type PageState } from './preview-page.js';

export interface PreviewRoutes {
  /** `host:port` values a request may name (the loopback names with the bound port). */
  hosts: ReadonlySet<string>;
  state: () => PageState;
  /** The HTML edition of a policy of the last good render. */
  policyHtml: (id: string) => string | undefined;
  /** The open event streams, each sent every new state. */
  clients: Set<ServerResponse>;
}

const TEXT = 'text/plain; charset=utf-8';
const HTML = 'text/html; charset=utf-8';

/** The server's request handler. */
export function previewHandler(routes: PreviewRoutes) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    const send = (status: number, type: string, body: string, headers: Record<string, string> = {}) => {
      response.writeHead(status, {
        'Content-Type': type,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Cross-Origin-Resource-Policy': 'same-origin',
        'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
        ...headers,
      });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    // A page of another site cannot reach this one through a name that leads here (DNS rebinding).
    if (!routes.hosts.has((request.headers.host ?? '').toLowerCase()))
      return send(
        403,
        TEXT,
        'Forbidden: keypolicy preview answers only to 127.0.0.1, localhost or [::1] with its port.\n',
      );
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return send(405, TEXT, 'Method not allowed.\n', { Allow: 'GET, HEAD' });
    const target = request.url ?? '';
    const query = target.indexOf('?');
    const route = query === -1 ? target : target.slice(0, query);
    const state = routes.state();
    if (route === '/') {
      const asked = new URLSearchParams(query === -1 ? '' : target.slice(query + 1)).get('policy');
      const page = state.policies.some((p) => p.id === asked) ? { ...state, selected: asked } : state;
      return send(200, HTML, pageHtml(page), {
        'Content-Security-Policy': PAGE_CSP,
        'X-Frame-Options': 'DENY',
      });
    }
    if (route === '/preview.js') return send(200, 'text/javascript; charset=utf-8', PAGE_JS);
    if (route === '/preview.css') return send(200, 'text/css; charset=utf-8', PAGE_CSS);
    if (route === '/events') {
      response.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        Connection: 'keep-alive',
      });
      if (request.method === 'HEAD') return void response.end();
      // The state at once: a page (re)connecting is up to date without asking.
      response.write(`retry: 1000\nevent: state\ndata: ${JSON.stringify(state)}\n\n`);
      routes.clients.add(response);
      request.on('close', () => routes.clients.delete(response));
      return;
    }
    const id = /^\/policy\/([A-Za-z0-9._-]{1,200})$/.exec(route)?.[1];
    const html = id !== undefined ? routes.policyHtml(id) : undefined;
    if (html !== undefined)
      return send(200, HTML, html, {
        'Content-Security-Policy': POLICY_CSP,
        'X-Frame-Options': 'SAMEORIGIN',
      });
    return send(404, TEXT, 'Not found.\n');
  };
}

/** Open `url` in the system's browser; a machine without one only gets a note. */
export function openBrowser(url: string, io: Io): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  const note = () => io.stderr.write(`note: could not open a browser; open ${url} yourself.\n`);
  try {
    const child = spawn(command, args, {
      detached: true,
      stdio: 'ignore',
      env: io.env,
      windowsVerbatimArguments: process.platform === 'win32',
    });
    child.on('error', note);
    child.unref();
  } catch {
    note();
  }
}
