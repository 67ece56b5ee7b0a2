import { symlink } from 'node:fs/promises';
import path from 'node:path';

/** The profile is a symbolic link to itself (ELOOP): unreadable for a reason, not "missing". */
export default async function (dir) {
  await symlink('keypolicy.yaml', path.join(dir, 'keypolicy.yaml'));
}
