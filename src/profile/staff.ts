/**
 * The staff list: who must read and acknowledge each policy version in force. Kept in the profile
 * (`staff:` as a list) or in a file it names (`staff: staff.yaml` or `staff.csv`), read here with every
 * problem located at its line, as the profile's own are. It never reaches a template: staff are not in
 * the words of a policy.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isSeq } from 'yaml';
import { CONTROL_CHARACTERS } from '../diagnostics/control-characters.js';
import type { Diagnostic } from '../diagnostics/errors.js';
import { diagnosticForFile, type DiagnosticInit, type SourceFile } from '../diagnostics/source.js';
import { suggest } from '../diagnostics/suggest.js';
import { parseYamlFile, yamlData } from '../diagnostics/yaml-source.js';
import { readCsvTable } from './csv.js';
import { MAX_PROFILE_BYTES, type PlainObject } from './load.js';

export interface StaffMember {
  name: string;
  role: string;
  id?: string;
}

export interface StaffList {
  /** Where the list is kept: the staff file, or the profile itself. */
  file: string;
  people: StaffMember[];
}

/** A name compared as a person means it: case, accents' encoding and runs of spaces aside. */
export const nameKey = (name: string): string =>
  name.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('en-GB');

/** The staff member a name (or staff id) given on the command line or in a sheet means, if any. */
export function findStaff(staff: readonly StaffMember[], given: string): StaffMember | undefined {
  const key = nameKey(given);
  return (
    staff.find((p) => nameKey(p.name) === key) ??
    staff.find((p) => p.id !== undefined && p.id === given.trim())
  );
}

/** The nearest name on the list, for "did you mean". */
export const nearestStaffName = (staff: readonly StaffMember[], given: string): string | undefined =>
  suggest(
    given,
    staff.map((p) => p.name),
  );

/** The roles a policy's `readers` names, if the profile narrows them. */
export function readerRoles(data: PlainObject, policy: string): string[] | undefined {
  const policies = Array.isArray(data.policies) ? (data.policies as unknown[]) : [];
  for (const entry of policies)
    if (entry !== null && typeof entry === 'object' && (entry as { id?: unknown }).id === policy) {
      const readers = (entry as { readers?: unknown }).readers;
      return Array.isArray(readers) ? readers.filter((r): r is string => typeof r === 'string') : undefined;
    }
  return undefined;
}

/** The people who must read a policy: everyone, or those in the roles it names (ignoring case). */
export function requiredReaders(
  staff: readonly StaffMember[],
  roles: readonly string[] | undefined,
): StaffMember[] {
  if (!roles) return [...staff];
  const wanted = new Set(roles.map((r) => nameKey(r)));
  return staff.filter((p) => wanted.has(nameKey(p.role)));
}

const FIELDS = ['name', 'role', 'id'];

/** A member of staff without the locating helper the checks carried. */
const plain = ({ name, role, id }: StaffMember): StaffMember => ({
  name,
  role,
  ...(id !== undefined ? { id } : {}),
});
const controls = new RegExp(CONTROL_CHARACTERS.source);

/** Check one person's fields; `problem` locates a finding at a field (or the entry). */
function checkPerson(
  value: unknown,
  problem: (field: string | undefined, message: string, hint?: string) => void,
): StaffMember | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problem(
      undefined,
      'Each member of staff must be a block of fields (`name:`, `role:` and an optional `id:`).',
    );
    return undefined;
  }
  const entry = value as PlainObject;
  let ok = true;
  for (const key of Object.keys(entry))
    if (!FIELDS.includes(key)) {
      const guess = suggest(key, FIELDS);
      problem(
        key,
        `\`${key}\` is not a field of a member of staff (name, role, id).`,
        guess ? `Did you mean \`${guess}\`?` : 'Remove it: keypolicy keeps only what it needs.',
      );
      ok = false;
    }
  const textOf = (field: string, required: boolean): string | undefined => {
    const raw = entry[field];
    if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
      if (required) {
        problem(field in entry ? field : undefined, `A member of staff needs a \`${field}\`.`);
        ok = false;
      }
      return undefined;
    }
    const given =
      typeof raw === 'string'
        ? raw
        : field === 'id' && Number.isInteger(raw)
          ? `${raw as number}`
          : undefined;
    if (given === undefined) {
      problem(field, `\`${field}\` must be text.`);
      ok = false;
      return undefined;
    }
    const text = given.trim();
    if (controls.test(text)) {
      problem(field, `\`${field}\` holds a control character.`, 'Type it again as plain text.');
      ok = false;
    }
    return text;
  };
  const name = textOf('name', true);
  const role = textOf('role', true);
  const id = textOf('id', false);
  return ok && name && role ? { name, role, ...(id !== undefined ? { id } : {}) } : undefined;
}

/** Two people with one name (or one id) cannot be told apart when they sign. */
function checkUnique(people: readonly (StaffMember & { at: (field: string) => void })[]): void {
  const names = new Map<string, StaffMember>();
  const ids = new Map<string, StaffMember>();
  for (const person of people) {
    const key = nameKey(person.name);
    if (names.has(key)) person.at('name');
    else names.set(key, person);
    if (person.id !== undefined) {
      if (ids.has(person.id)) person.at('id');
      else ids.set(person.id, person);
    }
  }
}

const duplicate = (field: string, person: StaffMember) =>
  field === 'name'
    ? {
        message: `\`${person.name}\` is on the staff list twice; acknowledgements and sheets go by name.`,
        hint: 'Write the two names so they differ (a middle initial, say), or remove the repeat.',
      }
    : {
        message: `The staff id \`${person.id ?? ''}\` is given twice.`,
        hint: 'Each person needs their own id.',
      };

