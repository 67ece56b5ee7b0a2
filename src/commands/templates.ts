/** `keypolicy templates [PROFILE] [--templates DIR]... [--json] [--check]` */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { colours, type Io } from '../cli/io.js';
import { diagnosticJson, formatDiagnostic, plural, shownPath } from '../diagnostics/report.js';
import { ExitCode } from '../diagnostics/errors.js';
import { checkProfile } from '../pipeline/check-profile.js';
import { checkTemplates } from '../templates/check.js';
import { loadTemplates, type Template } from '../templates/packs.js';
import { renderTitle } from '../templates/render.js';
import { dataFiles } from '../templates/data-files.js';
import { formatUkDate } from '../core/dates.js';
import { DEFAULT_PROFILE } from './defaults.js';
import type { ResolvedProfile } from '../profile/resolve.js';

export interface TemplatesOptions {
  profile?: string;
  templates?: string[];
  json?: boolean;
  check?: boolean;
  /** `--sections ID`: list that template's section ids instead of the templates. */
  sections?: string;
}

/** The profile's own packs, when there is a profile: every command sees the same templates. */
async function profilePacks(
  options: TemplatesOptions,
  io: Io,
): Promise<{ packs: string[]; note?: string; profile?: ResolvedProfile }> {
  const file = path.resolve(io.cwd, options.profile ?? DEFAULT_PROFILE);
  const exists = await access(file).then(
    () => true,
    () => false,
  );
  if (!exists) return { packs: [] };
  const report = await checkProfile(file);
  if (report.resolved) return { packs: [...report.resolved.templatePacks], profile: report.resolved };
  return {
    packs: [],
    note: `${shownPath(file, io.cwd)} is not valid, so its template packs are not listed (run keypolicy validate).`,
  };
}

const FORMAT_NOTES: Record<Template['format'], string> = {
  markdown: '',
  text: ' (plain text)',
  word: ' (Word)',
};

export async function runTemplates(options: TemplatesOptions, io: Io): Promise<ExitCode> {
  const { packs, note, profile } = await profilePacks(options, io);
  if (options.sections !== undefined) {
    const { runTemplateSections } = await import('./templates-sections.js');
    return runTemplateSections({ ...options, sections: options.sections }, io, {
      packs,
      ...(profile ? { profile } : {}),
      ...(note ? { note } : {}),
    });
  }
  const set = await loadTemplates([
    ...packs,
    ...(options.templates ?? []).map((p) => path.resolve(io.cwd, p)),
  ]);
  const diagnostics = options.check ? checkTemplates(set) : set.diagnostics;
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const templates = [...set.templates.values()].sort((a, b) => a.id.localeCompare(b.id));
  const data = await dataFiles();
  const titles = (t: Template) => [
    ...new Set(['key', 'link'].map((term) => renderTitle(t, term as 'key' | 'link'))),
  ];

  if (options.json) {
    const document = {
      valid: errors.length === 0,
      templates: templates.map((t) => ({
        id: t.id,
        version: t.version,
        titles: titles(t),
        nations: t.nations,
        services: t.services,
        description: t.description ?? null,
        foreign: t.foreign,
        format: t.format,
        file: shownPath(t.file, io.cwd),
      })),
      diagnostics: diagnostics.map((d) => diagnosticJson(d, io.cwd)),
      data: data.map((d) => ({ nation: d.nation, file: shownPath(d.file, io.cwd), asOf: d.asOf ?? null })),
    };
    io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    return errors.length === 0 ? ExitCode.Success : ExitCode.Invalid;
  }

  const c = colours(io, io.stdout);
  if (note) io.stderr.write(`note: ${note}\n`);
  for (const t of templates) {
    io.stdout.write(
      `${c.bold(t.id)} ${c.dim(`v${t.version}`)}${c.dim(FORMAT_NOTES[t.format])}${t.foreign ? c.dim(' (foreign template)') : ''}\n`,
    );
    io.stdout.write(`  title:    ${titles(t).join(' / ')}\n`);
    io.stdout.write(`  nations:  ${t.nations.join(', ')}\n  services: ${t.services.join(', ')}\n`);
    if (t.description) io.stdout.write(`  ${t.description}\n`);
    io.stdout.write(`  ${c.dim(shownPath(t.file, io.cwd))}\n`);
  }
  io.stdout.write(`${c.bold('regulatory data')}\n`);
  for (const d of data)
    io.stdout.write(
      `  ${d.nation.padEnd(8)} as at ${d.asOf ? formatUkDate(d.asOf) : '(no asOf date)'}  ${c.dim(shownPath(d.file, io.cwd))}\n`,
    );
  const err = colours(io, io.stderr);
  for (const d of diagnostics) io.stderr.write(`${formatDiagnostic(d, io.cwd, err)}\n\n`);
  if (options.check) {
    const line = `${plural(templates.length, 'template')} checked: ${plural(errors.length, 'error')}`;
    if (errors.length === 0) io.stdout.write(`${c.green('✓')} ${line}\n`);
    else io.stderr.write(`${err.red('✗')} ${line}\n`);
  }
  return errors.length === 0 ? ExitCode.Success : ExitCode.Invalid;
}
