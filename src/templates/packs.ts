/** Template packs: find the templates and partials in each pack folder; later packs override earlier ones by id. */
import { constants as fsConstants, type Dirent } from 'node:fs';
import { open, readdir, realpath, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/errors.js';
import type { Nation, ServiceType } from '../profile/enums.js';
import { NATIONS, SERVICE_TYPES } from '../profile/enums.js';
import { sourceFromText } from '../diagnostics/source.js';
import { PACKAGE_ROOT } from '../core/version.js';
import type { FrontMatter } from './front-matter-schema.js';
import { parseTemplateFile } from './front-matter.js';
import type { TemplateText } from './template-errors.js';
import { plainTextTemplate } from './plain-text.js';
import { wordTemplate } from './word.js';
import type { MappedLine } from './source-map.js';

/** The pack that ships with keypolicy. */
export const BUILT_IN_PACK = path.join(PACKAGE_ROOT, 'templates');

const TEMPLATE_EXTENSIONS = new Set(['.md', '.markdown', '.hbs', '.txt', '.docx']);
/** A template or partial larger than this is not a policy; it is refused before it is read. */
const MAX_TEMPLATE_BYTES = 512 * 1024;
/** A Word template carries its styles, and perhaps pictures: it may be larger. */
const MAX_WORD_BYTES = 8 * 1024 * 1024;
const isWord = (file: string) => path.extname(file).toLowerCase() === '.docx';

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
  /** What the template was written as: Markdown, plain text (`.txt`) or a Word document (`.docx`). */
  format: 'markdown' | 'text' | 'word';
  /**
   * What Handlebars compiles when it is not `body` as written (a plain-text template read as Markdown,
   * section overrides spliced in), each line mapped to the body line it came from.
   */
  source?: MappedLine[];
}

export interface Partial {
  name: string;
  file: string;
  text: string;
  /** The file line on which the text starts (a section override's place in the profile); default 1. */
  bodyLine?: number;
}

export interface TemplateSet {
  templates: Map<string, Template>;
  partials: Map<string, Partial>;
  diagnostics: Diagnostic[];
}

const packDiagnostic = (file: string, code: string, message: string, hint: string) =>
  sourceFromText(file, '').diagnosticAt([0, 0], { code, message, hint });

/** Whether `target` is `root` or inside it (both real paths). */
const isInside = (root: string, target: string): boolean => {
  const relative = path.relative(root, target);
  return relative === '' || (relative.split(path.sep)[0] !== '..' && !path.isAbsolute(relative));
};

/**
 * O_NONBLOCK: opening a named pipe must not wait for a writer (it would hang the build); O_NOFOLLOW: the
 * path checked is the path opened, not a link put there since. Neither exists on Windows.
 */
const OPEN_FLAGS =
  fsConstants.O_RDONLY |
  ((fsConstants.O_NONBLOCK as number | undefined) ?? 0) |
  ((fsConstants.O_NOFOLLOW as number | undefined) ?? 0);

/** A file of the pack that could not be read, in words for the person who made the pack. */
function unreadable(file: string, error: unknown): Diagnostic {
  const code = (error as { code?: unknown } | null)?.code;
  const [message, hint] =
    code === 'ENOENT'
      ? [
          'This template file is a broken link (it points to something that does not exist), so it was not read.',
          'Remove the link, or copy the file it should point to into the pack.',
        ]
      : code === 'ELOOP'
        ? [
            'This template file is a link that leads round in a circle of links, so it was not read.',
            'Remove the link, or copy the file it should point to into the pack.',
          ]
        : [
            `This template file could not be read (${typeof code === 'string' ? code : String(error)}).`,
            'Check that the file exists and that you are allowed to read it.',
          ];
  return packDiagnostic(file, 'KP_TEMPLATE_UNREADABLE', message, hint);
}

/**
 * Read a file of the pack, refusing anything that leads outside it (links, ..), is not an ordinary file
 * (a folder, a named pipe, a device) or is too large. Nothing refused is read.
 */
