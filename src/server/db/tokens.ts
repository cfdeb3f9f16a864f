// Tokens in the database: issuing (redeem a code for an instrument, in one
// batch), the keys, and the public list of spent tokens. Spending a token is
// the submission (db/submission.ts); the two writes share no row: issuing
// touches `redemptions` and `rate_limits`, spending `spent_tokens`,
// `responses`, `tallies` and `turnout`.
import { and, asc, count, eq, exists, inArray, ne, notExists, sql } from 'drizzle-orm';
import type { OverrideState } from '../../domain/schemas/instrument';
import type { Database } from '../env';
import type { Bucket } from '../guards/rate-limit';
import { countIfUnknown, type FailureBuckets, liveCode, overFailures } from './codes';
import { bump, countIf, hitsSoFar, underLimit } from './rate-limits';
import { codes, instrumentStates, redemptions, spentTokens, tokenKeys } from './schema';
import { overrideOf } from './tallies';

export interface IssueInput {
  instrument: string;
  appraisal: string;
  categories: string[];
  /** The instrument's subject ids: a targeted code may take a token only if its scope has one of them (or there are none). */
  subjects: string[];
  codeHash: string;
  /** SHA-256 of the blinded message, hex. */
  blindedHash: string;
  /** The blinded message as 512 lower-case hex digits: compared with the key's modulus as text. */
  blindedHex: string;
  requests: Bucket;
  failures: FailureBuckets;
  /** Requests refused because the code already took another token for the instrument. */
  duplicates: Bucket;
}

export type IssuedKey = Pick<typeof tokenKeys.$inferSelect, 'raterCategory' | 'scope' | 'spki' | 'modulus' | 'sealed'>;

export type IssueOutcome =
  /** `first`: this request redeemed the code; otherwise the same blinded message was redeemed before. */
  | { kind: 'sign'; first: boolean; key: IssuedKey }
  | { kind: 'rate_limited' | 'category' | 'not_covered' | 'no_key' | 'bad_blinded' }
  | { kind: 'already_issued'; overLimit: boolean }
  | { kind: 'too_many_failures'; over: Bucket }
  | { kind: 'wrong_code'; over: Bucket | null }
  | { kind: 'override'; state: OverrideState };

/**
 * Redeem a code for an instrument, in one batch: count the request, count a
 * failure if the code is unknown, redeem only if every guard holds (a live
 * code of an allowed category, a key for it, the blinded message below the
 * key's modulus, the instrument not paused or closed by staff, the client
 * under both limits), then read why not, if not. A code redeems once per
 * instrument: a second redemption does nothing (the primary key).
 */
export async function redeemForToken(db: Database, x: IssueInput): Promise<IssueOutcome> {
  const overridden = db
    .select({ one: sql`1` })
    .from(instrumentStates)
    .where(eq(instrumentStates.instrument, x.instrument));
  const keyJoin = and(
    eq(tokenKeys.instrument, x.instrument),
    eq(tokenKeys.raterCategory, codes.raterCategory),
    eq(tokenKeys.scope, codes.scope),
  );
  const subjects = JSON.stringify(x.subjects);
  // 定点定向: a targeted code's scope must name one of the instrument's subjects (an instrument without any takes all).
  const covered = sql`(${codes.scope} = '*' OR ${subjects} = '[]' OR EXISTS (SELECT 1 FROM json_each(${subjects}) WHERE instr(',' || ${codes.scope} || ',', ',' || value || ',') > 0))`;
  const issuedElsewhere = db
    .select({ one: sql`1` })
    .from(redemptions)
    .where(
      and(
        eq(redemptions.codeHash, x.codeHash),
        eq(redemptions.instrument, x.instrument),
        ne(redemptions.blindedHash, x.blindedHash),
      ),
    );
  const [requests, duplicate, failed, failedPrefix, redeemed, read] = await db.batch([
    bump(db, x.requests),
    // A refused duplicate counts too: before this redemption, so the request that redeems is never one.
    countIf(db, x.duplicates, exists(issuedElsewhere)),
    countIfUnknown(db, x.failures.client, x.codeHash, x.appraisal),
    countIfUnknown(db, x.failures.prefix, x.codeHash, x.appraisal),
    db
      .insert(redemptions)
      .select(
        db
          .select({
            codeHash: codes.hash,
            instrument: sql`${x.instrument}`.as('instrument'),
            blindedHash: sql`${x.blindedHash}`.as('blinded_hash'),
          })
          .from(codes)
          .innerJoin(tokenKeys, keyJoin)
          .where(
            and(
              liveCode(x.codeHash, x.appraisal),
              inArray(codes.raterCategory, x.categories),
              covered,
              // Both are 512 lower-case hex digits, so text order is numeric order.
              sql`${x.blindedHex} < ${tokenKeys.modulus}`,
              notExists(overridden),
              underLimit(db, x.requests),
              sql`${hitsSoFar(db, x.failures.client)} < ${x.failures.client.limit.max}`,
              sql`${hitsSoFar(db, x.failures.prefix)} < ${x.failures.prefix.limit.max}`,
            ),
          ),
      )
      .onConflictDoNothing()
      .returning({ codeHash: redemptions.codeHash }),
    db
      .select({
        appraisal: codes.appraisal,
        raterCategory: codes.raterCategory,
        scope: codes.scope,
        covered: sql<number>`${covered}`,
        revokedOn: codes.revokedOn,
        redeemed: sql<number>`${redemptions.codeHash} IS NOT NULL`,
        redeemedWith: redemptions.blindedHash,
        spki: tokenKeys.spki,
        modulus: tokenKeys.modulus,
        sealed: tokenKeys.sealed,
        // Named: D1 returns a batch's rows keyed by column name, and the two are the same SQL text.
        failures: hitsSoFar(db, x.failures.client).as('failures'),
        prefixFailures: hitsSoFar(db, x.failures.prefix).as('prefix_failures'),
        override: overrideOf(db, x.instrument),
      })
      .from(codes)
      .leftJoin(redemptions, and(eq(redemptions.codeHash, codes.hash), eq(redemptions.instrument, x.instrument)))
      .leftJoin(tokenKeys, keyJoin)
      .where(eq(codes.hash, x.codeHash)),
  ]);
  if ((requests[0]?.hits ?? 0) > x.requests.limit.max) return { kind: 'rate_limited' };
  const row = read[0];
  if (!row || row.revokedOn !== null || row.appraisal !== x.appraisal) {
    // The batch has counted this failure (countIfUnknown) unless the code is of another appraisal.
    const hits = {
      client: failed[0]?.hits ?? row?.failures ?? 0,
      prefix: failedPrefix[0]?.hits ?? row?.prefixFailures ?? 0,
    };
    return { kind: 'wrong_code', over: overFailures(x.failures, hits, true) };
  }
  const key =
    row.spki && row.modulus && row.sealed
      ? { raterCategory: row.raterCategory, scope: row.scope, spki: row.spki, modulus: row.modulus, sealed: row.sealed }
      : null;
  if (redeemed.length === 1 && key) return { kind: 'sign', first: true, key };
  if (row.redeemed) {
    if (row.redeemedWith === x.blindedHash && key) return { kind: 'sign', first: false, key };
    return { kind: 'already_issued', overLimit: (duplicate[0]?.hits ?? 0) > x.duplicates.limit.max };
  }
  const over = overFailures(x.failures, { client: row.failures, prefix: row.prefixFailures }, false);
  if (over) return { kind: 'too_many_failures', over };
  if (row.override) return { kind: 'override', state: row.override };
  if (!x.categories.includes(row.raterCategory)) return { kind: 'category' };
  if (!row.covered) return { kind: 'not_covered' };
  if (!key) return { kind: 'no_key' };
  return { kind: 'bad_blinded' };
}

