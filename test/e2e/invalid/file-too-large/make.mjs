import { writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A 20 MB profile: a valid start followed by a huge comment. It must be refused by size, unread. */
export default async function (dir) {
  const head = Buffer.from("organisation:\n  name: Riverside Support Ltd\nnation: england\nregistration:\n  cqcLocationId: 1-187729429\npeople:\n  registeredManager:\n    firstName: Priya\n    lastName: Shah\nservice:\n  type: supported-living\n", 'utf8');
  const padding = Buffer.alloc(20 * 1024 * 1024 - head.length, '# padding\n');
  await writeFile(path.join(dir, 'keypolicy.yaml'), Buffer.concat([head, padding]));
}
