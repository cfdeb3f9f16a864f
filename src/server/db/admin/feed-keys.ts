// Integrator keys as `npm run feed-keys` and the demo seed handle them (see
// batch.ts for why admin/): only the id, name and fingerprint are stored.
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../env';
import { feedKeys } from '../schema';

export type FeedKeyRow = typeof feedKeys.$inferInsert;

/** `orIgnore` (the demo seed): a key already stored is kept. */
export function insertFeedKey(db: Database, row: FeedKeyRow, opts: { orIgnore?: boolean } = {}) {
  const insert = db.insert(feedKeys).values(row);
  return opts.orIgnore ? insert.onConflictDoNothing() : insert;
}

/** Every key, without anything secret (the table holds nothing secret). */
export function listFeedKeys(db: Database) {
  return db
    .select({ id: feedKeys.id, name: feedKeys.name, createdOn: feedKeys.createdOn, revokedOn: feedKeys.revokedOn })
    .from(feedKeys)
    .orderBy(asc(feedKeys.createdOn), asc(feedKeys.id));
}

/** Revoke an active key; false if there is no active key of that id. */
export async function revokeFeedKey(db: Database, id: string, revokedOn: string): Promise<boolean> {
  const revoked = await db
    .update(feedKeys)
    .set({ revokedOn })
    .where(and(eq(feedKeys.id, id), isNull(feedKeys.revokedOn)))
    .returning({ id: feedKeys.id });
  return revoked.length > 0;
}
