// Feed for the internal appraisal system: integrator keys and seen nonces.
import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * An integrator's key. Its secret is derived, HMAC(FEED_KEY_SECRET, id), and
 * handed out once by `npm run feed-keys -- add`; only a SHA-256 fingerprint
 * of it is stored, so a database copy holds no usable key.
 */
export const feedKeys = sqliteTable('feed_keys', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  fingerprint: text('fingerprint').notNull(),
  createdOn: text('created_on').notNull(),
  revokedOn: text('revoked_on'),
});

/** Nonces of signed requests within the allowed clock skew: a replay violates the key. */
export const feedNonces = sqliteTable(
  'feed_nonces',
  {
    keyId: text('key_id').notNull(),
    nonce: text('nonce').notNull(),
    /** Epoch seconds after which the row may be pruned (the timestamp window has passed). */
    expires: integer('expires').notNull(),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.nonce] })],
);
