/**
 * Every profile in examples/ must validate cleanly — no errors and no warnings — through the library
 * and through the real binary, so the examples people copy from never rot as the schema changes.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Diagnostic } from '../../src/diagnostics/errors.js';
import type { PlainObject } from '../../src/profile/load.js';
import type { ProfileReport } from '../../src/profile/validate.js';
import { checkProfile as validateProfile } from '../../src/pipeline/check-profile.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const examples = path.join(root, 'examples');
const bin = path.join(root, 'bin/keypolicy.js');
const schema = path.join(root, 'schemas/profile.schema.json');

/**
 * Every profile under examples/, as paths relative to the project root; registers and the snapshots in
 * their folders (left by the README's quick start build) are not profiles.
 */
const files = readdirSync(examples, { recursive: true, encoding: 'utf8' })
  .filter(
    (name) => name.endsWith('.yaml') && !name.endsWith('.register.yaml') && !/\.register[\\/]/.test(name),
  )
  .map((name) => path.join('examples', name).split(path.sep).join('/'))
  .sort();

const base = 'examples/consultant/base.yaml';
const clients = files.filter((file) => file.startsWith('examples/consultant/clients/'));

const reports = new Map<string, Promise<ProfileReport>>();
/** Validate each file once, however many tests look at it. */
function report(file: string): Promise<ProfileReport> {
  let found = reports.get(file);
  if (!found) {
    found = validateProfile(path.join(root, file));
    reports.set(file, found);
  }
  return found;
}

/** A diagnostic as one readable line, so a failure shows what went wrong rather than an object dump. */
const describeDiagnostic = (d: Diagnostic) =>
  `${path.relative(root, d.file)}:${d.line}:${d.column} ${d.code} ${d.path}: ${d.message}`;

/** The value at a dotted path such as `documentControl.reviewTriggers`. */
function at(data: unknown, dotted: string): unknown {
  let node = data;
  for (const key of dotted.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

const readYaml = (file: string) => parse(readFileSync(path.join(root, file), 'utf8')) as PlainObject;

function keypolicy(args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    input: '',
  });
}

describe('examples/', () => {
  it('finds every example profile', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'examples/england-supported-living/keypolicy.yaml',
        'examples/wales-care-home/keypolicy.yaml',
        'examples/england-domiciliary-link/keypolicy.yaml',
        base,
        'examples/consultant/clients/ashcombe-house.yaml',
        'examples/consultant/clients/gofal-glannau.yaml',
      ]),
    );
    expect(clients.length).toBeGreaterThanOrEqual(2);
  });

  describe.each(files)('%s', (file) => {
    it('validates with no errors and no warnings', async () => {
      const result = await report(file);
      expect(result.errors.map(describeDiagnostic)).toEqual([]);
      expect(result.warnings.map(describeDiagnostic)).toEqual([]);
      expect(result.data).toBeDefined();
    });

    it('opens with an editor schema line that points at schemas/profile.schema.json', () => {
      const first = readFileSync(path.join(root, file), 'utf8').split('\n')[0] ?? '';
      const match = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
      expect(match, `first line of ${file}: ${first}`).not.toBeNull();
      expect(path.resolve(path.dirname(path.join(root, file)), match?.[1] ?? '')).toBe(schema);
    });

    it('is abstract only if it is the consultant base', async () => {
      const result = await report(file);
      expect(result.abstract).toBe(file === base);
    });

    if (file !== base) {
      it('has a small PNG logo', async () => {
        const logo = at((await report(file)).data, 'organisation.logo');
        expect(typeof logo).toBe('string');
        const logoFile = path.resolve(path.dirname(path.join(root, file)), logo as string);
        const head = readFileSync(logoFile).subarray(0, 8);
        expect(head.equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
        // Examples live in the repository: keep them light.
        expect(statSync(logoFile).size).toBeLessThan(20 * 1024);
      });
    }
  });

  describe('the consultant set', () => {
    it('marks the base abstract and does not pass `abstract` on to clients', async () => {
      expect((await report(base)).abstract).toBe(true);
      expect(readYaml(base).abstract).toBe(true);
      for (const client of clients) {
        const result = await report(client);
        expect(result.abstract).toBe(false);
        expect(result.data?.abstract).toBeUndefined();
        expect(readYaml(client).extends).toBe('../base.yaml');
      }
    });

    it.each(clients)('%s inherits what it does not set from the base', async (client) => {
      const baseData = readYaml(base);
      const own = readYaml(client);
      const merged = (await report(client)).data;
      const inherited = [
        'documentControl.reviewTriggers',
        'documentControl.reviewIntervalMonths',
        'keyWorking.allocationCriteria',
        'keyWorking.evaluationIntervalMonths',
        'keyWorking.training.topics',
        'keyWorking.training.refresherIntervalMonths',
      ];
      for (const key of inherited) {
        // The client does not say it, the base does, and the merged profile has the base's value.
        expect(at(own, key), `${client} sets ${key} itself`).toBeUndefined();
        expect(at(baseData, key), `${base} sets ${key}`).toBeDefined();
        expect(at(merged, key), key).toEqual(at(baseData, key));
      }
      // The client's own values sit alongside the inherited ones in the same mappings.
      expect(at(merged, 'organisation.name')).toEqual(at(own, 'organisation.name'));
      expect(at(merged, 'documentControl.approvers')).toEqual(at(own, 'documentControl.approvers'));
    });

    it('lets a client override a base value while keeping its siblings', async () => {
      const client = 'examples/consultant/clients/gofal-glannau.yaml';
      const merged = (await report(client)).data;
      expect(at(readYaml(base), 'keyWorking.sharedRole')).toBe(false);
      expect(at(merged, 'keyWorking.sharedRole')).toBe(true);
      // beforeAppointment comes from the client, topics from the base: the `training` mappings merged.
      expect(at(merged, 'keyWorking.training.beforeAppointment')).toEqual(
        at(readYaml(client), 'keyWorking.training.beforeAppointment'),
      );
      expect(at(merged, 'keyWorking.training.topics')).toEqual(
        at(readYaml(base), 'keyWorking.training.topics'),
      );
    });

    it('gives at least one client its own output slug', async () => {
      const slugs = await Promise.all(clients.map(async (c) => at((await report(c)).data, 'output.slug')));
      expect(slugs.some((slug) => typeof slug === 'string')).toBe(true);
    });
  });

  describe('the real binary', () => {
    it('validates every example in one run and exits 0 without printing a diagnostic', () => {
      const result = keypolicy(['validate', ...files]);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      for (const file of files) expect(result.stdout).toContain(`${file} is valid`);
      expect(result.stdout).toContain(`${base} is valid (abstract base`);
    });

    it('reports every example valid with --json', () => {
      const result = keypolicy(['validate', '--json', ...files]);
      expect(result.status).toBe(0);
      const document = JSON.parse(result.stdout) as {
        valid: boolean;
        files: { file: string; valid: boolean; abstract: boolean; errors: unknown[]; warnings: unknown[] }[];
      };
      expect(document.valid).toBe(true);
      expect(document.files.map((f) => f.file)).toEqual(files);
      for (const entry of document.files) {
        expect(entry).toMatchObject({ valid: true, abstract: entry.file === base, errors: [], warnings: [] });
      }
    });
  });
});
