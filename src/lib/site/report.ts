// 单项测评报告: what one unit's printable report of one year shows, from the
// published result and the committed snapshot only. Derived figures, never a
// raw count per rater category: band, score, rank within the unit's category,
// movement (进退) against the year before, the instruments' indicators (each
// shown only with at least k answers), and three years side by side.
import { mayPublishFigure, minCellOf } from '../../domain/disclosure';
import type { Appraisal } from '../../domain/schemas';
import type { SiteModel } from './model';

export interface YearFigures {
  year: number;
  appraisal?: Appraisal;
  /** The result is published for that year (else only tallies, or nothing). */
  published: boolean;
  band?: string;
  /** 1 = best band. */
  bandRank?: number;
  score?: number;
  satisfaction?: number;
  /** Place by comprehensive score among the units of the same category (ties share a place). */
  rank?: { place: number; of: number };
}

export interface Movement {
  /** Places gained (positive: 进) or lost (negative: 退); null without both years' ranks. */
  places: number | null;
  /** Bands gained (positive) or lost; null without both years' bands. */
  bands: number | null;
  previousBand?: string;
}

export interface IndicatorRow {
  instrument: string;
  title: string;
  kind: string;
  /** null: 样本不足 (fewer than k answers, or the instrument's own minimum). */
  score: number | null;
  good: number | null;
  suppressed: boolean;
}

export interface UnitReport {
  unit: string;
  year: number;
  current: YearFigures;
  movement: Movement;
  indicators: IndicatorRow[];
  /** Three most recent years up to the report's, oldest first. */
  years: YearFigures[];
  minCell: number;
}

export function yearFigures(m: SiteModel, unitId: string, year: number): YearFigures {
  const appraisal = m.appraisals.find((a) => a.year === year);
  const r = appraisal ? m.resultOf(appraisal.id) : undefined;
  const entry = r?.entries.find((e) => e.subject.kind === 'unit' && e.subject.id === unitId);
  if (!r || !entry) return { year, appraisal, published: false };
  const category = m.unit(unitId)?.category;
  const peers = r.entries.filter(
    (e) => e.subject.kind === 'unit' && e.score !== undefined && m.unit(e.subject.id)?.category === category,
  );
  const rank =
    entry.score !== undefined
      ? { place: 1 + peers.filter((e) => (e.score ?? 0) > (entry.score ?? 0)).length, of: peers.length }
      : undefined;
  return {
    year,
    appraisal,
    published: true,
    band: entry.band,
    bandRank: r.bands.indexOf(entry.band) + 1,
    score: entry.score,
    satisfaction: entry.satisfaction,
    rank,
  };
}

export function movementOf(current: YearFigures, previous: YearFigures): Movement {
  return {
    places: current.rank && previous.rank ? previous.rank.place - current.rank.place : null,
    bands: current.bandRank && previous.bandRank ? previous.bandRank - current.bandRank : null,
    previousBand: previous.band,
  };
}

/** The snapshot's figures for the unit, each instrument that rated it; shares and scores only with k answers. */
export function indicatorRows(m: SiteModel, unitId: string, appraisal: Appraisal): IndicatorRow[] {
  const k = minCellOf(appraisal);
  return (m.snapshotOf(appraisal.id)?.instruments ?? []).flatMap((i) => {
    const s = i.subjects.find((x) => x.subject.kind === 'unit' && x.subject.id === unitId);
    if (!s) return [];
    // The public view withholds a score from fewer than k answers, and may hide the answer count while the
    // score stands (secondary suppression): a hidden count is no reason to withhold the score.
    const enough = s.status === 'scored' && s.score !== null && (s.known === null || mayPublishFigure(s.known, k));
    return [
      {
        instrument: i.id,
        title: i.title,
        kind: i.kind,
        score: enough ? s.score : null,
        good: enough ? (s.indicators?.good ?? null) : null,
        suppressed: !enough,
      },
    ];
  });
}

/** Years with a report for the unit: its result is published, or a closed instrument rated it. */
export function reportYears(m: SiteModel, unitId: string): Appraisal[] {
  return m.withResults.filter(
    (a) => yearFigures(m, unitId, a.year).published || indicatorRows(m, unitId, a).length > 0,
  );
}

export function unitReport(m: SiteModel, unitId: string, appraisal: Appraisal): UnitReport {
  const current = yearFigures(m, unitId, appraisal.year);
  const previous = yearFigures(m, unitId, appraisal.year - 1);
  return {
    unit: unitId,
    year: appraisal.year,
    current,
    movement: movementOf(current, previous),
    indicators: indicatorRows(m, unitId, appraisal),
    years: [appraisal.year - 2, appraisal.year - 1, appraisal.year].map((y) =>
      y === appraisal.year ? current : y === appraisal.year - 1 ? previous : yearFigures(m, unitId, y),
    ),
    minCell: minCellOf(appraisal),
  };
}
