// Feed keys: the id and a fingerprint are stored; the secret is derived from
// FEED_KEY_SECRET and shown once.
import { createHash, randomBytes } from 'node:crypto';
import { feedKeySecret } from '../../src/server/middleware/feed-auth';
import { lit } from './wrangler';

export async function newFeedKey(master: string, name: string, id = `key-${randomBytes(6).toString('hex')}`) {
  const secret = await feedKeySecret(master, id);
  const fingerprint = createHash('sha256').update(secret).digest('hex');
  const today = new Date().toISOString().slice(0, 10);
  return {
    id,
    secret,
    fingerprint,
    insert: (orIgnore = false) =>
      `INSERT${orIgnore ? ' OR IGNORE' : ''} INTO feed_keys (id, name, fingerprint, created_on) VALUES (${lit(id)}, ${lit(name)}, ${lit(fingerprint)}, ${lit(today)});`,
  };
}
