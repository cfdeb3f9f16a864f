// The per-unit report's figures (src/lib/site/report.ts): place within the
// unit's category, movement against the year before, and indicators shown
// only with at least k answers.
import { describe, expect, it } from 'vitest';
import type { Appraisal, Result, Snapshot } from '../../src/domain/schemas';
import type { SiteModel } from '../../src/lib/site/model';
import { indicatorRows, movementOf, unitReport, yearFigures } from '../../src/lib/site/report';

const units: Record<string, string> = { a: 'economic', b: 'economic', c: 'economic', d: 'social' };
const appraisal = (year: number, minCell = 5) =>
  ({ id: `y${year}`, year, disclosure: { minCell } }) as unknown as Appraisal;
const result = (year: number, entries: [string, string, number][]): Result => ({
  appraisal: `y${year}`,
  title: `${year}年度结果`,
  publishedOn: `${year + 1}-01-15`,
  bands: ['先进', '达标', '诫勉'],
  entries: entries.map(([id, band, score]) => ({ subject: { kind: 'unit', id }, band, score })),
  note: '',
});
const subject = (id: string, known: number, score: number, good: number) => ({
  subject: { kind: 'unit' as const, id },
  status: 'scored' as const,
  known,
  unknown: 0,
  score,
  contribution: 0,
  byCategory: [],
  indicators: { good, alert: false },
});

function model(appraisals: Appraisal[], results: Result[], snapshots: Snapshot[] = []): SiteModel {
  return {
    appraisals,
    resultOf: (id: string) => results.find((r) => r.appraisal === id),
    snapshotOf: (id: string) => snapshots.find((s) => s.appraisal === id),
    unit: (id: string) => (units[id] ? { id, category: units[id] } : undefined),
    withResults: appraisals,
  } as unknown as SiteModel;
}

describe('per-unit report', () => {
  const m = model(
    [appraisal(2025), appraisal(2024)],
    [
      result(2025, [
        ['a', '达标', 90],
        ['b', '先进', 95],
        ['c', '达标', 90],
        ['d', '先进', 99],
      ]),
      result(2024, [
        ['a', '诫勉', 80],
        ['b', '先进', 96],
        ['c', '先进', 97],
      ]),
    ],
  );

  it('ranks by score within the unit category only, ties sharing a place', () => {
    // d (99) is in another category: a and c tie behind b.
    expect(yearFigures(m, 'a', 2025).rank).toEqual({ place: 2, of: 3 });
    expect(yearFigures(m, 'c', 2025).rank).toEqual({ place: 2, of: 3 });
    expect(yearFigures(m, 'b', 2025).rank).toEqual({ place: 1, of: 3 });
    expect(yearFigures(m, 'd', 2025).rank).toEqual({ place: 1, of: 1 });
  });

  it('reads movement as places and bands gained or lost against the year before', () => {
    const r = unitReport(m, 'a', appraisal(2025));
    // 2024: a third of three, 诫勉; 2025: second, 达标.
    expect(r.movement).toEqual({ places: 1, bands: 1, previousBand: '诫勉' });
    expect(unitReport(m, 'c', appraisal(2025)).movement).toEqual({ places: -1, bands: -1, previousBand: '先进' });
    // No 2024 result for d: nothing to compare.
    expect(unitReport(m, 'd', appraisal(2025)).movement).toEqual({
      places: null,
      bands: null,
      previousBand: undefined,
    });
    expect(movementOf(yearFigures(m, 'a', 2025), yearFigures(m, 'a', 2023)).places).toBeNull();
  });

  it('shows three years, the missing ones as unpublished', () => {
    const years = unitReport(m, 'a', appraisal(2025)).years;
    expect(years.map((y) => [y.year, y.published, y.band])).toEqual([
      [2023, false, undefined],
      [2024, true, '诫勉'],
      [2025, true, '达标'],
    ]);
  });

  it('publishes a score or share only with at least minCell answers', () => {
    const snap = {
      appraisal: 'y2025',
      instruments: [
        { id: 'r', title: '评议', kind: 'rating', subjects: [subject('a', 5, 88, 0.6), subject('b', 4, 70, 0.25)] },
      ],
    } as unknown as Snapshot;
    const withSnap = model([appraisal(2025)], [], [snap]);
    expect(indicatorRows(withSnap, 'a', appraisal(2025))).toEqual([
      { instrument: 'r', title: '评议', kind: 'rating', score: 88, good: 0.6, suppressed: false },
    ]);
    expect(indicatorRows(withSnap, 'b', appraisal(2025))).toEqual([
      { instrument: 'r', title: '评议', kind: 'rating', score: null, good: null, suppressed: true },
    ]);
    // The threshold is the appraisal's: with k = 10, five answers are not enough either.
    expect(indicatorRows(withSnap, 'a', appraisal(2025, 10))[0]?.suppressed).toBe(true);
    expect(indicatorRows(withSnap, 'c', appraisal(2025))).toEqual([]);
  });
});
