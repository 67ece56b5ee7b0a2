/** `keypolicy build [PROFILE...]`: validate, render, record and write every organisation's documents. */
import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { colours, type Io } from '../cli/io.js';
import { reporterFor, type Reporter, type ReportFlags } from '../cli/reporter.js';
import { diagnosticJson, plural, shownPath } from '../diagnostics/report.js';
import type { ProfileOutcome } from '../pipeline/batch.js';
import { FORMATS, type Format } from '../pipeline/formats.js';
import { expandProfileInputs, inShard, MAX_SHARDS, parseShard, skippedNotes } from '../pipeline/inputs.js';
import { commandDate } from '../core/dates.js';
import { findBrowser } from '../writers/pdf/finder.js';
import { BrowserSession, printTimeoutSeconds } from '../writers/pdf/session.js';
import { logoTimeoutSeconds } from '../writers/docx/svg-raster.js';
import { plainTextFlag } from '../cli/options.js';
import { DocxWorkers } from '../writers/docx/workers.js';
import type { PolicyDocument } from '../document/model.js';
import { ExitCode, KeypolicyError } from '../diagnostics/errors.js';
import path from 'node:path';
import { DEFAULT_PROFILE } from './defaults.js';

export interface BuildFlags extends ReportFlags {
  profiles: string[];
  out?: string;
  format?: string;
  policy?: string[];
  templates?: string[];
  jobs?: string;
  shard?: string;
  date?: string;
  browser?: string;
  frozen?: boolean;
  force?: boolean;
  message?: string;
}

const usage = (message: string) => new KeypolicyError('KP_USAGE', message, { exitCode: ExitCode.Usage });

/** `pdf,docx` → ['pdf', 'docx'], refusing names keypolicy does not write. */
export function parseFormats(value: string | undefined): Format[] {
  const formats = (value ?? 'pdf,docx,html')
    .split(',')
    .map((f) => f.trim().toLowerCase())
    .filter(Boolean);
  const unknown = formats.filter((f) => !(FORMATS as readonly string[]).includes(f));
  if (unknown.length > 0 || formats.length === 0) {
    throw usage(
      `--format takes a comma-separated list of ${FORMATS.join(', ')}; you wrote \`${value ?? ''}\`.`,
    );
  }
  return [...new Set(formats)] as Format[];
}

/**
 * `--jobs`: a whole number from 1 to four per CPU core (the default is one per core). More would only
 * queue work in memory (a thousand took 2.7 GB), so a larger number is refused, naming the limit,
 * rather than quietly lowered: a CI setting that asks for more than the machine can give should be seen.
 */
export function parseJobs(value: string | undefined, cores = availableParallelism()): number {
  if (value === undefined) return cores;
  const cap = 4 * cores;
  const jobs = /^\s*\d{1,9}\s*$/.test(value) ? Number(value) : NaN;
  if (jobs >= 1 && jobs <= cap) return jobs;
  throw new KeypolicyError(
    'KP_USAGE',
    `--jobs takes a whole number from 1 to ${cap} (4 × this machine's ${cores} CPU ${cores === 1 ? 'core' : 'cores'}); you wrote \`${value}\`.`,
    {
      exitCode: ExitCode.Usage,
      hint: 'Leave --jobs out to print one document per CPU core at a time.',
    },
  );
}

/** Progress on stderr: a bar with counts and the current organisation on a terminal, plain lines otherwise. */
async function progress(io: Io, reporter: Reporter) {
  if (reporter.json || reporter.quiet) return {};
  if (io.stderr.isTTY && !io.env.CI) {
    // A CommonJS package: its bundled chunk has only a default export, so nothing is taken by name.
    const { default: cliProgress } = await import('cli-progress');
    const bar = new cliProgress.SingleBar({
      format: 'building {bar} {value}/{total} {name}',
      stream: io.stderr as NodeJS.WritableStream,
      hideCursor: true,
      clearOnComplete: true,
    });
    return {
      start: (total: number) => {
        if (total > 1) bar.start(total, 0, { name: '' });
      },
      begin: (name: string) => bar.update({ name }),
      done: (_: ProfileOutcome, finished: number, total: number) => {
        if (total <= 1) return;
        bar.update(finished, { name: '' });
        if (finished === total) bar.stop();
      },
    };
  }
  return {
    done: (outcome: ProfileOutcome, finished: number, total: number) => {
      // One organisation needs no progress report: its result follows at once.
      if (total <= 1) return;
      const what =
        outcome.state === 'failed'
          ? 'failed'
          : outcome.state === 'unchanged'
            ? 'unchanged'
            : `built (${plural(outcome.files.length, 'file')})`;
      io.stderr.write(
        `[${finished}/${total}] ${outcome.name ?? shownPath(outcome.profile, io.cwd)}: ${what}\n`,
      );
    },
  };
}

/** Whether `out` holds an earlier build (an organisation's manifest), so this one may change nothing. */
function holdsEarlierBuild(out: string): boolean {
  try {
    return readdirSync(out, { withFileTypes: true }).some(
      (entry) => entry.isDirectory() && existsSync(path.join(out, entry.name, 'manifest.json')),
    );
  } catch {
    return false;
  }
}

