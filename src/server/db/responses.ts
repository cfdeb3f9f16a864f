// The submission path: ONE D1 batch (one transaction, one round trip) of two
// statements. The first hands the whole submission to the database through
// the `submission_intake` view, whose triggers (migration 0008) count the
// request, redeem the code, store the response and bump the tallies and
// turnout, every write guarded in SQL (a batch cannot branch). The second
// reads the outcome. A second use of a code violates the redemptions primary
// key, which rolls the whole batch back. Nothing is half-written.
import type { Bucket } from '../middleware/rate-limit';

export interface SubmitInput {
  instrument: string;
  appraisal: string;
  /** Categories allowed to answer (code instruments). */
  categories: string[];
  /** HMAC of the code; null for public instruments. */
  codeHash: string | null;
  responseId: string;
  recordedOn: string;
  answers: string;
  receipt: string;
  pairs: [string, string][];
  bucket: Bucket;
  /** Failed code checks of this client: past the limit, even a right code is refused (no guessing). */
  failures: Bucket;
}

export type SubmitOutcome =
  | { kind: 'stored' | 'duplicate' | 'rate_limited' | 'too_many_failures' | 'refused' }
  /** The code is unknown, revoked or of another appraisal; counted as a failure in the batch. */
  | { kind: 'wrong_code'; failures: number };

interface Outcome {
  stored: number;
  requests: number;
  failures: number;
  known: number;
}

/** D1 binds numbered parameters only; name them here for the reader and number them once. */
function prepare(db: D1Database, sql: string, params: Record<string, string | number | null>) {
  const names = Object.keys(params);
  const text = sql.replace(/\?([a-z]+)/g, (_m, n: string) => {
    const i = names.indexOf(n);
    if (i < 0) throw new Error(`unbound parameter ${n}`);
    return `?${i + 1}`;
  });
  return db.prepare(text).bind(...names.map((n) => params[n] ?? null));
}

export async function submitResponse(db: D1Database, x: SubmitInput): Promise<SubmitOutcome> {
  const hand = prepare(
    db,
    `INSERT INTO submission_intake (code_hash, appraisal, categories, instrument, response_id, recorded_on, answers,
       receipt, pairs, request_key, request_window, request_max, failure_key, failure_window, failure_max)
     VALUES (?h, ?a, ?cats, ?i, ?id, ?day, ?ans, ?rc, ?pairs, ?k, ?w, ?max, ?fk, ?fw, ?fmax)`,
    {
      h: x.codeHash,
      a: x.appraisal,
      cats: JSON.stringify(x.categories),
      i: x.instrument,
      id: x.responseId,
      day: x.recordedOn,
      ans: x.answers,
      rc: x.receipt,
      pairs: JSON.stringify(x.pairs),
      k: x.bucket.key,
      w: x.bucket.window,
      max: x.bucket.limit.max,
      fk: x.failures.key,
      fw: x.failures.window,
      fmax: x.failures.limit.max,
    },
  );
  const read = prepare(
    db,
    `SELECT EXISTS (SELECT 1 FROM responses WHERE id = ?id) AS stored,
       coalesce((SELECT hits FROM rate_limits WHERE key = ?k AND window = ?w), 0) AS requests,
       coalesce((SELECT hits FROM rate_limits WHERE key = ?fk AND window = ?fw), 0) AS failures,
       EXISTS (SELECT 1 FROM codes WHERE hash = ?h AND revoked_on IS NULL AND appraisal = ?a) AS known`,
    {
      id: x.responseId,
      k: x.bucket.key,
      w: x.bucket.window,
      fk: x.failures.key,
      fw: x.failures.window,
      h: x.codeHash,
      a: x.appraisal,
    },
  );
  let o: Outcome | undefined;
  try {
    o = (await db.batch<Outcome>([hand, read]))[1]?.results[0];
  } catch (e) {
    if (/UNIQUE constraint failed: redemptions/.test((e as Error).message)) return { kind: 'duplicate' };
    throw e;
  }
  if (!o) throw new Error('submission outcome missing');
  if (o.stored) return { kind: 'stored' };
  if (o.requests > x.bucket.limit.max) return { kind: 'rate_limited' };
  if (x.codeHash === null) return { kind: 'refused' };
  if (!o.known) return { kind: 'wrong_code', failures: o.failures };
  if (o.failures >= x.failures.limit.max) return { kind: 'too_many_failures' };
  return { kind: 'refused' };
}

/** The receipt's instrument and day, if such a response is stored. */
export async function findReceipt(db: D1Database, receipt: string) {
  return db
    .prepare('SELECT instrument, recorded_on AS recordedOn FROM responses WHERE receipt = ?1')
    .bind(receipt)
    .first<{ instrument: string; recordedOn: string }>();
}

/** All receipts of an instrument, sorted (so the order says nothing about submission order). */
export async function listReceipts(db: D1Database, instrument: string): Promise<string[]> {
  const { results } = await db
    .prepare('SELECT receipt FROM responses WHERE instrument = ?1 ORDER BY receipt')
    .bind(instrument)
    .all<{ receipt: string }>();
  return results.map((r) => r.receipt);
}

export { prepare };
