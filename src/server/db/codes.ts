// Codes: what makes a code live (the one definition every check uses),
// checking a code without using it (code verify, posting in the forum), and
// counting the failures of those checks. Verification is one batch: count the
// request, count a failure if the code is not live, read the failure counter,
// look the code up and list what it has answered.
import { and, count, eq, isNull, notExists, sql } from 'drizzle-orm';
import type { Database } from '../env';
import type { Bucket } from '../guards/rate-limit';
import { bump, countIf, readHits } from './rate-limits';
import { codes, redemptions } from './schema';

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
  countIf(db, b, notExists(db.select({ one: sql`1` }).from(codes).where(liveCode(codeHash, appraisal))));

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

/** The failure counters of a code check: the client's, and the code prefix's (from any address). */
export interface FailureBuckets {
  client: Bucket;
  prefix: Bucket;
}

/** Count a failed check in both counters if the code is not live; then read both (the batch's tail). */
const countFailures = (db: Database, f: FailureBuckets, hash: string, appraisal?: string) =>
  [
    countIfUnknown(db, f.client, hash, appraisal),
    countIfUnknown(db, f.prefix, hash, appraisal),
    readHits(db, f.client),
    readHits(db, f.prefix),
  ] as const;

/** Which failure counter, if any, is over its limit: `counted` says whether this check was a failure. */
export function overFailures(f: FailureBuckets, hits: { client: number; prefix: number }, counted: boolean) {
  const over = (b: Bucket, n: number) => (counted ? n > b.limit.max : n >= b.limit.max);
  if (over(f.prefix, hits.prefix)) return f.prefix;
  if (over(f.client, hits.client)) return f.client;
  return null;
}

/** A code's appraisal and category if it is live, and the instruments it has taken a token for. */
export async function lookUpCode(db: Database, hash: string, requests: Bucket, failures: FailureBuckets) {
  const [counted, , , [client], [prefix], [code], done] = await db.batch([
    bump(db, requests),
    ...countFailures(db, failures, hash),
    db
      .select({ appraisal: codes.appraisal, raterCategory: codes.raterCategory, scope: codes.scope })
      .from(codes)
      .where(liveCode(hash)),
    db.select({ instrument: redemptions.instrument }).from(redemptions).where(eq(redemptions.codeHash, hash)),
  ]);
  return {
    requests: counted[0]?.hits ?? 0,
    failures: { client: client?.hits ?? 0, prefix: prefix?.hits ?? 0 },
    code: code ?? null,
    answered: new Set(done.map((r) => r.instrument)),
  };
}

/**
 * A malformed code (it never reaches the lookup) counts against the client's
 * failure limit. Returns whether the client is now over it.
 */
export async function countFailure(db: Database, failures: Bucket): Promise<boolean> {
  const row = await bump(db, failures).get();
  return (row?.hits ?? 0) > failures.limit.max;
}

/**
 * Check a code for posting (a read only: never redeemed). The failure is
 * counted in the statement that looks the code up (countIfUnknown), so a
 * burst of guesses sent at once is cut off by the database's own ordering of
 * the counter, not by a read that every request of the burst passes, and a
 * right code writes no counter row at all.
 */
export async function checkPostingCode(db: Database, hash: string, appraisal: string, failures: FailureBuckets) {
  const [, , [client], [prefix], code] = await db.batch([
    ...countFailures(db, failures, hash, appraisal),
    db.select({ one: sql`1` }).from(codes).where(liveCode(hash, appraisal)),
  ]);
  return { failures: { client: client?.hits ?? 0, prefix: prefix?.hits ?? 0 }, valid: code.length > 0 };
}
