/**
 * Policies are written with a private Handlebars instance (src/templates/engine.ts): its escaping, helpers
 * and render limits are its own, and the shared Handlebars object is never changed, not even while a
 * policy renders.
 */
import path from 'node:path';
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { checkProfile as validateProfile } from '../../../src/pipeline/check-profile.js';
import { compileTemplate, POLICY_HELPER_NAMES } from '../../../src/templates/engine.js';
import { RENDER_LIMITS, withinRenderLimits } from '../../../src/templates/limits.js';
import { renderProfilePolicies } from '../../../src/templates/policies.js';
import { ENGLAND_MINIMAL, tempDir } from '../../helpers.js';

type Owner = Record<string, unknown>;
/** What the engine once swapped during a render, as [name, owner, key]. */
const SHARED: [string, Owner, string][] = [
  ['Handlebars.Utils.escapeExpression', Handlebars.Utils, 'escapeExpression'],
  ['Handlebars.Utils.blockParams', Handlebars.Utils, 'blockParams'],
  ['Handlebars.VM.invokePartial', Handlebars.VM, 'invokePartial'],
];
/** As they are when this file loads, before any policy has rendered. */
const ORIGINALS = SHARED.map(([, owner, key]) => owner[key]);
const BUILT_IN_HELPERS = Object.keys(Handlebars.helpers).sort();

/** Run `run`, recording every assignment to the shared functions meanwhile (which keep their values). */
async function recordingWrites<T>(run: () => Promise<T>): Promise<{ value: T; writes: string[] }> {
  const writes: string[] = [];
  for (const [name, owner, key] of SHARED) {
    const value = owner[key];
    Object.defineProperty(owner, key, {
      configurable: true,
      enumerable: true,
      get: () => value,
      set: () => void writes.push(name),
    });
  }
  try {
    return { value: await run(), writes };
  } finally {
    SHARED.forEach(([, owner, key], i) =>
      Object.defineProperty(owner, key, {
        configurable: true,
        enumerable: true,
        writable: true,
        value: ORIGINALS[i],
      }),
    );
  }
}

describe('the private Handlebars instance', () => {
  it('renders a policy without assigning into the shared Handlebars, Utils or VM', async () => {
    const dir = tempDir({
      'keypolicy.yaml': ENGLAND_MINIMAL.replace('name: Riverside Support Ltd', 'name: "A*B <Care> Ltd"'),
      'pack/t.md':
        '---\nid: t\ntitle: "{{WorkerTitle}} Policy for {{organisation.name}}"\nversion: 1.0.0\npartials: [line]\n---\n' +
        '{{#with organisation}}{{name}}{{/with}}\n{{#each approvers}}{{> line}}{{/each}}',
      'pack/partials/line.md': '- {{this}} of {{@root.organisation.name}}\n',
    });
    const report = await validateProfile(path.join(dir, 'keypolicy.yaml'));
    const { value, writes } = await recordingWrites(() =>
      renderProfilePolicies(report.resolved!, {
        packs: [path.join(dir, 'pack')],
        policies: ['t'],
        date: '2026-04-01',
      }),
    );
    expect(value.diagnostics).toEqual([]);
    // Values are Markdown-escaped in the body, plain in the title.
    expect(value.policies[0]!.markdown).toBe(
      'A\\*B \\<Care> Ltd\n- Registered Manager of A\\*B \\<Care> Ltd\n',
    );
    expect(value.policies[0]!.title).toBe('Key Worker Policy for A*B <Care> Ltd');

    expect(writes).toEqual([]);
    expect(SHARED.map(([, owner, key]) => owner[key])).toEqual(ORIGINALS);
    SHARED.forEach(([name, owner, key], i) => expect(owner[key], name).toBe(ORIGINALS[i]));
    expect(Object.keys(Handlebars.helpers).sort()).toEqual(BUILT_IN_HELPERS);
    expect(POLICY_HELPER_NAMES.filter((name) => name in Handlebars.helpers)).toEqual([]);
    expect(Handlebars.partials).toEqual({});
    // The shared instance still escapes as HTML, as Handlebars ships.
    expect(Handlebars.compile('{{x}}')({ x: '<b>*' })).toBe('&lt;b&gt;*');
  });

  it('escapes values as Markdown, or writes them plain, as compiled', () => {
    expect(compileTemplate('{{x}}', 'markdown')({ x: '*a* <b>' })).toBe('\\*a\\* \\<b>');
    expect(compileTemplate('{{x}}', 'plain')({ x: '*a* <b>' })).toBe('*a* <b>');
    expect(compileTemplate('{{worker}}', 'plain')({ vocabulary: { worker: 'key worker' } })).toBe(
      'key worker',
    );
  });

  it('counts repeats on its own templates only', () => {
    const limits = { ...RENDER_LIMITS, repeats: 2 };
    const own = withinRenderLimits(() => {
      try {
        return compileTemplate('{{#each items}}x{{/each}}', 'markdown')({ items: [1, 2, 3] });
      } catch {
        return undefined;
      }
    }, limits);
    expect(own.stopped).toMatch(/repeated more than 2 times/);
    const shared = withinRenderLimits(
      () => Handlebars.compile('{{#each items}}x{{/each}}')({ items: [1, 2, 3] }),
      limits,
    );
    expect(shared).toEqual({ value: 'xxx' });
  });
});
