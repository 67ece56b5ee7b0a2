/** The string formats the profile schema uses, shared by the generated validators and the generator. */
import { isRealDate } from '../core/dates.js';

export { isRealDate };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const profileFormats = {
  date: isRealDate,
  email: (value: string): boolean => EMAIL.test(value),
};
