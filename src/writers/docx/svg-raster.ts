/**
 * An SVG logo drawn as a PNG, for the readers that show a DOCX's PNG fallback rather than its SVG
 * (LibreOffice, Word before 2016). The logo is untrusted input, so resvg never sees it as it came:
 *
 * - links out of it are taken away first: resvg reads any file an `<image>` or `<feImage>` names by an
 *   absolute or relative path (no network, but files are enough to leak), so only `#…` and embedded
 *   PNG, JPEG or GIF `data:` URLs are left (see profile/logo-check);
 * - the limits validation applies are checked again (a snapshot's logo, a library caller's);
 * - it is drawn in a child process of its own (svg-raster-child), stopped after `KEYPOLICY_LOGO_TIMEOUT`
 *   seconds: a panic in resvg aborts only that process, a costly filter is stopped, and a drawing larger
 *   than the limit is refused before its pixels are allocated.
 *
 * An SVG that resvg cannot read still gives a blank fallback (the DOCX keeps its SVG for newer readers);
 * one that cannot be drawn safely is a `KP_LOGO_UNDRAWABLE` error for its organisation.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { ExitCode, KeypolicyError } from '../../diagnostics/errors.js';
import { onInterrupt } from '../../core/interrupt.js';
import { LOGO_LIMITS, logoProblem, svgOutsideLinks } from '../../profile/logo-check.js';
import { CHILD_EXIT, CHILD_SCRIPT } from './svg-raster-child.js';

/** Wide enough to stay sharp at the header's size when printed. */
const WIDTH_PX = LOGO_LIMITS.drawWidth;
const DEFAULT_TIMEOUT_S = 20;
const MAX_TIMEOUT_S = 600;
/** Drawings at once on one thread: each is a process with its own memory. */
const MAX_CHILDREN = 2;
/** More PNG than this from a drawing of at most LOGO_LIMITS pixels means something is wrong. */
const MAX_PNG_BYTES = 64 * 1024 * 1024;

/** The resvg options: the fonts keypolicy relies on elsewhere (fonts-liberation2), for text in the logo. */
const OPTIONS = {
  fitTo: { mode: 'width' as const, value: WIDTH_PX },
  font: {
    loadSystemFonts: true,
    defaultFontFamily: 'Liberation Sans',
    sansSerifFamily: 'Liberation Sans',
    serifFamily: 'Liberation Serif',
    monospaceFamily: 'Liberation Mono',
  },
};

/**
 * Seconds drawing one SVG logo may take: `KEYPOLICY_LOGO_TIMEOUT` (a plain decimal number above 0 and at
 * most 600, as `KEYPOLICY_PDF_TIMEOUT`), else 20.
 */
export function logoTimeoutSeconds(env: Record<string, string | undefined>): number {
  const value = env.KEYPOLICY_LOGO_TIMEOUT;
  if (value === undefined || value === '') return DEFAULT_TIMEOUT_S;
  const seconds = /^\s*\d{1,6}(\.\d{1,6})?\s*$/.test(value) ? Number(value) : NaN;
  if (!(seconds > 0 && seconds <= MAX_TIMEOUT_S))
    throw new KeypolicyError(
      'KP_USAGE',
      `KEYPOLICY_LOGO_TIMEOUT takes a number of seconds above 0 and at most ${MAX_TIMEOUT_S}; it is \`${value}\`.`,
      { exitCode: ExitCode.Usage, hint: `Unset it to allow ${DEFAULT_TIMEOUT_S} seconds a logo.` },
    );
  return seconds;
}

const undrawable = (reason: string) =>
  new KeypolicyError('KP_LOGO_UNDRAWABLE', `organisation.logo: the SVG logo cannot be drawn: ${reason}.`, {
    hint: 'Export the logo again at its real size and without heavy effects, or as a PNG about 600 pixels wide.',
  });

/** The SVG with every link out of it renamed away (`href` → `kp-unlinked-1`…), so resvg follows none. */
export function withoutOutsideLinks(svg: string): string {
  let out = '';
  let at = 0;
  for (const [n, { index }] of svgOutsideLinks(svg).entries()) {
    // Each link starts with its attribute's local name, `href` in any case; numbered, so two on one
    // element stay two attributes.
    out += `${svg.slice(at, index)}kp-unlinked-${n + 1}`;
    at = index + 4;
  }
  return out + svg.slice(at);
}

