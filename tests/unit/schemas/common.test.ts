// Shared field rules (src/domain/schemas/common.ts): content ids, calendar
// dates as YAML gives them, instants that must carry their offset (a bare
// "08:00" would be read as UTC, eight hours off), date ranges, China's day.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dateRange,
  dayInChina,
  daysBetween,
  email,
  id,
  isoDate,
  isoDateTime,
  phone,
} from '../../../src/domain/schemas/common';
import { accepts } from '../../support/unit-fixtures';

describe('id', () => {
  it('is a lower-case ASCII slug of 1 to 64 characters', () => {
    for (const good of ['a', 'county-2026', '0a', 'a'.repeat(64)])
      expect([good, accepts(id, good)]).toEqual([good, true]);
    for (const bad of ['', '-a', 'A', 'a_b', 'a.b', 'a b', '考评', 'a'.repeat(65), '../x', 'a/b']) {
      expect([bad, accepts(id, bad)]).toEqual([bad, false]);
    }
  });
});

describe('isoDate', () => {
  it('accepts real calendar days only, as strings or as the Date objects YAML makes', () => {
    expect(isoDate.parse('2028-02-29')).toBe('2028-02-29');
    expect(isoDate.parse(new Date('2026-12-07T00:00:00Z'))).toBe('2026-12-07');
    for (const bad of ['2026-02-29', '2026-13-01', '2026-12-32', '2026-1-5', '20261205', '2026-12-05T00:00:00Z']) {
      expect([bad, accepts(isoDate, bad)]).toEqual([bad, false]);
    }
  });
});

describe('isoDateTime', () => {
  it('requires an offset and stores the instant in UTC', () => {
    expect(isoDateTime.parse('2026-12-01T08:00:00+08:00')).toBe('2026-12-01T00:00:00.000Z');
    expect(isoDateTime.parse('2026-12-01T00:00:00Z')).toBe('2026-12-01T00:00:00.000Z');
    expect(isoDateTime.parse(new Date('2026-12-01T00:00:00Z'))).toBe('2026-12-01T00:00:00.000Z');
    expect(accepts(isoDateTime, '2026-12-01T08:00:00')).toBe(false);
    expect(accepts(isoDateTime, '2026-12-01')).toBe(false);
  });

  it('gives one string per instant, so instants compare as strings', () => {
    const instant = fc.date({ min: new Date('2000-01-01'), max: new Date('2099-01-01'), noInvalidDate: true });
    fc.assert(
      fc.property(instant, instant, fc.integer({ min: -12, max: 14 }), (a, b, h) => {
        const withOffset = (d: Date) => {
          const local = new Date(d.getTime() + h * 3_600_000).toISOString().slice(0, 23);
          return `${local}${h < 0 ? '-' : '+'}${String(Math.abs(h)).padStart(2, '0')}:00`;
        };
        const x = isoDateTime.parse(withOffset(a));
        const y = isoDateTime.parse(b.toISOString());
        expect(x).toBe(a.toISOString());
        expect(x < y).toBe(a.getTime() < b.getTime());
      }),
    );
  });
});

describe('dateRange', () => {
  it('may be one day long but not end before it starts', () => {
    expect(accepts(dateRange, { start: '2026-12-01', end: '2026-12-01' })).toBe(true);
    const r = dateRange.safeParse({ start: '2026-12-02', end: '2026-12-01' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['end']);
  });
});

describe('days', () => {
  it('counts calendar days across month, leap and year ends', () => {
    expect(daysBetween('2026-12-02', '2026-12-07')).toBe(5);
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
    expect(daysBetween('2026-12-07', '2026-12-02')).toBe(-5);
  });

  it('takes the day in China (UTC+8): it turns at 16:00 UTC', () => {
    expect(dayInChina(new Date('2026-12-31T15:59:59.999Z'))).toBe('2026-12-31');
    expect(dayInChina(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
  });
});

describe('contact fields', () => {
  it('accept the phone numbers people write and refuse text', () => {
    for (const good of ['0799-8611700', '+86 138 0000 0000', '(0799) 8611700']) expect(accepts(phone, good)).toBe(true);
    for (const bad of ['1234', 'call me', '0799-8611700 ext. 5', '1'.repeat(25)])
      expect(accepts(phone, bad)).toBe(false);
    expect(accepts(email, 'kpyj@example.org')).toBe(true);
    expect(accepts(email, 'kpyj@')).toBe(false);
  });
});
