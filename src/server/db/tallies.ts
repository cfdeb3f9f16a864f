// Reading the counters: tallies, turnout, codes issued, staff overrides.
import type { TallyCount } from '../../domain/schemas/participation';

export async function readTally(db: D1Database, instrument: string) {
  const [counts, turnout] = await db.batch<Record<string, unknown>>([
    db
      .prepare(
        'SELECT question, option, rater_category AS raterCategory, count FROM tallies WHERE instrument = ?1 ORDER BY question, option, rater_category',
      )
      .bind(instrument),
    db
      .prepare(
        'SELECT rater_category AS raterCategory, responses FROM turnout WHERE instrument = ?1 ORDER BY rater_category',
      )
      .bind(instrument),
  ]);
  return {
    counts: (counts?.results ?? []) as unknown as TallyCount[],
    turnout: (turnout?.results ?? []) as { raterCategory: TallyCount['raterCategory']; responses: number }[],
  };
}

export async function readTurnout(db: D1Database, instrument: string, appraisal: string) {
  const [turnout, issued] = await db.batch<{ raterCategory: string; n: number }>([
    db
      .prepare('SELECT rater_category AS raterCategory, responses AS n FROM turnout WHERE instrument = ?1')
      .bind(instrument),
    db
      .prepare(
        'SELECT rater_category AS raterCategory, count(*) AS n FROM codes WHERE appraisal = ?1 AND revoked_on IS NULL GROUP BY rater_category',
      )
      .bind(appraisal),
  ]);
  const toMap = (rows: { raterCategory: string; n: number }[] = []) => new Map(rows.map((r) => [r.raterCategory, r.n]));
  return { responses: toMap(turnout?.results), issued: toMap(issued?.results) };
}

/** Staff overrides (closed early, paused), keyed by instrument. */
export async function readOverrides(db: D1Database): Promise<Map<string, 'closed' | 'paused'>> {
  const { results } = await db
    .prepare('SELECT instrument, state FROM instrument_states')
    .all<{ instrument: string; state: 'closed' | 'paused' }>();
  return new Map(results.map((r) => [r.instrument, r.state]));
}
