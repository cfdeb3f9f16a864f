// Feed reads: one batch records the request's nonce (a replay violates the
// primary key and fails the batch) only if the key is active, and reads every
// counter of the appraisal's instruments.
import type { TallyCount } from '../../domain/schemas/participation';

export type FeedRead =
  | { ok: false; reason: 'replay' | 'unknown_key' }
  | {
      ok: true;
      counts: (TallyCount & { instrument: string })[];
      turnout: { instrument: string; raterCategory: string; responses: number }[];
      issued: Map<string, number>;
      overrides: Map<string, 'closed' | 'paused'>;
    };

export async function readFeed(
  db: D1Database,
  a: { keyId: string; nonce: string; expires: number; appraisal: string; instruments: string[] },
): Promise<FeedRead> {
  const ids = JSON.stringify(a.instruments);
  try {
    const [nonce, counts, turnout, issued, overrides] = await db.batch<Record<string, unknown>>([
      db
        .prepare(
          'INSERT INTO feed_nonces (key_id, nonce, expires) SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM feed_keys WHERE id = ?1 AND revoked_on IS NULL)',
        )
        .bind(a.keyId, a.nonce, a.expires),
      db
        .prepare(
          'SELECT instrument, question, option, rater_category AS raterCategory, count FROM tallies WHERE instrument IN (SELECT value FROM json_each(?1))',
        )
        .bind(ids),
      db
        .prepare(
          'SELECT instrument, rater_category AS raterCategory, responses FROM turnout WHERE instrument IN (SELECT value FROM json_each(?1))',
        )
        .bind(ids),
      db
        .prepare(
          'SELECT rater_category AS raterCategory, count(*) AS n FROM codes WHERE appraisal = ?1 AND revoked_on IS NULL GROUP BY rater_category',
        )
        .bind(a.appraisal),
      db.prepare('SELECT instrument, state FROM instrument_states'),
    ]);
    if ((nonce?.meta.changes ?? 0) !== 1) return { ok: false, reason: 'unknown_key' };
    return {
      ok: true,
      counts: (counts?.results ?? []) as unknown as (TallyCount & { instrument: string })[],
      turnout: (turnout?.results ?? []) as { instrument: string; raterCategory: string; responses: number }[],
      issued: new Map((issued?.results ?? []).map((r) => [String(r.raterCategory), Number(r.n)])),
      overrides: new Map((overrides?.results ?? []).map((r) => [String(r.instrument), r.state as 'closed' | 'paused'])),
    };
  } catch (e) {
    if (/UNIQUE constraint failed: feed_nonces/.test((e as Error).message)) return { ok: false, reason: 'replay' };
    throw e;
  }
}

/** Nonces past their window, dropped off the request path. */
export function pruneNonces(db: D1Database, nowSeconds: number) {
  return db.prepare('DELETE FROM feed_nonces WHERE expires < ?1').bind(nowSeconds).run();
}
