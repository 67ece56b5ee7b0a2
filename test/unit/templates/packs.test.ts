/**
 * Hostile template packs: every way a pack can name or reach a file is refused with a located
 * diagnostic (never read, never a stack trace), and a template that loops or balloons is stopped early.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdirSync, openSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/diagnostics/errors.js';
import { checkProfile as validateProfile } from '../../../src/pipeline/check-profile.js';
import { checkTemplates } from '../../../src/templates/check.js';
import { compileTemplate } from '../../../src/templates/engine.js';
import { RENDER_LIMITS, withinRenderLimits } from '../../../src/templates/limits.js';
import { loadTemplates } from '../../../src/templates/packs.js';
import { renderProfilePolicies } from '../../../src/templates/policies.js';
import { ENGLAND_MINIMAL, runCli, tempDir } from '../../helpers.js';

const FRONT = '---\nid: t\ntitle: T\nversion: 1.0.0\n---\n';

/** `file:line:column CODE` for each diagnostic, with paths relative to `dir`. */
const where = (dir: string, diagnostics: readonly Diagnostic[]) =>
  diagnostics.map((d) => `${path.relative(dir, d.file)}:${d.line}:${d.column} ${d.code}`);

async function resolved(text: string, files: Record<string, string> = {}) {
  const dir = tempDir({ 'keypolicy.yaml': text, ...files });
  const report = await validateProfile(path.join(dir, 'keypolicy.yaml'));
  expect(report.errors).toEqual([]);
  return { profile: report.resolved!, dir };
}

/** A profile whose `keyWorking.tasks.daily` lists `n` tasks: a long list for a template to loop over. */
const withTasks = (n: number) =>
  `${ENGLAND_MINIMAL}keyWorking:\n  tasks:\n    daily:\n${Array.from({ length: n }, (_, i) => `      - task ${i}\n`).join('')}`;

async function renderPack(profileText: string, files: Record<string, string>) {
  const { profile, dir } = await resolved(profileText, files);
  const started = performance.now();
  const result = await renderProfilePolicies(profile, {
    packs: [path.join(dir, 'pack')],
    policies: ['t'],
    date: '2026-04-01',
  });
  return { ...result, dir, seconds: (performance.now() - started) / 1000 };
}

describe('front matter that is not plain YAML', () => {
  it('refuses every other front-matter language without running or parsing it', async () => {
    const payload = '{ id: (globalThis.pwned = 1, "t"), title: "T", version: "1.0.0" }';
    const files: Record<string, string> = {};
    for (const language of ['js', 'JS', 'javascript', 'json', 'coffee', 'toml'])
      files[`pack/${language}.md`] = `---${language}\n${payload}\n---\nbody\n`;
    const dir = tempDir(files);
    const set = await loadTemplates([path.join(dir, 'pack')]);
    expect(set.diagnostics.map((d) => `${path.basename(d.file)} ${d.code}`).sort()).toEqual(
      ['JS', 'coffee', 'javascript', 'js', 'json', 'toml'].map((l) => `${l}.md KP_TEMPLATE_CODE`).sort(),
    );
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined();
  });

  it('refuses a YAML alias bomb in front matter instead of crashing', async () => {
    // Each level is ten of the one before: 10⁶ values from a few lines.
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const [name, previous] of ['ba', 'cb', 'dc', 'ed', 'fe'])
      levels.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
    const dir = tempDir({ 'pack/t.md': `---\n${levels.join('\n')}\n---\nbody\n` });
    const set = await loadTemplates([path.join(dir, 'pack')]);
    expect(where(dir, set.diagnostics)).toEqual(['pack/t.md:3:8 KP_YAML_ALIAS_LIMIT']);
  });
});

