import { mkdir } from 'node:fs/promises';
import path from 'node:path';

/** `extends` names `base.yaml`, which is a folder (git keeps no empty folders, so it is made here). */
export default async function (dir) {
  await mkdir(path.join(dir, 'base.yaml'));
}
