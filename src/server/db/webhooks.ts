// The webhook queue (src/server/webhooks.ts sends it): a delivery is enqueued
// in the batch of the change it reports, and kept until the receiver answers.
import { and, asc, desc, eq, lte } from 'drizzle-orm';
import type { Database } from '../env';
import { webhookDeliveries as deliveries } from './schema';
import { changedBefore, oneRow, rowOf } from './sql';

/**
 * The statement that enqueues a delivery, to put in the batch of the change it
 * reports right after a statement that wrote a row only if the change happened
 * (`changes()` then guards it).
 */
export function enqueueDelivery(db: Database, d: { event: string; instrument: string; payload: unknown; now: Date }) {
  return db.insert(deliveries).select(
    db
      .select(
        rowOf(deliveries, {
          id: crypto.randomUUID(),
          event: d.event,
          instrument: d.instrument,
          payload: JSON.stringify(d.payload),
          createdAt: d.now.toISOString(),
          status: 'pending',
          attempts: 0,
          nextAttemptAt: Math.floor(d.now.getTime() / 1000),
          lastError: null,
          deliveredAt: null,
        }),
      )
      .from(oneRow())
      .where(changedBefore()),
  );
}

/** Pending deliveries whose next attempt is due, the most overdue first. */
export function dueDeliveries(db: Database, nowSeconds: number, limit: number) {
  return db
    .select({ id: deliveries.id, payload: deliveries.payload, attempts: deliveries.attempts })
    .from(deliveries)
    .where(and(eq(deliveries.status, 'pending'), lte(deliveries.nextAttemptAt, nowSeconds)))
    .orderBy(asc(deliveries.nextAttemptAt))
    .limit(limit);
}

export function markDelivered(db: Database, id: string, attempts: number, at: string) {
  return db
    .update(deliveries)
    .set({ status: 'delivered', attempts, deliveredAt: at, lastError: null })
    .where(eq(deliveries.id, id))
    .run();
}

export function markFailed(db: Database, id: string, attempts: number, nextAttemptAt: number, error: string) {
  return db.update(deliveries).set({ attempts, nextAttemptAt, lastError: error }).where(eq(deliveries.id, id)).run();
}

/** The delivery list for the console, newest first. */
export function listDeliveries(db: Database, limit = 100) {
  return db
    .select({
      id: deliveries.id,
      event: deliveries.event,
      instrument: deliveries.instrument,
      createdAt: deliveries.createdAt,
      status: deliveries.status,
      attempts: deliveries.attempts,
      nextAttemptAt: deliveries.nextAttemptAt,
      lastError: deliveries.lastError,
      deliveredAt: deliveries.deliveredAt,
    })
    .from(deliveries)
    .orderBy(desc(deliveries.createdAt))
    .limit(limit);
}