/** The people of an inline `staff:` list (already checked against the schema), with duplicates reported. */
export function inlineStaff(
  file: string,
  list: readonly unknown[],
  locate: (init: DiagnosticInit) => Diagnostic,
): { staff?: StaffList; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const people = list.map((value, index) => {
    const person = value as { name: string; role: string; id?: string | number };
    const member: StaffMember = {
      name: person.name.trim(),
      role: person.role.trim(),
      ...(person.id !== undefined ? { id: String(person.id).trim() } : {}),
    };
    return {
      ...member,
      at: (field: string) =>
        diagnostics.push(
          locate({
            code: 'KP_STAFF_DUPLICATE',
            pointer: `/staff/${index}/${field}`,
            ...duplicate(field, member),
          }),
        ),
    };
  });
  checkUnique(people);
  return diagnostics.length > 0
    ? { diagnostics }
    : { staff: { file, people: people.map(plain) }, diagnostics };
}

/**
 * Read the staff file a profile names (`file`, absolute). A problem with the reference itself (missing,
 * a folder) is reported at the profile's `staff:` through `atReference`; one inside the file at its line.
 */
export async function loadStaffFile(
  file: string,
  atReference: (message: string, hint: string) => Diagnostic,
): Promise<{ staff?: StaffList; diagnostics: Diagnostic[] }> {
  const info = await stat(file).catch(() => undefined);
  if (!info)
    return {
      diagnostics: [
        atReference(
          `The staff list \`${path.basename(file)}\` does not exist (looked for ${file}).`,
          'Check the path: it is relative to the profile.',
        ),
      ],
    };
  if (!info.isFile())
    return {
      diagnostics: [
        atReference(`\`${path.basename(file)}\` is not a file.`, 'Point `staff:` at a .yaml or .csv file.'),
      ],
    };
  if (info.size > MAX_PROFILE_BYTES)
    return {
      diagnostics: [
        diagnosticForFile(file, {
          code: 'KP_FILE_TOO_LARGE',
          message: 'This staff list is over 1 MB, so it was not read.',
          hint: 'Check that this is the right file.',
        }),
      ],
    };
  const text = await readFile(file, 'utf8');
  return /\.csv$/i.test(file) ? csvStaff(file, text) : yamlStaff(file, text);
}

async function csvStaff(
  file: string,
  text: string,
): Promise<{ staff?: StaffList; diagnostics: Diagnostic[] }> {
  const table = await readCsvTable(file, text, {
    required: ['name', 'role'],
    known: ['id'],
    others: 'error',
  });
  if (table.diagnostics.length > 0) return { diagnostics: table.diagnostics };
  const diagnostics: Diagnostic[] = [];
  const at = (line: number, message: string, hint?: string) =>
    diagnostics.push(
      table.source.diagnosticAt([table.source.lineStart(line), table.source.lineStart(line) + 1], {
        code: 'KP_STAFF',
        message,
        ...(hint ? { hint } : {}),
      }),
    );
  const people = table.rows.flatMap((row) => {
    const values = { ...row.values, ...(row.values.id === '' ? { id: undefined } : {}) };
    const member = checkPerson(values, (field, message, hint) =>
      at(row.line, `Line ${row.line}${field ? `, ${field}` : ''}: ${message}`, hint),
    );
    return member
      ? [
          {
            ...member,
            at: (field: string) =>
              at(row.line, duplicate(field, member).message, duplicate(field, member).hint),
          },
        ]
      : [];
  });
  checkUnique(people);
  return diagnostics.length > 0
    ? { diagnostics }
    : { staff: { file, people: people.map(plain) }, diagnostics };
}

function yamlStaff(file: string, text: string): { staff?: StaffList; diagnostics: Diagnostic[] } {
  const { document, source, diagnostics } = parseYamlFile(file, text);
  if (diagnostics.length > 0) return { diagnostics };
  const contents = document.contents;
  const listed = isSeq(contents) ? '' : isMap(contents) && document.has('staff') ? '/staff' : undefined;
  const parsed = yamlData(document, source, { what: 'file' });
  if ('diagnostic' in parsed) return { diagnostics: [parsed.diagnostic] };
  const list = listed === '' ? parsed.data : (parsed.data as PlainObject | null)?.staff;
  if (listed === undefined || !Array.isArray(list))
    return {
      diagnostics: [
        locateIn(
          source,
          '',
          'A staff list file holds a list of people, each with `name:`, `role:` and an optional `id:`.',
          'Start it with `- name: Amy Pond` and `role: Support Worker` on the next line.',
        ),
      ],
    };
  const found: Diagnostic[] = [];
  const people = list.flatMap((value: unknown, index: number) => {
    const pointer = `${listed}/${index}`;
    const member = checkPerson(value, (field, message, hint) =>
      found.push(locateIn(source, field ? `${pointer}/${field}` : pointer, message, hint)),
    );
    return member
      ? [
          {
            ...member,
            at: (field: string) =>
              found.push(
                locateIn(
                  source,
                  `${pointer}/${field}`,
                  duplicate(field, member).message,
                  duplicate(field, member).hint,
                ),
              ),
          },
        ]
      : [];
  });
  checkUnique(people);
  return found.length > 0
    ? { diagnostics: found }
    : { staff: { file, people: people.map(plain) }, diagnostics: [] };
}

/** A finding at its field; an unknown field is pointed at by its key. */
const locateIn = (source: SourceFile, pointer: string, message: string, hint?: string): Diagnostic =>
  source.diagnostic({
    code: 'KP_STAFF',
    pointer,
    message,
    ...(message.includes('is not a field') ? { at: 'key' as const } : {}),
    ...(hint ? { hint } : {}),
  });
