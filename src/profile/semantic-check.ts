/** Validate stage, part 2: checks the schema cannot express (files on disk, regulatory rules, placeholders). */
import { open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileErrorReason } from '../diagnostics/file-errors.js';
import { exampleValuesIn } from './example-values.js';
import { logoProblem } from './logo-check.js';
import type { PlainObject } from './load.js';
import { CONTROL_CHARACTER_IN_TEXT } from '../diagnostics/control-characters.js';
import { escapePointer, valueAtPointer, type DiagnosticInit } from '../diagnostics/source.js';

const MAX_LOGO_BYTES = 5 * 1024 * 1024;

export interface SemanticContext {
  data: PlainObject;
  /** The folder of the file that wrote the value at `pointer` (paths are relative to it). */
  folderOf: (pointer: string) => string;
}

/** What an image file really is, judged by its first bytes rather than its name. */
export async function sniffImage(file: string): Promise<'png' | 'jpeg' | 'svg' | undefined> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const head = buffer.subarray(0, bytesRead);
    if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
      return 'png';
    if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
    const start = head.toString('utf8').replace(/^\uFEFF/, '');
    // An SVG may open with an XML declaration, comments and a doctype before its <svg> element.
    const svg =
      /^\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE\s+svg[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/i;
    return svg.test(start) ? 'svg' : undefined;
  } finally {
    await handle.close();
  }
}

async function checkLogo(ctx: SemanticContext): Promise<DiagnosticInit[]> {
  const pointer = '/organisation/logo';
  const logo = valueAtPointer(ctx.data, pointer);
  if (typeof logo !== 'string' || logo === '') return [];
  const file = path.resolve(ctx.folderOf(pointer), logo);
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) {
    return [
      {
        code: 'KP_LOGO_NOT_FOUND',
        pointer,
        message: `The logo \`${logo}\` does not exist${info ? ' (it is a folder)' : ''}.`,
        hint: `The path is relative to the profile's folder, so it was looked for at ${file}.`,
      },
    ];
  }
  if (info.size > MAX_LOGO_BYTES) {
    return [
      {
        code: 'KP_LOGO_TOO_LARGE',
        pointer,
        message: `The logo is ${(info.size / 1024 / 1024).toFixed(1)} MB; it may be at most 5 MB.`,
        hint: 'Export a smaller version: a logo 600 pixels wide is plenty for a document header.',
      },
    ];
  }
  let kind: Awaited<ReturnType<typeof sniffImage>>;
  let bytes: Buffer;
  try {
    kind = await sniffImage(file);
    bytes = await readFile(file);
  } catch (error) {
    const { reason, errno, hint } = fileErrorReason(error);
    return [
      {
        code: 'KP_LOGO_UNREADABLE',
        pointer,
        message: `The logo \`${logo}\` cannot be read: ${reason} (${errno}).`,
        hint,
      },
    ];
  }
  if (!kind) {
    return [
      {
        code: 'KP_LOGO_TYPE',
        pointer,
        message: `The logo \`${logo}\` is not a PNG, JPEG or SVG image (judged by its content, not its name).`,
        hint: 'Export the logo as PNG, JPEG or SVG and point `organisation.logo` at that file.',
      },
    ];
  }
  const problem = logoProblem(bytes, kind);
  if (!problem) return [];
  const message = `The logo \`${logo}\` cannot be drawn: ${problem.reason}.`;
  return [{ code: 'KP_LOGO_UNDRAWABLE', pointer, message, hint: problem.hint }];
}

async function checkTemplatePacks(ctx: SemanticContext): Promise<DiagnosticInit[]> {
  const packs = valueAtPointer(ctx.data, '/templates');
  if (!Array.isArray(packs)) return [];
  const findings: DiagnosticInit[] = [];
  for (const [index, pack] of packs.entries()) {
    if (typeof pack !== 'string' || pack === '') continue;
    const pointer = `/templates/${index}`;
    const folder = path.resolve(ctx.folderOf(pointer), pack);
    const info = await stat(folder).catch(() => undefined);
    if (!info?.isDirectory()) {
      findings.push({
        code: 'KP_TEMPLATES_NOT_FOUND',
        pointer,
        message: `The template pack folder \`${pack}\` does not exist${info ? ' (it is a file, not a folder)' : ''}.`,
        hint: `The path is relative to the profile's folder, so it was looked for at ${folder}.`,
      });
    }
  }
  return findings;
}

function checkWalesPlanReview(ctx: SemanticContext): DiagnosticInit[] {
  const pointer = '/keyWorking/planReviewIntervalMonths';
  const months = valueAtPointer(ctx.data, pointer);
  if (ctx.data.nation !== 'wales' || typeof months !== 'number' || months <= 3) return [];
  return [
    {
      code: 'KP_WALES_PLAN_REVIEW',
      pointer,
      message: `In Wales the personal plan must be reviewed at least every 3 months (regulation 16 of the Regulated Services (Service Providers and Responsible Individuals) (Wales) Regulations 2017); you wrote \`${months}\`.`,
      hint: 'Set `keyWorking.planReviewIntervalMonths` to 3 or less.',
    },
  ];
}

