// Signed webhooks to the internal appraisal system. A delivery is enqueued in
// the same D1 batch as the change it reports and sent off the request path;
// until the receiver answers 2xx it is retried with exponential backoff (30 s
// doubling, at most an hour apart). Pages Functions have no cron: due
// deliveries are also sent whenever an observer opens the delivery list, and
// at most once a minute per isolate after any API request (see docs/api.md).
import { signFeedRequest } from '../domain/feed';
import type { WebhookDelivery } from '../domain/schemas/webhook';
import type { Bindings } from './env';

export const WEBHOOK_KEY_ID = 'kaoping-webhook';
const MAX_BACKOFF_SECONDS = 3600;

export const backoffSeconds = (attempts: number) => Math.min(30 * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_SECONDS);

/**
 * The statement that enqueues a delivery, to put in the batch of the change it
 * reports right after a statement that wrote a row only if the change happened
 * (`changes()` then guards it).
 */
export function enqueueStatement(
  db: D1Database,
  d: { event: string; instrument: string; payload: unknown; now: Date },
) {
  return db
    .prepare(
      `INSERT INTO webhook_deliveries (id, event, instrument, payload, created_at, status, attempts, next_attempt_at)
       SELECT ?1, ?2, ?3, ?4, ?5, 'pending', 0, ?6 WHERE changes() > 0`,
    )
    .bind(
      crypto.randomUUID(),
      d.event,
      d.instrument,
      JSON.stringify(d.payload),
      d.now.toISOString(),
      Math.floor(d.now.getTime() / 1000),
    );
}

export function webhooksConfigured(env: Bindings): boolean {
  return Boolean(env.WEBHOOK_URL && env.WEBHOOK_SECRET);
}

/** Send every due delivery once; returns how many were acknowledged. */
export async function deliverDue(
  env: Bindings,
  now: Date,
  fetchImpl: typeof fetch = fetch,
  limit = 10,
): Promise<number> {
  if (!webhooksConfigured(env)) return 0;
  const seconds = Math.floor(now.getTime() / 1000);
  const { results } = await env.DB.prepare(
    "SELECT id, payload, attempts FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ?1 ORDER BY next_attempt_at LIMIT ?2",
  )
    .bind(seconds, limit)
    .all<{ id: string; payload: string; attempts: number }>();
  let delivered = 0;
  for (const d of results) {
    let error: string | null = null;
    try {
      const headers = await signFeedRequest({
        keyId: WEBHOOK_KEY_ID,
        secret: env.WEBHOOK_SECRET as string,
        method: 'POST',
        url: env.WEBHOOK_URL as string,
        body: d.payload,
      });
      const r = await fetchImpl(env.WEBHOOK_URL as string, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'x-kaoping-delivery': d.id },
        body: d.payload,
        signal: AbortSignal.timeout(10_000),
      });
      if (!r.ok) error = `HTTP ${r.status}`;
    } catch (e) {
      error = (e as Error).message.slice(0, 200);
    }
    const attempts = d.attempts + 1;
    if (error === null) {
      delivered++;
      await env.DB.prepare(
        "UPDATE webhook_deliveries SET status = 'delivered', attempts = ?2, delivered_at = ?3, last_error = NULL WHERE id = ?1",
      )
        .bind(d.id, attempts, now.toISOString())
        .run();
    } else {
      await env.DB.prepare(
        'UPDATE webhook_deliveries SET attempts = ?2, next_attempt_at = ?3, last_error = ?4 WHERE id = ?1',
      )
        .bind(d.id, attempts, seconds + backoffSeconds(attempts), error)
        .run();
    }
  }
  return delivered;
}

/** The delivery list for the console, newest first. */
export async function listDeliveries(db: D1Database, limit = 100): Promise<WebhookDelivery[]> {
  const { results } = await db
    .prepare(
      `SELECT id, event, instrument, created_at AS createdAt, status, attempts, next_attempt_at AS nextAttemptAt,
              last_error AS lastError, delivered_at AS deliveredAt
       FROM webhook_deliveries ORDER BY created_at DESC LIMIT ?1`,
    )
    .bind(limit)
    .all<WebhookDelivery>();
  return results;
}