/** Where resvg is installed, for the child to load; undefined where it is not. */
function resvgPath(): string | undefined {
  try {
    return createRequire(import.meta.url).resolve('@resvg/resvg-js');
  } catch {
    return undefined;
  }
}

type Drawing = { png: Buffer } | { unreadable: true };

let running = 0;
const waiting: (() => void)[] = [];

async function slot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CHILDREN) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** Draw `svg` with the resvg at `resvg` in a child process, stopped after `timeoutMs` (exported for tests). */
export function drawInChild(svg: Buffer, resvg: string, timeoutMs: number): Promise<Drawing> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    // The child's own watchdog stops it a little later, should this process be gone by then.
    const args = [resvg, JSON.stringify(OPTIONS), String(WIDTH_PX * WIDTH_PX * LOGO_LIMITS.aspect)];
    const child = spawn(process.execPath, ['-e', CHILD_SCRIPT, '--', ...args, String(timeoutMs + 2000)], {
      env,
      stdio: 'pipe',
      windowsHide: true,
    });
    const forget = onInterrupt(() => child.kill('SIGKILL'));
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let stopped: string | undefined;
    const stop = (why: string) => {
      stopped ??= why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(
      () => stop(`it took longer than ${timeoutMs / 1000} second${timeoutMs === 1000 ? '' : 's'} to draw`),
      timeoutMs,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > MAX_PNG_BYTES) stop('its drawing is too large');
      else out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (err.length < 2000) err += chunk.toString('utf8');
    });
    // The child may stop before it has read the whole logo.
    child.stdin.on('error', () => {});
    child.stdin.end(svg);
    child.on('error', (error) => {
      clearTimeout(timer);
      forget();
      reject(
        new KeypolicyError('KP_LOGO_RENDERER', 'keypolicy could not start the SVG renderer.', {
          exitCode: ExitCode.Environment,
          hint: error.message,
        }),
      );
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      forget();
      const reason = err.trim().split('\n')[0] ?? '';
      if (stopped) reject(undrawable(stopped));
      else if (code === 0 && outBytes > 0) resolve({ png: Buffer.concat(out) });
      else if (code === 0 || code === CHILD_EXIT.unreadable || code === CHILD_EXIT.unavailable)
        resolve({ unreadable: true });
      else if (code === CHILD_EXIT.tooLarge) reject(undrawable(reason));
      else reject(undrawable(`the SVG renderer stopped (${signal ?? `exit ${code}`})`));
    });
  });
}

/** Each distinct logo is drawn once per process: a consultant's clients often share their base's. */
const drawn = new Map<string, Promise<Buffer | undefined>>();

/**
 * The SVG as a PNG, or undefined when resvg cannot read it (or has no binary for this platform: the
 * DOCX is still written). Rejects with a `KeypolicyError` when the logo cannot be drawn safely.
 */
export function svgAsPng(
  svg: Buffer,
  options: { timeoutSeconds?: number } = {},
): Promise<Buffer | undefined> {
  const seconds = options.timeoutSeconds ?? logoTimeoutSeconds(process.env);
  const key = `${seconds}:${createHash('sha256').update(svg).digest('hex')}`;
  let png = drawn.get(key);
  if (!png) {
    png = (async () => {
      // Compressed (.svgz) or not UTF-8: never a validated logo, and not read here.
      if (svg[0] === 0x1f && svg[1] === 0x8b) return undefined;
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(svg);
      } catch {
        return undefined;
      }
      const safe = withoutOutsideLinks(text);
      const problem = logoProblem(Buffer.from(safe), 'svg');
      if (problem) throw undrawable(problem.reason);
      const resvg = resvgPath();
      if (!resvg) return undefined;
      const bytes = safe === text ? svg : Buffer.from(safe);
      const drawing = await slot(() => drawInChild(bytes, resvg, seconds * 1000));
      return 'png' in drawing ? drawing.png : undefined;
    })();
    drawn.set(key, png);
  }
  return png;
}
