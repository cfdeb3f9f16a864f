// Code checks. Verification is one batch: count the request, count a failure
// if the code is unknown, read the failure counter, look the code up and list
// what it has answered.
import type { Bucket } from '../guards/rate-limit';
import { bumpStatement, failIfUnknownStatement, hitsStatement } from '../guards/rate-limit';

export interface CodeRow {
  appraisal: string;
  raterCategory: string;
  revokedOn: string | null;
}

export async function lookUpCode(db: D1Database, hash: string, requests: Bucket, failures: Bucket) {
  const [bump, , fails, code, done] = await db.batch<Record<string, unknown>>([
    bumpStatement(db, requests),
    failIfUnknownStatement(db, failures, hash),
    hitsStatement(db, failures),
    db
      .prepare('SELECT appraisal, rater_category AS raterCategory, revoked_on AS revokedOn FROM codes WHERE hash = ?1')
      .bind(hash),
    db.prepare('SELECT instrument FROM redemptions WHERE code_hash = ?1').bind(hash),
  ]);
  return {
    requests: Number(bump?.results[0]?.hits ?? 0),
    failures: Number(fails?.results[0]?.hits ?? 0),
    code: (code?.results[0] as CodeRow | undefined) ?? null,
    answered: new Set((done?.results ?? []).map((r) => String(r.instrument))),
  };
}

/**
 * A wrong code counts against the client's failure limit (the error path may
 * take a second round trip). Returns whether the client is now over it.
 */
export async function countFailure(db: D1Database, failures: Bucket): Promise<boolean> {
  const row = await bumpStatement(db, failures).first<{ hits: number }>();
  return (row?.hits ?? 0) > failures.limit.max;
}
