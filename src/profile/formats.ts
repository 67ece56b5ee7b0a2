/** The string formats the profile schema uses, shared by the generated validators and the generator. */

/** A calendar date written YYYY-MM-DD that exists (2026-02-30 does not). */
export function isRealDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const profileFormats = {
  date: isRealDate,
  email: (value: string): boolean => EMAIL.test(value),
};
