/**
 * `keypolicy templates --sections ID [PROFILE]`: the ids a profile's `policies[].sections` can reword,
 * with the heading each prints; and `keypolicy templates new DIR`: a new template pack.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { colours, type Io } from '../cli/io.js';
import { formatDiagnostic, shownPath } from '../diagnostics/report.js';
import { ExitCode } from '../diagnostics/errors.js';
import { didYouMean, suggest } from '../diagnostics/suggest.js';
import type { ResolvedProfile } from '../profile/resolve.js';
import { loadTemplates } from '../templates/packs.js';
import { SCAFFOLD_FILES } from '../templates/scaffold.js';
import { listSections } from '../templates/section-list.js';

export interface SectionsOptions {
  /** The template id. */
  sections: string;
  templates?: string[];
  json?: boolean;
}

/** List a template's section ids (with a profile: the headings its edition prints, and its overrides). */
export async function runTemplateSections(
  options: SectionsOptions,
  io: Io,
  context: { packs: string[]; profile?: ResolvedProfile; note?: string },
): Promise<ExitCode> {
  const set = await loadTemplates([
    ...context.packs,
    ...(options.templates ?? []).map((p) => path.resolve(io.cwd, p)),
  ]);
  const err = colours(io, io.stderr);
  for (const d of set.diagnostics) io.stderr.write(`${formatDiagnostic(d, io.cwd, err)}\n\n`);
  const template = set.templates.get(options.sections);
  if (!template) {
    const ids = [...set.templates.keys()].sort();
    io.stderr.write(
      `${err.red('error')} There is no template with the id \`${options.sections}\`${didYouMean(suggest(options.sections, ids))}\n` +
        `  Available templates: ${ids.map((id) => `\`${id}\``).join(', ') || 'none'}.\n`,
    );
    return ExitCode.Invalid;
  }
  const entry = context.profile?.data.policies?.find(
    (e): e is Exclude<typeof e, string> => typeof e === 'object' && e.id === template.id,
  );
  const sections = listSections(template, context.profile, {
    partials: set.partials,
    ...(entry?.sections ? { overrides: entry.sections } : {}),
  });
  if (options.json) {
    const document = {
      template: template.id,
      version: template.version,
      file: shownPath(template.file, io.cwd),
      sections: sections.map((s) => ({
        id: s.id,
        level: s.level,
        heading: s.written,
        printed: s.printed ?? null,
        inEdition: s.inEdition ?? null,
        override: s.override ?? null,
      })),
    };
    io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    return set.diagnostics.some((d) => d.severity === 'error') ? ExitCode.Invalid : ExitCode.Success;
  }
  const c = colours(io, io.stdout);
  if (context.note) io.stderr.write(`note: ${context.note}\n`);
  io.stdout.write(`${c.bold(template.id)} ${c.dim(`v${template.version}`)}: ${sections.length} sections\n`);
  const width = Math.max(...sections.map((s) => s.id.length + 2 * (s.level - 1)), 0) + 2;
  for (const s of sections) {
    const id = `${'  '.repeat(s.level - 1)}${s.id}`.padEnd(width);
    const notes = [
      ...(s.inEdition === false ? ['not in this edition'] : []),
      ...(s.override ? [`reworded by the organisation: ${s.override.join(', ')}`] : []),
    ];
    io.stdout.write(
      `  ${id}${s.printed ?? s.written}${notes.length ? c.dim(` (${notes.join('; ')})`) : ''}\n`,
    );
  }
  io.stdout.write(
    c.dim(
      `\nReword a section in the profile: policies: [{ id: ${template.id}, sections: { <id>: { replace | prepend | append: <Markdown>, remove: true } } }]\n`,
    ),
  );
  return ExitCode.Success;
}

/** `keypolicy templates new DIR`: write a new pack into DIR (a folder that is new or empty). */
export async function runTemplatesNew(options: { dir: string }, io: Io): Promise<ExitCode> {
  const dir = path.resolve(io.cwd, options.dir);
  const err = colours(io, io.stderr);
  const existing = await readdir(dir).catch((error: NodeJS.ErrnoException) =>
    error.code === 'ENOENT' ? [] : error,
  );
  if (existing instanceof Error || existing.length > 0) {
    io.stderr.write(
      `${err.red('error')} ${shownPath(dir, io.cwd)} ${existing instanceof Error ? `cannot be used (${existing.code ?? existing.message})` : 'is not empty'}, so no pack was made there.\n` +
        '  Name a new folder (or an empty one): keypolicy templates new our-templates\n',
    );
    return ExitCode.Invalid;
  }
  for (const [name, text] of Object.entries(SCAFFOLD_FILES)) {
    const file = path.join(dir, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text, { flag: 'wx' });
  }
  const c = colours(io, io.stdout);
  io.stdout.write(`${c.green('✓')} made the template pack ${shownPath(dir, io.cwd)}:\n`);
  for (const name of Object.keys(SCAFFOLD_FILES)) io.stdout.write(`  ${name}\n`);
  io.stdout.write(
    `\nCheck it:  keypolicy templates --templates ${options.dir} --check\n` +
      `Build it:  keypolicy build --templates ${options.dir} --policy example-policy\n`,
  );
  return ExitCode.Success;
}
