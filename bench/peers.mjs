#!/usr/bin/env node
// keypolicy against peers on the same documents: md-to-pdf (PDF through the same system browser, in
// batches of 10 so it does not time out) and pandoc (DOCX, one process per file). Peers are installed for
// the benchmark only, into bench/.peers (npm, without a browser download) and by apt-get (pandoc).
// Usage: node bench/peers.mjs [N=100]   (`--quick`: N=10). The default is the consultant's batch of 100
// documents, where a per-document figure means throughput rather than start-up; md-to-pdf takes a few
// minutes of it. A smaller N shows more of each tool's fixed start-up cost.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateProfiles } from './batch.mjs';

const quick = process.argv.includes('--quick');
const count = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? (quick ? 10 : 100));
const root = fileURLToPath(new URL('..', import.meta.url));
const peers = path.join(root, 'bench', '.peers');
// md-to-pdf is given the browser keypolicy uses (its headless shell where installed), in the same mode.
const chromium = [
  process.env.KEYPOLICY_BROWSER,
  '/usr/lib/chromium/chromium-headless-shell',
  '/usr/lib/chromium/chromium',
  '/usr/bin/chromium',
  '/usr/bin/google-chrome-stable',
].find((p) => p && existsSync(p));
const headless = /headless[-_]shell/.test(path.basename(chromium ?? '')) ? 'shell' : true;

function installPeers() {
  if (!existsSync(path.join(peers, 'node_modules', 'md-to-pdf'))) {
    mkdirSync(peers, { recursive: true });
    writeFileSync(path.join(peers, 'package.json'), '{ "name": "keypolicy-bench-peers", "private": true }\n');
    execFileSync(
      'npm',
      ['install', '--prefix', peers, '--no-audit', '--no-fund', 'md-to-pdf@5', 'puppeteer@24'],
      {
        stdio: 'inherit',
        env: { ...process.env, PUPPETEER_SKIP_DOWNLOAD: '1' },
      },
    );
  }
  if (spawnSync('sh', ['-c', 'command -v pandoc']).status !== 0) {
    execFileSync('apt-get', ['install', '-y', '-qq', 'pandoc'], { stdio: 'inherit' });
  }
}

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

async function main() {
  installPeers();
  const dir = mkdtempSync(path.join(tmpdir(), 'keypolicy-peers-'));
  const bin = path.join(root, 'bin/keypolicy.js');
  // Each keypolicy run is a first build, as the peers' are: fresh profiles, no register beside them.
  const keypolicy = (format, out) => {
    rmSync(path.join(dir, 'clients'), { recursive: true, force: true });
    generateProfiles(path.join(dir, 'clients'), count);
    const start = performance.now();
    execFileSync(
      process.execPath,
      [bin, 'build', 'clients', '--format', format, '--out', out, '--date', '2026-04-01', '--quiet'],
      { cwd: dir },
    );
    return performance.now() - start;
  };
  // The same rendered words for every tool: keypolicy's Markdown output.
  keypolicy('md', 'md');
  const markdown = readdirSync(path.join(dir, 'md'), { recursive: true })
    .filter((f) => String(f).endsWith('.md'))
    .map((f) => path.join(dir, 'md', String(f)));

  console.error('peers: keypolicy PDF…');
  const kpPdf = keypolicy('pdf', 'kp-pdf');
  const kpDocx = keypolicy('docx', 'kp-docx');

  console.error('peers: md-to-pdf…');
  const require = createRequire(path.join(peers, 'package.json'));
  const { mdToPdf } = await import(pathToFileURL(require.resolve('md-to-pdf')).href);
  let mdFailures = 0;
  const mdStart = performance.now();
  for (let i = 0; i < markdown.length; i += 10) {
    const results = await Promise.allSettled(
      markdown.slice(i, i + 10).map((file) =>
        mdToPdf(
          { path: file },
          {
            dest: `${file}.peer.pdf`,
            launch_options: { executablePath: chromium, headless, args: ['--no-sandbox'] },
          },
        ),
      ),
    );
    mdFailures += results.filter((r) => r.status === 'rejected').length;
  }
  const mdPdf = performance.now() - mdStart;

  console.error('peers: pandoc…');
  const pandocStart = performance.now();
  for (const file of markdown) execFileSync('pandoc', [file, '-o', `${file}.peer.docx`]);
  const pandoc = performance.now() - pandocStart;
  rmSync(dir, { recursive: true, force: true });

  console.log(
    `keypolicy against peers: the same ${markdown.length} policies (all 24 variants), whole runs; browser ${chromium}`,
  );
  console.log(
    `  PDF   keypolicy ${seconds(kpPdf)} (${(kpPdf / count).toFixed(0)} ms/doc, incl. validating and rendering)`,
  );
  console.log(
    `        md-to-pdf ${seconds(mdPdf)} (${(mdPdf / count).toFixed(0)} ms/doc, batches of 10, ${mdFailures} failed)  → keypolicy ${(mdPdf / kpPdf).toFixed(1)}× the throughput (target ≥ 3×)`,
  );
  console.log(
    `  DOCX  keypolicy ${seconds(kpDocx)} (${(kpDocx / count).toFixed(0)} ms/doc, incl. validating and rendering)`,
  );
  console.log(
    `        pandoc    ${seconds(pandoc)} (${(pandoc / count).toFixed(0)} ms/doc, a process per file)  → keypolicy ${(pandoc / kpDocx).toFixed(1)}× faster (target ≥ 3×)`,
  );
}

/**
 * The processes this run started that still run, found by parent pid (its children, theirs, and so on),
 * and this process's own group. Read from `ps`, a child itself that has ended by the time it is read.
 */
function ownProcesses() {
  const listing = spawnSync('ps', ['-A', '-o', 'pid=,ppid=,pgid='], { encoding: 'utf8' });
  const table = (listing.stdout ?? '')
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter((fields) => fields.length === 3 && fields.every(Number.isInteger))
    .map(([pid, ppid, pgid]) => ({ pid, ppid, pgid }));
  const own = [];
  const parents = new Set([process.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of table)
      if (parents.has(p.ppid) && !parents.has(p.pid)) {
        parents.add(p.pid);
        own.push(p);
        grew = true;
      }
  }
  const group = table.find((p) => p.pid === process.pid)?.pgid;
  return { group, started: own.filter((p) => p.pid !== listing.pid) };
}

/**
 * md-to-pdf leaves the browsers of documents that failed running. Only what this run started is ended:
 * puppeteer starts each browser as the leader of a process group of its own, so a browser is ended with
 * its group (its helpers), any other process of this run's by its pid. Never anyone else's browser.
 */
function endOwnProcesses() {
  const { group, started } = ownProcesses();
  for (const { pid, pgid } of started) {
    try {
      if (pgid === pid && pgid !== group) process.kill(-pgid, 'SIGKILL');
      else process.kill(pid, 'SIGKILL');
    } catch {
      // Ended meanwhile, with its group.
    }
  }
}

await main();
endOwnProcesses();
process.exit(0);
