// Reading the counters: tallies, turnout, live codes issued, staff overrides.
import { asc, eq, sql } from 'drizzle-orm';
import type { OverrideState } from '../../domain/schemas/instrument';
import type { TallyCount } from '../../domain/schemas/participation';
import type { Database } from '../env';
import { issuedCodesByScope } from './codes';
import { meetingsOf, paperCountsOf, paperOf, paperTurnoutOf } from './paper';
import { instrumentStates, tallies, turnout } from './schema';

const countsOf = (db: Database, instrument: string) =>
  db
    .select({
      question: tallies.question,
      option: tallies.option,
      raterCategory: tallies.raterCategory,
      count: tallies.count,
    })
    .from(tallies)
    .where(eq(tallies.instrument, instrument))
    .orderBy(asc(tallies.question), asc(tallies.option), asc(tallies.raterCategory));

const turnoutOf = (db: Database, instrument: string) =>
  db
    .select({ raterCategory: turnout.raterCategory, responses: turnout.responses })
    .from(turnout)
    .where(eq(turnout.instrument, instrument))
    .orderBy(asc(turnout.raterCategory));

// The counters hold only the categories the tally schema knows (the intake triggers write them).
type Counts = TallyCount[];
type Turnout = { raterCategory: TallyCount['raterCategory']; responses: number }[];

/** An instrument's counts and turnout. */
export async function readTally(db: Database, instrument: string) {
  const [counts, responses] = await db.batch([countsOf(db, instrument), turnoutOf(db, instrument)]);
  return { counts: counts as Counts, turnout: responses as Turnout };
}

/**
 * The same, with the codes that may answer (turnout's and each subject's
 * denominator) and the paper source (counters, ballots per category,
 * meetings), in one round trip.
 */
export async function readPublishedTally(db: Database, instrument: string, appraisal: string) {
  const [counts, responses, issued, paperCounts, paperTurnout, ms] = await db.batch([
    countsOf(db, instrument),
    turnoutOf(db, instrument),
    issuedCodesByScope(db, appraisal),
    paperCountsOf(db, [instrument]),
    paperTurnoutOf(db, [instrument]),
    meetingsOf(db, [instrument]),
  ]);
  const paper = paperOf(
    { counts: paperCounts as (TallyCount & { instrument: string })[], turnout: paperTurnout, meetings: ms },
    instrument,
  );
  return { counts: counts as Counts, turnout: responses as Turnout, issued, paper };
}

/**
 * Responses per category, and the appraisal's live codes per category and
 * scope (turnout's denominator: `codesIssued` in src/domain/tally.ts tells
 * which of them may answer this instrument, and about which subjects).
 */
export async function readTurnout(db: Database, instrument: string, appraisal: string) {
  const [responses, issued] = await db.batch([
    db
      .select({ raterCategory: turnout.raterCategory, n: turnout.responses })
      .from(turnout)
      .where(eq(turnout.instrument, instrument)),
    issuedCodesByScope(db, appraisal),
  ]);
  return { responses: new Map(responses.map((r) => [r.raterCategory, r.n])), issued };
}

/** Every staff override (closed early, paused), to read in a batch. */
export const allOverrides = (db: Database) =>
  db.select({ instrument: instrumentStates.instrument, state: instrumentStates.state }).from(instrumentStates);

export const overrideMap = (rows: { instrument: string; state: (typeof instrumentStates.$inferSelect)['state'] }[]) =>
  new Map(rows.map((r) => [r.instrument, r.state]));

/** Staff overrides, keyed by instrument. */
export async function readOverrides(db: Database) {
  return overrideMap(await allOverrides(db));
}

/** Staff's override of an instrument's window (paused, closed), or null. */
export const overrideOf = (db: Database, instrument: string) =>
  sql<OverrideState | null>`${db.select({ state: instrumentStates.state }).from(instrumentStates).where(eq(instrumentStates.instrument, instrument))}`;
