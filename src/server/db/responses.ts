// The submission path: ONE D1 batch (one transaction, one round trip) that
// counts the rate limit, redeems the code, stores the response and bumps the
// tallies and turnout. A batch cannot branch, so every write is guarded in
// SQL: the redemption only if the code is valid for this instrument, the
// instrument not closed early and the client under its limit; the response
// only if the redemption was just written; tallies and turnout only if the
// response exists. A second use of a code violates the redemptions primary
// key, which rolls the whole batch back. Nothing is half-written.
import type { Bucket } from '../middleware/rate-limit';
import { bumpStatement, failIfUnknownStatement, hitsStatement } from '../middleware/rate-limit';

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

const UNDER_LIMIT = '(SELECT hits FROM rate_limits WHERE key = ?k AND window = ?w) <= ?max';
const FEW_FAILURES = 'coalesce((SELECT hits FROM rate_limits WHERE key = ?fk AND window = ?fw), 0) < ?fmax';
const NOT_OVERRIDDEN = 'NOT EXISTS (SELECT 1 FROM instrument_states WHERE instrument = ?i)';

/** D1 binds numbered parameters only; name them here for the reader and number them once. */
function prepare(db: D1Database, sql: string, params: Record<string, string | number>) {
  const names = Object.keys(params);
  const text = sql.replace(/\?([a-z]+)/g, (_m, n: string) => {
    const i = names.indexOf(n);
    if (i < 0) throw new Error(`unbound parameter ${n}`);
    return `?${i + 1}`;
  });
  return db.prepare(text).bind(...names.map((n) => params[n]));
}

export async function submitResponse(db: D1Database, x: SubmitInput): Promise<SubmitOutcome> {
  const p = {
    k: x.bucket.key,
    w: x.bucket.window,
    max: x.bucket.limit.max,
    i: x.instrument,
    id: x.responseId,
    day: x.recordedOn,
    ans: x.answers,
    rc: x.receipt,
  };
  const tail = [
    prepare(
      db,
      `INSERT INTO tallies (instrument, question, option, rater_category, count)
       SELECT ?i, json_extract(p.value, '$[0]'), json_extract(p.value, '$[1]'), r.rater_category, 1
       FROM json_each(?pairs) AS p, responses AS r WHERE r.id = ?id
       ON CONFLICT (instrument, question, option, rater_category) DO UPDATE SET count = count + 1`,
      { i: x.instrument, pairs: JSON.stringify(x.pairs), id: x.responseId },
    ),
    prepare(
      db,
      `INSERT INTO turnout (instrument, rater_category, responses)
       SELECT ?i, r.rater_category, 1 FROM responses AS r WHERE r.id = ?id
       ON CONFLICT (instrument, rater_category) DO UPDATE SET responses = responses + 1`,
      { i: x.instrument, id: x.responseId },
    ),
  ];
  const statements =
    x.codeHash === null
      ? [
          bumpStatement(db, x.bucket),
          prepare(
            db,
            `INSERT INTO responses (id, instrument, rater_category, recorded_on, answers, receipt)
             SELECT ?id, ?i, 'public', ?day, ?ans, ?rc WHERE ${NOT_OVERRIDDEN} AND ${UNDER_LIMIT}`,
            p,
          ),
          ...tail,
        ]
      : [
          bumpStatement(db, x.bucket),
          failIfUnknownStatement(db, x.failures, x.codeHash, x.appraisal),
          hitsStatement(db, x.failures),
          prepare(
            db,
            `INSERT INTO redemptions (code_hash, instrument)
             SELECT ?h, ?i WHERE EXISTS (
               SELECT 1 FROM codes WHERE hash = ?h AND appraisal = ?a AND revoked_on IS NULL
                 AND rater_category IN (SELECT value FROM json_each(?cats))
             ) AND ${NOT_OVERRIDDEN} AND ${UNDER_LIMIT} AND ${FEW_FAILURES}`,
            {
              h: x.codeHash,
              i: x.instrument,
              a: x.appraisal,
              cats: JSON.stringify(x.categories),
              k: p.k,
              w: p.w,
              max: p.max,
              fk: x.failures.key,
              fw: x.failures.window,
              fmax: x.failures.limit.max,
            },
          ),
          prepare(
            db,
            `INSERT INTO responses (id, instrument, rater_category, recorded_on, answers, receipt)
             SELECT ?id, ?i, c.rater_category, ?day, ?ans, ?rc FROM codes AS c
             WHERE c.hash = ?h AND EXISTS (SELECT 1 FROM redemptions WHERE code_hash = ?h AND instrument = ?i)`,
            { id: p.id, i: p.i, day: p.day, ans: p.ans, rc: p.rc, h: x.codeHash },
          ),
          ...tail,
        ];
  try {
    const results = await db.batch<{ hits?: number }>(statements);
    const hits = results[0]?.results[0]?.hits ?? 0;
    const stored = (results[x.codeHash === null ? 1 : 4]?.meta.changes ?? 0) === 1;
    if (stored) return { kind: 'stored' };
    if (hits > x.bucket.limit.max) return { kind: 'rate_limited' };
    if (x.codeHash === null) return { kind: 'refused' };
    const failures = results[2]?.results[0]?.hits ?? 0;
    if ((results[1]?.meta.changes ?? 0) > 0) return { kind: 'wrong_code', failures };
    if (failures >= x.failures.limit.max) return { kind: 'too_many_failures' };
    return { kind: 'refused' };
  } catch (e) {
    if (/UNIQUE constraint failed: redemptions/.test((e as Error).message)) return { kind: 'duplicate' };
    throw e;
  }
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
