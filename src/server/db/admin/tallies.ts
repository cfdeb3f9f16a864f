// What the tools read of the counters (see batch.ts for why admin/): the
// recount of `npm run tally:verify`, the final figures of `npm run
// results:snapshot`, the demo seed's turnout check, and what the benches and
// crash runs compare with the requests they had acknowledged.
import { and, asc, count, eq, inArray, ne, sql, sum } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { TallyCount } from '../../../domain/schemas/participation';
import type { Database } from '../../env';
import { issuedCodesByScope } from '../codes';
import { meetingsOf, paperCountsOf, paperTurnoutOf } from '../paper';
import {
  codes,
  meetings,
  paperBallots,
  paperTallies,
  redemptions,
  responses,
  spentTokens,
  tallies,
  tokenKeys,
  turnout,
} from '../schema';

/** `column = instrument`, or no condition at all when every instrument is wanted. */
const onlyOf = (column: SQLiteColumn, instrument?: string) =>
  instrument === undefined ? undefined : eq(column, instrument);

/** Every stored response, counter, spent token, key and redemption count, of one instrument or all of them. */
export async function readForRecount(db: Database, instrument?: string) {
  const of = (column: SQLiteColumn) => onlyOf(column, instrument);
  const [stored, counts, turnouts, spent, keys, issued, ballots, paperCounts, meetingRows] = await db.batch([
    db
      .select({ instrument: responses.instrument, raterCategory: responses.raterCategory, answers: responses.answers })
      .from(responses)
      .where(of(responses.instrument)),
    db.select().from(tallies).where(of(tallies.instrument)),
    db.select().from(turnout).where(of(turnout.instrument)),
    db
      .select({
        instrument: spentTokens.instrument,
        raterCategory: spentTokens.raterCategory,
        scope: spentTokens.scope,
        msg: spentTokens.msg,
        sig: spentTokens.sig,
      })
      .from(spentTokens)
      .where(of(spentTokens.instrument)),
    db
      .select({
        instrument: tokenKeys.instrument,
        raterCategory: tokenKeys.raterCategory,
        scope: tokenKeys.scope,
        spki: tokenKeys.spki,
      })
      .from(tokenKeys)
      .where(of(tokenKeys.instrument)),
    db
      .select({ instrument: redemptions.instrument, raterCategory: codes.raterCategory, n: count() })
      .from(redemptions)
      .innerJoin(codes, eq(codes.hash, redemptions.codeHash))
      .where(of(redemptions.instrument))
      .groupBy(redemptions.instrument, codes.raterCategory),
    // The paper source (issue 19): every counted ballot, the paper counters and every meeting.
    db.select().from(paperBallots).where(of(paperBallots.instrument)),
    db.select().from(paperTallies).where(of(paperTallies.instrument)),
    db.select().from(meetings),
  ]);
  return {
    responses: stored,
    tallies: counts,
    turnout: turnouts,
    spent,
    keys,
    issued,
    paperBallots: ballots,
    paperTallies: paperCounts,
    meetings: meetingRows,
  };
}

/** The figures of a results snapshot: counters and turnout of the instruments, live codes of the appraisal, receipts. */
export async function readFinalFigures(db: Database, appraisal: string, instruments: string[]) {
  const [counts, turnouts, issued, receipts, paperCounts, paperTurnout, ms] = await db.batch([
    db.select().from(tallies).where(inArray(tallies.instrument, instruments)),
    db.select().from(turnout).where(inArray(turnout.instrument, instruments)),
    issuedCodesByScope(db, appraisal),
    db
      .select({ instrument: responses.instrument, receipt: responses.receipt })
      .from(responses)
      .where(inArray(responses.instrument, instruments))
      .orderBy(asc(responses.receipt)),
    paperCountsOf(db, instruments),
    paperTurnoutOf(db, instruments),
    meetingsOf(db, instruments),
  ]);
  return {
    counts,
    turnout: turnouts,
    issued,
    receipts,
    paper: { counts: paperCounts as (TallyCount & { instrument: string })[], turnout: paperTurnout, meetings: ms },
  };
}

/** Responses counted for an instrument and rater category (0 if none). */
export async function turnoutOf(db: Database, instrument: string, raterCategory: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`coalesce(${sum(turnout.responses)}, 0)`.mapWith(Number) })
    .from(turnout)
    .where(and(eq(turnout.instrument, instrument), eq(turnout.raterCategory, raterCategory)));
  return row?.n ?? 0;
}

/** What a load left in the database, of one instrument or all: receipts, redemptions, spent tokens, turnout. */
export async function readStored(db: Database, instrument?: string) {
  const of = (column: SQLiteColumn) => onlyOf(column, instrument);
  const [receipts, [totals]] = await db.batch([
    db.select({ receipt: responses.receipt }).from(responses).where(of(responses.instrument)),
    db
      .select({
        redemptions: sql<number>`(${db.select({ n: count() }).from(redemptions).where(of(redemptions.instrument))})`,
        spent: sql<number>`(${db.select({ n: count() }).from(spentTokens).where(of(spentTokens.instrument))})`,
        turnout: sql<number>`(${db
          .select({ n: sql`coalesce(${sum(turnout.responses)}, 0)` })
          .from(turnout)
          .where(of(turnout.instrument))})`,
        coded: sql<number>`(${db
          .select({ n: count() })
          .from(responses)
          .where(and(of(responses.instrument), ne(responses.raterCategory, 'public')))})`,
      })
      .from(sql`(SELECT 1)`),
  ]);
  return {
    receipts: new Set(receipts.map((r) => r.receipt)),
    redemptions: Number(totals?.redemptions ?? -1),
    spent: Number(totals?.spent ?? -1),
    turnout: Number(totals?.turnout ?? -1),
    coded: Number(totals?.coded ?? -1),
  };
}