async function readInsidePack(
  packReal: string,
  file: string,
): Promise<{ text: string; bytes: Buffer } | { diagnostic: Diagnostic }> {
  const limit = isWord(file) ? MAX_WORD_BYTES : MAX_TEMPLATE_BYTES;
  let real: string;
  try {
    real = await realpath(file);
  } catch (error) {
    return { diagnostic: unreadable(file, error) };
  }
  if (!isInside(packReal, real)) {
    return {
      diagnostic: packDiagnostic(
        file,
        'KP_TEMPLATE_PATH',
        'This template file leads outside its pack (a link to somewhere else), so it was not read.',
        'Copy the file into the pack instead of linking to it.',
      ),
    };
  }
  let handle: FileHandle | undefined;
  try {
    handle = await open(real, OPEN_FLAGS);
    // Checked on the open file, so what is read is what was checked.
    const info = await handle.stat();
    if (!info.isFile()) {
      return {
        diagnostic: packDiagnostic(
          file,
          'KP_TEMPLATE_UNREADABLE',
          'This is not an ordinary file (it is a folder, a named pipe or a device), so it was not read.',
          'A template pack holds ordinary text files; remove this from the pack, or rename it.',
        ),
      };
    }
    if (info.size > limit) return { diagnostic: tooLarge(file, info.size, limit) };
    // Read at most one byte more than allowed, in case the file grows while it is read.
    const buffer = Buffer.alloc(Math.min(info.size, limit) + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > limit) return { diagnostic: tooLarge(file, length, limit) };
    return {
      text: isWord(file) ? '' : buffer.toString('utf8', 0, length),
      bytes: buffer.subarray(0, length),
    };
  } catch (error) {
    return { diagnostic: unreadable(file, error) };
  } finally {
    await handle?.close();
  }
}

const tooLarge = (file: string, bytes: number, limit = MAX_TEMPLATE_BYTES) =>
  packDiagnostic(
    file,
    'KP_TEMPLATE_TOO_LARGE',
    `This template is ${Math.round(bytes / 1024)} KB; a template may be at most ${limit / 1024} KB.`,
    'Split it into partials, or check that this is the right file.',
  );

/**
 * What a template must not write (syntax.ts: partial calls that name a path, prototype names), looked for
 * in every pack but the built-in one. Imported when first needed, so reading the built-in pack alone does
 * not load Handlebars.
 */
const forbidden = async (text: TemplateText): Promise<Diagnostic[]> =>
  (await import('./syntax.js')).forbiddenSyntax(text);

const isTemplateFile = (name: string) =>
  !name.startsWith('.') &&
  // Word's lock file beside an open document.
  !name.startsWith('~$') &&
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

/**
 * Read one pack folder. The folder itself may be a link (the person named it), but every file read must
 * be inside the folder it really is. `trusted` is the built-in pack, which is not scanned for path calls.
 */