/** The published keys of an instrument, one per rater category and scope. */
export function readPublicKeys(db: Database, instrument: string) {
  return db
    .select({ raterCategory: tokenKeys.raterCategory, scope: tokenKeys.scope, spki: tokenKeys.spki })
    .from(tokenKeys)
    .where(eq(tokenKeys.instrument, instrument))
    .orderBy(asc(tokenKeys.raterCategory), asc(tokenKeys.scope));
}

/** Store new keys; an existing key of the same instrument and category is kept (returns what was stored). */
export function insertTokenKeys(db: Database, rows: (typeof tokenKeys.$inferInsert)[]) {
  return db.insert(tokenKeys).values(rows).onConflictDoNothing().returning({
    instrument: tokenKeys.instrument,
    raterCategory: tokenKeys.raterCategory,
    scope: tokenKeys.scope,
  });
}

/** Every key, without the sealed private part (the CLI's list). */
export function listTokenKeys(db: Database, instruments?: string[]) {
  const q = db
    .select({
      instrument: tokenKeys.instrument,
      raterCategory: tokenKeys.raterCategory,
      scope: tokenKeys.scope,
      spki: tokenKeys.spki,
      createdOn: tokenKeys.createdOn,
    })
    .from(tokenKeys);
  return (instruments ? q.where(inArray(tokenKeys.instrument, instruments)) : q).orderBy(
    asc(tokenKeys.instrument),
    asc(tokenKeys.raterCategory),
    asc(tokenKeys.scope),
  );
}

/** A key's name in the maps below: its category and scope. */
export const keyName = (raterCategory: string, scope: string) => `${raterCategory}\n${scope}`;

/** The spent tokens of an instrument sorted by message, with tokens issued and spent per key (category and scope). */
export async function readSpentTokens(db: Database, instrument: string) {
  const [tokens, issued, keys] = await db.batch([
    db
      .select({
        raterCategory: spentTokens.raterCategory,
        scope: spentTokens.scope,
        msg: spentTokens.msg,
        sig: spentTokens.sig,
      })
      .from(spentTokens)
      .where(eq(spentTokens.instrument, instrument))
      .orderBy(asc(spentTokens.msg)),
    db
      .select({ raterCategory: codes.raterCategory, scope: codes.scope, n: count() })
      .from(redemptions)
      .innerJoin(codes, eq(codes.hash, redemptions.codeHash))
      .where(eq(redemptions.instrument, instrument))
      .groupBy(codes.raterCategory, codes.scope),
    readPublicKeys(db, instrument),
  ]);
  return { tokens, issued: new Map(issued.map((r) => [keyName(r.raterCategory, r.scope), r.n])), keys };
}
