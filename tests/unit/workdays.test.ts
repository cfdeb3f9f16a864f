import { describe, expect, it } from 'vitest';
import { holidayDays, holidayYear } from '../../src/domain/schemas/holidays';
import {
  addWorkingDays,
  isOverdue,
  isWorkingDay,
  WEEKENDS_ONLY,
  workCalendar,
  workingDaysBetween,
} from '../../src/domain/workdays';

// 2026's arrangement as the content has it: Spring Festival 02-15..02-23, worked Saturdays 02-14 and 02-28.
const spring = workCalendar({
  holidays: holidayDays({ holidays: [{ name: '春节', start: '2026-02-15', end: '2026-02-23' }] }),
  workdays: ['2026-02-14', '2026-02-28'],
});

describe('working days', () => {
  it('counts Monday to Friday only, the start day never', () => {
    expect(isWorkingDay('2026-11-20')).toBe(true); // Friday
    expect(isWorkingDay('2026-11-21')).toBe(false); // Saturday
    expect(isWorkingDay('2026-11-22')).toBe(false); // Sunday
    expect(addWorkingDays('2026-11-20', 1)).toBe('2026-11-23'); // Friday + 1 = Monday
    expect(addWorkingDays('2026-11-21', 1)).toBe('2026-11-23'); // a Saturday's receipt starts on Monday
    expect(addWorkingDays('2026-11-20', 0)).toBe('2026-11-20');
  });

  it('gives 15 working days as three calendar weeks around plain weekends', () => {
    expect(addWorkingDays('2026-11-20', 15)).toBe('2026-12-11');
    expect(addWorkingDays('2026-11-23', 15)).toBe('2026-12-14');
    expect(workingDaysBetween('2026-11-23', '2026-12-14')).toBe(15);
  });

  it('skips holidays and counts make-up Saturdays', () => {
    expect(isWorkingDay('2026-02-16', spring)).toBe(false); // a Monday in the Spring Festival
    expect(isWorkingDay('2026-02-14', spring)).toBe(true); // a Saturday worked
    expect(isWorkingDay('2026-02-14', WEEKENDS_ONLY)).toBe(false);
    // Filed on Friday 02-13: the Saturday is worked, then nine days off, then 02-24.
    expect(addWorkingDays('2026-02-13', 1, spring)).toBe('2026-02-14');
    expect(addWorkingDays('2026-02-13', 2, spring)).toBe('2026-02-24');
    expect(addWorkingDays('2026-02-13', 5, spring)).toBe('2026-02-27');
    expect(addWorkingDays('2026-02-13', 6, spring)).toBe('2026-02-28');
    // Without the arrangement the same deadline would fall inside the holiday.
    expect(addWorkingDays('2026-02-13', 5)).toBe('2026-02-20');
    expect(workingDaysBetween('2026-02-13', '2026-02-28', spring)).toBe(6);
  });

  it('is the inverse of counting, for any start and length', () => {
    for (let d = 0; d < 60; d++) {
      const start = new Date(Date.UTC(2026, 1, 1 + d)).toISOString().slice(0, 10);
      for (const n of [1, 3, 5, 15]) {
        const due = addWorkingDays(start, n, spring);
        expect(workingDaysBetween(start, due, spring)).toBe(n);
        expect(isWorkingDay(due, spring)).toBe(true);
      }
    }
  });

  it('refuses a negative or fractional count', () => {
    expect(() => addWorkingDays('2026-11-20', -1)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-11-20', 1.5)).toThrow(RangeError);
  });

  it('is overdue only from the day after the deadline, and never once finished', () => {
    expect(isOverdue('2026-12-11', '2026-12-11')).toBe(false);
    expect(isOverdue('2026-12-11', '2026-12-12')).toBe(true);
    expect(isOverdue('2026-12-11', '2026-12-12', true)).toBe(false);
  });
});

describe('holiday content', () => {
  it('expands ranges day by day and keeps make-up days', () => {
    const y = holidayYear.parse({
      year: 2026,
      source: '通知',
      holidays: [{ name: '元旦', start: '2026-01-01', end: '2026-01-03' }],
      workdays: ['2026-01-04'],
    });
    expect(holidayDays(y)).toEqual(['2026-01-01', '2026-01-02', '2026-01-03']);
    expect(y.workdays).toEqual(['2026-01-04']);
  });

  it('refuses a range that ends before it starts', () => {
    const r = holidayYear.safeParse({
      year: 2026,
      source: '通知',
      holidays: [{ name: '元旦', start: '2026-01-03', end: '2026-01-01' }],
    });
    expect(r.success).toBe(false);
  });
});
