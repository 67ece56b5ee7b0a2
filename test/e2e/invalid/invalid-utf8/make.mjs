import { writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A profile whose organisation name holds a Latin-1 byte (0xE9, "é" in Windows-1252), not UTF-8. */
export default async function (dir) {
  const text = "organisation:\n  name: Riverside Support Ltd\nnation: england\nregistration:\n  cqcLocationId: 1-187729429\npeople:\n  registeredManager:\n    firstName: Priya\n    lastName: Shah\nservice:\n  type: supported-living\n";
  const at = text.indexOf('Riverside') + 'Riverside'.length;
  const bytes = Buffer.concat([
    Buffer.from(text.slice(0, at), 'utf8'),
    Buffer.from([0x20, 0x43, 0x61, 0x66, 0xe9]),
    Buffer.from(text.slice(at), 'utf8'),
  ]);
  await writeFile(path.join(dir, 'keypolicy.yaml'), bytes);
}