describe('partial names and calls that are paths', () => {
  it('refuses a front-matter `partials:` entry that is a path, at the entry', async () => {
    const dir = tempDir({
      'pack/t.md':
        '---\nid: t\ntitle: T\nversion: 1.0.0\npartials: [ok, ../../etc/passwd, /etc/passwd, "..\\\\x"]\n---\nbody\n',
    });
    const set = await loadTemplates([path.join(dir, 'pack')]);
    expect(where(dir, set.diagnostics)).toEqual([
      'pack/t.md:5:16 KP_TEMPLATE_PATH',
      'pack/t.md:5:34 KP_TEMPLATE_PATH',
      'pack/t.md:5:47 KP_TEMPLATE_PATH',
    ]);
    expect(set.diagnostics.map((d) => d.path)).toEqual(['partials[1]', 'partials[2]', 'partials[3]']);
    expect(set.diagnostics[0]!.message).toBe(
      "`../../etc/passwd` is a path, not the name of a partial. Partials are files in this pack's partials/ folder, so nothing outside the pack can be used as one.",
    );
    expect(set.diagnostics[2]!.message).toMatch(/^`\.\.\\x` is a path/);
    expect(set.templates.has('t')).toBe(false);
  });

  it('refuses `{{> path}}` in any spelling, in a template or a partial, where it is written', async () => {
    const { policies, diagnostics, dir } = await renderPack(ENGLAND_MINIMAL, {
      'pack/t.md': `${FRONT}A {{> ../x}} B\n{{> "/etc/passwd"}}\n  {{> [..\\x]}}\n{{#> ../y}}fallback{{/../y}}\n{{> ok}}\n`,
      'pack/partials/ok.md': 'fine {{> "./z"}}\n',
      'x.md': 'outside the pack',
    });
    expect(policies).toEqual([]);
    expect(where(dir, diagnostics)).toEqual([
      'pack/t.md:6:7 KP_TEMPLATE_PATH',
      'pack/t.md:7:5 KP_TEMPLATE_PATH',
      'pack/t.md:8:7 KP_TEMPLATE_PATH',
      'pack/t.md:9:6 KP_TEMPLATE_PATH',
      'pack/partials/ok.md:1:10 KP_TEMPLATE_PATH',
    ]);
    expect(diagnostics.map((d) => d.message.split(' is a path')[0])).toEqual([
      '`../x`',
      '`/etc/passwd`',
      '`..\\x`',
      '`../y`',
      '`./z`',
    ]);
    expect(diagnostics[0]!.hint).toMatch(/file name without its folder/);
  });

  it('`templates --check` reports the path once, and copes with a partial named while rendering', async () => {
    const dir = tempDir({
      'pack/t.md': `---\nid: t\ntitle: T\nversion: 1.0.0\npartials: [ok]\n---\n{{> ok}}\n{{> (lookup organisation "name")}}\n`,
      'pack/partials/ok.md': '{{> "../x"}}\n',
    });
    const found = checkTemplates(await loadTemplates([path.join(dir, 'pack')]));
    expect(where(dir, found)).toEqual(['pack/partials/ok.md:1:5 KP_TEMPLATE_PATH']);
  });
});

