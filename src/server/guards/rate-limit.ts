// Rate limits kept in D1 (the Workers rate-limit binding does not exist on
// Pages in production): the limits and a client's bucket here, the counter
// statements in db/rate-limits.ts, each one inside the batch a route already
// sends. A client's key is an HMAC of the limit's name and the address with a
// secret and the day, so no address is stored, keys do not link across days,
// and the keys of two limits do not link to each other: the row a code's token
// issuance counts and the row a public answer from the same address counts
// share nothing (tests/node/wal-replay.test.ts). Ended windows are dropped by
// the table's own trigger (migration 0010).
import type { Context } from 'hono';
import ipaddr from 'ipaddr.js';
import { hmacHex } from '../../domain/code';
import type { AppEnv } from '../env';

export interface Limit {
  name: string;
  max: number;
  windowSeconds: number;
}

/**
 * Generous per-address limits: a session hall of deputies may share one
 * address. Failed code checks are what guessing produces, so those are tight.
 */
export const LIMITS = {
  participate: { name: 'p', max: 120, windowSeconds: 60 },
  // Answers to public instruments: their own key, never the one token issuance counts.
  publicResponse: { name: 'r', max: 120, windowSeconds: 60 },
  codeFailures: { name: 'f', max: 20, windowSeconds: 600 },
  // Forum and opinion box: anonymous writers get tight limits (Discourse's lesson); reports and lookups looser.
  forumPost: { name: 'fp', max: 10, windowSeconds: 600 },
  forumReport: { name: 'fr', max: 20, windowSeconds: 3600 },
  message: { name: 'm', max: 5, windowSeconds: 600 },
  track: { name: 't', max: 30, windowSeconds: 600 },
  // The writer's rating and reopening of an answered message.
  followUp: { name: 'mf', max: 10, windowSeconds: 600 },
  // Objections: a unit files few; every filing counts, right credential or wrong.
  objection: { name: 'o', max: 5, windowSeconds: 600 },
  // Observer logins per address, on top of the per-account lock-out.
  login: { name: 'l', max: 30, windowSeconds: 900 },
} as const satisfies Record<string, Limit>;

export interface Bucket {
  key: string;
  window: number;
  /** The window's end, epoch seconds: after it the row may be dropped. */
  expires: number;
  limit: Limit;
  /** Seconds until the window ends (for Retry-After). */
  retryAfter: number;
}

/**
 * The part of an address that names one client: an IPv4 address whole, an
 * IPv6 address by its /64 (one subscriber's prefix: a client can take any of
 * its 2^64 addresses, so counting them apart would count nothing).
 */
export function clientNetwork(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const v6 = parsed as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
  return `${v6.parts
    .slice(0, 4)
    .map((p) => p.toString(16))
    .join(':')}::/64`;
}

/** One HMAC per request and limit, however often a route asks for it. */
const clientKeys = new WeakMap<Request, Map<string, Promise<string>>>();

function clientKey(c: Context<AppEnv>, limit: Limit, now: Date): Promise<string> {
  let keys = clientKeys.get(c.req.raw);
  if (!keys) {
    keys = new Map();
    clientKeys.set(c.req.raw, keys);
  }
  let k = keys.get(limit.name);
  if (!k) {
    const day = now.toISOString().slice(0, 10);
    const address = clientNetwork(c.req.header('cf-connecting-ip') ?? c.req.header('x-real-ip') ?? 'local');
    const secret = c.env.RATE_LIMIT_SECRET ?? 'kaoping-dev-only';
    k = hmacHex(`${secret}:${day}`, `${limit.name}|${address}`).then((h) => h.slice(0, 32));
    keys.set(limit.name, k);
  }
  return k;
}

export async function clientBucket(c: Context<AppEnv>, limit: Limit): Promise<Bucket> {
  const now = c.get('now')();
  const key = `${limit.name}:${await clientKey(c, limit, now)}`;
  const seconds = Math.floor(now.getTime() / 1000);
  // A window is named by its start, in epoch seconds, so old ones can be pruned whatever their size.
  const window = seconds - (seconds % limit.windowSeconds);
  const expires = window + limit.windowSeconds;
  return { key, window, expires, limit, retryAfter: expires - seconds };
}
