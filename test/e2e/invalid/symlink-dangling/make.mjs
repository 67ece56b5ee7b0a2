import { symlink } from 'node:fs/promises';
import path from 'node:path';

/** The profile is a link to a file that is not there: name the missing target. */
export default async function (dir) {
  await symlink('clients/riverside.yaml', path.join(dir, 'keypolicy.yaml'));
}
