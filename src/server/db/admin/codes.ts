// Codes as `npm run codes` and the demo seed handle them (see batch.ts for
// why admin/): storing a print run's hashes, counting, revoking and deleting
// a batch, and the issue and redemption statistics, which never select a hash.
import { and, asc, count, eq, isNull, min, sql } from 'drizzle-orm';
import type { Database } from '../../env';
import { liveCodes } from '../codes';
import { codes, redemptions } from '../schema';
import { runBatch } from './batch';

/** A print run: the hashes of its codes and what they share. */
export interface CodeRows {
  appraisal: string;
  raterCategory: string;
  batch: string;
  issuedOn: string;
  /** 定点定向: the subjects the batch may rate (sorted, comma-joined), or '*'. */
  scope: string;
  hashes: string[];
}

/**
 * Hashes per INSERT, sent as one JSON parameter (67 bytes a hash, so well
 * under D1's 100 KB a statement): a row of bound parameters each would allow
 * 20 rows a statement under D1's 100 parameters, and through wrangler's
 * platform proxy every statement costs a round trip of its own.
 */
const HASHES_PER_STATEMENT = 1000;
/** INSERTs per batch (one transaction): 20,000 codes, far under D1's 30 s a batch. */
const STATEMENTS_PER_BATCH = 20;

const revokedCount = sql<number>`coalesce(sum(${codes.revokedOn} IS NOT NULL), 0)`.mapWith(Number);

/**
 * Store a print run's hashes, in the order given, in batches of INSERTs; a
 * failed batch leaves none of its rows. `orIgnore` (the demo seed): a code
 * already stored is skipped. `onBatch` is told before each batch is sent.
 */
export async function insertCodes(
  db: Database,
  run: CodeRows,
  opts: { orIgnore?: boolean; onBatch?: (batch: number, batches: number) => void } = {},
) {
  const statements = [];
  for (let i = 0; i < run.hashes.length; i += HASHES_PER_STATEMENT) {
    const insert = db.insert(codes).select(
      db
        .select({
          hash: sql`value`.as('hash'),
          appraisal: sql`${run.appraisal}`.as('appraisal'),
          raterCategory: sql`${run.raterCategory}`.as('rater_category'),
          batch: sql`${run.batch}`.as('batch'),
          issuedOn: sql`${run.issuedOn}`.as('issued_on'),
          revokedOn: sql`NULL`.as('revoked_on'),
          scope: sql`${run.scope}`.as('scope'),
        })
        .from(sql`json_each(${JSON.stringify(run.hashes.slice(i, i + HASHES_PER_STATEMENT))})`)
        // SQLite reads "SELECT … ON CONFLICT" as a join unless the SELECT has a WHERE.
        .where(sql`true`),
    );
    statements.push(opts.orIgnore ? insert.onConflictDoNothing() : insert);
  }
  const batches = Math.ceil(statements.length / STATEMENTS_PER_BATCH);
  for (let i = 0; i < batches; i++) {
    opts.onBatch?.(i + 1, batches);
    await runBatch(db, statements.slice(i * STATEMENTS_PER_BATCH, (i + 1) * STATEMENTS_PER_BATCH));
  }
}

const countBatch = (db: Database, batch: string) =>
  db.select({ codes: count(), revoked: revokedCount }).from(codes).where(eq(codes.batch, batch));

export interface BatchCount {
  codes: number;
  revoked: number;
}

export async function batchCount(db: Database, batch: string): Promise<BatchCount> {
  const [row] = await countBatch(db, batch);
  return row ?? { codes: 0, revoked: 0 };
}

/** Revoke what is not revoked yet, in one batch with the counts before and after. */
export async function revokeBatch(db: Database, batch: string, revokedOn: string) {
  const [[before], , [after]] = await db.batch([
    countBatch(db, batch),
    db
      .update(codes)
      .set({ revokedOn })
      .where(and(eq(codes.batch, batch), isNull(codes.revokedOn))),
    countBatch(db, batch),
  ]);
  return { before: before ?? { codes: 0, revoked: 0 }, after: after ?? { codes: 0, revoked: 0 } };
}

/** Undo a failed issue: the batch id was checked to be new, so every row with it is ours. */
export function deleteBatch(db: Database, batch: string) {
  return db.delete(codes).where(eq(codes.batch, batch));
}

/**
 * Issued and revoked per appraisal × category × batch; codes used per
 * instrument × category. A redemption is stored per (code, instrument), so
 * "redeemed" only means something per instrument: one code may answer
 * several instruments and is counted once for each.
 */
export async function codeStats(db: Database, appraisal?: string) {
  const ofAppraisal = appraisal === undefined ? undefined : eq(codes.appraisal, appraisal);
  const [batches, redeemed] = await db.batch([
    db
      .select({
        appraisal: codes.appraisal,
        raterCategory: codes.raterCategory,
        batch: codes.batch,
        issuedOn: min(codes.issuedOn).mapWith(String),
        issued: count(),
        revoked: revokedCount,
      })
      .from(codes)
      .where(ofAppraisal)
      .groupBy(codes.appraisal, codes.raterCategory, codes.batch)
      .orderBy(asc(codes.appraisal), asc(codes.raterCategory), asc(codes.batch)),
    db
      .select({ instrument: redemptions.instrument, raterCategory: codes.raterCategory, redeemed: count() })
      .from(redemptions)
      .innerJoin(codes, eq(codes.hash, redemptions.codeHash))
      .where(ofAppraisal)
      .groupBy(redemptions.instrument, codes.raterCategory)
      .orderBy(asc(redemptions.instrument), asc(codes.raterCategory)),
  ]);
  return { batches, redeemed };
}

/**
 * Benches: redeem every code of a batch for an instrument, as issuance leaves
 * it (each with a blinded-message fingerprint of its own).
 */
export function redeemBatch(db: Database, batch: string, instrument: string) {
  return db.insert(redemptions).select(
    db
      .select({
        codeHash: codes.hash,
        instrument: sql`${instrument}`.as('instrument'),
        blindedHash: sql`lower(hex(randomblob(32)))`.as('blinded_hash'),
      })
      .from(codes)
      .where(eq(codes.batch, batch)),
  );
}

/** The distinct scopes of an appraisal's live codes per category: the targeted batches that need keys of their own. */
export function codeScopes(db: Database, appraisal?: string) {
  return db
    .selectDistinct({ raterCategory: codes.raterCategory, scope: codes.scope })
    .from(codes)
    .where(liveCodes(appraisal));
}
