import { writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A 6 MB "PNG": a real PNG signature and IHDR chunk, then padding. */
export default async function (dir) {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const ihdr = Buffer.from('0000000d494844520000000100000001080600000001f15c4a', 'hex');
  const padding = Buffer.alloc(6 * 1024 * 1024);
  await writeFile(path.join(dir, 'logo.png'), Buffer.concat([signature, ihdr, padding]));
}
