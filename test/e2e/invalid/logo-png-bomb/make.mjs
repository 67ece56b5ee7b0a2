import { writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A decompression bomb's header: a small PNG that declares 100,000 × 100,000 pixels (10 gigapixels). */
export default async function (dir) {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const ihdr = Buffer.from('0000000d49484452000186a0000186a00806000000', 'hex');
  await writeFile(path.join(dir, 'logo.png'), Buffer.concat([signature, ihdr, Buffer.alloc(4)]));
}
