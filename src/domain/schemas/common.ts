import { z } from 'zod';

/** A content id: lower-case ASCII slug, stable across years (used in URLs and API paths). */
export const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'id 只能包含小写字母、数字和连字符 (a-z, 0-9, -)');
export type Id = z.infer<typeof id>;

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A calendar date, "YYYY-MM-DD". YAML loaders turn bare dates into Date
 * objects, so accept those too and normalise to the string form.
 */
export const isoDate = z
  .union([
    z.iso.date(),
    z.date().transform((d) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`),
  ])
  .pipe(z.string());
export type IsoDate = z.infer<typeof isoDate>;

/** An instant with an explicit offset (e.g. "2026-12-01T08:00:00+08:00"), normalised to UTC ISO. */
export const isoDateTime = z
  .union([z.iso.datetime({ offset: true }), z.date().transform((d) => d.toISOString())])
  .transform((s) => new Date(s).toISOString())
  // Documented as what it gives (the API's document would list both inputs as the same string twice).
  .meta({ type: 'string', format: 'date-time' });

export const dateRange = z
  .object({ start: isoDate, end: isoDate })
  .refine((r) => r.start <= r.end, { message: '结束日期不能早于开始日期', path: ['end'] });
export type DateRange = z.infer<typeof dateRange>;

/** Days between two ISO dates (b - a). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

export const phone = z.string().regex(/^[0-9+\-() ]{5,24}$/, '电话号码格式不正确');
export const email = z.email('电子邮箱格式不正确');

/** The calendar day in China (UTC+8, no daylight saving) of an instant. */
export function dayInChina(t: Date): IsoDate {
  return new Date(t.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
