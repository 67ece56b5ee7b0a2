/**
 * The placeholder values `keypolicy init` writes where only the organisation knows the truth. `validate`
 * warns about each one still present, so the list lives here once for both.
 */
export interface ExampleValue {
  /** JSON pointer of the field. */
  pointer: string;
  /** What init writes; a person is matched on first and last name together. */
  value: string | { firstName: string; lastName: string };
  /** What the user should put there instead. */
  replaceWith: string;
}

export const EXAMPLE_ORGANISATION_NAME = 'Example Care Ltd';

export const EXAMPLE_VALUES: readonly ExampleValue[] = [
  {
    pointer: '/organisation/name',
    value: EXAMPLE_ORGANISATION_NAME,
    replaceWith: 'your organisation’s name',
  },
  {
    pointer: '/registration/cqcProviderId',
    value: '1-000000000',
    replaceWith: 'your CQC provider ID (on your CQC registration certificate)',
  },
  {
    pointer: '/registration/cqcLocationId',
    value: '1-000000001',
    replaceWith: 'the CQC location ID of this service (on your CQC registration certificate)',
  },
  {
    pointer: '/registration/ciwServiceId',
    value: 'SIN-00000000-XXXX',
    replaceWith: 'the service registration reference on your CIW certificate',
  },
  {
    pointer: '/people/registeredManager',
    value: { firstName: 'Alex', lastName: 'Example' },
    replaceWith: 'your registered manager’s name',
  },
  {
    pointer: '/people/nominatedIndividual',
    value: { firstName: 'Chris', lastName: 'Example' },
    replaceWith: 'your nominated individual’s name',
  },
  {
    pointer: '/people/responsibleIndividual',
    value: { firstName: 'Sam', lastName: 'Example' },
    replaceWith: 'your Responsible Individual’s name',
  },
  {
    pointer: '/people/manager',
    value: { firstName: 'Jo', lastName: 'Example' },
    replaceWith: 'your service manager’s name',
  },
];

/** Whether a field's value is still the example `init` wrote there. */
export function isExampleValue(example: ExampleValue, actual: unknown): boolean {
  const { value } = example;
  if (typeof value === 'string') return actual === value;
  return (
    actual !== null &&
    typeof actual === 'object' &&
    (actual as Record<string, unknown>).firstName === value.firstName &&
    (actual as Record<string, unknown>).lastName === value.lastName
  );
}

/** The example values still present, given how to read a field by its JSON pointer. */
export const exampleValuesIn = (valueAt: (pointer: string) => unknown): ExampleValue[] =>
  EXAMPLE_VALUES.filter((example) => isExampleValue(example, valueAt(example.pointer)));
