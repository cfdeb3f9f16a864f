// Feed reads: one batch records the request's nonce only if the key is active
// and the nonce is new (its RETURNING says whether it was), and reads every
// counter of the appraisal's instruments.
import { and, eq, exists, isNull, lt, sql } from 'drizzle-orm';
import type { TallyCount } from '../../domain/schemas/participation';
import type { ScopedCount } from '../../domain/tally';
import type { Database } from '../env';
import { issuedCodesByScope } from './codes';
import { meetingsOf, paperCountsOf, paperOf, paperTurnoutOf } from './paper';
import { feedKeys, feedNonces, tallies, turnout } from './schema';
import { inList, oneRow, rowOf } from './sql';
import { allOverrides, overrideMap } from './tallies';

export type FeedRead =
  | { ok: false; reason: 'replay' | 'unknown_key' }
  | {
      ok: true;
      counts: (TallyCount & { instrument: string })[];
      turnout: { instrument: string; raterCategory: string; responses: number }[];
      issued: ScopedCount[];
      overrides: ReturnType<typeof overrideMap>;
      /** The paper source of one instrument (see src/server/db/paper.ts). */
      paper: (instrument: string) => ReturnType<typeof paperOf>;
    };

export async function readFeed(
  db: Database,
  a: { keyId: string; nonce: string; expires: number; appraisal: string; instruments: string[] },
): Promise<FeedRead> {
  const activeKey = db
    .select({ one: sql`1` })
    .from(feedKeys)
    .where(and(eq(feedKeys.id, a.keyId), isNull(feedKeys.revokedOn)));
  const [recorded, [key], counts, responses, issued, overrides, paperCounts, paperTurnout, ms] = await db.batch([
    // A nonce already seen (the primary key) is a replay: nothing is recorded.
    db
      .insert(feedNonces)
      .select(
        db
          .select(rowOf(feedNonces, { keyId: a.keyId, nonce: a.nonce, expires: a.expires }))
          .from(oneRow())
          .where(exists(activeKey)),
      )
      .onConflictDoNothing()
      .returning({ nonce: feedNonces.nonce }),
    db.select({ active: sql<number>`${exists(activeKey)}`.as('active') }).from(oneRow()),
    db
      .select({
        instrument: tallies.instrument,
        question: tallies.question,
        option: tallies.option,
        raterCategory: tallies.raterCategory,
        count: tallies.count,
      })
      .from(tallies)
      .where(inList(tallies.instrument, a.instruments)),
    db
      .select({ instrument: turnout.instrument, raterCategory: turnout.raterCategory, responses: turnout.responses })
      .from(turnout)
      .where(inList(turnout.instrument, a.instruments)),
    issuedCodesByScope(db, a.appraisal),
    allOverrides(db),
    paperCountsOf(db, a.instruments),
    paperTurnoutOf(db, a.instruments),
    meetingsOf(db, a.instruments),
  ]);
  if (recorded.length !== 1) return { ok: false, reason: key?.active ? 'replay' : 'unknown_key' };
  return {
    ok: true,
    counts: counts as (TallyCount & { instrument: string })[],
    turnout: responses,
    issued,
    overrides: overrideMap(overrides),
    paper: (instrument) =>
      paperOf(
        { counts: paperCounts as (TallyCount & { instrument: string })[], turnout: paperTurnout, meetings: ms },
        instrument,
      ),
  };
}

/** Nonces past their window, dropped off the request path. */
export function pruneNonces(db: Database, nowSeconds: number) {
  return db.delete(feedNonces).where(lt(feedNonces.expires, nowSeconds)).run();
}