async function readPack(pack: string, trusted: boolean): Promise<TemplateSet> {
  const into: TemplateSet = { templates: new Map(), partials: new Map(), diagnostics: [] };
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
    return into;
  }
  let packReal: string;
  let entries: Dirent[];
  try {
    packReal = await realpath(pack);
    entries = (await readdir(pack, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  } catch (error) {
    into.diagnostics.push(unreadable(pack, error));
    return into;
  }
  const seen = new Map<string, string>();
  for (const entry of entries) {
    if (!isTemplateFile(entry.name) || entry.isDirectory()) continue;
    const file = path.join(pack, entry.name);
    const read = await readInsidePack(packReal, file);
    if ('diagnostic' in read) {
      into.diagnostics.push(read.diagnostic);
      continue;
    }
    const word = isWord(file) ? wordTemplate(read.bytes) : undefined;
    if (word?.problem) {
      into.diagnostics.push(
        packDiagnostic(
          file,
          'KP_TEMPLATE_WORD',
          word.problem,
          'Save the template from Word as a .docx document.',
        ),
      );
      continue;
    }
    const parsed = word
      ? { body: word.body, bodyLine: 1, diagnostics: [] }
      : parseTemplateFile(file, read.text);
    if (!trusted && parsed.diagnostics.length === 0)
      parsed.diagnostics.push(...(await forbidden({ file, body: parsed.body, bodyLine: parsed.bodyLine })));
    into.diagnostics.push(...parsed.diagnostics);
    if (parsed.diagnostics.length > 0) continue;
    const fm: FrontMatter | undefined = 'frontMatter' in parsed ? parsed.frontMatter : undefined;
    const id = fm?.id ?? path.basename(entry.name, path.extname(entry.name));
    const text = word
      ? { lines: word.lines, ...(word.title ? { title: word.title } : {}) }
      : path.extname(entry.name).toLowerCase() === '.txt'
        ? plainTextTemplate(parsed.body)
        : undefined;
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
      title: fm?.title ?? text?.title ?? foreignTitle(parsed.body),
      version: fm?.version ?? '1.0.0',
      nations: fm?.nations ?? NATIONS,
      services: fm?.services ?? SERVICE_TYPES,
      ...(fm?.description ? { description: fm.description } : {}),
      partials: fm?.partials ?? [],
      body: parsed.body,
      bodyLine: parsed.bodyLine,
      format: word ? 'word' : text ? 'text' : 'markdown',
      ...(text ? { source: text.lines } : {}),
    });
  }
  const partialsDir = path.join(pack, 'partials');
  // A partials folder that is a link out of the pack is refused whole: its listing is not read either.
  const partialsReal = await realpath(partialsDir).catch(() => undefined);
  if (partialsReal !== undefined && !isInside(packReal, partialsReal)) {
    into.diagnostics.push(
      packDiagnostic(
        partialsDir,
        'KP_TEMPLATE_PATH',
        'This pack’s partials folder is a link to a folder outside the pack, so nothing in it was read.',
        'Make partials/ a real folder inside the pack and copy the partials into it.',
      ),
    );
    return into;
  }
  const partialEntries = await readdir(partialsDir, { withFileTypes: true }).catch(() => []);
  for (const entry of partialEntries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!isTemplateFile(entry.name) || entry.isDirectory() || isWord(entry.name)) continue;
    const file = path.join(partialsDir, entry.name);
    const read = await readInsidePack(packReal, file);
    if ('diagnostic' in read) {
      into.diagnostics.push(read.diagnostic);
      continue;
    }
    if (!trusted) into.diagnostics.push(...(await forbidden({ file, body: read.text, bodyLine: 1 })));
    // Kept even when refused, so that `templates --check` does not also call it missing.
    const name = path.basename(entry.name, path.extname(entry.name));
    into.partials.set(name, { name, file, text: read.text });
  }
  return into;
}

/**
 * Packs already read by one build, by trust and folder: the organisations of a batch share them, and
 * the next build (even in the same process) reads them again, so an edited template is always seen.
 */
export type PackReads = Map<string, Promise<TemplateSet>>;

/**
 * Every template available from the built-in pack and `packs` (in order; later ones win by id), each
 * pack read once per `reads`.
 */
export async function loadTemplates(
  packs: readonly string[],
  reads: PackReads = new Map(),
): Promise<TemplateSet> {
  const read = (pack: string, trusted: boolean) => {
    // The built-in pack is read as trusted; the same folder named as a pack is checked like any other.
    const key = `${trusted ? 'built-in' : 'pack'}:${pack}`;
    let contents = reads.get(key);
    if (!contents) {
      contents = readPack(pack, trusted);
      reads.set(key, contents);
    }
    return contents;
  };
  const set: TemplateSet = { templates: new Map(), partials: new Map(), diagnostics: [] };
  for (const pack of await Promise.all([
    read(BUILT_IN_PACK, true),
    ...packs.map((p) => read(path.resolve(p), false)),
  ])) {
    for (const [id, template] of pack.templates) set.templates.set(id, template);
    for (const [name, partial] of pack.partials) set.partials.set(name, partial);
    set.diagnostics.push(...pack.diagnostics);
  }
  return set;
}
