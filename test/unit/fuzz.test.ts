/**
 * Property-based fuzzing: any bytes given as a profile end in diagnostics (never a crash or a stack),
 * and any string in a profile's text fields reads literally in the rendered policy.
 */
import path from 'node:path';
import fc from 'fast-check';
import { profileValue } from '../arbitraries.js';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseMarkdown } from '../../src/core/markdown.js';
import { checkProfile as validateProfile } from '../../src/pipeline/check-profile.js';
import { renderProfilePolicies } from '../../src/templates/policies.js';
import { ENGLAND_MINIMAL, tempDir } from '../helpers.js';

const dir = tempDir();
let counter = 0;
const write = async (contents: string | Uint8Array) => {
  const { writeFileSync } = await import('node:fs');
  const file = path.join(dir, `p${counter++}.yaml`);
  writeFileSync(file, contents);
  return file;
};

describe('fuzzing the profile loader', () => {
  it('answers any bytes with diagnostics that have a code and a location, never a throw', async () => {
    const fragments = fc.constantFrom(
      'organisation:',
      '  name: ',
      'nation: ',
      '- ',
      '&a ',
      '*a',
      '!!js/function ',
      '{',
      '[',
      '"',
      "'",
      '\t',
      '\n',
      ':',
      '#',
      '__proto__: ',
      'extends: ',
      '---\n',
      '? ',
      '|',
      '>',
      '%YAML 1.1\n',
    );
    const input = fc.oneof(
      fc.uint8Array({ maxLength: 400 }),
      fc
        .array(fc.oneof(fragments, fc.string({ maxLength: 12 })), { maxLength: 40 })
        .map((parts) => parts.join('')),
    );
    await fc.assert(
      fc.asyncProperty(input, async (contents) => {
        const report = await validateProfile(await write(contents));
        for (const d of [...report.errors, ...report.warnings]) {
          expect(d.code).toMatch(/^KP_[A-Z_]+$/);
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.column).toBeGreaterThanOrEqual(1);
          expect(d.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  }, 60_000);
});

describe('fuzzing profile values', () => {
  it('shows any organisation name and supervisor literally, never as markup', async () => {
    // Printable text, Markdown and HTML punctuation, template braces; line breaks become spaces.
    const value = profileValue('*_[]()<>&#!`~|{}\\:@.-+=\'"/ ', ['{{x}}', '](http://x)', '<b>', '&amp;']);
    await fc.assert(
      fc.asyncProperty(value, value, async (name, supervisor) => {
        const profile = `${ENGLAND_MINIMAL.replace(/name: .*\n/, `name: ${JSON.stringify(name)}\n`)}${stringify({ keyWorking: { sharedRole: true, sharedRoleSupervisor: supervisor } })}`;
        const report = await validateProfile(await write(profile));
        expect(report.errors).toEqual([]);
        const { policies, diagnostics } = await renderProfilePolicies(report.resolved!, {
          date: '2026-04-01',
        });
        expect(diagnostics).toEqual([]);
        const texts: string[] = [];
        const walk = (node: { type: string; value?: string; children?: unknown[] }) => {
          if (node.type === 'text' || node.type === 'inlineCode') texts.push(node.value ?? '');
          if (node.type === 'link' || node.type === 'html' || node.type === 'image')
            throw new Error(`${node.type} node from a value`);
          for (const child of (node.children ?? []) as { type: string }[]) walk(child);
        };
        walk(parseMarkdown(policies[0]!.markdown));
        // Runs of white space are one space once rendered, in the text as in the value.
        const text = texts.join('').replace(/\s+/g, ' ');
        expect(text).toContain(name.replace(/\s+/g, ' '));
        expect(text).toContain(supervisor.replace(/\s+/g, ' '));
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
