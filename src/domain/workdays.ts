// Working days (工作日) for deadlines: Monday to Friday, less the public
// holidays, plus the weekend days the State Council's yearly arrangement makes
// working days (调休上班). The arrangement is content (src/content/holidays/),
// published a year at a time; a year without one counts weekends only.
import type { IsoDate } from './schemas/common';

export interface WorkCalendar {
  /** Days off that would otherwise be working days. */
  holidays: ReadonlySet<IsoDate>;
  /** Weekend days that are working days. */
  workdays: ReadonlySet<IsoDate>;
}

export const WEEKENDS_ONLY: WorkCalendar = { holidays: new Set(), workdays: new Set() };

export function workCalendar(days: { holidays: readonly IsoDate[]; workdays: readonly IsoDate[] }): WorkCalendar {
  return { holidays: new Set(days.holidays), workdays: new Set(days.workdays) };
}

const dayNumber = (date: IsoDate) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;
const fromDayNumber = (n: number): IsoDate => new Date(n * 86_400_000).toISOString().slice(0, 10);

export function isWorkingDay(date: IsoDate, cal: WorkCalendar = WEEKENDS_ONLY): boolean {
  if (cal.workdays.has(date)) return true;
  if (cal.holidays.has(date)) return false;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * The n-th working day after `start` (the start day itself never counts, as
 * in "15 个工作日内": a message received on a Friday is due three weeks later,
 * on the Friday). n = 0 gives `start`.
 */
export function addWorkingDays(start: IsoDate, n: number, cal: WorkCalendar = WEEKENDS_ONLY): IsoDate {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number ≥ 0, got ${n}`);
  let day = dayNumber(start);
  for (let left = n; left > 0; ) {
    day += 1;
    if (isWorkingDay(fromDayNumber(day), cal)) left -= 1;
  }
  return fromDayNumber(day);
}

/** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
export function workingDaysBetween(from: IsoDate, to: IsoDate, cal: WorkCalendar = WEEKENDS_ONLY): number {
  let n = 0;
  for (let day = dayNumber(from) + 1; day <= dayNumber(to); day++) if (isWorkingDay(fromDayNumber(day), cal)) n++;
  return n;
}

/** A deadline is missed once the day after it has begun; something finished is never overdue. */
export const isOverdue = (due: IsoDate, today: IsoDate, finished = false) => !finished && today > due;
