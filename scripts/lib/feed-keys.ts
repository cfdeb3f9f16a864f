// Feed keys: the id and a fingerprint are stored; the secret is derived from
// FEED_KEY_SECRET and shown once.
import { createHash, randomBytes } from 'node:crypto';
import type { FeedKeyRow } from '../../src/server/db/admin/feed-keys';
import { feedKeySecret } from '../../src/server/middleware/feed-auth';

export async function newFeedKey(master: string, name: string, id = `key-${randomBytes(6).toString('hex')}`) {
  const secret = await feedKeySecret(master, id);
  const fingerprint = createHash('sha256').update(secret).digest('hex');
  const row: FeedKeyRow = { id, name, fingerprint, createdOn: new Date().toISOString().slice(0, 10) };
  return { id, secret, row };
}
