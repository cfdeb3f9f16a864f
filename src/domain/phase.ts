// Where an appraisal stands on a given day. Phases overlap (opinion
// collection runs through the notice, publicity and fieldwork), so "the"
// phase of a day is a choice: the one a resident can act on, ranked below.
import type { Phases } from './schemas/appraisal';
import type { DateRange, IsoDate } from './schemas/common';

/** The five phases of the content plus the objection window (results start .. objection deadline). */
export type PhaseKey = 'notice' | 'publicity' | 'opinion' | 'fieldwork' | 'results' | 'objection';

export interface PhaseSpan extends DateRange {
  key: PhaseKey;
}

export type RangeStatus = 'upcoming' | 'open' | 'ended';

/** China Standard Time, the appraisal's calendar; it has no daylight saving. */
export const CHINA_OFFSET_MINUTES = 8 * 60;

/**
 * Which phase to headline when several are open: results and objections
 * concern everyone once published; before that, giving an opinion is what
 * a resident can do, then reading summaries, then the rest.
 */
const HEADLINE_ORDER: readonly PhaseKey[] = ['results', 'objection', 'opinion', 'publicity', 'fieldwork', 'notice'];

const pad = (n: number) => String(n).padStart(2, '0');

/** The calendar date of an instant at a fixed UTC offset (default: China). */
export function localDate(instant: Date, offsetMinutes = CHINA_OFFSET_MINUTES): IsoDate {
  const d = new Date(instant.getTime() + offsetMinutes * 60_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return localDate(new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000), 0);
}

/** Both ends inclusive: a window "12-01 至 12-08" is open all day on the 8th. */
export function rangeStatus(range: DateRange, date: IsoDate): RangeStatus {
  if (date < range.start) return 'upcoming';
  if (date > range.end) return 'ended';
  return 'open';
}

/**
 * The window for written objections: from the day results are published
 * (the result's own date when given) to the deadline in the appraisal.
 */
export function objectionWindow(phases: Phases, publishedOn?: IsoDate): DateRange {
  return { start: publishedOn ?? phases.results.start, end: phases.objectionDeadline };
}

/** The last day to object when only the rule is known ("within N days of publication", seed 000: 10). */
export function objectionDeadlineFor(publishedOn: IsoDate, days: number): IsoDate {
  return addDays(publishedOn, days);
}

/** Every phase as a span, in the order they start (ties: the content's order). */
export function timeline(phases: Phases): PhaseSpan[] {
  const spans: PhaseSpan[] = [
    { key: 'notice', ...phases.notice },
    { key: 'publicity', ...phases.publicity },
    { key: 'opinion', ...phases.opinion },
    { key: 'fieldwork', ...phases.fieldwork },
    { key: 'results', ...phases.results },
    { key: 'objection', ...objectionWindow(phases) },
  ];
  return spans
    .map((s, i) => ({ s, i }))
    .sort((a, b) => a.s.start.localeCompare(b.s.start) || a.i - b.i)
    .map((x) => x.s);
}

export type AppraisalStage =
  /** Before the notice is out. */
  | { stage: 'upcoming'; next: PhaseSpan }
  /** One or more phases open; `phase` is the one to headline. */
  | { stage: 'active'; phase: PhaseSpan; open: PhaseSpan[] }
  /** Between phases (after fieldwork, the comprehensive evaluation runs internally). */
  | { stage: 'between'; next: PhaseSpan }
  /** The objection deadline has passed. */
  | { stage: 'closed' };

export function appraisalStage(phases: Phases, date: IsoDate): AppraisalStage {
  const spans = timeline(phases);
  const open = spans.filter((s) => rangeStatus(s, date) === 'open');
  if (open.length > 0) {
    const phase = [...open].sort((a, b) => HEADLINE_ORDER.indexOf(a.key) - HEADLINE_ORDER.indexOf(b.key))[0]!;
    return { stage: 'active', phase, open };
  }
  const next = spans.find((s) => s.start > date);
  if (!next) return { stage: 'closed' };
  return date < spans[0]!.start ? { stage: 'upcoming', next } : { stage: 'between', next };
}

/**
 * The appraisal a visitor most likely means on this day: the latest one
 * whose notice is out; failing that, the next one to start.
 */
export function currentAppraisal<T extends { year: number; phases: Phases }>(list: T[], date: IsoDate): T | undefined {
  const byYear = [...list].sort((a, b) => b.year - a.year);
  return (
    byYear.find((a) => a.phases.notice.start <= date) ??
    [...byYear].sort((a, b) => a.phases.notice.start.localeCompare(b.phases.notice.start))[0]
  );
}