describe('files that lead outside a pack, or are not files', () => {
  it('refuses a partials/ folder that is a link out of the pack, without listing it', async () => {
    const dir = tempDir({
      'pack/t.md': `${FRONT}x\n`,
      'elsewhere/a.md': 'secret',
      'elsewhere/b.md': 'secret',
    });
    symlinkSync(path.join(dir, 'elsewhere'), path.join(dir, 'pack/partials'));
    const set = await loadTemplates([path.join(dir, 'pack')]);
    expect(where(dir, set.diagnostics)).toEqual(['pack/partials:1:1 KP_TEMPLATE_PATH']);
    expect(set.diagnostics[0]!.message).toBe(
      'This pack’s partials folder is a link to a folder outside the pack, so nothing in it was read.',
    );
    expect([...set.partials.keys()]).not.toContain('a');
  });

  it('refuses a partial linked from outside, and allows links that stay inside the pack', async () => {
    const dir = tempDir({
      'pack/t.md': `${FRONT}x\n`,
      'pack/shared/inside.md': 'inside',
      'outside.md': 'secret',
    });
    mkdirSync(path.join(dir, 'pack/partials'));
    symlinkSync(path.join(dir, 'outside.md'), path.join(dir, 'pack/partials/out.md'));
    symlinkSync('../shared/inside.md', path.join(dir, 'pack/partials/in.md'));
    const set = await loadTemplates([path.join(dir, 'pack')]);
    expect(where(dir, set.diagnostics)).toEqual(['pack/partials/out.md:1:1 KP_TEMPLATE_PATH']);
    expect(set.partials.get('in')?.text).toBe('inside');
    expect(set.partials.has('out')).toBe(false);
  });

  it('follows a pack folder that is itself a link, but keeps its files inside the real folder', async () => {
    const dir = tempDir({
      'keypolicy.yaml': `${ENGLAND_MINIMAL}templates: [linked]\n`,
      'real/t.md': `${FRONT}from the real pack\n`,
      'beside.md': 'beside the real pack',
    });
    symlinkSync(path.join(dir, 'real'), path.join(dir, 'linked'));
    // Back in through the link: still inside the real pack. Beside it: outside.
    mkdirSync(path.join(dir, 'real/partials'));
    symlinkSync('../../linked/t.md', path.join(dir, 'real/partials/again.md'));
    symlinkSync('../beside.md', path.join(dir, 'real/beside.md'));
    const report = await validateProfile(path.join(dir, 'keypolicy.yaml'));
    expect(report.errors).toEqual([]);
    const profile = report.resolved!;
    const set = await loadTemplates(profile.templatePacks);
    expect(where(dir, set.diagnostics)).toEqual(['linked/beside.md:1:1 KP_TEMPLATE_PATH']);
    expect(set.templates.get('t')?.body).toBe('from the real pack\n');
    expect(set.partials.get('again')?.text).toContain('from the real pack');
  });

  it('reports broken links, link loops and folders as unreadable, never as a crash', async () => {
    const dir = tempDir({ 'pack/t.md': `${FRONT}x\n`, 'pack/sub/.keep': '' });
    symlinkSync('nowhere.md', path.join(dir, 'pack/broken.md'));
    symlinkSync('loop-b.md', path.join(dir, 'pack/loop-a.md'));
    symlinkSync('loop-a.md', path.join(dir, 'pack/loop-b.md'));
    symlinkSync('sub', path.join(dir, 'pack/folder.md'));
    const set = await loadTemplates([path.join(dir, 'pack')]);
    expect(where(dir, set.diagnostics)).toEqual([
      'pack/broken.md:1:1 KP_TEMPLATE_UNREADABLE',
      'pack/folder.md:1:1 KP_TEMPLATE_UNREADABLE',
      'pack/loop-a.md:1:1 KP_TEMPLATE_UNREADABLE',
      'pack/loop-b.md:1:1 KP_TEMPLATE_UNREADABLE',
    ]);
    expect(set.diagnostics.map((d) => d.message)).toEqual([
      'This template file is a broken link (it points to something that does not exist), so it was not read.',
      'This is not an ordinary file (it is a folder, a named pipe or a device), so it was not read.',
      'This template file is a link that leads round in a circle of links, so it was not read.',
      'This template file is a link that leads round in a circle of links, so it was not read.',
    ]);
  });

  it('refuses a named pipe at once instead of waiting for something to write to it', async () => {
    const dir = tempDir({ 'pack/t.md': `${FRONT}x\n` });
    mkdirSync(path.join(dir, 'pack/partials'));
    const pipes = [path.join(dir, 'pack/pipe.md'), path.join(dir, 'pack/partials/pipe.md')];
    for (const pipe of pipes) execFileSync('mkfifo', [pipe]);
    try {
      const loaded = await Promise.race([
        loadTemplates([path.join(dir, 'pack')]),
        new Promise<'waiting'>((resolve) => setTimeout(() => resolve('waiting'), 3000)),
      ]);
      expect(loaded).not.toBe('waiting');
      if (loaded === 'waiting') return;
      expect(where(dir, loaded.diagnostics)).toEqual([
        'pack/pipe.md:1:1 KP_TEMPLATE_UNREADABLE',
        'pack/partials/pipe.md:1:1 KP_TEMPLATE_UNREADABLE',
      ]);
    } finally {
      // A reader left waiting (were the guard gone) is let go, so the test process can end.
      for (const pipe of pipes) {
        try {
          closeSync(openSync(pipe, constants.O_WRONLY | constants.O_NONBLOCK));
        } catch {
          // No reader: nothing to let go.
        }
      }
    }
  });

  it('takes no data from a pack: regulatory facts come only from the built-in data files', async () => {
    const { policies, diagnostics } = await renderPack(ENGLAND_MINIMAL, {
      'pack/t.md': `${FRONT}{{regulator.name}}\n`,
      'pack/data/england.yaml': 'regulator: { name: Not The Regulator, short: NTR }\n',
    });
    expect(diagnostics).toEqual([]);
    expect(policies[0]!.markdown).toContain('Care Quality Commission');
    expect(policies[0]!.markdown).not.toContain('Not The Regulator');
  });

  it('prints each refusal as file:line:column with a code and a hint, and no stack trace', async () => {
    const dir = tempDir({
      'keypolicy.yaml': ENGLAND_MINIMAL,
      'pack/t.md': `${FRONT}{{> ../x}}\n`,
    });
    symlinkSync('nowhere.md', path.join(dir, 'pack/broken.md'));
    const { code, stdout, stderr } = await runCli(
      ['build', '--templates', 'pack', '--policy', 't', '--format', 'md', '--out', 'out'],
      dir,
    );
    expect(code).toBe(1);
    expect(stderr).toContain(
      'pack/broken.md:1:1 error KP_TEMPLATE_UNREADABLE: This template file is a broken link',
    );
    expect(stderr).toContain('pack/t.md:6:5 error KP_TEMPLATE_PATH: `../x` is a path');
    expect(stderr).toMatch(/hint: Write the partial’s file name/);
    expect(stdout + stderr).not.toMatch(/^ {4}at |internal error/m);
  });
});

