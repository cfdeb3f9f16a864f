// Signed webhooks to the internal appraisal system. A delivery is enqueued in
// the same D1 batch as the change it reports and sent off the request path;
// until the receiver answers 2xx it is retried with exponential backoff (30 s
// doubling, at most an hour apart). Pages Functions have no cron: due
// deliveries are also sent whenever an observer opens the delivery list, and
// at most once a minute per isolate after any API request (see docs/api.md).
// The queue's statements: db/webhooks.ts.
import { signFeedRequest } from '../domain/feed';
import { dueDeliveries, markDelivered, markFailed } from './db/webhooks';
import type { Bindings, Database } from './env';

export const WEBHOOK_KEY_ID = 'kaoping-webhook';
const MAX_BACKOFF_SECONDS = 3600;

export const backoffSeconds = (attempts: number) => Math.min(30 * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_SECONDS);

export function webhooksConfigured(env: Bindings): boolean {
  return Boolean(env.WEBHOOK_URL && env.WEBHOOK_SECRET);
}

/** Send every due delivery once; returns how many were acknowledged. */
export async function deliverDue(
  db: Database,
  env: Bindings,
  now: Date,
  fetchImpl: typeof fetch = fetch,
  limit = 10,
): Promise<number> {
  if (!webhooksConfigured(env)) return 0;
  const seconds = Math.floor(now.getTime() / 1000);
  let delivered = 0;
  for (const d of await dueDeliveries(db, seconds, limit)) {
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
      await markDelivered(db, d.id, attempts, now.toISOString());
    } else {
      await markFailed(db, d.id, attempts, seconds + backoffSeconds(attempts), error);
    }
  }
  return delivered;
}