export async function runBuild(flags: BuildFlags, io: Io): Promise<ExitCode> {
  const reporter = reporterFor(flags, io);
  const formats = parseFormats(flags.format);
  const date = commandDate(flags.date, '--date', io.env);
  const jobs = parseJobs(flags.jobs);
  const shard = flags.shard !== undefined ? parseShard(flags.shard) : undefined;
  if (flags.shard !== undefined && !shard)
    throw usage(`--shard takes K/N with 1 ≤ K ≤ N ≤ ${MAX_SHARDS}, e.g. 2/4; you wrote \`${flags.shard}\`.`);
  // Read with the flags, so a bad value is a usage error (exit 2) before a browser is even looked for.
  const printMs = formats.includes('pdf') ? printTimeoutSeconds(io.env) * 1000 : undefined;
  if (formats.includes('docx')) logoTimeoutSeconds(io.env);
  const message = plainTextFlag(flags.message, '--message', false);
  const out = path.resolve(io.cwd, flags.out ?? 'policies');

  // Found before any work, so a missing browser fails fast with exit 3; shared by every document.
  const browserPath = formats.includes('pdf') ? findBrowser(flags.browser, io.env) : undefined;
  const session = browserPath ? new BrowserSession(browserPath, { printMs: printMs as number }) : undefined;
  const docx = formats.includes('docx') ? new DocxWorkers(jobs) : undefined;
  // A first build starts Chromium and a DOCX thread at once, while the pipeline loads; a rebuild
  // waits until an organisation really needs rendering, so an unchanged rebuild starts neither.
  const warmUp = () => {
    session?.warmUp();
    docx?.warmUp();
  };
  if (flags.force || !holdsEarlierBuild(out)) warmUp();

  let inputs, result;
  try {
    inputs = await expandProfileInputs(
      flags.profiles.length > 0 ? flags.profiles : [DEFAULT_PROFILE],
      io.cwd,
    );
    const files = shard ? inputs.files.filter((f) => inShard(f, io.cwd, shard)) : inputs.files;
    // Loaded only now, so Chromium boots while the pipeline's modules load.
    const { runBatch } = await import('../pipeline/batch.js');
    result = await runBatch(
      files,
      {
        out,
        formats,
        date,
        jobs,
        force: flags.force === true,
        browser: () => session as BrowserSession,
        ...(docx ? { docx: (doc: PolicyDocument) => docx.render(doc) } : {}),
        ...(browserPath ? { browserPath } : {}),
        ...(flags.frozen ? { frozen: true } : {}),
        ...(message ? { message } : {}),
        ...(flags.policy?.length ? { policies: flags.policy } : {}),
        ...(flags.templates?.length ? { packs: flags.templates.map((t) => path.resolve(io.cwd, t)) } : {}),
      },
      { ...(await progress(io, reporter)), rendering: warmUp },
    );
  } finally {
    await Promise.all([session?.close(), docx?.close()]);
  }
  const skipped = skippedNotes(inputs.skipped, (file) => shownPath(file, io.cwd));
  const notes = [...skipped, ...result.notes.map((n) => n.replace(/^[^:]+/, (f) => shownPath(f, io.cwd)))];
  return report(result.outcomes, notes, reporter, io);
}

function exitFor(outcomes: ProfileOutcome[]): ExitCode {
  const failed = outcomes.filter((o) => o.state === 'failed');
  if (failed.length === 0) return ExitCode.Success;
  return failed.some((o) => o.exitCode === ExitCode.Environment) ? ExitCode.Environment : ExitCode.Invalid;
}

function report(outcomes: ProfileOutcome[], notes: string[], reporter: Reporter, io: Io): ExitCode {
  const exit = exitFor(outcomes);
  if (reporter.json) {
    reporter.diagnostics(outcomes.flatMap((o) => [...o.errors, ...o.warnings]));
    const document = {
      ok: exit === ExitCode.Success,
      summary: {
        built: outcomes.filter((o) => o.state === 'built').length,
        unchanged: outcomes.filter((o) => o.state === 'unchanged').length,
        failed: outcomes.filter((o) => o.state === 'failed').length,
      },
      notes,
      profiles: outcomes.map((o) => ({
        profile: shownPath(o.profile, io.cwd),
        organisation: o.name ?? null,
        slug: o.slug ?? null,
        state: o.state,
        recorded: o.recorded,
        files: o.files.map((f) => ({ ...f, file: shownPath(f.file, io.cwd) })),
        errors: o.errors.map((d) => diagnosticJson(d, io.cwd)),
        warnings: o.warnings.map((d) => diagnosticJson(d, io.cwd)),
      })),
    };
    io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    return exit;
  }
  const err = colours(io, io.stderr);
  const c = colours(io, io.stdout);
  const { quiet } = reporter;
  for (const note of notes) reporter.note(note);
  for (const outcome of outcomes) {
    reporter.diagnostics([...outcome.errors, ...outcome.warnings]);
    if (quiet || outcome.state === 'failed') continue;
    for (const r of outcome.recorded.filter((x) => x.outcome !== 'unchanged')) {
      io.stdout.write(
        `${r.outcome === 'created' ? 'recorded' : 'revised'} ${r.policy} version ${r.version} (draft) in the register\n`,
      );
    }
    if (outcome.state === 'built') {
      for (const f of outcome.files)
        io.stdout.write(
          `${c.green('✓')} ${shownPath(f.file, io.cwd)} ${c.dim(`v${f.version} ${f.status}`)}\n`,
        );
    }
  }
  const count = (state: ProfileOutcome['state']) => outcomes.filter((o) => o.state === state).length;
  const failed = outcomes.filter((o) => o.state === 'failed');
  if (outcomes.length > 1 || failed.length > 0 || count('unchanged') > 0) {
    const line = `${count('built')} built, ${count('unchanged')} unchanged, ${failed.length} failed`;
    if (failed.length === 0) {
      if (!quiet) io.stdout.write(`${line}\n`);
    } else {
      io.stderr.write(`${err.red('✗')} ${line}:\n`);
      for (const f of failed)
        io.stderr.write(`  ${shownPath(f.profile, io.cwd)}: ${f.errors[0]?.message ?? 'failed'}\n`);
    }
  }
  return exit;
}
