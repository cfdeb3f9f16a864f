// Reading the paper source of the tallies (issue 19): the paper counters, the
// paper ballots per category (paper turnout) and the meetings with their
// counted ballots. Statements only, so each caller puts them in its own batch
// (one round trip). The console that writes these tables is not here.
import { asc, count, sql } from 'drizzle-orm';
import type { MeetingFigures } from '../../domain/schemas/feed';
import type { TallyCount } from '../../domain/schemas/participation';
import type { SourceFigures } from '../../domain/sources';
import type { Database } from '../env';
import { meetings, paperBallots, paperTallies } from './schema';
import { inList } from './sql';

export const paperCountsOf = (db: Database, instruments: string[]) =>
  db
    .select({
      instrument: paperTallies.instrument,
      question: paperTallies.question,
      option: paperTallies.option,
      raterCategory: paperTallies.raterCategory,
      count: paperTallies.count,
    })
    .from(paperTallies)
    .where(inList(paperTallies.instrument, instruments))
    .orderBy(asc(paperTallies.question), asc(paperTallies.option), asc(paperTallies.raterCategory));

/** Counted paper ballots per instrument and category. */
export const paperTurnoutOf = (db: Database, instruments: string[]) =>
  db
    .select({ instrument: paperBallots.instrument, raterCategory: paperBallots.raterCategory, responses: count() })
    .from(paperBallots)
    .where(inList(paperBallots.instrument, instruments))
    .groupBy(paperBallots.instrument, paperBallots.raterCategory)
    .orderBy(asc(paperBallots.raterCategory));

/** The instruments' meetings with the ballots counted for each. */
export const meetingsOf = (db: Database, instruments: string[]) =>
  db
    .select({
      instrument: meetings.instrument,
      id: meetings.id,
      heldOn: meetings.heldOn,
      place: meetings.place,
      categories: meetings.categories,
      issued: meetings.issued,
      returned: meetings.returned,
      spoilt: meetings.spoilt,
      counted:
        sql<number>`(SELECT count(*) FROM ${paperBallots} WHERE ${paperBallots.meeting} = ${meetings.id})`.mapWith(
          Number,
        ),
    })
    .from(meetings)
    .where(inList(meetings.instrument, instruments))
    .orderBy(asc(meetings.heldOn), asc(meetings.id));

type PaperRows = {
  counts: (TallyCount & { instrument: string })[];
  turnout: { instrument: string; raterCategory: string; responses: number }[];
  meetings: Awaited<ReturnType<typeof meetingsOf>>;
};

/** One instrument's paper figures out of the rows of the three statements above. */
export function paperOf(rows: PaperRows, instrument: string): SourceFigures & { meetings: MeetingFigures[] } {
  return {
    counts: rows.counts
      .filter((c) => c.instrument === instrument)
      .map(({ question, option, raterCategory, count }) => ({ question, option, raterCategory, count })),
    turnout: rows.turnout
      .filter((t) => t.instrument === instrument)
      .map(({ raterCategory, responses }) => ({ raterCategory, responses: Number(responses) })),
    meetings: rows.meetings
      .filter((m) => m.instrument === instrument)
      .map(({ instrument: _i, categories, ...m }) => ({ ...m, categories: JSON.parse(categories) as string[] })),
  } as SourceFigures & { meetings: MeetingFigures[] };
}

/** One instrument's paper figures in one round trip (tests and tools). */
export async function readPaper(db: Database, instrument: string) {
  const [counts, turnout, ms] = await db.batch([
    paperCountsOf(db, [instrument]),
    paperTurnoutOf(db, [instrument]),
    meetingsOf(db, [instrument]),
  ]);
  return paperOf({ counts: counts as PaperRows['counts'], turnout, meetings: ms }, instrument);
}
