import { writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * A profile saved with old Mac line endings (a carriage return alone), starting with a comment as
 * `keypolicy init` writes it. YAML 1.2 counts a lone CR as a line break, so this is a whole profile with
 * one misspelt key on line 4, not an empty file (or one long comment).
 */
export default async function (dir) {
  const lines = [
    '# Riverside Support: keypolicy profile',
    'organisation:',
    '  name: Riverside Support Ltd',
    '  brandColor: "#1f4e79"',
    'nation: england',
    'registration:',
    '  cqcLocationId: 1-187729429',
    'people:',
    '  registeredManager:',
    '    firstName: Priya',
    '    lastName: Shah',
    'service:',
    '  type: supported-living',
  ];
  await writeFile(path.join(dir, 'keypolicy.yaml'), `${lines.join('\r')}\r`);
}
