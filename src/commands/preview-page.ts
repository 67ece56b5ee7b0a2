/**
 * The preview's own page: a bar (organisation, profile, policy picker, status), the problems found, and
 * the policy's HTML edition in a frame below them. Its script follows the server's events and reloads
 * only the frame, keeping the reader's place in the policy. Nothing on it comes from anywhere else.
 */
import { escapeHtml } from '../writers/html/html.js';

/** What the page shows, sent with every event. */
export interface PageState {
  /** The profile as the user named it. */
  profile: string;
  organisation: string | null;
  /** The policy asked for with --policy (the first one otherwise). */
  selected: string | null;
  /** Counts the good renders: the frame reloads when it changes. */
  generation: number;
  policies: { id: string; title: string; version: string; status: 'draft' | 'approved' }[];
  /** Errors first, then warnings, each as the terminal prints it (location, source lines, caret, hint). */
  problems: { severity: 'error' | 'warning'; text: string }[];
  /** When the policies shown were rendered, and when the profile was last read (HH:MM:SS). */
  renderedAt: string | null;
  checkedAt: string;
}

/** The page's Content-Security-Policy: its own script, style, events and frame, and nothing from elsewhere. */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** A policy's edition, shown in the page's frame: what its own meta tag allows, and only framed by the page. */
export const POLICY_CSP =
  "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; " +
  "frame-ancestors 'self'";

/** The state as JSON that is safe inside a `<script type="application/json">` element. */
const inlineJson = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

export const policyPath = (id: string, generation: number) =>
  `/policy/${encodeURIComponent(id)}?g=${generation}`;

export function pageHtml(state: PageState): string {
  const first = state.policies.find((p) => p.id === state.selected) ?? state.policies[0];
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(first ? `${first.title} — keypolicy preview` : 'keypolicy preview')}</title>
<link rel="stylesheet" href="/preview.css">
<script type="application/json" id="state">${inlineJson(state)}</script>
<script src="/preview.js" defer></script>
</head>
<body>
<header class="bar">
<div class="who"><strong id="organisation">${escapeHtml(state.organisation ?? '')}</strong> <span id="profile">${escapeHtml(state.profile)}</span></div>
<label id="picker-label" hidden>Policy <select id="picker"></select></label>
<div id="status" role="status" aria-live="polite"></div>
</header>
<section id="problems" hidden aria-label="Problems"><h2 id="problems-heading"></h2><div id="problem-list"></div></section>
<iframe id="policy" title="Policy preview" sandbox="allow-same-origin"${first ? ` src="${escapeHtml(policyPath(first.id, state.generation))}"` : ' hidden'}></iframe>
</body>
</html>
`;
}

export const PAGE_CSS = `
*{box-sizing:border-box}
html,body{height:100%;margin:0}
body{display:flex;flex-direction:column;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1d2327;background:#e9ecef}
.bar{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;align-items:center;padding:.55rem 1rem;background:#1f3b4d;color:#fff}
.bar .who{flex:1 1 auto;min-width:12rem}
#profile{opacity:.75;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;margin-left:.5rem}
#picker{font:inherit;margin-left:.35rem;max-width:28rem}
#status{font-size:13px}
#status.stale{color:#ffd479;font-weight:600}
#status.stopped{color:#ffb4a9;font-weight:600}
#problems{max-height:45vh;overflow:auto;padding:.5rem 1rem .75rem;background:#fff4f2;border-bottom:3px solid #b3261e}
#problems h2{font-size:15px;margin:.25rem 0 .5rem;color:#8c1d18}
#problems.warnings-only{background:#fffbea;border-bottom-color:#b07d00}
#problems.warnings-only h2{color:#6b4f00}
#problem-list pre{margin:0 0 .5rem;padding:.5rem .75rem;background:#fff;border:1px solid #e3c9c6;border-left:4px solid #b3261e;border-radius:3px;font:12.5px/1.45 ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap;overflow-wrap:anywhere}
#problem-list pre.warning{border-color:#eadba8;border-left-color:#b07d00}
#policy{flex:1 1 auto;width:100%;border:0;background:#fff}
`;

/** The page's script: plain ES2020, no dependencies; all text goes in as text, never as HTML. */
export const PAGE_JS = `'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const frame = $('policy');
  const picker = $('picker');
  let state = JSON.parse($('state').textContent);
  let selected = new URLSearchParams(location.search).get('policy') || state.selected;
  let shown = { id: null, generation: frame.src ? state.generation : -1 };
  let stopped = false;
  if (frame.src) shown.id = (state.policies.find((p) => p.id === selected) || state.policies[0] || {}).id || null;

  const current = () => state.policies.find((p) => p.id === selected) || state.policies[0] || null;

  function showFrame(policy) {
    if (!policy) { frame.hidden = true; return; }
    frame.hidden = false;
    if (shown.id === policy.id && shown.generation === state.generation) return;
    let y = 0;
    try { if (shown.id === policy.id && frame.contentWindow) y = frame.contentWindow.scrollY; } catch (e) { y = 0; }
    shown = { id: policy.id, generation: state.generation };
    if (y > 0) frame.addEventListener('load', () => { try { frame.contentWindow.scrollTo(0, y); } catch (e) { /* gone */ } }, { once: true });
    frame.src = '/policy/' + encodeURIComponent(policy.id) + '?g=' + state.generation;
  }

  function render() {
    const policy = current();
    selected = policy ? policy.id : selected;
    $('organisation').textContent = state.organisation || '';
    $('profile').textContent = state.profile;
    picker.replaceChildren(...state.policies.map((p) => new Option(p.title, p.id, false, policy !== null && p.id === policy.id)));
    $('picker-label').hidden = state.policies.length < 2;
    document.title = (policy ? policy.title + ' — ' : '') + 'keypolicy preview';
    const errors = state.problems.filter((p) => p.severity === 'error').length;
    const warnings = state.problems.length - errors;
    const status = $('status');
    status.className = stopped ? 'stopped' : errors ? 'stale' : '';
    if (stopped) status.textContent = 'Stopped: keypolicy preview is not running; start it again to see changes.';
    else if (errors) status.textContent = state.renderedAt
      ? 'Not updated: showing the last good render (' + state.renderedAt + ')'
      : 'Nothing to show until the problems below are fixed';
    else status.textContent = (policy ? 'Version ' + policy.version + (policy.status === 'draft' ? ' (draft)' : '') + ' · ' : '') + 'up to date, ' + state.checkedAt;
    const box = $('problems');
    box.hidden = state.problems.length === 0;
    box.classList.toggle('warnings-only', errors === 0);
    $('problems-heading').textContent = errors
      ? (errors === 1 ? '1 error' : errors + ' errors') + (warnings ? ' and ' + warnings + (warnings === 1 ? ' warning' : ' warnings') : '') + (state.renderedAt ? ': the last good render is shown below' : '')
      : (warnings === 1 ? '1 warning' : warnings + ' warnings');
    $('problem-list').replaceChildren(...state.problems.map((p) => {
      const pre = document.createElement('pre');
      pre.className = p.severity;
      pre.textContent = p.text;
      return pre;
    }));
    showFrame(policy);
  }

  picker.addEventListener('change', () => {
    selected = picker.value;
    history.replaceState(null, '', '?policy=' + encodeURIComponent(selected));
    render();
  });
  const events = new EventSource('/events');
  events.addEventListener('state', (event) => { stopped = false; state = JSON.parse(event.data); render(); });
  events.addEventListener('error', () => { if (events.readyState !== EventSource.OPEN) { stopped = true; render(); } });
  render();
})();
`;
