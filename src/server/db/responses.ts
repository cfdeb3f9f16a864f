// Public responses (no code, no token) and receipts. A public response is ONE
// D1 batch: an INSERT into the `public_intake` view, whose trigger (migration
// 0010) counts the request, stores the response if the instrument is not
// closed early and the client is under its limit, and bumps the tallies; and
// one read of what happened. Responses with a token: db/tokens.ts.
import { asc, eq, exists, sql } from 'drizzle-orm';
import type { OverrideState } from '../../domain/schemas/instrument';
import type { Database } from '../env';
import type { Bucket } from '../guards/rate-limit';
import { publicIntake } from './intake';
import { responses } from './schema';
import { oneRow } from './sql';
import { overrideOf } from './tokens';

export type PublicInput = Pick<
  typeof publicIntake.$inferInsert,
  'instrument' | 'responseId' | 'recordedOn' | 'answers' | 'receipt'
> & {
  /** The tally bumps: [question, option] of every answer counted. */
  pairs: [string, string][];
  bucket: Bucket;
};

export type PublicOutcome = { kind: 'stored' | 'rate_limited' } | { kind: 'override'; state: OverrideState };

export async function submitPublic(db: Database, x: PublicInput): Promise<PublicOutcome> {
  const { bucket: b, pairs, ...rest } = x;
  const [, [read]] = await db.batch([
    db.insert(publicIntake).values({
      ...rest,
      pairs: JSON.stringify(pairs),
      requestKey: b.key,
      requestWindow: b.window,
      requestMax: b.limit.max,
      requestExpires: b.expires,
    }),
    db
      .select({
        stored: sql<number>`${exists(db.select({ one: sql`1` }).from(responses).where(eq(responses.id, x.responseId)))}`,
        override: overrideOf(db, x.instrument),
      })
      .from(oneRow()),
  ]);
  if (read?.stored) return { kind: 'stored' };
  if (read?.override) return { kind: 'override', state: read.override };
  return { kind: 'rate_limited' };
}

/** The receipt's instrument and day, if such a response is stored. */
export async function findReceipt(db: Database, receipt: string) {
  const [row] = await db
    .select({ instrument: responses.instrument, recordedOn: responses.recordedOn })
    .from(responses)
    .where(eq(responses.receipt, receipt));
  return row ?? null;
}

/** All receipts of an instrument, sorted (so the order says nothing about submission order). */
export async function listReceipts(db: Database, instrument: string): Promise<string[]> {
  const rows = await db
    .select({ receipt: responses.receipt })
    .from(responses)
    .where(eq(responses.instrument, instrument))
    .orderBy(asc(responses.receipt));
  return rows.map((r) => r.receipt);
}
