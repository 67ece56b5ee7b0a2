/** keypolicy's own version, read once from package.json (it is recorded in registers and shown by --version). */
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export const VERSION: string = pkg.version;

/** The package root (the folder holding package.json, schemas/ and templates/). */
export const PACKAGE_ROOT: string = new URL('..', import.meta.url).pathname;