/** Identifier formats that domain.md marks unverified: a warning, never an error. */
const ID_FORMATS = [
  {
    pointer: '/registration/cqcProviderId',
    pattern: /^1-\d{9,10}$/,
    example: '1-199747506',
    regulator: 'CQC',
  },
  {
    pointer: '/registration/cqcLocationId',
    pattern: /^1-\d{9,10}$/,
    example: '1-187729429',
    regulator: 'CQC',
  },
  {
    pointer: '/registration/ciwServiceId',
    pattern: /^SIN-\d{8}-[A-Z]{4}$/,
    example: 'SIN-00009093-CGLK',
    regulator: 'CIW',
  },
] as const;

function checkIdentifierFormats(ctx: SemanticContext): DiagnosticInit[] {
  return ID_FORMATS.flatMap(({ pointer, pattern, example, regulator }) => {
    const value = valueAtPointer(ctx.data, pointer);
    if (typeof value !== 'string' || pattern.test(value)) return [];
    return [
      {
        code: 'KP_ID_FORMAT',
        severity: 'warning' as const,
        pointer,
        message: `\`${value}\` does not look like a ${regulator} identifier (they usually look like \`${example}\`).`,
        hint: 'Copy it exactly from your registration certificate. If it is right, silence this with `validation: { suppress: [KP_ID_FORMAT] }`.',
      },
    ];
  });
}

/** Fields that belong to the other nation are ignored when documents are built; say so. */
const NATION_FIELDS: Record<string, { other: string; pointers: string[] }> = {
  england: {
    other: 'Wales',
    pointers: [
      '/registration/ciwProviderId',
      '/registration/ciwServiceId',
      '/people/responsibleIndividual',
      '/people/manager',
      '/keyWorking/activeOffer',
    ],
  },
  wales: {
    other: 'England',
    pointers: [
      '/registration/cqcProviderId',
      '/registration/cqcLocationId',
      '/people/registeredManager',
      '/people/nominatedIndividual',
    ],
  },
};

function checkNationFields(ctx: SemanticContext): DiagnosticInit[] {
  const rule = typeof ctx.data.nation === 'string' ? NATION_FIELDS[ctx.data.nation] : undefined;
  if (!rule) return [];
  return rule.pointers
    .filter((pointer) => valueAtPointer(ctx.data, pointer) !== undefined)
    .map((pointer) => ({
      code: 'KP_NATION_MISMATCH',
      severity: 'warning' as const,
      pointer,
      at: 'key' as const,
      message: `This field applies only in ${rule.other}, but \`nation\` is \`${String(ctx.data.nation)}\`; it is ignored.`,
      hint: 'Remove it, or check that `nation` is right.',
    }));
}

function checkExampleValues(ctx: SemanticContext): DiagnosticInit[] {
  return exampleValuesIn((pointer) => valueAtPointer(ctx.data, pointer)).flatMap(
    ({ pointer, value, replaceWith }) => {
      const shown = typeof value === 'string' ? value : `${value.firstName} ${value.lastName}`;
      return [
        {
          code: 'KP_EXAMPLE_VALUE',
          severity: 'warning' as const,
          pointer,
          message: `This is still the example value \`${shown}\` that \`keypolicy init\` wrote.`,
          hint: `Replace it with ${replaceWith}. Drafts can be built meanwhile; do not approve a policy that shows it.`,
        },
      ];
    },
  );
}

/** Every string value (keys included) that holds a control character, wherever it is in the profile. */
function checkControlCharacters(ctx: SemanticContext): DiagnosticInit[] {
  const found: DiagnosticInit[] = [];
  const visit = (value: unknown, pointer: string): void => {
    if (typeof value === 'string') {
      const bad = CONTROL_CHARACTER_IN_TEXT.exec(value)?.[0];
      if (bad === undefined) return;
      const code = `U+${(bad.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
      found.push({
        code: 'KP_CONTROL_CHARACTER',
        pointer,
        message: `This text holds an invisible control character (${code}) that no document can show.`,
        hint: 'Retype the text, or paste it as plain text: control characters usually come from copying out of another program.',
      });
    } else if (Array.isArray(value)) value.forEach((item, i) => visit(item, `${pointer}/${i}`));
    else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) visit(child, `${pointer}/${escapePointer(key)}`);
    }
  };
  visit(ctx.data, '');
  return found;
}

/** Every semantic check, in a stable order; suppressed warning codes are dropped. */
export async function checkSemantics(ctx: SemanticContext): Promise<DiagnosticInit[]> {
  const findings = [
    ...checkControlCharacters(ctx),
    ...(await checkLogo(ctx)),
    ...(await checkTemplatePacks(ctx)),
    ...checkWalesPlanReview(ctx),
    ...checkIdentifierFormats(ctx),
    ...checkNationFields(ctx),
    ...checkExampleValues(ctx),
  ];
  const suppress = valueAtPointer(ctx.data, '/validation/suppress');
  const silenced = new Set(Array.isArray(suppress) ? suppress : []);
  return findings.filter((f) => f.severity !== 'warning' || !silenced.has(f.code));
}
