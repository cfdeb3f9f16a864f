import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  appraisalStage,
  currentAppraisal,
  localDate,
  objectionDeadlineFor,
  objectionWindow,
  rangeStatus,
  timeline,
} from '../../src/domain/phase';
import type { Phases } from '../../src/domain/schemas';
import { daysBetween } from '../../src/domain/schemas/common';
import { phases } from '../support/unit-fixtures';

describe('localDate', () => {
  it('takes the calendar date in China time, not UTC', () => {
    expect(localDate(new Date('2026-11-23T10:00:00+08:00'))).toBe('2026-11-23');
    // 23:30 UTC on the 22nd is already 07:30 on the 23rd in Beijing.
    expect(localDate(new Date('2026-11-22T23:30:00Z'))).toBe('2026-11-23');
    expect(localDate(new Date('2026-11-22T15:59:59Z'))).toBe('2026-11-22');
    expect(localDate(new Date('2026-11-22T23:30:00Z'), 0)).toBe('2026-11-22');
  });
});

describe('addDays and the objection deadline', () => {
  it('crosses month and year ends', () => {
    expect(addDays('2026-12-25', 10)).toBe('2027-01-04');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('puts the deadline N days after publication (the demo: 10 days from 01-15 is 01-25)', () => {
    expect(objectionDeadlineFor('2027-01-15', 10)).toBe(phases.objectionDeadline);
  });

  it('opens the objection window on the publication day of the result when given', () => {
    expect(objectionWindow(phases)).toEqual({ start: '2027-01-15', end: '2027-01-25' });
    expect(objectionWindow(phases, '2027-01-16')).toEqual({ start: '2027-01-16', end: '2027-01-25' });
  });
});

describe('rangeStatus', () => {
  const publicity = { start: '2026-12-01', end: '2026-12-08' };
  it('counts both ends as open', () => {
    expect(rangeStatus(publicity, '2026-11-30')).toBe('upcoming');
    expect(rangeStatus(publicity, '2026-12-01')).toBe('open');
    expect(rangeStatus(publicity, '2026-12-08')).toBe('open');
    expect(rangeStatus(publicity, '2026-12-09')).toBe('ended');
  });
});

describe('timeline', () => {
  it('lists the six spans in the order they start', () => {
    expect(timeline(phases).map((s) => s.key)).toEqual([
      'notice',
      'opinion',
      'publicity',
      'fieldwork',
      'results',
      'objection',
    ]);
    expect(timeline(phases).at(-1)).toEqual({ key: 'objection', start: '2027-01-15', end: '2027-01-25' });
  });
});

describe('appraisalStage', () => {
  it('is upcoming before the notice', () => {
    expect(appraisalStage(phases, '2026-11-01')).toMatchObject({ stage: 'upcoming', next: { key: 'notice' } });
  });

  it('headlines opinion collection while the notice is also out (the e2e day, 11-23)', () => {
    const s = appraisalStage(phases, '2026-11-23');
    expect(s).toMatchObject({ stage: 'active', phase: { key: 'opinion', end: '2026-12-20' } });
    expect(s.stage === 'active' && s.open.map((p) => p.key)).toEqual(['notice', 'opinion']);
  });

  it('keeps opinion in front during publicity and fieldwork', () => {
    const s = appraisalStage(phases, '2026-12-08');
    expect(s.stage === 'active' && s.phase.key).toBe('opinion');
    expect(s.stage === 'active' && s.open.map((p) => p.key)).toEqual(['opinion', 'publicity', 'fieldwork']);
  });

  it('is between phases during the internal evaluation', () => {
    expect(appraisalStage(phases, '2026-12-28')).toMatchObject({ stage: 'between', next: { key: 'results' } });
  });

  it('headlines results, then the objection window, then closes', () => {
    expect(appraisalStage(phases, '2027-01-15')).toMatchObject({ stage: 'active', phase: { key: 'results' } });
    expect(appraisalStage(phases, '2027-01-22')).toMatchObject({ stage: 'active', phase: { key: 'objection' } });
    expect(appraisalStage(phases, '2027-01-25')).toMatchObject({ stage: 'active', phase: { key: 'objection' } });
    expect(appraisalStage(phases, '2027-01-26')).toEqual({ stage: 'closed' });
  });
});

describe('currentAppraisal', () => {
  const shift = (p: Phases, years: number): Phases => {
    const y = (d: string) => `${Number(d.slice(0, 4)) + years}${d.slice(4)}`;
    const r = (x: { start: string; end: string }) => ({ start: y(x.start), end: y(x.end) });
    return {
      notice: r(p.notice),
      publicity: r(p.publicity),
      opinion: r(p.opinion),
      fieldwork: r(p.fieldwork),
      results: r(p.results),
      objectionDeadline: y(p.objectionDeadline),
    };
  };
  const list = [
    { year: 2025, phases: shift(phases, -1) },
    { year: 2026, phases },
  ];

  it('picks the latest appraisal whose notice is out', () => {
    expect(currentAppraisal(list, '2026-11-23')?.year).toBe(2026);
    // Last year's results are still the news before this year's notice.
    expect(currentAppraisal(list, '2026-06-01')?.year).toBe(2025);
  });

  it('falls back to the first one to start when none has begun', () => {
    expect(currentAppraisal(list, '2020-01-01')?.year).toBe(2025);
    expect(currentAppraisal([], '2026-01-01')).toBeUndefined();
  });
});

describe('China midnight', () => {
  it('turns the date at 16:00 UTC, not at 00:00 UTC', () => {
    expect(localDate(new Date('2026-11-22T16:00:00Z'))).toBe('2026-11-23');
    expect(localDate(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
    expect(localDate(new Date('2026-12-31T15:59:59.999Z'))).toBe('2026-12-31');
  });

  it('opens a phase at 00:00 China time on its first day and keeps it open until 23:59 on its last', () => {
    const day = (iso: string) => localDate(new Date(iso));
    // 2026-11-19 16:00 UTC is 11-20 00:00 in China: the opinion phase has begun.
    expect(appraisalStage(phases, day('2026-11-19T16:00:00Z'))).toMatchObject({ phase: { key: 'opinion' } });
    expect(appraisalStage(phases, day('2026-11-15T15:59:59Z'))).toMatchObject({ stage: 'upcoming' });
    expect(appraisalStage(phases, day('2027-01-25T15:59:59Z'))).toMatchObject({ phase: { key: 'objection' } });
    expect(appraisalStage(phases, day('2027-01-25T16:00:00Z'))).toEqual({ stage: 'closed' });
  });
});

describe('addDays, as a property', () => {
  const date = fc
    .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
    .map((d) => localDate(d, 0));
  it('is undone by the opposite shift and agrees with daysBetween', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: -800, max: 800 }), (d, n) => {
        expect(addDays(addDays(d, n), -n)).toBe(d);
        expect(daysBetween(d, addDays(d, n))).toBe(n);
        expect(addDays(d, n) > d).toBe(n > 0);
      }),
    );
  });
});

describe('timeline ties', () => {
  it('keeps the content order for phases that start on the same day', () => {
    const same = { ...phases, publicity: { start: '2026-11-16', end: '2026-11-30' } };
    expect(
      timeline(same)
        .slice(0, 2)
        .map((s) => s.key),
    ).toEqual(['notice', 'publicity']);
  });
});
