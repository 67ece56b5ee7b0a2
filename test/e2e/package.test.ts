/** What `npm publish` would ship: the CLI, its library, schemas and templates — no tests, fixtures or secrets. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

it('ships no tests, fixtures, examples, sources or secrets', () => {
  const result = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: root,
    encoding: 'utf8',
  });
  expect(result.status).toBe(0);
  const [pack] = JSON.parse(result.stdout) as { files: { path: string }[] }[];
  const files = pack!.files.map((f) => f.path);
  expect(files).toContain('bin/keypolicy.js');
  expect(files).toContain('dist/keypolicy.js');
  expect(files).toContain('schemas/profile.schema.json');
  expect(files).toContain('templates/key-worker-policy.md');
  const unwanted = files.filter((f) =>
    /^(test|examples|src|bench|scripts|\.ci|node_modules)\/|(^|\/)\.env|\.(pem|key|p12|tgz)$|(^|\/)\.npmrc$|\.test\.[jt]s$/.test(
      f,
    ),
  );
  expect(unwanted).toEqual([]);
}, 60_000);

/** Pack the package as npm would publish it, and unpack it as a consumer's dependency. */
function installPacked(): { consumer: string; installed: string } {
  const work = tempDir();
  const packed = spawnSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
    cwd: root,
    encoding: 'utf8',
  });
  expect(packed.status, packed.stderr).toBe(0);
  const filename = (JSON.parse(packed.stdout) as { filename: string }[])[0]?.filename ?? '';
  const consumer = path.join(work, 'consumer');
  const installed = path.join(consumer, 'node_modules', 'keypolicy');
  mkdirSync(installed, { recursive: true });
  const untar = spawnSync('tar', [
    '-xzf',
    path.join(work, filename),
    '-C',
    installed,
    '--strip-components=1',
  ]);
  expect(untar.status).toBe(0);
  // Only the production dependencies (from this checkout's node_modules: no network), and the consumer's
  // own @types/node; never a devDependency of keypolicy's.
  const { dependencies } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  for (const name of [...Object.keys(dependencies), '@types/node']) {
    const link = path.join(consumer, 'node_modules', name);
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync(path.join(root, 'node_modules', name), link, 'dir');
  }
  return { consumer, installed };
}

describe('the packed package, installed with its production dependencies only', () => {
  it('type-checks a consumer strictly, and its declarations import no devDependency', () => {
    const { consumer, installed } = installPacked();
    const { dependencies } = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const declarations = spawnSync('find', [path.join(installed, 'dist'), '-name', '*.d.ts'], {
      encoding: 'utf8',
    })
      .stdout.split('\n')
      .filter(Boolean);
    expect(declarations.length).toBeGreaterThan(5);
    for (const file of declarations) {
      for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/from\s+'([^'.][^']*)'/g)) {
        const name = specifier!.startsWith('@')
          ? specifier!.split('/').slice(0, 2).join('/')
          : specifier!.split('/')[0]!;
        expect(name.startsWith('node:') || name in dependencies, `${file} imports ${specifier}`).toBe(true);
      }
    }
    writeFileSync(
      path.join(consumer, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    writeFileSync(
      path.join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          lib: ['ES2023'],
          types: ['node'],
          noEmit: true,
          skipLibCheck: false,
          resolveJsonModule: true,
        },
        include: ['index.ts'],
      }),
    );
    writeFileSync(
      path.join(consumer, 'index.ts'),
      [
        "import { ExitCode, VERSION, starterProfileYaml, validateProfile, type Diagnostic, type Profile } from 'keypolicy';",
        "const profile: Profile = { organisation: { name: 'Consumer Care' }, nation: 'wales', service: { type: 'care-home' } };",
        "const worker: 'key' | 'link' | undefined = profile.terminology?.worker;",
        'const report = await validateProfile(process.argv[2] ?? "keypolicy.yaml");',
        'const first: Diagnostic | undefined = report.errors[0];',
        "const yaml: string = starterProfileYaml({ nation: profile.nation, service: profile.service.type, term: worker ?? 'key', sharedRole: false }, './keypolicy.schema.json');",
        'const code: number = ExitCode.Invalid;',
        'console.log(VERSION, code, first?.code, yaml.length);',
        '',
      ].join('\n'),
    );
    const tsc = spawnSync(
      process.execPath,
      [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', consumer],
      {
        cwd: consumer,
        encoding: 'utf8',
      },
    );
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  }, 120_000);

  it('exports the library, package.json and the schemas', () => {
    const { consumer } = installPacked();
    const script = [
      "import { VERSION, validateProfile } from 'keypolicy';",
      "import pkg from 'keypolicy/package.json' with { type: 'json' };",
      "import schema from 'keypolicy/schemas/profile.schema.json' with { type: 'json' };",
      "import manifest from 'keypolicy/schemas/manifest.schema.json' with { type: 'json' };",
      "if (pkg.version !== VERSION || typeof validateProfile !== 'function') throw new Error('exports');",
      "if (schema['x-keypolicy-version'] !== VERSION || !manifest.$id) throw new Error('schemas');",
      "console.log('ok');",
    ].join('\n');
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: consumer,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('ok');
  }, 120_000);
});
