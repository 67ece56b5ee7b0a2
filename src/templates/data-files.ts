/**
 * The regulatory data files (templates/data/<nation>.yaml) and how old they are: each says the date its
 * facts are as at (`asOf: YYYY-MM-DD`), and facts more than a year old may no longer be current.
 */
import path from 'node:path';
import { addMonths, formatUkDate, isRealDate } from '../core/dates.js';
import { PACKAGE_ROOT } from '../core/version.js';
import type { Diagnostic, Severity } from '../diagnostics/errors.js';
import { diagnosticForFile } from '../diagnostics/source.js';
import { NATIONS, type Nation } from '../profile/enums.js';
import { loadYamlFile } from '../profile/load.js';

/** The folder of the built-in regulatory data files. */
export const DATA_FOLDER = path.join(PACKAGE_ROOT, 'templates', 'data');

/** Facts older than this many months before the command's date are out of date. */
export const DATA_MAX_AGE_MONTHS = 12;

export const DATA_OUT_OF_DATE = 'KP_DATA_OUT_OF_DATE';

export interface DataFile {
  nation: Nation;
  /** Absolute path. */
  file: string;
  /** The `asOf` date (YYYY-MM-DD), when the file gives a real one. */
  asOf?: string;
  /** Where a diagnostic about its date points: the `asOf` value, else the whole file. */
  at: (init: { code: string; message: string; hint?: string; severity?: Severity }) => Diagnostic;
}

const cache = new Map<Nation, Promise<DataFile>>();

async function readDataFile(nation: Nation): Promise<DataFile> {
  const file = path.join(DATA_FOLDER, `${nation}.yaml`);
  const loaded = await loadYamlFile(file, 'base profile');
  const value = loaded.data?.asOf;
  const asOf = typeof value === 'string' && isRealDate(value) ? value : undefined;
  const source = loaded.source;
  return {
    nation,
    file,
    ...(asOf ? { asOf } : {}),
    at: (init) =>
      source && value !== undefined
        ? source.diagnostic({ ...init, pointer: '/asOf' })
        : diagnosticForFile(file, init),
  };
}

/** The data file of one nation, read once. */
export const dataFileFor = (nation: Nation): Promise<DataFile> => {
  let read = cache.get(nation);
  if (!read) cache.set(nation, (read = readDataFile(nation)));
  return read;
};

/** Every nation's data file, in the order of NATIONS. */
export const dataFiles = (): Promise<DataFile[]> => Promise.all(NATIONS.map((n) => dataFileFor(n)));

/** Whether facts as at `asOf` are more than DATA_MAX_AGE_MONTHS before `date`. */
export const isOutOfDate = (asOf: string, date: string): boolean =>
  addMonths(asOf, DATA_MAX_AGE_MONTHS) < date;

/**
 * The problem with a data file's date on `date`, if there is one: its facts are more than a year old, or
 * (for `check`, with `requireDate`) it gives no as-at date at all.
 */
export function dataAgeProblem(
  data: DataFile,
  date: string,
  options: { severity: Severity; requireDate?: boolean },
): Diagnostic | undefined {
  const name = `templates/data/${path.basename(data.file)}`;
  const update =
    'Update keypolicy to a release with current regulatory facts, or check the facts in the data file against the regulator’s current guidance and update its `asOf`.';
  if (!data.asOf) {
    if (!options.requireDate) return undefined;
    return data.at({
      code: DATA_OUT_OF_DATE,
      severity: options.severity,
      message: `The regulatory data file ${name} does not say when its facts are as at (no \`asOf: YYYY-MM-DD\`), so its references cannot be shown to be current.`,
      hint: update,
    });
  }
  if (!isOutOfDate(data.asOf, date)) return undefined;
  return data.at({
    code: DATA_OUT_OF_DATE,
    severity: options.severity,
    message: `The regulatory facts in ${name} are as at ${formatUkDate(data.asOf)}, more than ${DATA_MAX_AGE_MONTHS} months before ${formatUkDate(date)}: the references and links in the policy may no longer be current.`,
    hint:
      options.severity === 'warning'
        ? `${update} If you have checked them, silence this with \`validation: { suppress: [${DATA_OUT_OF_DATE}] }\`.`
        : update,
  });
}
