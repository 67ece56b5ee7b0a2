/** The field builders every part of the profile schema is made of (TypeBox; used only to generate files). */
import { Type } from '@sinclair/typebox';

export function stringEnum<const T extends readonly string[]>(
  values: T,
  options: { description: string; default?: T[number] },
) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

export const text = (description: string, extra: Record<string, unknown> = {}) =>
  Type.String({ minLength: 1, description, ...extra });

export const textList = (description: string, extra: Record<string, unknown> = {}) =>
  Type.Array(Type.String({ minLength: 1 }), { description, ...extra });

/** A calendar date written as YYYY-MM-DD; the `date` format also rejects days that do not exist. */
export const isoDate = (description: string) =>
  Type.String({ format: 'date', description: `${description} Written YYYY-MM-DD, e.g. 2026-04-01.` });

export const months = (description: string, min: number, max: number, defaultValue: number) =>
  Type.Integer({ minimum: min, maximum: max, default: defaultValue, description });

export const closed = { additionalProperties: false } as const;
