// Pushes to the internal appraisal system (e.g. "instrument closed"), kept
// until acknowledged so a failed delivery is retried with backoff.
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { webhookStatuses } from '../../../domain/schemas/webhook';

export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    event: text('event').notNull(),
    instrument: text('instrument').notNull(),
    /** The JSON body sent, signed at each attempt. */
    payload: text('payload').notNull(),
    createdAt: text('created_at').notNull(),
    /** pending until a 2xx answer; then delivered. */
    status: text('status', { enum: webhookStatuses }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    /** Epoch seconds of the next attempt. */
    nextAttemptAt: integer('next_attempt_at').notNull(),
    lastError: text('last_error'),
    deliveredAt: text('delivered_at'),
  },
  (t) => [index('webhook_due').on(t.status, t.nextAttemptAt)],
);
