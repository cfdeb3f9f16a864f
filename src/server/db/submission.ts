// The submission: the two ways an answer is written, each ONE D1 batch of one
// INSERT into a view (migrations 0010, 0011) whose trigger does every guarded
// step, and one read that says what happened: the database's answer is the
// outcome, no follow-up query, no error text to match.
// - spendToken: a code instrument's answer, carried by a blind-signed token.
//   Records the token as spent (its hash is the primary key: a token spends
//   once), stores the response, bumps the tallies; touches nothing the token's
//   issuance wrote (db/tokens.ts), so no commit links an answer to a code.
// - submitPublic: a public instrument's answer (no code, no token), counted
//   against the client's rate limit in the same statement.
import { eq, exists, sql } from 'drizzle-orm';
import type { OverrideState } from '../../domain/schemas/instrument';
import type { Database } from '../env';
import type { Bucket } from '../guards/rate-limit';
import { publicIntake, spendIntake } from './intake';
import { bump, underLimit } from './rate-limits';
import { responses, spentTokens } from './schema';
import { oneRow, rowOf } from './sql';
import { overrideOf } from './tallies';

export type SpendInput = Omit<typeof spendIntake.$inferInsert, 'pairs'> & {
  /** The tally bumps: [question, option] of every answer counted. */
  pairs: [string, string][];
};

export type SpendOutcome = { kind: 'stored' | 'spent' } | { kind: 'override'; state: OverrideState };

/**
 * Spend a token: one statement into `spend_intake` (its trigger records the
 * token, stores the response, bumps the tallies, each step guarded) and one
 * read of what happened, in one batch.
 */
export async function spendToken(db: Database, x: SpendInput): Promise<SpendOutcome> {
  const { tokenHash, pairs, ...rest } = x;
  const [, [read]] = await db.batch([
    db.insert(spendIntake).values({ ...rest, tokenHash, pairs: JSON.stringify(pairs) }),
    db
      .select({
        stored: sql<number>`${exists(db.select({ one: sql`1` }).from(responses).where(eq(responses.id, x.responseId)))}`,
        spent: sql<number>`${exists(db.select({ one: sql`1` }).from(spentTokens).where(eq(spentTokens.hash, tokenHash)))}`,
        override: overrideOf(db, x.instrument),
      })
      .from(oneRow()),
  ]);
  if (read?.stored) return { kind: 'stored' };
  if (read?.override) return { kind: 'override', state: read.override };
  if (read?.spent) return { kind: 'spent' };
  throw new Error('token spend: neither stored nor refused');
}

export type PublicInput = Pick<
  typeof publicIntake.$inferInsert,
  'instrument' | 'responseId' | 'recordedOn' | 'answers' | 'receipt'
> & {
  /** The tally bumps: [question, option] of every answer counted. */
  pairs: [string, string][];
  /** The client's requests a minute (the view's trigger counts it). */
  bucket: Bucket;
  /** The client's answers to this instrument today: counted first, every request, and the insert's guard. */
  daily: Bucket;
};

export type PublicOutcome =
  | { kind: 'stored' }
  | { kind: 'rate_limited'; over: Bucket }
  | { kind: 'override'; state: OverrideState };

/**
 * A public answer: count it against the client's daily cap for the instrument,
 * then one INSERT into `public_intake`, only while under that cap (its trigger
 * counts the minute's requests and stores the answer under that limit), and
 * one read of what happened, in one batch.
 */
export async function submitPublic(db: Database, x: PublicInput): Promise<PublicOutcome> {
  const { bucket: b, daily, pairs, ...rest } = x;
  const [today, , [read]] = await db.batch([
    bump(db, daily),
    db.insert(publicIntake).select(
      db
        .select(
          rowOf(publicIntake, {
            ...rest,
            pairs: JSON.stringify(pairs),
            requestKey: b.key,
            requestWindow: b.window,
            requestMax: b.limit.max,
            requestExpires: b.expires,
          }),
        )
        .from(oneRow())
        .where(underLimit(db, daily)),
    ),
    db
      .select({
        stored: sql<number>`${exists(db.select({ one: sql`1` }).from(responses).where(eq(responses.id, x.responseId)))}`,
        override: overrideOf(db, x.instrument),
      })
      .from(oneRow()),
  ]);
  if (read?.stored) return { kind: 'stored' };
  if (read?.override) return { kind: 'override', state: read.override };
  return { kind: 'rate_limited', over: (today[0]?.hits ?? 0) > daily.limit.max ? daily : b };
}
