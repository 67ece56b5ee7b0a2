/** What `npm publish` would ship: the CLI, its library, schemas and templates — no tests, fixtures or secrets. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

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
