import { symlink } from 'node:fs/promises';
import path from 'node:path';

/** The profile is a link to /dev/null: a device, which must be named as one (not "a folder", not "empty"). */
export default async function (dir) {
  await symlink('/dev/null', path.join(dir, 'keypolicy.yaml'));
}
