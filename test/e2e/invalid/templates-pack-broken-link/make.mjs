import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * A pack whose only template is a broken link, beside two links that lead round in a circle: reading the
 * pack for the `policies` check must not crash (symlinks are made here, as a copy would not keep them).
 */
export default async function (dir) {
  const pack = path.join(dir, 'pack');
  await mkdir(pack);
  await symlink('moved-away.md', path.join(pack, 'supervision-policy.md'));
  await symlink('loop-b.md', path.join(pack, 'loop-a.md'));
  await symlink('loop-a.md', path.join(pack, 'loop-b.md'));
}
