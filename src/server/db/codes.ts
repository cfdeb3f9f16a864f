// Codes: what makes a code live (the one definition every check uses),
// checking a code without using it (code verify, posting in the forum), and
// counting the failures of those checks. Verification is one batch: count the
// request, count a failure if the code is not live, read the failure counter,
// look the code up and list what it has answered.
import { and, count, eq, isNull, notExists, sql } from 'drizzle-orm';
import type { Database } from '../env';
import type { Bucket } from '../guards/rate-limit';
import { bump, onHit, readHits, unbump } from './rate-limits';
import { codes, rateLimits, redemptions } from './schema';
import { oneRow, rowOf } from './sql';

/** Codes that may take part: not revoked, and of this appraisal when one is given. */
export const liveCodes = (appraisal?: string) =>
  and(isNull(codes.revokedOn), appraisal === undefined ? undefined : eq(codes.appraisal, appraisal));

/** This code, if it may take part: known, not revoked, of this appraisal when one is given. */
export const liveCode = (codeHash: string, appraisal?: string) => and(eq(codes.hash, codeHash), liveCodes(appraisal));

/**
 * Count a failed code check, only if the code is not live; RETURNING the
 * failures. The check and the count are one step, so a burst of guesses
 * cannot all be checked before any counts.
 */
export const countIfUnknown = (db: Database, b: Bucket, codeHash: string, appraisal?: string) =>
  db
    .insert(rateLimits)
    .select(
      db
        .select(rowOf(rateLimits, { key: b.key, window: b.window, hits: 1, expires: b.expires }))
        .from(oneRow())
        .where(notExists(db.select({ one: sql`1` }).from(codes).where(liveCode(codeHash, appraisal)))),
    )
    .onConflictDoUpdate(onHit)
    .returning({ hits: rateLimits.hits });

/** Live codes of an appraisal per rater category (turnout's denominator). */
export const issuedCodes = (db: Database, appraisal: string) =>
  db
    .select({ raterCategory: codes.raterCategory, n: count() })
    .from(codes)
    .where(liveCodes(appraisal))
    .groupBy(codes.raterCategory);

/**
 * Live codes of an appraisal per rater category and scope: a targeted batch
 * (定点定向) counts for its own subjects only (see `issuedPerSubject`).
 */
export const issuedCodesByScope = (db: Database, appraisal: string) =>
  db
    .select({ raterCategory: codes.raterCategory, scope: codes.scope, n: count() })
    .from(codes)
    .where(liveCodes(appraisal))
    .groupBy(codes.raterCategory, codes.scope);

/** A code's appraisal and category if it is live, and the instruments it has taken a token for. */
export async function lookUpCode(db: Database, hash: string, requests: Bucket, failures: Bucket) {
  const [counted, , failed, [code], done] = await db.batch([
    bump(db, requests),
    countIfUnknown(db, failures, hash),
    readHits(db, failures),
    db
      .select({ appraisal: codes.appraisal, raterCategory: codes.raterCategory, scope: codes.scope })
      .from(codes)
      .where(liveCode(hash)),
    db.select({ instrument: redemptions.instrument }).from(redemptions).where(eq(redemptions.codeHash, hash)),
  ]);
  return {
    requests: counted[0]?.hits ?? 0,
    failures: failed[0]?.hits ?? 0,
    code: code ?? null,
    answered: new Set(done.map((r) => r.instrument)),
  };
}

/**
 * A wrong code counts against the client's failure limit (the error path may
 * take a second round trip). Returns whether the client is now over it.
 */
export async function countFailure(db: Database, failures: Bucket): Promise<boolean> {
  const row = await bump(db, failures).get();
  return (row?.hits ?? 0) > failures.limit.max;
}

/**
 * Check a code for posting (a read only: never redeemed). The check counts as
 * a failure in the same batch as the lookup, so a burst of guesses sent at
 * once is cut off by the database's own ordering of the counter, not by a
 * read that every request of the burst passes; a right code is refunded
 * (refundFailure). Returns the failures counted so far in this window.
 */
export async function checkPostingCode(db: Database, hash: string, appraisal: string, failures: Bucket) {
  const [fails, code] = await db.batch([
    bump(db, failures),
    db.select({ one: sql`1` }).from(codes).where(liveCode(hash, appraisal)),
  ]);
  return { failures: fails[0]?.hits ?? 0, valid: code.length > 0 };
}

/** Take back the failure a right code was counted as. */
export async function refundFailure(db: Database, failures: Bucket) {
  await unbump(db, failures);
}
