import { z } from 'zod';
import { isoDate } from './common';

/**
 * One year's holiday arrangement (国务院办公厅关于某年部分节假日安排的通知):
 * the days off and the weekend days worked instead. Deadlines in working days
 * (message replies, objection answers) count with it. File name: the year.
 */
export const holidayYear = z.object({
  year: z.number().int().min(2000).max(2100),
  /** Where the arrangement was published. */
  source: z.string().min(2).max(300),
  holidays: z
    .array(z.object({ name: z.string().min(1).max(20), start: isoDate, end: isoDate }))
    .refine((l) => l.every((h) => h.start <= h.end), { message: '结束日期不能早于开始日期' }),
  /** Weekend days that are working days (调休上班). */
  workdays: z.array(isoDate).default([]),
});
export type HolidayYear = z.infer<typeof holidayYear>;

/** Every day of a year's holidays, one by one. */
export function holidayDays(y: Pick<HolidayYear, 'holidays'>): string[] {
  const days: string[] = [];
  for (const h of y.holidays) {
    for (let d = Date.parse(`${h.start}T00:00:00Z`); d <= Date.parse(`${h.end}T00:00:00Z`); d += 86_400_000) {
      days.push(new Date(d).toISOString().slice(0, 10));
    }
  }
  return days;
}
