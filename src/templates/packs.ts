/** Template packs: find the templates and partials in each pack folder; later packs override earlier ones by id. */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../errors.js';
import type { Nation, ServiceType } from '../profile/enums.js';
import { NATIONS, SERVICE_TYPES } from '../profile/enums.js';
import { sourceFromText } from '../profile/source.js';
import { PACKAGE_ROOT } from '../version.js';
import type { FrontMatter } from './front-matter-schema.js';
import { parseTemplateFile } from './front-matter.js';

/** The pack that ships with keypolicy. */
export const BUILT_IN_PACK = path.join(PACKAGE_ROOT, 'templates');

const TEMPLATE_EXTENSIONS = new Set(['.md', '.markdown', '.hbs', '.txt']);
/** A template or partial larger than this is not a policy; it is refused before it is read. */
const MAX_TEMPLATE_BYTES = 512 * 1024;

export interface Template {
  id: string;
  /** Absolute path of the template file. */
  file: string;
  /** Absolute path of the pack it came from. */
  pack: string;
  /** True for a template without front matter (from another policy system). */
  foreign: boolean;
  title: string;
  version: string;
  nations: readonly Nation[];
  services: readonly ServiceType[];
  description?: string;
  partials: readonly string[];
  body: string;
  /** The file line on which the body starts. */
  bodyLine: number;
}

export interface Partial {
  name: string;
  file: string;
  text: string;
}

export interface TemplateSet {
  templates: Map<string, Template>;
  partials: Map<string, Partial>;
  diagnostics: Diagnostic[];
}

const packDiagnostic = (file: string, code: string, message: string, hint: string) =>
  sourceFromText(file, '').diagnosticAt([0, 0], { code, message, hint });

/** Read a file of the pack, refusing anything that leads outside it (symlinks, ..) or is too large. */
async function readInsidePack(
  packReal: string,
  file: string,
): Promise<{ text: string } | { diagnostic: Diagnostic }> {
  const real = await realpath(file);
  if (real !== packReal && !real.startsWith(`${packReal}${path.sep}`)) {
    return {
      diagnostic: packDiagnostic(
        file,
        'KP_TEMPLATE_PATH',
        'This template file leads outside its pack (a link to somewhere else), so it was not read.',
        'Copy the file into the pack instead of linking to it.',
      ),
    };
  }
  const info = await stat(real);
  if (info.size > MAX_TEMPLATE_BYTES) {
    return {
      diagnostic: packDiagnostic(
        file,
        'KP_TEMPLATE_TOO_LARGE',
        `This template is ${Math.round(info.size / 1024)} KB; a template may be at most ${MAX_TEMPLATE_BYTES / 1024} KB.`,
        'Split it into partials, or check that this is the right file.',
      ),
    };
  }
  return { text: await readFile(real, 'utf8') };
}

const isTemplateFile = (name: string) =>
  !name.startsWith('.') &&
  !/^readme(\.|$)/i.test(name) &&
  TEMPLATE_EXTENSIONS.has(path.extname(name).toLowerCase());

/**
 * A foreign template has no front matter, so its title is its first heading, or else its first line
 * that is plain text (no placeholder, no "Label: value").
 */
function foreignTitle(body: string): string {
  const lines = body.split('\n').map((line) => line.trim());
  const heading = lines.find((line) => /^#{1,6}\s+\S/.test(line) && !line.includes('{{'));
  if (heading) return heading.replace(/^#+\s+/, '');
  return (
    lines.find((line) => line && !line.includes('{{') && !line.includes(':') && line.length <= 120) ??
    'Policy'
  );
}

/** Read one pack folder. */
async function readPack(pack: string, into: TemplateSet): Promise<void> {
  const info = await stat(pack).catch(() => undefined);
  if (!info?.isDirectory()) {
    into.diagnostics.push(
      packDiagnostic(
        pack,
        'KP_TEMPLATES_NOT_FOUND',
        `The template pack folder ${pack} does not exist.`,
        'Check the --templates path or the profile’s `templates:` list.',
      ),
    );
    return;
  }
  const packReal = await realpath(pack);
  const seen = new Map<string, string>();
  const entries = (await readdir(pack, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (!isTemplateFile(entry.name) || entry.isDirectory()) continue;
    const file = path.join(pack, entry.name);
    const read = await readInsidePack(packReal, file);
    if ('diagnostic' in read) {
      into.diagnostics.push(read.diagnostic);
      continue;
    }
    const parsed = parseTemplateFile(file, read.text);
    into.diagnostics.push(...parsed.diagnostics);
    if (parsed.diagnostics.length > 0) continue;
    const fm: FrontMatter | undefined = parsed.frontMatter;
    const id = fm?.id ?? path.basename(entry.name, path.extname(entry.name));
    const earlier = seen.get(id);
    if (earlier) {
      into.diagnostics.push(
        packDiagnostic(
          file,
          'KP_TEMPLATE_DUPLICATE_ID',
          `Two templates in one pack have the id \`${id}\` (${path.basename(earlier)} and ${entry.name}).`,
          'Give each template in a pack its own id; to replace a template, put the new one in a later pack.',
        ),
      );
      continue;
    }
    seen.set(id, file);
    into.templates.set(id, {
      id,
      file,
      pack,
      foreign: fm === undefined,
      title: fm?.title ?? foreignTitle(parsed.body),
      version: fm?.version ?? '1.0.0',
      nations: fm?.nations ?? NATIONS,
      services: fm?.services ?? SERVICE_TYPES,
      ...(fm?.description ? { description: fm.description } : {}),
      partials: fm?.partials ?? [],
      body: parsed.body,
      bodyLine: parsed.bodyLine,
    });
  }
  const partialsDir = path.join(pack, 'partials');
  const partialEntries = await readdir(partialsDir, { withFileTypes: true }).catch(() => []);
  for (const entry of partialEntries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!isTemplateFile(entry.name) || entry.isDirectory()) continue;
    const file = path.join(partialsDir, entry.name);
    const read = await readInsidePack(packReal, file);
    if ('diagnostic' in read) into.diagnostics.push(read.diagnostic);
    else {
      const name = path.basename(entry.name, path.extname(entry.name));
      into.partials.set(name, { name, file, text: read.text });
    }
  }
}

/** Every template available from the built-in pack and `packs` (in order; later ones win by id). */
export async function loadTemplates(packs: readonly string[]): Promise<TemplateSet> {
  const set: TemplateSet = { templates: new Map(), partials: new Map(), diagnostics: [] };
  for (const pack of [BUILT_IN_PACK, ...packs]) await readPack(path.resolve(pack), set);
  return set;
}

/** Whether a template applies to a nation and service type. */
export const appliesTo = (template: Template, nation: Nation, service: ServiceType): boolean =>
  template.nations.includes(nation) && template.services.includes(service);