describe('templates that loop or balloon are stopped early', () => {
  it('stops an #each inside an #each over a long list within seconds, not minutes', async () => {
    const { policies, diagnostics, dir, seconds } = await renderPack(withTasks(3000), {
      'pack/t.md': `${FRONT}{{#each keyWorking.tasks.daily}}{{#each @root.keyWorking.tasks.daily}}{{this}} {{/each}}{{/each}}\n`,
    });
    expect(policies).toEqual([]);
    expect(where(dir, diagnostics)).toEqual(['pack/t.md:6:1 KP_TEMPLATE']);
    expect(diagnostics[0]!.message).toBe(
      'This policy was stopped before it was finished: its `{{#each}}` blocks repeated more than 100,000 times (a loop inside a loop over long lists?). A policy may be at most 2 MB of text.',
    );
    expect(seconds).toBeLessThan(5);
  }, 60_000);

  it('stops partials that each use the next one twice (2²² uses, no recursion)', async () => {
    const partials: Record<string, string> = {};
    for (let i = 0; i < 22; i++) partials[`pack/partials/p${i}.md`] = `{{> p${i + 1}}}{{> p${i + 1}}}`;
    partials['pack/partials/p22.md'] = '';
    const { policies, diagnostics, seconds } = await renderPack(ENGLAND_MINIMAL, {
      'pack/t.md': `${FRONT}{{> p0}}\n`,
      ...partials,
    });
    expect(policies).toEqual([]);
    expect(diagnostics.map((d) => d.code)).toEqual(['KP_TEMPLATE']);
    expect(diagnostics[0]!.message).toMatch(
      /^This policy was stopped before it was finished: partials were used more than 10,000 times \(the last was `p\d+`\)/,
    );
    expect(seconds).toBeLessThan(5);
  }, 60_000);

  it('stops a large partial repeated in a loop before the whole text is built', async () => {
    const { diagnostics, seconds } = await renderPack(withTasks(3000), {
      'pack/t.md': `${FRONT}{{#each keyWorking.tasks.daily}}{{> big}}{{/each}}\n`,
      'pack/partials/big.md': 'lorem ipsum '.repeat(40_000),
    });
    expect(diagnostics.map((d) => d.message)).toEqual([
      'This policy was stopped before it was finished: its partials had written more than 16 MB of text. A policy may be at most 2 MB of text.',
    ]);
    expect(seconds).toBeLessThan(5);
  }, 60_000);

  it('stops a render that runs too long even within the counts', () => {
    const template = compileTemplate(
      `{{#each items}}${'{{#if true}}x{{/if}}'.repeat(2000)}{{/each}}`,
      'markdown',
    );
    const items = Array.from({ length: 1000 }, (_, i) => i);
    const started = performance.now();
    const { stopped } = withinRenderLimits(
      () => {
        try {
          return template({ items });
        } catch {
          return undefined;
        }
      },
      { ...RENDER_LIMITS, repeats: Infinity, seconds: 0.1 },
    );
    expect(stopped).toBe('writing it took more than 0.1 seconds');
    expect(performance.now() - started).toBeLessThan(5000);
  }, 60_000);

  it('still reports a partial that includes itself', async () => {
    const { diagnostics } = await renderPack(ENGLAND_MINIMAL, {
      'pack/t.md': `${FRONT}{{> a}}\n`,
      'pack/partials/a.md': 'a {{> b}}',
      'pack/partials/b.md': 'b {{> a}}',
    });
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['KP_TEMPLATE', 'The template never finishes: a partial includes itself, directly or indirectly.'],
    ]);
  });

  it('leaves real policies alone: loops and partials render, and Handlebars is restored after', async () => {
    const vm = Handlebars.VM as unknown as Record<string, unknown>;
    const utils = Handlebars.Utils as unknown as Record<string, unknown>;
    const before = [vm.invokePartial, utils.blockParams];
    const { policies, diagnostics } = await renderPack(withTasks(300), {
      'pack/t.md': `${FRONT}{{#each keyWorking.tasks.daily}}{{> item}}{{#each @root.approvers}}{{this}}{{/each}}\n{{/each}}`,
      'pack/partials/item.md': '- {{this}} ',
    });
    expect(diagnostics).toEqual([]);
    expect(policies[0]!.markdown).toContain('- task 299 Registered Manager\n');
    expect([vm.invokePartial, utils.blockParams]).toEqual(before);

    const stopped = await renderPack(withTasks(400), {
      'pack/t.md': `${FRONT}{{#each keyWorking.tasks.daily}}{{#each @root.keyWorking.tasks.daily}}x{{/each}}{{/each}}`,
    });
    expect(stopped.diagnostics.map((d) => d.code)).toEqual(['KP_TEMPLATE']);
    expect([vm.invokePartial, utils.blockParams]).toEqual(before);
  });
});
